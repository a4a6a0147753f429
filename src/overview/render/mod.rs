//! Renderers: one [`Doc`], four formats behind one trait.

mod csv;
pub mod docx;
mod html;
mod markdown;
mod xlsx;

use super::view::Doc;

/// Renders a document to bytes.
pub trait Renderer {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>>;
}

pub use crate::config::Format;
pub use html::{body_html, spans_html};

impl Format {
    pub fn renderer(self) -> Box<dyn Renderer> {
        match self {
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Html => Box::new(html::Html),
            Format::Csv => Box::new(csv::Csv),
            Format::Docx => Box::new(docx::Docx),
            Format::Xlsx => Box::new(xlsx::Xlsx),
        }
    }
}

/// A link worth following and safe to write: an http(s) address. The
/// imported tables have `#` where the link was lost (rendered as plain
/// text, never a dead link), and a page may have put `javascript:` in one.
pub(crate) fn real_link(link: Option<&str>) -> Option<&str> {
    link.and_then(crate::escape::http_url)
}
