//! A Word document with a real table, as the case papers are Word
//! documents. Landscape A4, the council's column headings.

use docx_rs::{
    Docx as Document, Hyperlink, HyperlinkType, PageOrientationType, Paragraph, Run, Style,
    StyleType, Table, TableCell, TableRow, WidthType,
};

use super::super::model::{Column, Span};
use super::super::view::{Block, Doc};
use super::{Renderer, real_link};

pub struct Docx;

fn paragraph(spans: &[Span]) -> Paragraph {
    let mut p = Paragraph::new();
    for s in spans {
        let mut run = Run::new().add_text(&s.text);
        if s.italic {
            run = run.italic();
        }
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

fn cell(lines: &[Vec<Span>], width: usize) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    if lines.is_empty() {
        c = c.add_paragraph(Paragraph::new());
    }
    for l in lines {
        c = c.add_paragraph(paragraph(l));
    }
    c
}

impl Renderer for Docx {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        // A4 landscape in twentieths of a point.
        let mut d = Document::new()
            .page_size(16838, 11906)
            .page_orient(PageOrientationType::Landscape);
        // Real heading styles, so Word's navigation pane and table of
        // contents see the case's sections.
        for (level, size) in [(1, 32), (2, 26), (3, 23)] {
            d = d.add_style(
                Style::new(format!("Heading{level}"), StyleType::Paragraph)
                    .name(format!("heading {level}"))
                    .based_on("Normal")
                    .next("Normal")
                    .size(size)
                    .bold(),
            );
        }
        // Title, input, launch, hearing, follow-up: widths summing to the
        // text width (about 15 000 twips).
        let widths = [4200, 2400, 2400, 2600, 3400];
        for block in &doc.blocks {
            d = match block {
                Block::Heading(level, text) => d.add_paragraph(
                    Paragraph::new()
                        .style(&format!("Heading{}", (*level).clamp(1, 3)))
                        .add_run(Run::new().add_text(text)),
                ),
                Block::Para(spans) => d.add_paragraph(paragraph(spans)),
                Block::Bullets(items) => items.iter().fold(d, |d, item| {
                    let mut spans = vec![Span::plain("• ")];
                    spans.extend(item.iter().cloned());
                    d.add_paragraph(paragraph(&spans))
                }),
                Block::Table(table) => {
                    let head = TableRow::new(
                        Column::ALL
                            .iter()
                            .zip(widths)
                            .map(|(c, w)| {
                                TableCell::new()
                                    .width(w, WidthType::Dxa)
                                    .shading(docx_rs::Shading::new().fill("E8EEF4"))
                                    .add_paragraph(
                                        Paragraph::new()
                                            .add_run(Run::new().add_text(c.heading()).bold()),
                                    )
                            })
                            .collect(),
                    );
                    let mut rows = vec![head];
                    for row in &table.rows {
                        let cells = Column::ALL
                            .iter()
                            .zip(widths)
                            .map(|(c, w)| {
                                let mut lines = row.cells.get(c).cloned().unwrap_or_default();
                                if *c == Column::Title {
                                    for f in &row.flags {
                                        lines.push(vec![Span {
                                            text: format!("[{}]", f.label()),
                                            link: None,
                                            italic: true,
                                        }]);
                                    }
                                }
                                cell(&lines, w)
                            })
                            .collect();
                        rows.push(TableRow::new(cells));
                    }
                    d.add_table(Table::new(rows).set_grid(widths.to_vec()))
                }
            };
        }
        let mut buf = std::io::Cursor::new(Vec::new());
        d.build().pack(&mut buf)?;
        Ok(buf.into_inner())
    }
}
