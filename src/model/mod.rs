//! The shared nouns: what a page says about a document, and what changed.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::norsk::{Identifier, clean_text, fold_label};

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

/// A regjeringen.no document id: the `N` in `/id<N>/`. Stable across
/// bokmål/nynorsk slugs and title edits, so it is the store's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub u64);

impl DocId {
    /// The id in a regjeringen.no URL or path (`…/id3167072/`, `/id3167072`).
    /// The last `/id<digits>` segment wins, so a ministry link in the path
    /// does not confuse it.
    pub fn from_url(url: &str) -> Option<DocId> {
        let path = url.split(['?', '#']).next().unwrap_or("");
        path.split('/')
            .filter_map(|seg| seg.strip_prefix("id"))
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|digits| digits.parse().ok())
            .next_back()
            .map(DocId)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The kind of document, normalised from the site's type text (`Høring`,
/// `Høyring`, `NOU`, `Melding til Stortinget`, …) or `DC.Type`.
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
    pub fn from_site_text(text: &str) -> DocKind {
        let t = fold_label(text);
        let t = t.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if t.starts_with("horing") || t == "kort horing" {
            DocKind::Horing
        } else if t.starts_with("nou")
            || t.contains("offentlig utgreiing")
            || t.contains("offentlige utredning")
        {
            DocKind::Nou
        } else if t.starts_with("meld")
            || t.contains("melding til stortinget")
            || t.contains("stortingsmelding")
        {
            DocKind::MeldSt
        } else if t.starts_with("prop") {
            DocKind::Prop
        } else if t.contains("strategi") {
            DocKind::Strategi
        } else if t.contains("plan") {
            DocKind::Plan
        } else if t.starts_with("rapport") {
            DocKind::Rapport
        } else {
            DocKind::Annet
        }
    }

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

/// A hearing's status, normalised. The site's own words are always kept
/// beside it (`status_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
    #[default]
    Unknown,
}

impl Status {
    /// `På høring`/`På høyring` → open; `Ferdigbehandlet`, `Avsluttet`,
    /// `Under behandling` (the deadline has passed) → closed; anything else
    /// → unknown.
    pub fn from_site_text(text: &str) -> Status {
        let t = fold_label(text);
        let t = t.strip_prefix("status:").unwrap_or(&t).trim();
        if t.starts_with("pa horing") || t == "open" || t == "apen" {
            Status::Open
        } else if [
            "ferdigbehandl",
            "avslutt",
            "under behandling",
            "ferdig handsama",
            "ferdighandsama",
            "under handsaming",
            "avslutta",
            "utgatt",
            "stengt",
        ]
        .iter()
        .any(|w| t.contains(w))
        {
            Status::Closed
        } else {
            Status::Unknown
        }
    }

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
    pub id: DocId,
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
    /// Builds the record, deriving status and identifiers from the texts.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: DocId,
        url: String,
        title: String,
        published: Option<Date>,
        doc_type: DocKind,
        doc_type_text: String,
        departments: Vec<String>,
        summary: Option<String>,
        deadline: Option<Date>,
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
            id,
            url,
            published,
            doc_type,
            doc_type_text,
            departments,
            summary,
            deadline,
            status: status_text
                .as_deref()
                .map(Status::from_site_text)
                .unwrap_or_default(),
            status_text,
            identifier,
            refers_to,
            title,
        }
    }
}

/// One item of a regjeringen.no list page.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_id_from_urls() {
        assert_eq!(
            DocId::from_url("/no/dokumenter/kort-horing-avskogingsforordningen/id3167072/"),
            Some(DocId(3167072))
        );
        assert_eq!(
            DocId::from_url("https://www.regjeringen.no/id3167072/#webpage"),
            Some(DocId(3167072))
        );
        assert_eq!(
            DocId::from_url("https://x/no/dep/kld/id668/?page=2"),
            Some(DocId(668))
        );
        assert_eq!(DocId::from_url("/no/dokumenter/identitet/"), None);
    }

    #[test]
    fn kinds_from_site_text() {
        assert_eq!(DocKind::from_site_text("H\u{f8}yring\n|"), DocKind::Horing);
        assert_eq!(DocKind::from_site_text("Høring"), DocKind::Horing);
        assert_eq!(DocKind::from_site_text("Horing"), DocKind::Horing);
        assert_eq!(DocKind::from_site_text("NOU"), DocKind::Nou);
        assert_eq!(
            DocKind::from_site_text("Melding til Stortinget"),
            DocKind::MeldSt
        );
        assert_eq!(DocKind::from_site_text("Meld. St."), DocKind::MeldSt);
        assert_eq!(DocKind::from_site_text("Strategi"), DocKind::Strategi);
        assert_eq!(DocKind::from_site_text("Handlingsplan"), DocKind::Plan);
        assert_eq!(DocKind::from_site_text("Nyhet"), DocKind::Annet);
    }

    #[test]
    fn statuses_keep_meaning_across_written_standards() {
        assert_eq!(Status::from_site_text("Status: På høring"), Status::Open);
        assert_eq!(Status::from_site_text("På høyring"), Status::Open);
        assert_eq!(Status::from_site_text("Ferdigbehandlet"), Status::Closed);
        assert_eq!(Status::from_site_text("Under behandling"), Status::Closed);
        assert_eq!(Status::from_site_text("Noe helt annet"), Status::Unknown);
    }
}
