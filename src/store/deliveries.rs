//! The delivery ledger. Intent is recorded before a message is sent and
//! the outcome after, each in its own transaction:
//!
//! - `sent`: confirmed; never sent again.
//! - `failed`: the send failed; tried again next run.
//! - `pending`: the run died between sending and recording. Whether the
//!   message went out is unknown, so it is *not* sent again (at most once);
//!   `status` lists it and `notify --settle` decides it.
//!
//! A line is keyed by where the message goes (`recipient`: an e-mail
//! address in lower case, or a webhook's ledger key; `channel`: `email` or
//! `webhook`) and the alert's key, never by a display name, so renaming a
//! recipient or a webhook sends nothing again.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;

use super::{Store, fmt_ts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Sent,
    Failed,
}

impl DeliveryState {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> DeliveryState {
        match s {
            "sent" => DeliveryState::Sent,
            "failed" => DeliveryState::Failed,
            _ => DeliveryState::Pending,
        }
    }
}

/// Where a message goes, as the ledger knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LedgerKey {
    pub recipient: String,
    pub channel: String,
}

/// One alert in a message: its key, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryItem {
    pub key: String,
    pub doc_id: Option<u64>,
    pub headline: String,
}

/// A ledger line that is not settled: sent with unknown outcome
/// (`pending`), or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenDelivery {
    pub recipient: String,
    pub channel: String,
    pub alert_key: String,
    pub state: DeliveryState,
    pub since: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// The document's title, when the line is about one.
    pub title: Option<String>,
    pub headline: Option<String>,
}

impl Store {
    /// The ledger's state of every alert for one destination.
    pub fn delivery_states(
        &self,
        to: &LedgerKey,
    ) -> anyhow::Result<HashMap<String, DeliveryState>> {
        let mut stmt = self.conn.prepare(
            "SELECT alert_key, state FROM deliveries WHERE recipient = ?1 AND channel = ?2",
        )?;
        let rows = stmt.query_map(params![to.recipient, to.channel], |r| {
            Ok((
                r.get::<_, String>(0)?,
                DeliveryState::parse(&r.get::<_, String>(1)?),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Moves the lines an earlier release recorded under a display name to
    /// the destination's key (idempotent; a line already there wins).
    pub fn rekey_deliveries(&mut self, old: &LedgerKey, new: &LedgerKey) -> anyhow::Result<usize> {
        if old == new {
            return Ok(0);
        }
        let tx = super::write_tx(&mut self.conn)?;
        let n = tx.execute(
            "UPDATE OR IGNORE deliveries SET recipient = ?3, channel = ?4
             WHERE recipient = ?1 AND channel = ?2",
            params![old.recipient, old.channel, new.recipient, new.channel],
        )?;
        tx.execute(
            "DELETE FROM deliveries WHERE recipient = ?1 AND channel = ?2",
            params![old.recipient, old.channel],
        )?;
        tx.commit()?;
        Ok(n)
    }

    fn set_deliveries(
        &mut self,
        to: &LedgerKey,
        items: &[DeliveryItem],
        state: DeliveryState,
        error: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO deliveries (recipient, channel, alert_key, state, attempts, first_at, last_at, sent_at, last_error, doc_id, headline)
                 VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 = 'pending' THEN 1 ELSE 0 END, ?5, ?5,
                         CASE WHEN ?4 = 'sent' THEN ?5 END, ?6, ?7, ?8)
                 ON CONFLICT(recipient, channel, alert_key) DO UPDATE SET
                    state = ?4,
                    attempts = attempts + CASE WHEN ?4 = 'pending' THEN 1 ELSE 0 END,
                    last_at = ?5,
                    sent_at = CASE WHEN ?4 = 'sent' THEN ?5 ELSE sent_at END,
                    last_error = ?6,
                    doc_id = COALESCE(?7, doc_id),
                    headline = COALESCE(?8, headline)",
            )?;
            for i in items {
                stmt.execute(params![
                    to.recipient,
                    to.channel,
                    i.key,
                    state.as_str(),
                    now,
                    error,
                    i.doc_id.map(|d| d as i64),
                    i.headline
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Before sending: these alerts are about to go out.
    pub fn delivery_intent(
        &mut self,
        to: &LedgerKey,
        items: &[DeliveryItem],
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(to, items, DeliveryState::Pending, None, now)
    }

    pub fn delivery_sent(
        &mut self,
        to: &LedgerKey,
        items: &[DeliveryItem],
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(to, items, DeliveryState::Sent, None, now)
    }

    /// The exchange broke after the message may have been handed over: the
    /// lines stay pending (uncertain), with why, until settled.
    pub fn delivery_uncertain(
        &mut self,
        to: &LedgerKey,
        items: &[DeliveryItem],
        error: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(to, items, DeliveryState::Pending, Some(error), now)
    }

    /// The send failed. `error` must name no secret (no webhook URL, no
    /// password): it is stored and shown.
    pub fn delivery_failed(
        &mut self,
        to: &LedgerKey,
        items: &[DeliveryItem],
        error: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(to, items, DeliveryState::Failed, Some(error), now)
    }

    /// The secretariat's word on an unsettled line: it was sent after all
    /// (`sent`), or it should go again (`failed`, retried by the next run).
    /// Returns how many lines were settled.
    pub fn settle_delivery(
        &self,
        alert_key: &str,
        outcome: DeliveryState,
        now: Timestamp,
    ) -> anyhow::Result<usize> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET state = ?2, last_at = ?3, settled_by = COALESCE(?4, 'kommandolinjen'),
                sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at END,
                last_error = CASE WHEN ?2 = 'failed' THEN 'sendes på nytt (avgjort av sekretariatet)' ELSE last_error END
             WHERE alert_key = ?1 AND state IN ('pending', 'failed')",
            params![alert_key, outcome.as_str(), fmt_ts(now), self.account],
        )?)
    }

    /// Lines whose delivery is not settled: uncertain first, then failed.
    pub fn open_deliveries(&self) -> anyhow::Result<Vec<OpenDelivery>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.recipient, d.channel, d.alert_key, d.state, d.last_at, d.attempts,
                    d.last_error, doc.title, d.headline
             FROM deliveries d LEFT JOIN documents doc ON doc.id = d.doc_id
             WHERE d.state IN ('pending', 'failed')
             ORDER BY d.state DESC, d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OpenDelivery {
                recipient: r.get(0)?,
                channel: r.get(1)?,
                alert_key: r.get(2)?,
                state: DeliveryState::parse(&r.get::<_, String>(3)?),
                since: r.get(4)?,
                attempts: r.get(5)?,
                last_error: r.get(6)?,
                title: r.get(7)?,
                headline: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many alerts were confirmed sent, in all.
    pub fn deliveries_sent(&self) -> anyhow::Result<u64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Events since a time, for every document.
    pub fn events_since_time(&self, since: Timestamp) -> anyhow::Result<Vec<super::StoredEvent>> {
        self.events_where("at >= ?1", [fmt_ts(since)])
    }
}
