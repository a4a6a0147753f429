//! Markdown: a pipe table, links kept, line breaks as `<br>`.

use super::super::model::{Column, Span};
use super::super::view::{Block, Doc};
use super::Renderer;

pub struct Markdown;

/// Escapes text for a Markdown table cell: no character of it can start
/// markup, HTML or a column break.
fn cell_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '[' | ']' | '*' | '_' | '`' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link destination with the characters that would end it encoded.
fn url_escape(u: &str) -> String {
    u.replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('|', "%7C")
}

fn spans_md(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            let text = cell_escape(&s.text);
            let text = if s.italic { format!("*{text}*") } else { text };
            match super::real_link(s.link.as_deref()) {
                Some(l) => format!("[{text}]({})", url_escape(l)),
                None => text,
            }
        })
        .collect()
}

impl Renderer for Markdown {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        let mut out = String::new();
        for block in &doc.blocks {
            match block {
                Block::Heading(level, text) => {
                    out.push_str(&format!(
                        "{} {}\n\n",
                        "#".repeat((*level).clamp(1, 6) as usize),
                        cell_escape(text)
                    ));
                }
                Block::Fields(fields) => {
                    for (k, v) in fields {
                        out.push_str(&format!("**{}:** {}  \n", cell_escape(k), cell_escape(v)));
                    }
                    out.push('\n');
                }
                Block::Section(_) => out.push_str("---\n\n"),
                Block::Para(spans) => out.push_str(&format!("{}\n\n", spans_md(spans))),
                Block::Bullets(items) => {
                    for item in items {
                        out.push_str(&format!("- {}\n", spans_md(item)));
                    }
                    out.push('\n');
                }
                Block::Table(table) => {
                    let heads: Vec<String> = Column::ALL
                        .iter()
                        .map(|c| cell_escape(table.headings.get(*c)))
                        .collect();
                    out.push_str(&format!("| {} | Merknad |\n", heads.join(" | ")));
                    out.push_str(&format!("|{}\n", "---|".repeat(heads.len() + 1)));
                    for row in &table.rows {
                        let cells: Vec<String> = Column::ALL
                            .iter()
                            .map(|c| {
                                row.cells
                                    .get(c)
                                    .map(|lines| {
                                        lines
                                            .iter()
                                            .map(|l| spans_md(l))
                                            .collect::<Vec<_>>()
                                            .join("<br>")
                                    })
                                    .unwrap_or_default()
                            })
                            .collect();
                        let flags: Vec<String> = row
                            .flags
                            .iter()
                            .map(|f| format!("**{}**", f.label()))
                            .collect();
                        out.push_str(&format!(
                            "| {} | {} |\n",
                            cells.join(" | "),
                            flags.join("<br>")
                        ));
                    }
                    out.push('\n');
                }
            }
        }
        Ok(out.into_bytes())
    }
}
