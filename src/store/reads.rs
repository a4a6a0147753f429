//! Reading documents and their events back.

use rusqlite::{OptionalExtension, Row};
use serde::Serialize;

use super::Store;
use crate::model::DocId;

/// A document as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    pub id: DocId,
    pub url: String,
    pub title: String,
    pub doc_type: String,
    pub doc_type_text: String,
    pub identifier: Option<String>,
    pub refers_to: Option<String>,
    pub departments: Vec<String>,
    pub summary: Option<String>,
    pub published: Option<String>,
    pub deadline: Option<String>,
    pub status: String,
    pub status_text: Option<String>,
    pub topics: Vec<String>,
    pub language: Option<String>,
    pub source: String,
    pub first_seen: String,
    pub last_seen: String,
    pub detail_fetched: Option<String>,
}

const DOC_COLUMNS: &str =
    "id, url, title, doc_type, doc_type_text, identifier, refers_to, departments,
    summary, published, deadline, status, status_text, topics, language, source, first_seen,
    last_seen, detail_fetched";

fn doc_from_row(r: &Row<'_>) -> rusqlite::Result<StoredDocument> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        Ok(serde_json::from_str(&r.get::<_, String>(i)?).unwrap_or_default())
    };
    Ok(StoredDocument {
        id: DocId(r.get::<_, i64>(0)? as u64),
        url: r.get(1)?,
        title: r.get(2)?,
        doc_type: r.get(3)?,
        doc_type_text: r.get(4)?,
        identifier: r.get(5)?,
        refers_to: r.get(6)?,
        departments: list(7)?,
        summary: r.get(8)?,
        published: r.get(9)?,
        deadline: r.get(10)?,
        status: r.get(11)?,
        status_text: r.get(12)?,
        topics: list(13)?,
        language: r.get(14)?,
        source: r.get(15)?,
        first_seen: r.get(16)?,
        last_seen: r.get(17)?,
        detail_fetched: r.get(18)?,
    })
}

/// One stored change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub id: i64,
    pub doc_id: DocId,
    pub at: String,
    pub kind: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The change put back a value that a page nobody should have trusted
    /// had put there (see `repair`): history, never news.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
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
                at: r.get(2)?,
                kind: r.get(3)?,
                old_value: r.get(4)?,
                new_value: r.get(5)?,
                correction: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
