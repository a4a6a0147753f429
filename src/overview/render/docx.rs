//! A Word document the secretariat can paste into the meeting papers:
//! A4, the case in portrait and the table (Vedlegg 1) on landscape pages of
//! its own; the table within the text width, its header row repeated on
//! every page and no row split across pages; a real default font and size,
//! spacing, heading styles, Word lists, flags shaded as in the HTML, and
//! clickable links.

use docx_rs::{
    AbstractNumbering, Docx as Document, Hyperlink, HyperlinkType, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, PageOrientationType,
    PageSize, Paragraph, Run, RunFonts, SectionProperty, Shading, SpecialIndentType, Start, Style,
    StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::super::model::{Column, Span};
use super::super::view::{Block, Doc, Flag, Orientation, TableView};
use super::{Renderer, real_link};
use crate::escape::xml_text;

pub struct Docx;

/// A4 in twentieths of a point, and a 2 cm margin all round.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;
const MARGIN: i32 = 1134;

/// The width text may take on a page turned so.
pub fn text_width(o: Orientation) -> u32 {
    let page = match o {
        Orientation::Portrait => A4_SHORT,
        Orientation::Landscape => A4_LONG,
    };
    page - 2 * MARGIN as u32
}

/// The columns' shares of the table's width: the title and the follow-up
/// get the most room.
const SHARES: [u32; 5] = [27, 15, 17, 19, 22];

/// Column widths that sum to exactly the text width.
pub fn column_widths(o: Orientation) -> Vec<usize> {
    let total = text_width(o);
    let mut widths: Vec<usize> = SHARES.iter().map(|s| (total * s / 100) as usize).collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total as usize - used;
    }
    widths
}

fn page_size(o: Orientation) -> PageSize {
    match o {
        Orientation::Portrait => PageSize::new()
            .size(A4_SHORT, A4_LONG)
            .orient(PageOrientationType::Portrait),
        Orientation::Landscape => PageSize::new()
            .size(A4_LONG, A4_SHORT)
            .orient(PageOrientationType::Landscape),
    }
}

fn margins() -> PageMargin {
    PageMargin::new()
        .top(MARGIN)
        .bottom(MARGIN)
        .left(MARGIN)
        .right(MARGIN)
        .header(708)
        .footer(708)
}

/// A flag's shading, the same colours as the HTML.
fn flag_fill(f: &Flag) -> &'static str {
    match f.kind() {
        "new" => "D8F0D8",
        "urgent" => "FFC9A3",
        "soon" => "FFE3A3",
        "passed" => "F3C6C6",
        _ => "E0E0F0",
    }
}

fn run_of(s: &Span) -> Run {
    let mut run = Run::new().add_text(xml_text(&s.text));
    if s.italic {
        run = run.italic();
    }
    run
}

fn paragraph(spans: &[Span]) -> Paragraph {
    let mut p = Paragraph::new();
    for s in spans {
        let run = run_of(s);
        p = match real_link(s.link.as_deref()) {
            Some(l) => p.add_hyperlink(
                Hyperlink::new(l, HyperlinkType::External)
                    .add_run(run.color("0563C1").underline("single")),
            ),
            None => p.add_run(run),
        };
    }
    p
}

fn cell(lines: &[Vec<Span>], flags: &[Flag], width: usize) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    if lines.is_empty() && flags.is_empty() {
        c = c.add_paragraph(Paragraph::new().style("TableText"));
    }
    for l in lines {
        c = c.add_paragraph(paragraph(l).style("TableText"));
    }
    for f in flags {
        c = c.add_paragraph(
            Paragraph::new().style("TableText").add_run(
                Run::new()
                    .add_text(xml_text(&format!(" {} ", f.label())))
                    .bold()
                    .size(16)
                    .shading(Shading::new().fill(flag_fill(f))),
            ),
        );
    }
    c
}

fn table(t: &TableView, o: Orientation) -> Table {
    let widths = column_widths(o);
    let head = TableRow::new(
        Column::ALL
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                TableCell::new()
                    .width(*w, WidthType::Dxa)
                    .shading(Shading::new().fill("E8EEF4"))
                    .add_paragraph(
                        Paragraph::new()
                            .style("TableText")
                            .add_run(Run::new().add_text(xml_text(t.headings.get(*c))).bold()),
                    )
            })
            .collect(),
    )
    .cant_split();
    let mut rows = vec![head];
    for row in &t.rows {
        let cells = Column::ALL
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let lines = row.cells.get(c).cloned().unwrap_or_default();
                let flags: &[Flag] = if *c == Column::Title { &row.flags } else { &[] };
                cell(&lines, flags, *w)
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    let total: usize = widths.iter().sum();
    Table::new(rows)
        .set_grid(widths)
        .width(total, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// The styles: a default font and size for the whole document, spacing,
/// five heading levels, and a compact style for table text.
fn styles(d: Document) -> Document {
    let mut d = d
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .east_asia("Calibri")
                .cs("Calibri"),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(120).line(264))
        .add_style(
            Style::new("TableText", StyleType::Paragraph)
                .name("Table Text")
                .based_on("Normal")
                .size(18)
                .line_spacing(LineSpacing::new().before(20).after(40).line(240)),
        );
    for (level, size, before) in [
        (1, 32, 0),
        (2, 28, 120),
        (3, 24, 240),
        (4, 22, 200),
        (5, 22, 160),
    ] {
        let mut style = Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .outline_lvl(level - 1)
            .line_spacing(LineSpacing::new().before(before).after(80));
        if level == 5 {
            style = style.italic();
        }
        d = d.add_style(style);
    }
    d
}

/// A bullet list, as Word makes one (numbering.xml), not typed bullets.
const BULLETS: usize = 1;

fn bullets(d: Document) -> Document {
    d.add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(360), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

/// Marks the first row of every table as a header row repeated on each
/// page (`w:tblHeader`), which docx-rs does not write.
pub fn repeat_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(t) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(t);
        out.push_str(before);
        let Some(tr) = after.find("<w:tr>").or_else(|| after.find("<w:tr ")) else {
            out.push_str(after);
            return out;
        };
        let row_start = &after[tr..];
        let row_end = row_start.find("</w:tr>").unwrap_or(row_start.len());
        let row = &row_start[..row_end];
        out.push_str(&after[..tr]);
        match row.find("</w:trPr>") {
            Some(end) => {
                out.push_str(&row[..end]);
                out.push_str("<w:tblHeader />");
                out.push_str(&row[end..]);
            }
            None => {
                let open = row.find('>').map_or(0, |i| i + 1);
                out.push_str(&row[..open]);
                out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                out.push_str(&row[open..]);
            }
        }
        rest = &row_start[row_end..];
    }
    out.push_str(rest);
    out
}

impl Renderer for Docx {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        let mut d = bullets(styles(Document::new()));
        let mut orientation = doc.orientation;
        for block in &doc.blocks {
            d = match block {
                Block::Heading(level, text) => {
                    let level = (*level).clamp(1, 5);
                    d.add_paragraph(
                        Paragraph::new()
                            .style(&format!("Heading{level}"))
                            .keep_next(true)
                            .add_run(Run::new().add_text(xml_text(text))),
                    )
                }
                Block::Para(spans) => d.add_paragraph(paragraph(spans)),
                Block::Bullets(items) => items.iter().fold(d, |d, item| {
                    d.add_paragraph(
                        paragraph(item).numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    )
                }),
                Block::Fields(fields) => fields.iter().fold(d, |d, (k, v)| {
                    d.add_paragraph(
                        Paragraph::new()
                            .line_spacing(LineSpacing::new().after(0))
                            .add_run(Run::new().add_text(xml_text(&format!("{k}: "))).bold())
                            .add_run(Run::new().add_text(xml_text(v))),
                    )
                }),
                Block::Table(t) => d.add_table(table(t, orientation)),
                Block::Section(next) => {
                    // The paragraph that carries a section's properties ends
                    // it: what follows starts on a new page, turned so.
                    let ending = SectionProperty::new()
                        .page_size(page_size(orientation))
                        .page_margin(margins());
                    orientation = *next;
                    d.add_paragraph(Paragraph::new().section_property(ending))
                }
            };
        }
        let (w, h, o) = match orientation {
            Orientation::Portrait => (A4_SHORT, A4_LONG, PageOrientationType::Portrait),
            Orientation::Landscape => (A4_LONG, A4_SHORT, PageOrientationType::Landscape),
        };
        let mut xml = d
            .page_size(w, h)
            .page_orient(o)
            .page_margin(margins())
            .build();
        let document = String::from_utf8(std::mem::take(&mut xml.document))?;
        xml.document = repeat_header_rows(&document).into_bytes();
        let mut buf = std::io::Cursor::new(Vec::new());
        xml.pack(&mut buf)?;
        Ok(buf.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_fits_the_text_width_either_way() {
        for o in [Orientation::Portrait, Orientation::Landscape] {
            let w = column_widths(o);
            assert_eq!(w.iter().sum::<usize>() as u32, text_width(o));
        }
        assert_eq!(text_width(Orientation::Landscape), 14570);
    }

    #[test]
    fn header_rows_are_marked_once_per_table() {
        let xml = "<w:tbl><w:tblPr/><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc/></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:p/><w:tbl><w:tr><w:tc/></w:tr></w:tbl>";
        let out = repeat_header_rows(xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2, "{out}");
        assert!(out.contains("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:tc/>"));
        assert!(out.contains("<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/>"));
    }
}
