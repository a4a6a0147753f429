//! A standalone HTML page: escaped, printable, and readable on a phone
//! (the table turns into one card per row on a narrow screen).

use super::super::model::{Column, Span};
use super::super::view::{Block, Doc, Flag};
use super::{Renderer, real_link};
use crate::escape::html as esc;

pub struct Html;

const STYLE: &str = "
body{font-family:Calibri,Arial,sans-serif;margin:2rem;color:#1b1b1b;line-height:1.35;max-width:75rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.25rem;margin-top:1.25rem}h3{font-size:1.1rem;margin-top:1.25rem}
h4{font-size:1rem;margin-top:1rem}h5{font-size:.95rem;margin:.75rem 0 .25rem}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0 1rem}dl.fields dt{font-weight:bold}dl.fields dd{margin:0}
.new-page{break-before:page}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #999;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#e8eef4}
.flag{display:inline-block;margin:.1rem 0;padding:0 .35rem;border-radius:.25rem;font-size:.8rem;font-weight:bold}
.flag-new{background:#d8f0d8}.flag-urgent{background:#ffc9a3}.flag-soon{background:#ffe3a3}.flag-passed{background:#f3c6c6}.flag-edited{background:#e0e0f0}
@media print{body{margin:0}a{color:inherit;text-decoration:none}tr{page-break-inside:avoid}}
@media (max-width:700px){body{margin:.75rem}table,thead,tbody,tr,th,td{display:block}thead{display:none}
tr{border:1px solid #999;margin-bottom:.75rem}td{border:none;border-top:1px solid #ddd}
td::before{content:attr(data-label);display:block;font-weight:bold;font-size:.8rem;color:#555}td:empty{display:none}}
";

/// Spans as HTML: escaped, italics, links only when http(s).
pub fn spans_html(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            let mut t = esc(&s.text);
            if s.italic {
                t = format!("<i>{t}</i>");
            }
            match real_link(s.link.as_deref()) {
                Some(l) => format!("<a href=\"{}\">{t}</a>", esc(l)),
                None => t,
            }
        })
        .collect()
}

fn flag_class(f: &Flag) -> String {
    format!("flag-{}", f.kind())
}

impl Renderer for Html {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            esc(&doc.title)
        );
        out.push_str(&body_html(doc));
        out.push_str("</body>\n</html>\n");
        Ok(out.into_bytes())
    }
}

/// The document's blocks as HTML, without a page around them (for the
/// web page's preview, whose style sheet is its own).
pub fn body_html(doc: &Doc) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                let l = (*level).clamp(1, 6);
                out.push_str(&format!("<h{l}>{}</h{l}>\n", esc(text)));
            }
            Block::Fields(fields) => {
                out.push_str("<dl class=\"fields\">\n");
                for (k, v) in fields {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
                }
                out.push_str("</dl>\n");
            }
            Block::Section(_) => out.push_str("<div class=\"new-page\"></div>\n"),
            Block::Para(spans) => out.push_str(&format!("<p>{}</p>\n", spans_html(spans))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", spans_html(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(table) => {
                out.push_str("<table>\n<thead><tr>");
                for c in Column::ALL {
                    out.push_str(&format!(
                        "<th scope=\"col\">{}</th>",
                        esc(table.headings.get(c))
                    ));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &table.rows {
                    out.push_str("<tr>");
                    for c in Column::ALL {
                        let mut cell = row
                            .cells
                            .get(&c)
                            .map(|lines| {
                                lines
                                    .iter()
                                    .map(|l| spans_html(l))
                                    .collect::<Vec<_>>()
                                    .join("<br>")
                            })
                            .unwrap_or_default();
                        if c == Column::Title {
                            for f in &row.flags {
                                cell.push_str(&format!(
                                    "<br><span class=\"flag {}\">{}</span>",
                                    flag_class(f),
                                    esc(&f.label())
                                ));
                            }
                        }
                        out.push_str(&format!(
                            "<td data-label=\"{}\">{cell}</td>",
                            esc(table.headings.get(c))
                        ));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out
}
