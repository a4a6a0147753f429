//! The overview table's rows, cells and history. Each cell keeps the
//! crawler's text and the secretariat's text apart; the secretariat's is
//! shown when present and the crawler never writes it.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Store, fmt_ts};
use crate::model::Column;
use crate::model::DocId;

pub type RowId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    Active,
    Archived,
    Dismissed,
}

impl RowState {
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Active => "active",
            RowState::Archived => "archived",
            RowState::Dismissed => "dismissed",
        }
    }

    fn parse(s: &str) -> RowState {
        match s {
            "archived" => RowState::Archived,
            "dismissed" => RowState::Dismissed,
            _ => RowState::Active,
        }
    }
}

/// Who wrote something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Crawler,
    Secretariat,
}

impl Actor {
    fn as_str(self) -> &'static str {
        match self {
            Actor::Crawler => "crawler",
            Actor::Secretariat => "secretariat",
        }
    }
}

/// A cell as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CellText {
    pub auto: Option<String>,
    pub manual: Option<String>,
}

impl CellText {
    /// What is shown: the secretariat's text, else the crawler's.
    pub fn shown(&self) -> Option<&str> {
        self.manual.as_deref().or(self.auto.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverviewRow {
    pub id: RowId,
    pub position: i64,
    pub doc_id: Option<DocId>,
    pub hearing_doc_id: Option<DocId>,
    pub identifier: Option<String>,
    pub origin: String,
    pub state: RowState,
    pub created_at: String,
    pub changed_at: String,
    pub cells: BTreeMap<Column, CellText>,
    /// The secretariat's paragraph for the case, under this row.
    pub note: Option<String>,
    /// The sites its document and its hearing come from (`regjeringen`),
    /// so that a crawler text can say where it comes from.
    pub doc_site: Option<String>,
    pub hearing_site: Option<String>,
}

impl OverviewRow {
    /// The site a column's crawler text comes from: the hearing column
    /// from the hearing (or the document, when it is one), the others
    /// from the document.
    pub fn site_of(&self, col: Column) -> Option<&str> {
        match col {
            Column::Hearing => self.hearing_site.as_deref().or(self.doc_site.as_deref()),
            _ => self.doc_site.as_deref().or(self.hearing_site.as_deref()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowLogEntry {
    pub at: String,
    pub actor: String,
    /// The account that made the change (none: the crawler, the command
    /// line, or a change made before accounts were recorded).
    pub account: Option<String>,
    pub column: Option<String>,
    pub action: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// A new row.
pub struct NewRow<'a> {
    pub origin: &'a str,
    pub doc_id: Option<DocId>,
    pub identifier: Option<String>,
    /// Cells written as the secretariat's (manual, import) or the
    /// crawler's (crawler rows).
    pub cells: Vec<(Column, String)>,
    pub actor: Actor,
}

/// One line of a row's history.
pub(super) struct Change<'a> {
    pub col: Option<Column>,
    pub action: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

pub(super) fn log(
    tx: &Transaction<'_>,
    row: RowId,
    now: &str,
    (actor, account): (Actor, Option<&str>),
    c: Change<'_>,
) -> rusqlite::Result<()> {
    let account = match actor {
        Actor::Crawler => None,
        Actor::Secretariat => account,
    };
    tx.execute(
        "INSERT INTO overview_log (row_id, at, actor, col, action, old_value, new_value, account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row,
            now,
            actor.as_str(),
            c.col.map(|c| c.as_str()),
            c.action,
            c.old,
            c.new,
            account
        ],
    )?;
    Ok(())
}

fn touch(tx: &Transaction<'_>, row: RowId, now: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE overview_rows SET changed_at = ?2 WHERE id = ?1",
        params![row, now],
    )?;
    Ok(())
}

impl Store {
    /// Adds a row. A row for a document that already has one (the page and
    /// a run adding it at the same moment) is not added twice: the existing
    /// row is returned.
    pub fn overview_add_row(&mut self, new: &NewRow<'_>, now: Timestamp) -> anyhow::Result<RowId> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        if let Some(doc) = new.doc_id {
            let existing: Option<RowId> = tx
                .query_row(
                    "SELECT id FROM overview_rows WHERE doc_id = ?1 OR hearing_doc_id = ?1 ORDER BY id LIMIT 1",
                    [doc.0 as i64],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(row) = existing {
                return Ok(row);
            }
        }
        let position: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM overview_rows",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO overview_rows (position, doc_id, identifier, origin, created_at, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![position, new.doc_id.map(|d| d.0 as i64), new.identifier, new.origin, now],
        )?;
        let row = tx.last_insert_rowid();
        log(
            &tx,
            row,
            &now,
            (new.actor, self.account.as_deref()),
            Change {
                col: None,
                action: "added",
                old: None,
                new: None,
            },
        )?;
        for (col, text) in &new.cells {
            let (auto, manual) = match new.actor {
                Actor::Crawler => (Some(text.as_str()), None),
                Actor::Secretariat => (None, Some(text.as_str())),
            };
            tx.execute(
                "INSERT INTO overview_cells (row_id, col, auto_text, manual_text, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row, col.as_str(), auto, manual, now],
            )?;
        }
        tx.commit()?;
        Ok(row)
    }

    pub fn overview_rows(&self, only_active: bool) -> anyhow::Result<Vec<OverviewRow>> {
        if only_active {
            self.rows_where("WHERE state = 'active'", [])
        } else {
            self.rows_where("", [])
        }
    }

    /// One row, read by itself.
    pub fn overview_row(&self, id: RowId) -> anyhow::Result<Option<OverviewRow>> {
        Ok(self.rows_where("WHERE id = ?1", [id])?.pop())
    }

    fn rows_where<P: rusqlite::Params + Clone>(
        &self,
        cond: &str,
        params: P,
    ) -> anyhow::Result<Vec<OverviewRow>> {
        let sql = format!(
            "SELECT id, position, doc_id, hearing_doc_id, identifier, origin, state, created_at, changed_at, note,
                (SELECT site FROM documents d WHERE d.id = doc_id),
                (SELECT site FROM documents d WHERE d.id = hearing_doc_id)
             FROM overview_rows {cond} ORDER BY position, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<OverviewRow> = stmt
            .query_map(params.clone(), |r| {
                Ok(OverviewRow {
                    id: r.get(0)?,
                    position: r.get(1)?,
                    doc_id: r.get::<_, Option<i64>>(2)?.map(|d| DocId(d as u64)),
                    hearing_doc_id: r.get::<_, Option<i64>>(3)?.map(|d| DocId(d as u64)),
                    identifier: r.get(4)?,
                    origin: r.get(5)?,
                    state: RowState::parse(&r.get::<_, String>(6)?),
                    created_at: r.get(7)?,
                    changed_at: r.get(8)?,
                    cells: BTreeMap::new(),
                    note: r.get(9)?,
                    doc_site: r.get(10)?,
                    hearing_site: r.get(11)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let cells_sql = format!(
            "SELECT row_id, col, auto_text, manual_text FROM overview_cells
             WHERE row_id IN (SELECT id FROM overview_rows {cond})"
        );
        let mut cells = self.conn.prepare_cached(&cells_sql)?;
        let mut by_row: BTreeMap<RowId, BTreeMap<Column, CellText>> = BTreeMap::new();
        for c in cells.query_map(params, |r| {
            Ok((
                r.get::<_, RowId>(0)?,
                r.get::<_, String>(1)?,
                CellText {
                    auto: r.get(2)?,
                    manual: r.get(3)?,
                },
            ))
        })? {
            let (row, col, text) = c?;
            if let Some(col) = Column::parse(&col) {
                by_row.entry(row).or_default().insert(col, text);
            }
        }
        for row in &mut rows {
            row.cells = by_row.remove(&row.id).unwrap_or_default();
        }
        Ok(rows)
    }

    /// The row a document belongs to (as its document or its hearing), in
    /// any state.
    pub fn overview_row_of_doc(&self, doc: DocId) -> anyhow::Result<Option<RowId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM overview_rows WHERE doc_id = ?1 OR hearing_doc_id = ?1 ORDER BY id LIMIT 1",
                [doc.0 as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets (or with `None` clears) a cell's text for one writer. Returns
    /// whether anything changed.
    pub fn overview_set_cell(
        &mut self,
        row: RowId,
        col: Column,
        text: Option<&str>,
        actor: Actor,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        let now = fmt_ts(now);
        let field = match actor {
            Actor::Crawler => "auto_text",
            Actor::Secretariat => "manual_text",
        };
        let tx = super::write_tx(&mut self.conn)?;
        let old: Option<String> = tx
            .query_row(
                &format!("SELECT {field} FROM overview_cells WHERE row_id = ?1 AND col = ?2"),
                params![row, col.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let text = text.filter(|t| !t.trim().is_empty());
        if old.as_deref() == text {
            return Ok(false);
        }
        tx.execute(
            &format!(
                "INSERT INTO overview_cells (row_id, col, {field}, changed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(row_id, col) DO UPDATE SET {field} = ?3, changed_at = ?4"
            ),
            params![row, col.as_str(), text, now],
        )?;
        let action = match (actor, text) {
            (Actor::Crawler, _) => "updated",
            (Actor::Secretariat, Some(_)) => "edited",
            (Actor::Secretariat, None) => "cleared",
        };
        log(
            &tx,
            row,
            &now,
            (actor, self.account.as_deref()),
            Change {
                col: Some(col),
                action,
                old: old.as_deref(),
                new: text,
            },
        )?;
        touch(&tx, row, &now)?;
        tx.commit()?;
        Ok(true)
    }

    pub fn overview_set_state(
        &mut self,
        row: RowId,
        state: RowState,
        actor: Actor,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let old: Option<String> = tx
            .query_row(
                "SELECT state FROM overview_rows WHERE id = ?1",
                [row],
                |r| r.get(0),
            )
            .optional()?;
        let Some(old) = old else {
            anyhow::bail!("raden {row} finnes ikke");
        };
        if old == state.as_str() {
            return Ok(false);
        }
        tx.execute(
            "UPDATE overview_rows SET state = ?2, changed_at = ?3 WHERE id = ?1",
            params![row, state.as_str(), now],
        )?;
        let action = match state {
            RowState::Active => "restored",
            RowState::Archived => "archived",
            RowState::Dismissed => "dismissed",
        };
        log(
            &tx,
            row,
            &now,
            (actor, self.account.as_deref()),
            Change {
                col: None,
                action,
                old: Some(&old),
                new: Some(state.as_str()),
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Links a row to its document, or to a hearing about it.
    pub fn overview_link(
        &mut self,
        row: RowId,
        doc: DocId,
        as_hearing: bool,
        actor: Actor,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let field = if as_hearing {
            "hearing_doc_id"
        } else {
            "doc_id"
        };
        let n = tx.execute(
            &format!("UPDATE overview_rows SET {field} = ?2, changed_at = ?3 WHERE id = ?1"),
            params![row, doc.0 as i64, now],
        )?;
        if n == 0 {
            anyhow::bail!("raden {row} finnes ikke");
        }
        let action = if as_hearing {
            "linked_hearing"
        } else {
            "linked"
        };
        log(
            &tx,
            row,
            &now,
            (actor, self.account.as_deref()),
            Change {
                col: None,
                action,
                old: None,
                new: Some(&doc.to_string()),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves the hearing `from` carries to `to`, when `to` has none (a
    /// row the crawler made is merged into the secretariat's: its
    /// hearing goes with it). Returns whether it moved.
    pub fn overview_move_hearing(
        &mut self,
        from: RowId,
        to: RowId,
        actor: Actor,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let hearing: Option<i64> = tx
            .query_row(
                "SELECT hearing_doc_id FROM overview_rows WHERE id = ?1",
                [from],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(hearing) = hearing else {
            return Ok(false);
        };
        let free: bool = tx
            .query_row(
                "SELECT hearing_doc_id IS NULL FROM overview_rows WHERE id = ?1",
                [to],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false);
        if !free {
            return Ok(false);
        }
        tx.execute(
            "UPDATE overview_rows SET hearing_doc_id = NULL, changed_at = ?2 WHERE id = ?1",
            params![from, now],
        )?;
        tx.execute(
            "UPDATE overview_rows SET hearing_doc_id = ?2, changed_at = ?3 WHERE id = ?1",
            params![to, hearing, now],
        )?;
        log(
            &tx,
            to,
            &now,
            (actor, self.account.as_deref()),
            Change {
                col: None,
                action: "linked_hearing",
                old: None,
                new: Some(&hearing.to_string()),
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Sets (or with `None` clears) the secretariat's paragraph for a row.
    /// Returns whether anything changed.
    pub fn overview_set_note(
        &mut self,
        row: RowId,
        text: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let old: Option<Option<String>> = tx
            .query_row("SELECT note FROM overview_rows WHERE id = ?1", [row], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(old) = old else {
            anyhow::bail!("raden {row} finnes ikke");
        };
        let text = text.filter(|t| !t.trim().is_empty());
        if old.as_deref() == text {
            return Ok(false);
        }
        tx.execute(
            "UPDATE overview_rows SET note = ?2, changed_at = ?3 WHERE id = ?1",
            params![row, text, now],
        )?;
        log(
            &tx,
            row,
            &now,
            (Actor::Secretariat, self.account.as_deref()),
            Change {
                col: None,
                action: if text.is_some() {
                    "noted"
                } else {
                    "note_cleared"
                },
                old: old.as_deref(),
                new: text,
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// A row gives up its document (to a row the secretariat made for the
    /// same item) and leaves the table.
    pub fn overview_release_doc(
        &mut self,
        row: RowId,
        doc: DocId,
        actor: Actor,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let n = tx.execute(
            "UPDATE overview_rows SET doc_id = NULL, state = 'dismissed', changed_at = ?3
             WHERE id = ?1 AND doc_id = ?2",
            params![row, doc.0 as i64, now],
        )?;
        if n == 0 {
            anyhow::bail!("rad {row} har ikke dokument {doc}");
        }
        log(
            &tx,
            row,
            &now,
            (actor, self.account.as_deref()),
            Change {
                col: None,
                action: "released",
                old: Some(&doc.to_string()),
                new: None,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn overview_set_identifier(&self, row: RowId, identifier: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE overview_rows SET identifier = ?2 WHERE id = ?1",
            params![row, identifier],
        )?;
        Ok(())
    }

    pub fn overview_log(&self, row: RowId) -> anyhow::Result<Vec<RowLogEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, actor, col, action, old_value, new_value, account FROM overview_log WHERE row_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([row], |r| {
            Ok(RowLogEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                column: r.get(2)?,
                action: r.get(3)?,
                old_value: r.get(4)?,
                new_value: r.get(5)?,
                account: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
