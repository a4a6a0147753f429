//! The only place that speaks SQL. SQLite (bundled) in WAL mode; every
//! write that belongs together is one transaction, so a run killed at any
//! point leaves a database that opens, with no half-written document.

mod accounts;
mod deliveries;
mod documents;
mod health;
mod held;
mod matches;
mod meetings;
mod overview;
mod proposals;
mod reads;
pub mod schema;
mod search;
mod track;

use std::path::Path;

use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension};

pub use accounts::{RunRecord, Session};
pub use deliveries::{DeliveryItem, DeliveryState, LedgerKey, OpenDelivery};
pub use documents::{Applied, Changes, PageToRead, StoredAddress};
pub use health::{SourceState, StoreInfo, health_word};
pub use held::HeldChange;
pub use matches::{Override, OverrideKind, Relevance};
pub use meetings::StoredMeeting;
pub use overview::{Actor, CellText, NewRow, OverviewRow, RowId, RowLogEntry, RowState};
pub use proposals::Proposal;
pub use reads::{NotOneDocument, StoredDocument, StoredEvent};
pub use search::DocFilter;
pub use track::{Decision, Sent, SentKind, Track};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub account: String,
    pub action: String,
    pub detail: Option<String>,
}

/// A run's id in the `runs` table.
pub type RunId = i64;

pub struct Store {
    conn: Connection,
    /// The account the changes on this connection are made by (a web
    /// page's signed-in user); `None` from the command line.
    account: Option<String>,
}

/// A write transaction that takes the write lock at once (BEGIN
/// IMMEDIATE). A deferred one that reads first cannot wait for another
/// writer in WAL mode: it fails with "database is locked" at once, so every
/// write here begins with the lock (and waits for it, the busy timeout).
fn write_tx(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// Timestamps are stored as UTC RFC 3339 with whole seconds, so that text
/// order is time order.
pub fn fmt_ts(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("kan ikke opprette mappen {}", dir.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("kan ikke åpne databasen {}", path.display()))?;
        Store::setup(conn).with_context(|| format!("databasen {}", path.display()))
    }

    /// A second connection to the same database file (`None` for an
    /// in-memory store, which has no file to open again).
    pub fn open_again(&self) -> anyhow::Result<Option<Store>> {
        match self.conn.path().filter(|p| !p.is_empty()) {
            Some(path) => Ok(Some(Store::open(Path::new(path))?)),
            None => Ok(None),
        }
    }

    pub fn open_in_memory() -> anyhow::Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> anyhow::Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL: readers never block the cron job, and a killed writer leaves
        // the last committed state. NORMAL is durable against a crash of the
        // process; a power cut may lose the last transaction, never corrupt.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if mode != "wal" && mode != "memory" {
            tracing::warn!(mode, "databasen kjører ikke i WAL-modus");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            account: None,
        })
    }

    /// A private in-memory copy of this database, for `--dry-run`: the
    /// whole job runs against it and nothing reaches the file.
    pub fn scratch_copy(&self) -> anyhow::Result<Store> {
        let mut copy = Connection::open_in_memory()?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
            backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        Store::setup(copy)
    }

    /// Writes a consistent copy of the live database to `dest`.
    pub fn backup_to(&self, dest: &Path) -> anyhow::Result<()> {
        let mut out = Connection::open(dest)
            .with_context(|| format!("kan ikke skrive {}", dest.display()))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(10), None)?;
        Ok(())
    }

    /// Makes the changes from here on the account's (`None`: the command
    /// line's).
    pub fn act_as(&mut self, account: Option<&str>) {
        self.account = account.map(str::to_string);
    }

    /// Records an action that changes no document or row (a login, a
    /// logout, changes accepted), with the account that did it.
    pub fn audit(
        &self,
        account: &str,
        action: &str,
        detail: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO audit_log (at, account, action, detail) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![fmt_ts(now), account, action, detail],
        )?;
        Ok(())
    }

    /// The newest lines of the audit log.
    pub fn audit_log(&self, limit: usize) -> anyhow::Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, account, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                account: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn schema_version(&self) -> anyhow::Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> anyhow::Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    pub fn begin_run(&self, command: &str, now: Timestamp) -> anyhow::Result<RunId> {
        self.conn.execute(
            "INSERT INTO runs (command, started) VALUES (?1, ?2)",
            (command, fmt_ts(now)),
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_run(
        &self,
        run: RunId,
        now: Timestamp,
        outcome: crate::model::RunOutcome,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE runs SET finished = ?2, outcome = ?3 WHERE id = ?1",
            (run, fmt_ts(now), outcome.as_str()),
        )?;
        Ok(())
    }

    /// The time the last run of `command` finished, if any did.
    pub fn last_finished_run(&self, command: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT MAX(finished) FROM runs WHERE command = ?1",
                [command],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}
