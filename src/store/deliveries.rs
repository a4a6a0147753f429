//! The delivery ledger. Intent is recorded before a message is sent and
//! the outcome after, each in its own transaction:
//!
//! - `sent`: confirmed; never sent again.
//! - `failed`: the send failed; tried again next run.
//! - `pending`: the run died between sending and recording. Whether the
//!   message went out is unknown, so it is *not* sent again (at most once);
//!   `status` and `notify` report it so the secretariat can check.

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
    fn parse(s: &str) -> DeliveryState {
        match s {
            "sent" => DeliveryState::Sent,
            "failed" => DeliveryState::Failed,
            _ => DeliveryState::Pending,
        }
    }
}

/// A ledger line whose outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UncertainDelivery {
    pub recipient: String,
    pub channel: String,
    pub alert_key: String,
    pub since: String,
}

impl Store {
    /// The ledger's state of every alert for one recipient and channel.
    pub fn delivery_states(
        &self,
        recipient: &str,
        channel: &str,
    ) -> anyhow::Result<HashMap<String, DeliveryState>> {
        let mut stmt = self.conn.prepare(
            "SELECT alert_key, state FROM deliveries WHERE recipient = ?1 AND channel = ?2",
        )?;
        let rows = stmt.query_map(params![recipient, channel], |r| {
            Ok((
                r.get::<_, String>(0)?,
                DeliveryState::parse(&r.get::<_, String>(1)?),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn set_deliveries(
        &mut self,
        recipient: &str,
        channel: &str,
        keys: &[String],
        state: &str,
        error: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO deliveries (recipient, channel, alert_key, state, attempts, first_at, last_at, sent_at, last_error)
                 VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 = 'pending' THEN 1 ELSE 0 END, ?5, ?5,
                         CASE WHEN ?4 = 'sent' THEN ?5 END, ?6)
                 ON CONFLICT(recipient, channel, alert_key) DO UPDATE SET
                    state = ?4,
                    attempts = attempts + CASE WHEN ?4 = 'pending' THEN 1 ELSE 0 END,
                    last_at = ?5,
                    sent_at = CASE WHEN ?4 = 'sent' THEN ?5 ELSE sent_at END,
                    last_error = ?6",
            )?;
            for k in keys {
                stmt.execute(params![recipient, channel, k, state, now, error])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Before sending: these alerts are about to go out.
    pub fn delivery_intent(
        &mut self,
        recipient: &str,
        channel: &str,
        keys: &[String],
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(recipient, channel, keys, "pending", None, now)
    }

    pub fn delivery_sent(
        &mut self,
        recipient: &str,
        channel: &str,
        keys: &[String],
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(recipient, channel, keys, "sent", None, now)
    }

    pub fn delivery_failed(
        &mut self,
        recipient: &str,
        channel: &str,
        keys: &[String],
        error: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.set_deliveries(recipient, channel, keys, "failed", Some(error), now)
    }

    pub fn uncertain_deliveries(&self) -> anyhow::Result<Vec<UncertainDelivery>> {
        let mut stmt = self.conn.prepare(
            "SELECT recipient, channel, alert_key, last_at FROM deliveries WHERE state = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UncertainDelivery {
                recipient: r.get(0)?,
                channel: r.get(1)?,
                alert_key: r.get(2)?,
                since: r.get(3)?,
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
