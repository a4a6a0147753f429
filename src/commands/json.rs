//! The `--json` contract. Every command's JSON is an object with a
//! `schema` number and the `command` that wrote it; the shapes are the
//! types below, not the program's inner types, so the inside can change
//! without breaking a script. `schema` is raised whenever a field changes
//! meaning or goes away (adding a field does not raise it). README "JSON
//! output" documents the shapes; tests/json_contract.rs holds them to
//! golden files.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::alerts::deliver::NotifyReport;
use crate::crawl::{FailureKind, SourceReport};
use crate::job::JobReport;
use crate::model::{DocKind, EventKind, RunOutcome, Status};
use crate::store::{StoredDocument, StoredEvent};

/// The version of every command's JSON output.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    schema: u32,
    command: &'a str,
    #[serde(flatten)]
    body: &'a T,
}

/// Prints `body` as `command`'s JSON.
pub(crate) fn print<T: Serialize>(command: &str, body: &T) -> super::Result<()> {
    super::print_json(&Envelope {
        schema: SCHEMA,
        command,
        body,
    })
}

/// A stored document.
#[derive(Debug, Serialize)]
pub struct Document {
    /// `site:id`, as the commands take it.
    pub key: String,
    pub site: String,
    /// The site's own id.
    pub id: String,
    pub url: String,
    pub title: String,
    #[serde(rename = "type")]
    pub doc_type: DocKind,
    /// The type as the site words it.
    pub type_text: String,
    /// `NOU 2026: 6`, `Meld. St. 9 (2023–2024)`.
    pub identifier: Option<String>,
    /// What a hearing is about, by identifier.
    pub refers_to: Option<String>,
    pub departments: Vec<String>,
    pub summary: Option<String>,
    pub published: Option<Date>,
    pub deadline: Option<Date>,
    pub status: Status,
    pub status_text: Option<String>,
    pub topics: Vec<String>,
    pub language: Option<String>,
    /// The source (`[[source]] name`) that found it.
    pub source: String,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// When its own page was last read; `null` when the index said enough.
    pub page_read: Option<Timestamp>,
}

impl From<&StoredDocument> for Document {
    fn from(d: &StoredDocument) -> Document {
        Document {
            key: d.key.to_string(),
            site: d.key.site.clone(),
            id: d.key.id.clone(),
            url: d.url.clone(),
            title: d.title.clone(),
            doc_type: d.doc_type,
            type_text: d.doc_type_text.clone(),
            identifier: d.identifier.clone(),
            refers_to: d.refers_to.clone(),
            departments: d.departments.clone(),
            summary: d.summary.clone(),
            published: d.published,
            deadline: d.deadline,
            status: d.status,
            status_text: d.status_text.clone(),
            topics: d.topics.clone(),
            language: d.language.clone(),
            source: d.source.clone(),
            first_seen: d.first_seen,
            last_seen: d.last_seen,
            page_read: d.detail_fetched,
        }
    }
}

/// `list --json`.
#[derive(Debug, Serialize)]
pub struct List {
    pub documents: Vec<Document>,
}

/// One change seen to a document.
#[derive(Debug, Serialize)]
pub struct Event {
    pub at: Timestamp,
    pub kind: EventKind,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The change put back what an untrusted page had changed: history,
    /// never news.
    pub correction: bool,
}

impl From<&StoredEvent> for Event {
    fn from(e: &StoredEvent) -> Event {
        Event {
            at: e.at,
            kind: e.kind,
            old: e.old_value.clone(),
            new: e.new_value.clone(),
            correction: e.correction,
        }
    }
}

/// `history --json`.
#[derive(Debug, Serialize)]
pub struct History {
    pub document: Document,
    pub events: Vec<Event>,
}

/// How one source fared in a poll.
#[derive(Debug, Serialize)]
pub struct Source {
    pub name: String,
    pub ok: bool,
    pub error: Option<String>,
    /// Why it failed: `{"stage": "fetch", "kind": "http_status"}`,
    /// `{"stage": "page", "kind": "layout"}`, `{"stage": "changes_held"}`, …
    pub error_kind: Option<FailureKind>,
    /// Index pages (lists, feeds) fetched.
    pub index_pages: u32,
    /// Items they listed.
    pub items: u64,
    pub new: u64,
    pub changed: u64,
    /// Changes seen but held back (too many at once).
    pub held: u64,
    /// Documents' own pages read, failed, gone (404/410), and skipped
    /// (the index said enough).
    pub pages_read: u64,
    pub pages_failed: u64,
    pub pages_gone: u64,
    pub pages_skipped: u64,
    /// Pages that can wait, left for later runs.
    pub pages_waiting: u64,
    pub warnings: Vec<String>,
}

impl From<&SourceReport> for Source {
    fn from(s: &SourceReport) -> Source {
        Source {
            name: s.name.clone(),
            ok: s.ok,
            error: s.error.clone(),
            error_kind: s.error_kind,
            index_pages: s.pages,
            items: s.items,
            new: s.new,
            changed: s.changed,
            held: s.held,
            pages_read: s.details_read,
            pages_failed: s.details_failed,
            pages_gone: s.details_gone,
            pages_skipped: s.pages_skipped,
            pages_waiting: s.pages_waiting,
            warnings: s.warnings.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Requests {
    pub total: u64,
    pub conditional: u64,
    pub not_modified: u64,
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct Matching {
    /// Documents scored in this run.
    pub scored: usize,
    pub relevant: usize,
    pub themes_changed: bool,
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub rows_added: Vec<i64>,
    pub rows_linked: Vec<i64>,
    pub cells_updated: usize,
}

/// `poll --json`, and the first half of `run --json`.
#[derive(Debug, Serialize)]
pub struct Job {
    pub outcome: RunOutcome,
    pub sources: Vec<Source>,
    pub requests: Requests,
    /// Open hearings whose page was read again.
    pub rechecked: u64,
    /// Documents whose stored address could not be trusted, read again.
    pub repaired: u64,
    pub matching: Matching,
    pub overview: Overview,
}

impl From<&JobReport> for Job {
    fn from(j: &JobReport) -> Job {
        let p = &j.poll;
        Job {
            outcome: j.outcome(),
            sources: p.sources.iter().map(Source::from).collect(),
            requests: Requests {
                total: p.requests,
                conditional: p.conditional_requests,
                not_modified: p.not_modified,
                bytes: p.bytes,
            },
            rechecked: p.rechecked,
            repaired: p.repaired,
            matching: Matching {
                scored: j.matching.matched,
                relevant: j.matching.relevant,
                themes_changed: j.matching.themes_changed,
            },
            overview: Overview {
                rows_added: j.overview.added.clone(),
                rows_linked: j.overview.linked.clone(),
                cells_updated: j.overview.updated_cells,
            },
        }
    }
}

/// A message planned for a recipient.
#[derive(Debug, Serialize)]
pub struct Message {
    pub recipient: String,
    /// `email` or `webhook:<name>`.
    pub channel: String,
    /// The e-mail address, or the webhook's name and host (never its
    /// secret address).
    pub address: String,
    pub subject: String,
    /// The documents it is about, `site:id`.
    pub documents: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Notify {
    pub messages: Vec<Message>,
    pub sent: usize,
    /// What failed, said.
    pub failed: Vec<String>,
    /// Left alone: an earlier run died between sending and recording.
    pub uncertain: usize,
    /// Not tried: the run's time was up (sent next run).
    pub postponed: usize,
}

impl From<&NotifyReport> for Notify {
    fn from(n: &NotifyReport) -> Notify {
        Notify {
            messages: n
                .planned
                .iter()
                .map(|p| Message {
                    recipient: p.recipient.clone(),
                    channel: p.channel.clone(),
                    address: p.address.clone(),
                    subject: p.message.subject.clone(),
                    documents: p
                        .message
                        .alerts
                        .iter()
                        .filter_map(|a| a.doc_key.as_ref().map(ToString::to_string))
                        .collect(),
                })
                .collect(),
            sent: n.sent,
            failed: n.failed.clone(),
            uncertain: n.uncertain,
            postponed: n.postponed,
        }
    }
}

/// `run --json`.
#[derive(Debug, Serialize)]
pub struct Run {
    #[serde(flatten)]
    pub job: Job,
    /// `null` with `--no-notify`.
    pub notify: Option<Notify>,
    /// The files written (`[outputs]`).
    pub outputs: Vec<String>,
}

/// A source's health, for `status`.
#[derive(Debug, Serialize)]
pub struct SourceHealth {
    pub name: String,
    pub last_success: Option<String>,
    pub last_failure: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    /// Items the last successful poll listed.
    pub items_last: u64,
    /// Changes the last run held back (too many at once), if it did.
    pub held_changes: Option<u64>,
}

/// A relevant open hearing's deadline.
#[derive(Debug, Serialize)]
pub struct Deadline {
    pub deadline: Date,
    pub title: String,
    pub key: String,
}

#[derive(Debug, Serialize)]
pub struct Database {
    pub path: String,
    pub schema_version: i64,
    pub documents: u64,
    pub events: u64,
    pub size_bytes: u64,
}

/// A delivery not settled: sent with no answer (`pending`) or failed.
#[derive(Debug, Serialize)]
pub struct OpenDelivery {
    pub recipient: String,
    pub channel: String,
    pub state: crate::store::DeliveryState,
    /// For `notify --settle KEY sent|resend`.
    pub key: String,
    pub title: Option<String>,
    pub since: String,
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// `status --json`.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub sources: Vec<SourceHealth>,
    pub next_deadlines: Vec<Deadline>,
    pub database: Database,
    pub open_deliveries: Vec<OpenDelivery>,
    /// When the last `run` finished.
    pub last_run: Option<String>,
}

/// An override the secretariat set.
#[derive(Debug, Serialize)]
pub struct OverrideJson {
    pub kind: crate::store::OverrideKind,
    pub reason: Option<String>,
    pub at: String,
}

/// `explain --json`.
#[derive(Debug, Serialize)]
pub struct Explain {
    pub document: Document,
    /// Relevant after the secretariat's override, if any.
    pub relevant: bool,
    /// The matcher's judgement with today's themes: every hit that counted.
    pub verdict: crate::model::Verdict,
    #[serde(rename = "override")]
    pub overridden: Option<OverrideJson>,
}

/// A cell of the overview: what is shown, and whose text it is.
#[derive(Debug, Serialize)]
pub struct Cell {
    /// The secretariat's text when there is one, else the crawler's.
    pub shown: Option<String>,
    pub crawler: Option<String>,
    pub secretariat: Option<String>,
}

/// A row of the overview table. Cell texts are in the table's markup
/// (`[tekst](adresse)`, `*kursiv*`).
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: i64,
    pub position: i64,
    pub state: crate::store::RowState,
    /// `crawler`, `import` or `manual`.
    pub origin: String,
    /// The row's document and hearing, `site:id`.
    pub document: Option<String>,
    pub hearing: Option<String>,
    pub identifier: Option<String>,
    pub cells: std::collections::BTreeMap<crate::model::Column, Cell>,
    pub note: Option<String>,
}

/// `overview list --json`.
#[derive(Debug, Serialize)]
pub struct Rows {
    pub rows: Vec<Row>,
}

impl Rows {
    pub fn of(
        rows: Vec<crate::store::OverviewRow>,
        store: &crate::store::Store,
    ) -> anyhow::Result<Rows> {
        let key = |id: Option<crate::model::DocId>| -> anyhow::Result<Option<String>> {
            Ok(match id {
                Some(id) => store.document(id)?.map(|d| d.key.to_string()),
                None => None,
            })
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(Row {
                id: r.id,
                position: r.position,
                state: r.state,
                origin: r.origin,
                document: key(r.doc_id)?,
                hearing: key(r.hearing_doc_id)?,
                identifier: r.identifier,
                cells: r
                    .cells
                    .into_iter()
                    .map(|(c, t)| {
                        (
                            c,
                            Cell {
                                shown: t.shown().map(str::to_string),
                                crawler: t.auto,
                                secretariat: t.manual,
                            },
                        )
                    })
                    .collect(),
                note: r.note,
            });
        }
        Ok(Rows { rows: out })
    }
}
