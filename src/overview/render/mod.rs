//! Renderers: one [`Doc`], four formats behind one trait.

mod csv;
pub mod docx;
mod html;
mod markdown;
mod xlsx;

use std::str::FromStr;

use super::view::Doc;

/// Renders a document to bytes.
pub trait Renderer {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Docx,
    Xlsx,
}

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

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "docx" | "word" => Ok(Format::Docx),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            other => Err(format!(
                "ukjent format «{other}» (md, html, csv, docx, xlsx)"
            )),
        }
    }
}

/// A link worth following and safe to write: an http(s) address. The
/// imported tables have `#` where the link was lost (rendered as plain
/// text, never a dead link), and a page may have put `javascript:` in one.
pub(crate) fn real_link(link: Option<&str>) -> Option<&str> {
    link.and_then(crate::escape::http_url)
}
