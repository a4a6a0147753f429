//! Match results, the secretariat's overrides, and the key-value `meta`
//! table.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, fmt_ts};
use crate::model::DocId;
use crate::model::Verdict;

/// The secretariat's word on a document, which wins over the matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    Pin,
    Dismiss,
}

impl OverrideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::Pin => "pin",
            OverrideKind::Dismiss => "dismiss",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub kind: OverrideKind,
    pub reason: Option<String>,
    pub at: String,
}

/// What the store knows of a document's relevance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relevance {
    /// The matcher's verdict, if it has run on this document.
    pub verdict: Option<Verdict>,
    pub themes_version: Option<String>,
    pub overridden: Option<Override>,
}

impl Relevance {
    /// (id, name) of the themes the matcher found, best first.
    pub fn matched_themes(&self) -> Vec<(String, String)> {
        self.verdict
            .as_ref()
            .map(|v| {
                v.matched()
                    .map(|t| (t.id.clone(), t.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The final word: an override if there is one, else the matcher's.
    pub fn relevant(&self) -> bool {
        match &self.overridden {
            Some(o) => o.kind == OverrideKind::Pin,
            None => self.verdict.as_ref().is_some_and(|v| v.relevant),
        }
    }
}

/// The themes a verdict matched, as `,H2,A4,` (empty when none).
fn matched_ids(v: &Verdict) -> String {
    let ids: Vec<&str> = v.matched().map(|t| t.id.as_str()).collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!(",{},", ids.join(","))
    }
}

/// A document the council follows: pinned, or matched and not dismissed
/// (an SQL condition on `documents`).
pub(super) const RELEVANT: &str = "id IN (SELECT doc_id FROM overrides WHERE verdict = 'pin')
    OR (id IN (SELECT doc_id FROM matches WHERE relevant = 1)
        AND id NOT IN (SELECT doc_id FROM overrides WHERE verdict = 'dismiss'))";

impl Store {
    pub fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            params![key, value],
        )?;
        Ok(())
    }

    /// Marks every document for matching again (themes changed).
    pub fn mark_all_stale(&self) -> anyhow::Result<usize> {
        Ok(self
            .conn
            .execute("UPDATE documents SET match_stale = 1", [])?)
    }

    /// Documents whose match is missing or out of date: (id, title,
    /// summary, departments, topics).
    pub fn stale_for_matching(&self) -> anyhow::Result<Vec<super::StoredDocument>> {
        self.documents_where("match_stale = 1", "id")
    }

    /// Stores verdicts for many documents in one transaction and marks
    /// them current.
    pub fn save_matches(
        &mut self,
        verdicts: &[(DocId, Verdict)],
        themes_version: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        {
            let mut upsert = tx.prepare(
                "INSERT INTO matches (doc_id, relevant, score, verdict, themes_version, matched_at, themes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(doc_id) DO UPDATE SET relevant = ?2, score = ?3, verdict = ?4,
                    themes_version = ?5, matched_at = ?6, themes = ?7",
            )?;
            let mut current = tx.prepare("UPDATE documents SET match_stale = 0 WHERE id = ?1")?;
            for (id, v) in verdicts {
                upsert.execute(params![
                    id.0 as i64,
                    v.relevant,
                    v.score,
                    serde_json::to_string(v)?,
                    themes_version,
                    now,
                    matched_ids(v)
                ])?;
                current.execute([id.0 as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn set_override(
        &self,
        id: DocId,
        kind: OverrideKind,
        reason: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO overrides (doc_id, verdict, reason, at, account) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(doc_id) DO UPDATE SET verdict = ?2, reason = ?3, at = ?4, account = ?5",
            params![id.0 as i64, kind.as_str(), reason, fmt_ts(now), self.account],
        )?;
        Ok(())
    }

    /// Removes an override; returns whether there was one.
    pub fn clear_override(&self, id: DocId) -> anyhow::Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM overrides WHERE doc_id = ?1", [id.0 as i64])?
            == 1)
    }

    pub fn relevance(&self, id: DocId) -> anyhow::Result<Relevance> {
        let stored: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT verdict, themes_version FROM matches WHERE doc_id = ?1",
                [id.0 as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let overridden = self
            .conn
            .query_row(
                "SELECT verdict, reason, at FROM overrides WHERE doc_id = ?1",
                [id.0 as i64],
                |r| {
                    let kind: String = r.get(0)?;
                    Ok(Override {
                        kind: if kind == "pin" {
                            OverrideKind::Pin
                        } else {
                            OverrideKind::Dismiss
                        },
                        reason: r.get(1)?,
                        at: r.get(2)?,
                    })
                },
            )
            .optional()?;
        let (verdict, themes_version) = match stored {
            Some((json, version)) => (serde_json::from_str(&json).ok(), Some(version)),
            None => (None, None),
        };
        Ok(Relevance {
            verdict,
            themes_version,
            overridden,
        })
    }

    /// Documents that are relevant in the end (pinned, or matched and not
    /// dismissed), newest first.
    pub fn relevant_documents(&self) -> anyhow::Result<Vec<super::StoredDocument>> {
        self.documents_where(RELEVANT, "published DESC, id DESC")
    }
}
