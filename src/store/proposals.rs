//! Links the sync proposes between a crawled document and a row the
//! secretariat made, when it is not sure they are the same item. The
//! secretariat accepts (`overview link`) or rejects one; a rejected
//! proposal is not made again.

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;

use super::{RowId, Store, fmt_ts};
use crate::model::DocId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub row_id: RowId,
    pub doc_id: DocId,
    pub reason: String,
}

impl Store {
    /// Proposes a link, unless it was proposed (or rejected) before.
    /// Returns whether it is new.
    pub fn overview_propose(
        &self,
        row: RowId,
        doc: DocId,
        reason: &str,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        Ok(self.conn.execute(
            "INSERT INTO overview_proposals (row_id, doc_id, reason, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(row_id, doc_id) DO NOTHING",
            params![row, doc.0 as i64, reason, fmt_ts(now)],
        )? == 1)
    }

    /// The open proposals, oldest first.
    pub fn overview_proposals(&self) -> anyhow::Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.row_id, p.doc_id, p.reason FROM overview_proposals p
             JOIN overview_rows r ON r.id = p.row_id
             WHERE p.state = 'open' AND r.state = 'active' AND r.doc_id IS NULL
             ORDER BY p.at, p.row_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Proposal {
                row_id: r.get(0)?,
                doc_id: DocId(r.get::<_, i64>(1)? as u64),
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The secretariat says no: the proposal is not made again.
    pub fn overview_reject_proposal(&self, row: RowId, doc: DocId) -> anyhow::Result<bool> {
        Ok(self.conn.execute(
            "UPDATE overview_proposals SET state = 'rejected' WHERE row_id = ?1 AND doc_id = ?2 AND state = 'open'",
            params![row, doc.0 as i64],
        )? == 1)
    }

    /// A proposal is settled by a link: it is no longer open.
    pub fn overview_close_proposals(&self, doc: DocId) -> anyhow::Result<()> {
        self.conn.execute(
            "DELETE FROM overview_proposals WHERE doc_id = ?1 AND state = 'open'",
            [doc.0 as i64],
        )?;
        Ok(())
    }
}
