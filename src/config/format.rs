//! The formats the council's papers come in.

use std::str::FromStr;

/// An output format of the papers (`[outputs] formats`, `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Docx,
    Xlsx,
}

impl Format {
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
