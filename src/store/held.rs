//! What the change circuit breaker held back, kept for the secretariat to
//! see beside what is stored, and its word on it: accept (the next run
//! stores the changes of that source) or reject (they stay held).

use jiff::Timestamp;
use rusqlite::params;

use super::{Store, fmt_ts};

/// One field of one document the breaker held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldChange {
    pub doc_key: String,
    pub title: String,
    /// Norwegian: `tittel`, `frist`, `status`, `departement`, …
    pub field: String,
    pub stored: Option<String>,
    pub new: Option<String>,
}

fn accept_key(source: &str) -> String {
    format!("accept_changes:{source}")
}

impl Store {
    /// Replaces what is kept as held for `source` (empty: nothing held).
    pub fn set_held_changes(
        &mut self,
        source: &str,
        changes: &[HeldChange],
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let tx = super::write_tx(&mut self.conn)?;
        tx.execute("DELETE FROM held_changes WHERE source = ?1", [source])?;
        for c in changes {
            tx.execute(
                "INSERT INTO held_changes (source, doc_key, title, field, stored, new, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    source,
                    c.doc_key,
                    c.title,
                    c.field,
                    c.stored,
                    c.new,
                    fmt_ts(now)
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What is held, by source.
    pub fn held_changes(&self) -> anyhow::Result<Vec<(String, HeldChange)>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, doc_key, title, field, stored, new FROM held_changes ORDER BY source, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                HeldChange {
                    doc_key: r.get(1)?,
                    title: r.get(2)?,
                    field: r.get(3)?,
                    stored: r.get(4)?,
                    new: r.get(5)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The secretariat accepts a source's held changes: the next run
    /// stores them (and clears this). Recorded with the account.
    pub fn accept_held_changes(
        &self,
        source: &str,
        account: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_meta(&accept_key(source), &format!("{account} {}", fmt_ts(now)))?;
        self.audit(account, "accept_changes", Some(source), now)
    }

    /// Whether the secretariat has accepted `source`'s held changes.
    pub fn changes_accepted(&self, source: &str) -> anyhow::Result<bool> {
        Ok(self.meta(&accept_key(source))?.is_some())
    }

    /// After a run stored them: the acceptance is used up.
    pub fn clear_accepted(&self, source: &str) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [accept_key(source)])?;
        Ok(())
    }

    /// The secretariat rejects them: they stay held (the site must put it
    /// right), and the page no longer asks. Recorded with the account.
    pub fn reject_held_changes(
        &mut self,
        source: &str,
        account: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.clear_accepted(source)?;
        self.set_held_changes(source, &[], now)?;
        self.audit(account, "reject_changes", Some(source), now)
    }
}
