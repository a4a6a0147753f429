//! The fetch log, the HTTP cache (validators, content hashes, robots.txt),
//! and each source's health.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{RunId, Store, fmt_ts};
use crate::fetch::{FetchRecord, Validators};

/// A source's health, as `status` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceState {
    pub name: String,
    pub last_success: Option<String>,
    pub last_failure: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub items_seen: u64,
    /// Set while a walk through the list's pages is unfinished.
    pub resume_page: Option<u32>,
    /// When the current run of failures began.
    pub failing_since: Option<String>,
    /// When the last run of failures that has ended began, and how long it
    /// got (consecutive failures).
    pub recovered_from: Option<String>,
    pub streak_peak: u32,
    /// The last run held this many changes back (the change circuit
    /// breaker), if that is why it failed.
    pub held_changes: Option<u64>,
}

/// How a source fares, in the words `status` and the web page use: held
/// back changes, down (failures in a row reached `threshold`), failed last
/// time, ok, or never run.
pub fn health_word(
    held_changes: Option<u64>,
    consecutive_failures: u32,
    ever_succeeded: bool,
    threshold: u32,
) -> &'static str {
    if held_changes.is_some() && consecutive_failures > 0 {
        "ENDRINGER HOLDT TILBAKE"
    } else if consecutive_failures >= threshold {
        "VIRKER IKKE"
    } else if consecutive_failures > 0 {
        "feil i siste kjøring"
    } else if ever_succeeded {
        "ok"
    } else {
        "ikke kjørt"
    }
}

impl SourceState {
    /// [`health_word`] of this state.
    pub fn health(&self, threshold: u32) -> &'static str {
        health_word(
            self.held_changes,
            self.consecutive_failures,
            self.last_success.is_some(),
            threshold,
        )
    }
}

/// Facts about the database file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreInfo {
    pub schema_version: i64,
    pub documents: u64,
    pub events: u64,
    pub size_bytes: u64,
}

impl Store {
    /// Every source's state, by name.
    pub fn source_states(&self) -> anyhow::Result<Vec<SourceState>> {
        let names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sources ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        names.iter().map(|n| self.source_state(n)).collect()
    }

    /// The validators and content hash stored for a URL.
    pub fn cached(&self, url: &str) -> anyhow::Result<(Validators, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag, last_modified, content_hash FROM http_cache WHERE url = ?1",
                [url],
                |r| {
                    Ok((
                        Validators {
                            etag: r.get(0)?,
                            last_modified: r.get(1)?,
                        },
                        r.get(2)?,
                    ))
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Remembers a page's validators and content hash. Called only after
    /// the page was parsed and stored, so a broken page is fetched in full
    /// again next time.
    pub fn save_cached(
        &self,
        url: &str,
        validators: &Validators,
        content_hash: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO http_cache (url, etag, last_modified, content_hash, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, content_hash = ?4, stored_at = ?5",
            params![url, validators.etag, validators.last_modified, content_hash, fmt_ts(now)],
        )?;
        Ok(())
    }

    /// robots.txt bodies stored after `since`, by origin.
    pub fn robots_since(&self, since: Timestamp) -> anyhow::Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, body FROM http_cache WHERE url LIKE '%/robots.txt' AND body IS NOT NULL AND stored_at >= ?1",
        )?;
        let rows = stmt.query_map([fmt_ts(since)], |r| {
            let url: String = r.get(0)?;
            Ok((url.trim_end_matches("/robots.txt").to_string(), r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn save_robots(&self, origin: &str, body: &str, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO http_cache (url, stored_at, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(url) DO UPDATE SET stored_at = ?2, body = ?3",
            params![format!("{origin}/robots.txt"), fmt_ts(now), body],
        )?;
        Ok(())
    }

    pub fn log_fetch(
        &self,
        run: Option<RunId>,
        rec: &FetchRecord,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO fetch_log (run_id, url, at, status, not_modified, etag, last_modified, bytes, duration_ms, attempts, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                run,
                rec.url,
                fmt_ts(now),
                rec.status,
                rec.not_modified,
                rec.validators.etag,
                rec.validators.last_modified,
                rec.bytes as i64,
                rec.duration_ms as i64,
                rec.attempts,
                rec.error,
            ],
        )?;
        Ok(())
    }

    /// Drops fetch-log lines older than `before`; the log is for
    /// diagnosis, not history.
    pub fn prune_fetch_log(&self, before: Timestamp) -> anyhow::Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM fetch_log WHERE at < ?1", [fmt_ts(before)])?)
    }

    pub fn source_state(&self, name: &str) -> anyhow::Result<SourceState> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, last_success, last_failure, last_error, consecutive_failures, items_seen, resume_page,
                        failing_since, recovered_from, streak_peak, held_changes
                 FROM sources WHERE name = ?1",
                [name],
                |r| {
                    Ok(SourceState {
                        name: r.get(0)?,
                        last_success: r.get(1)?,
                        last_failure: r.get(2)?,
                        last_error: r.get(3)?,
                        consecutive_failures: r.get(4)?,
                        items_seen: r.get::<_, i64>(5)? as u64,
                        resume_page: r.get(6)?,
                        failing_since: r.get(7)?,
                        recovered_from: r.get(8)?,
                        streak_peak: r.get(9)?,
                        held_changes: r.get::<_, Option<i64>>(10)?.map(|n| n as u64),
                    })
                },
            )
            .optional()?
            .unwrap_or_else(|| SourceState {
                name: name.to_string(),
                ..SourceState::default()
            }))
    }

    fn ensure_source(&self, name: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO sources (name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
            [name],
        )?;
        Ok(())
    }

    pub fn source_succeeded(
        &self,
        name: &str,
        now: Timestamp,
        items_seen: u64,
    ) -> anyhow::Result<()> {
        self.ensure_source(name)?;
        self.conn.execute(
            "UPDATE sources SET last_success = ?2, items_seen = ?3,
                recovered_from = CASE WHEN failing_since IS NOT NULL THEN failing_since ELSE recovered_from END,
                streak_peak = CASE WHEN failing_since IS NOT NULL THEN consecutive_failures ELSE streak_peak END,
                failing_since = NULL, consecutive_failures = 0, held_changes = NULL
             WHERE name = ?1",
            params![name, fmt_ts(now), items_seen as i64],
        )?;
        Ok(())
    }

    /// A run of the source failed. `held`: changes it saw but did not
    /// store (the change circuit breaker), 0 when it failed otherwise.
    pub fn source_failed(
        &self,
        name: &str,
        now: Timestamp,
        error: &str,
        held: u64,
    ) -> anyhow::Result<()> {
        self.ensure_source(name)?;
        self.conn.execute(
            "UPDATE sources SET last_failure = ?2, last_error = ?3,
                failing_since = COALESCE(failing_since, ?2),
                consecutive_failures = consecutive_failures + 1,
                held_changes = CASE WHEN ?4 > 0 THEN ?4 ELSE NULL END WHERE name = ?1",
            params![name, fmt_ts(now), error, held as i64],
        )?;
        Ok(())
    }

    /// Remembers how far an unfinished walk must go (`None` when done).
    pub fn set_resume_page(&self, name: &str, page: Option<u32>) -> anyhow::Result<()> {
        self.ensure_source(name)?;
        self.conn.execute(
            "UPDATE sources SET resume_page = ?2 WHERE name = ?1",
            params![name, page],
        )?;
        Ok(())
    }

    pub fn info(&self) -> anyhow::Result<StoreInfo> {
        let count = |sql: &str| -> anyhow::Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(StoreInfo {
            schema_version: self.schema_version()?,
            documents: count("SELECT COUNT(*) FROM documents")?,
            events: count("SELECT COUNT(*) FROM events")?,
            size_bytes: count(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )?,
        })
    }
}
