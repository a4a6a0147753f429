//! Reading office files back: a Word file's parts and its tables' text,
//! an Excel file's parts. Zip and an XML parser, nothing else.

/// One part of a zip container (`word/document.xml`, `xl/worksheets/sheet1.xml`).
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
    xml
}

/// Whether a zip container has a part.
pub fn has_part(bytes: &[u8], name: &str) -> bool {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    zip.by_name(name).is_ok()
}

/// Reads the Word file back with a zip reader and an XML parser: the text
/// of every table cell, row by row.
pub fn docx_table(bytes: &[u8]) -> Vec<Vec<String>> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut in_text, mut in_cell) = (false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"w:tr" => row = Vec::new(),
            Event::End(e) if e.name().as_ref() == b"w:tr" => rows.push(std::mem::take(&mut row)),
            Event::Start(e) if e.name().as_ref() == b"w:tc" => {
                in_cell = true;
                cell.clear();
            }
            Event::End(e) if e.name().as_ref() == b"w:tc" => {
                in_cell = false;
                row.push(cell.trim().to_string());
            }
            Event::End(e) if e.name().as_ref() == b"w:p" && in_cell => cell.push('\n'),
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Text(t) if in_text && in_cell => cell.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) if in_text && in_cell => {
                let name = String::from_utf8_lossy(&r);
                cell.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    rows
}
