//! CSV: the table only, plain text, the title's link in its own column.

use super::super::model::Column;
use super::super::view::{Block, Doc};
use super::Renderer;

pub struct Csv;

/// A cell no spreadsheet runs as a formula, whatever separator it reads
/// the file with. Every field is quoted (so a reader that honours quotes
/// keeps `;` and `,` inside it), and every place a field could begin when
/// a reader splits on another separator (`,` `;` tab `|`), or the start
/// of the cell, gets an apostrophe before `=`, `+`, `-`, `@`, a tab or a
/// carriage return. Every column, the link column included.
fn spreadsheet_safe(s: String) -> String {
    let triggers = |rest: &str| {
        rest.trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@', '\t', '\r'])
    };
    if !triggers(&s) && !s.contains([',', ';', '\t', '|']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2);
    let mut at_field_start = true;
    for (i, c) in s.char_indices() {
        if at_field_start && triggers(&s[i..]) && c != ' ' {
            out.push('\'');
        }
        if !(at_field_start && c == ' ') {
            at_field_start = false;
        }
        out.push(c);
        if matches!(c, ',' | ';' | '\t' | '|') {
            at_field_start = true;
        }
    }
    out
}

impl Renderer for Csv {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        // RFC 4180: CRLF line ends; every field quoted (see spreadsheet_safe).
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        for block in &doc.blocks {
            if let Block::Table(table) = block {
                let mut header: Vec<&str> =
                    Column::ALL.iter().map(|c| table.headings.get(*c)).collect();
                header.extend(["Lenke", "Merknad"]);
                w.write_record(&header)?;
                for row in &table.rows {
                    let mut rec: Vec<String> = Column::ALL
                        .iter()
                        .map(|c| spreadsheet_safe(row.plain(*c)))
                        .collect();
                    let link = row.link().and_then(crate::escape::http_url).unwrap_or("");
                    rec.push(spreadsheet_safe(link.to_string()));
                    rec.push(spreadsheet_safe(
                        row.flags
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ));
                    w.write_record(&rec)?;
                }
            }
        }
        Ok(w.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_not_run() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(
            spreadsheet_safe("-2+3+cmd|' /C calc'!A0".into()),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(
            spreadsheet_safe("Frist høring 01.06.2026".into()),
            "Frist høring 01.06.2026"
        );
        assert_eq!(
            spreadsheet_safe("Høring om helsedata;=2+5;…".into()),
            "Høring om helsedata;'=2+5;…"
        );
        assert_eq!(spreadsheet_safe("a, -1| @x".into()), "a, '-1| '@x");
        assert_eq!(spreadsheet_safe("  =1".into()), "  '=1");
    }
}
