//! Reading documents and their events back.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::Store;
use crate::model::{DocId, DocKey, DocKind, EventKind, Status};

/// A document as stored, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    /// The store's own number.
    pub id: DocId,
    /// What its site calls it.
    pub key: DocKey,
    pub url: String,
    pub title: String,
    pub doc_type: DocKind,
    pub doc_type_text: String,
    pub identifier: Option<String>,
    pub refers_to: Option<String>,
    pub departments: Vec<String>,
    pub summary: Option<String>,
    pub published: Option<Date>,
    pub deadline: Option<Date>,
    pub status: Status,
    pub status_text: Option<String>,
    pub topics: Vec<String>,
    pub language: Option<String>,
    pub source: String,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub detail_fetched: Option<Timestamp>,
}

impl StoredDocument {
    /// Open for input: open by its status, or, when the site does not say,
    /// a hearing whose deadline has not passed.
    pub fn is_open(&self, today: Date) -> bool {
        self.status == Status::Open
            || (self.status == Status::Unknown
                && self.doc_type == DocKind::Horing
                && self.deadline.is_some_and(|d| d >= today))
    }
}

pub(super) const DOC_COLUMNS: &str =
    "id, url, title, doc_type, doc_type_text, identifier, refers_to, departments,
    summary, published, deadline, status, status_text, topics, language, source, first_seen,
    last_seen, detail_fetched, site, site_id";

/// A stored timestamp; one that does not read (a hand edit of the file)
/// reads as the epoch rather than stopping every command.
pub(super) fn ts(text: Option<String>) -> Option<Timestamp> {
    let text = text?;
    match text.parse() {
        Ok(t) => Some(t),
        Err(_) => {
            tracing::warn!(value = %text, "ugyldig tidspunkt i databasen");
            Some(Timestamp::UNIX_EPOCH)
        }
    }
}

/// A stored date (`2026-08-07`); one that does not read is no date.
pub(super) fn date(text: Option<String>) -> Option<Date> {
    text.and_then(|t| t.get(..10).and_then(|d| d.parse().ok()))
}

pub(super) fn doc_from_row(r: &Row<'_>) -> rusqlite::Result<StoredDocument> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        Ok(serde_json::from_str(&r.get::<_, String>(i)?).unwrap_or_default())
    };
    Ok(StoredDocument {
        id: DocId(r.get::<_, i64>(0)? as u64),
        url: r.get(1)?,
        title: r.get(2)?,
        doc_type: DocKind::parse(&r.get::<_, String>(3)?).unwrap_or(DocKind::Annet),
        doc_type_text: r.get(4)?,
        identifier: r.get(5)?,
        refers_to: r.get(6)?,
        departments: list(7)?,
        summary: r.get(8)?,
        published: date(r.get(9)?),
        deadline: date(r.get(10)?),
        status: Status::parse(&r.get::<_, String>(11)?),
        status_text: r.get(12)?,
        topics: list(13)?,
        language: r.get(14)?,
        source: r.get(15)?,
        first_seen: ts(r.get(16)?).unwrap_or(Timestamp::UNIX_EPOCH),
        last_seen: ts(r.get(17)?).unwrap_or(Timestamp::UNIX_EPOCH),
        detail_fetched: ts(r.get(18)?),
        key: DocKey::new(&r.get::<_, String>(19)?, r.get::<_, String>(20)?),
    })
}

/// One stored change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub id: i64,
    pub doc_id: DocId,
    pub at: Timestamp,
    pub kind: EventKind,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The change put back a value that a page nobody should have trusted
    /// had put there (see `repair`): history, never news.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

/// Why a reference names no single document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotOneDocument {
    #[error("dokument {0} finnes ikke i databasen")]
    Missing(String),
    #[error("{reference} finnes på flere nettsteder; skriv ett av {}", keys.join(", "))]
    Ambiguous {
        reference: String,
        keys: Vec<String>,
    },
}

impl Store {
    pub fn knows(&self, id: DocId) -> anyhow::Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM documents WHERE id = ?1",
                [id.0 as i64],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// A document by what its site calls it.
    pub fn document_by_key(&self, key: &DocKey) -> anyhow::Result<Option<StoredDocument>> {
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE site = ?1 AND site_id = ?2");
        Ok(self
            .conn
            .query_row(&sql, params![key.site, key.id], doc_from_row)
            .optional()?)
    }

    /// The one document a reference names (`3167072`, or
    /// `stortinget:104523` when a number is on more than one site), or why
    /// there is none.
    pub fn document_named(
        &self,
        reference: &str,
    ) -> anyhow::Result<Result<StoredDocument, NotOneDocument>> {
        let mut found = self.documents_named(reference)?;
        Ok(match found.len() {
            0 => Err(NotOneDocument::Missing(reference.trim().to_string())),
            1 => Ok(found.remove(0)),
            _ => Err(NotOneDocument::Ambiguous {
                reference: reference.trim().to_string(),
                keys: found.iter().map(|d| d.key.to_string()).collect(),
            }),
        })
    }

    /// The documents a reference names: `site:id`, or a bare id (which
    /// may name a document on more than one site).
    fn documents_named(&self, reference: &str) -> anyhow::Result<Vec<StoredDocument>> {
        let reference = reference.trim();
        if let Some((site, id)) = reference.split_once(':') {
            return Ok(self
                .document_by_key(&DocKey::new(site, id))?
                .into_iter()
                .collect());
        }
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE site_id = ?1 ORDER BY site");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([reference], doc_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The document that carries an identifier as its own (`NOU 2026: 6`,
    /// `Meld. St. 7 (2026–2027)`), the first found if several do.
    pub fn document_with_identifier(
        &self,
        identifier: &str,
    ) -> anyhow::Result<Option<StoredDocument>> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE identifier = ?1 ORDER BY id LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, [identifier], doc_from_row)
            .optional()?)
    }

    pub fn document(&self, id: DocId) -> anyhow::Result<Option<StoredDocument>> {
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1");
        Ok(self
            .conn
            .query_row(&sql, [id.0 as i64], doc_from_row)
            .optional()?)
    }

    /// All documents, newest first; with `open_only`, the open hearings by
    /// deadline.
    pub fn documents(&self, open_only: bool) -> anyhow::Result<Vec<StoredDocument>> {
        if open_only {
            self.documents_where("status = 'open'", "deadline, id")
        } else {
            self.documents_where("1", "published DESC, id DESC")
        }
    }

    pub(super) fn documents_where(
        &self,
        cond: &str,
        order: &str,
    ) -> anyhow::Result<Vec<StoredDocument>> {
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE {cond} ORDER BY {order}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], doc_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn document_count(&self) -> anyhow::Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// A document's events, oldest first.
    pub fn history(&self, id: DocId) -> anyhow::Result<Vec<StoredEvent>> {
        self.events_where("doc_id = ?1", [id.0 as i64])
    }

    /// The id of the newest event (0 when there is none).
    pub fn last_event_id(&self) -> anyhow::Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?)
    }

    /// Every event with an id above `after`, oldest first.
    pub fn events_since(&self, after: i64) -> anyhow::Result<Vec<StoredEvent>> {
        self.events_where("id > ?1", [after])
    }

    pub(super) fn events_where(
        &self,
        cond: &str,
        arg: impl rusqlite::Params,
    ) -> anyhow::Result<Vec<StoredEvent>> {
        let sql = format!(
            "SELECT id, doc_id, at, kind, old_value, new_value, correction FROM events WHERE {cond} ORDER BY id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(arg, |r| {
            Ok(StoredEvent {
                id: r.get(0)?,
                doc_id: DocId(r.get::<_, i64>(1)? as u64),
                at: ts(r.get(2)?).unwrap_or(Timestamp::UNIX_EPOCH),
                kind: EventKind::parse(&r.get::<_, String>(3)?).unwrap_or(EventKind::New),
                old_value: r.get(4)?,
                new_value: r.get(5)?,
                correction: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
