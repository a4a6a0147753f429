//! The shared nouns: what a page says about a document, and what changed.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::norsk::{Identifier, clean_text};

pub mod table;
pub mod verdict;

pub use table::Column;
pub use verdict::Verdict;

/// The longest title kept (real titles are under 300 characters).
pub const MAX_TITLE: usize = 1000;
/// The longest summary kept.
pub const MAX_SUMMARY: usize = 5000;
/// The longest short field kept (a department, a status, a topic).
pub const MAX_FIELD: usize = 300;
/// At most this many entries of a list field (departments, topics,
/// consultees, attachments) are kept.
pub const MAX_ENTRIES: usize = 500;

/// A list field from a page, each entry cleaned, the list capped.
pub fn clean_list(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|t| clean_text(&t, MAX_FIELD))
        .filter(|t| !t.is_empty())
        .take(MAX_ENTRIES)
        .collect()
}

/// The store's own number for a document (the table's rows, the alerts'
/// keys and the calendar's UIDs refer to it). It is the site's own number
/// for the document when that is free, so it reads like the site's; what
/// identifies a document is its [`DocKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub u64);

/// What a site calls a document: the site (`regjeringen`, `stortinget`)
/// and the site's own id for it. Documents are keyed by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocKey {
    pub site: String,
    pub id: String,
}

impl DocKey {
    pub fn new(site: &str, id: impl Into<String>) -> DocKey {
        DocKey {
            site: site.to_string(),
            id: id.into(),
        }
    }

    /// The site's id as a number, when it is one.
    pub fn number(&self) -> Option<u64> {
        self.id.parse().ok()
    }
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.site, self.id)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The kind of document, normalised from the site's own words (each site
/// reads its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Horing,
    Nou,
    MeldSt,
    Prop,
    Strategi,
    Plan,
    Rapport,
    Annet,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Horing => "horing",
            DocKind::Nou => "nou",
            DocKind::MeldSt => "meld_st",
            DocKind::Prop => "prop",
            DocKind::Strategi => "strategi",
            DocKind::Plan => "plan",
            DocKind::Rapport => "rapport",
            DocKind::Annet => "annet",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        [
            DocKind::Horing,
            DocKind::Nou,
            DocKind::MeldSt,
            DocKind::Prop,
            DocKind::Strategi,
            DocKind::Plan,
            DocKind::Rapport,
            DocKind::Annet,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A hearing's status, normalised by the site that read it. The site's own
/// words are always kept beside it (`status_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
    #[default]
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "open" => Status::Open,
            "closed" => Status::Closed,
            _ => Status::Unknown,
        }
    }
}

/// What a list item and a document page both tell about a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocInfo {
    #[serde(flatten)]
    pub key: DocKey,
    pub url: String,
    pub title: String,
    pub published: Option<Date>,
    pub doc_type: DocKind,
    pub doc_type_text: String,
    pub departments: Vec<String>,
    pub summary: Option<String>,
    pub deadline: Option<Date>,
    pub status: Status,
    pub status_text: Option<String>,
    /// The document's own identifier when its title starts with one (a NOU).
    pub identifier: Option<Identifier>,
    /// The identifier a title refers to without leading with it ("Høring -
    /// NOU 2026: 8 …" is a hearing about NOU 2026: 8).
    pub refers_to: Option<Identifier>,
}

impl DocInfo {
    /// Builds the record, cleaning its texts and reading the identifiers in
    /// its title.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        key: DocKey,
        url: String,
        title: String,
        published: Option<Date>,
        doc_type: DocKind,
        doc_type_text: String,
        departments: Vec<String>,
        summary: Option<String>,
        deadline: Option<Date>,
        status: Status,
        status_text: Option<String>,
    ) -> DocInfo {
        // Everything a page says is cleaned and capped here, once: control
        // characters out, lengths bounded.
        let title = clean_text(&title, MAX_TITLE);
        let summary = summary
            .map(|s| clean_text(&s, MAX_SUMMARY))
            .filter(|s| !s.is_empty());
        let doc_type_text = clean_text(&doc_type_text, MAX_FIELD);
        let departments = clean_list(departments);
        let status_text = status_text
            .map(|s| clean_text(&s, MAX_FIELD))
            .filter(|s| !s.is_empty());
        let identifier = Identifier::leading(&title);
        let refers_to = if identifier.is_some() {
            None
        } else {
            Identifier::find(&title)
        };
        DocInfo {
            key,
            url,
            published,
            doc_type,
            doc_type_text,
            departments,
            summary,
            deadline,
            status,
            status_text,
            identifier,
            refers_to,
            title,
        }
    }
}

/// One item of a site's list.
pub type ListItem = DocInfo;

/// A whole list page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    /// "Viser 1-20 av 6960 treff" → 6960.
    pub total: Option<u64>,
    /// The absolute URL of the next page, if there is one.
    pub next: Option<String>,
    pub items: Vec<ListItem>,
    /// Values the parser could not read (an unknown date), each named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A file linked from a document (høringsbrev, høringsnotat, PDFs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    pub url: String,
    /// The fact box it sits in (`horingsbrev`, `horingsnotater`, …) or
    /// `body`.
    pub role: String,
}

/// A document page, as far as the parser could read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPage {
    #[serde(flatten)]
    pub info: DocInfo,
    /// `ownerid`: the responsible ministry's numeric id.
    pub owner_id: Option<u64>,
    /// `DC.Subject` and the sidebar's topic list (regjeringen.no's "Tema").
    pub topics: Vec<String>,
    /// `nb`, `nn`, … from `DC.Language` or `<html lang>`.
    pub language: Option<String>,
    /// The `last-modified` meta tag, verbatim.
    pub last_modified: Option<String>,
    /// "Vår ref.: 26/2371" → `26/2371`.
    pub reference: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Høringsinstanser.
    pub consultees: Vec<String>,
    /// The svar.regjeringen.no link for submitting a response.
    pub response_url: Option<String>,
    /// Values the parser could not read (an unknown date), each named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// How a run (of `run`, `poll` or the demo) ended: one vocabulary for the
/// runs table, `status` and the JSON reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// Everything ran.
    Ok,
    /// It ran, but some sources or deliveries failed (exit 4).
    Partial,
    /// It stopped on an error.
    Failed,
}

impl RunOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Ok => "ok",
            RunOutcome::Partial => "partial",
            RunOutcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<RunOutcome> {
        [RunOutcome::Ok, RunOutcome::Partial, RunOutcome::Failed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// What changed on a stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// First seen.
    New,
    DeadlineChanged,
    StatusChanged,
    TitleChanged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::New => "new",
            EventKind::DeadlineChanged => "deadline_changed",
            EventKind::StatusChanged => "status_changed",
            EventKind::TitleChanged => "title_changed",
        }
    }

    /// The change in words, as `history` and the web page say it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::New => "ny",
            EventKind::DeadlineChanged => "høringsfrist endret",
            EventKind::StatusChanged => "status endret",
            EventKind::TitleChanged => "tittel endret",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        [
            EventKind::New,
            EventKind::DeadlineChanged,
            EventKind::StatusChanged,
            EventKind::TitleChanged,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}
