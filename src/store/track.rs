//! The council's track on a row: what it decided (answer, no input, keep
//! informed, not relevant, or not yet), and what it sent (an input, a
//! hearing response, a letter). The alerts and the papers follow it.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

use std::collections::HashMap;

use super::overview::{Actor, Change};
use super::{RowId, Store, fmt_ts};
use crate::model::DocId;

/// The council's decision on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not decided yet (the default).
    Open,
    /// The council will give input or a hearing response.
    Answer,
    /// The council gives no input.
    NoInput,
    /// No input, but the council wants to be kept informed.
    Inform,
    /// Not relevant for the council.
    NotRelevant,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Open => "open",
            Decision::Answer => "answer",
            Decision::NoInput => "no_input",
            Decision::Inform => "inform",
            Decision::NotRelevant => "not_relevant",
        }
    }

    /// From the store, or the command line's words (`no-input`).
    pub fn parse(s: &str) -> Option<Decision> {
        Some(match s.replace('-', "_").as_str() {
            "open" => Decision::Open,
            "answer" => Decision::Answer,
            "no_input" => Decision::NoInput,
            "inform" => Decision::Inform,
            "not_relevant" => Decision::NotRelevant,
            _ => return None,
        })
    }

    /// Whether the council means to answer (or has not said): reminders
    /// of the deadline go only then.
    pub fn may_answer(self) -> bool {
        matches!(self, Decision::Open | Decision::Answer)
    }

    /// The words the council's table uses for it.
    pub fn words(self) -> Option<&'static str> {
        match self {
            Decision::Open => None,
            Decision::Answer => Some("Rådet ønsker å gi innspill"),
            Decision::NoInput => Some("Innspill ikke aktuelt"),
            Decision::Inform => Some("Rådet gir ikke innspill, men ønsker å bli orientert"),
            Decision::NotRelevant => Some("Ikke relevant for rådet"),
        }
    }
}

/// What the council sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentKind {
    Input,
    Response,
    Letter,
}

impl SentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SentKind::Input => "input",
            SentKind::Response => "response",
            SentKind::Letter => "letter",
        }
    }

    pub fn parse(s: &str) -> Option<SentKind> {
        Some(match s {
            "input" => SentKind::Input,
            "response" => SentKind::Response,
            "letter" => SentKind::Letter,
            _ => return None,
        })
    }

    /// As the council's table names it.
    pub fn words(self) -> &'static str {
        match self {
            SentKind::Input => "Innspill",
            SentKind::Response => "Høringsuttalelse",
            SentKind::Letter => "Brev",
        }
    }
}

/// One thing the council sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    pub id: i64,
    pub date: Date,
    pub kind: SentKind,
    pub url: Option<String>,
    pub text: Option<String>,
}

/// A row's track.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Track {
    pub decision: Decision,
    pub meeting: Option<String>,
    pub text: Option<String>,
    pub decided_at: Option<String>,
    pub sent: Vec<Sent>,
}

impl Track {
    /// The council's answer to a hearing opened on `since`: the first
    /// response or input sent on or after that day (one sent before was
    /// for something earlier on the row, such as the ministry's hearing
    /// before the Storting committee's).
    pub fn answered(&self, since: Option<Date>) -> Option<&Sent> {
        self.sent
            .iter()
            .filter(|s| matches!(s.kind, SentKind::Response | SentKind::Input))
            .filter(|s| since.is_none_or(|d| s.date >= d))
            .min_by_key(|s| s.date)
    }
}

/// `row_sent` lines as (row, what was sent), in date order, for the rows
/// and dates `filter` (an SQL condition on its `?1`, `?2`) selects.
fn sent_rows(
    conn: &rusqlite::Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> anyhow::Result<Vec<(RowId, Sent)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT row_id, id, date, kind, url, text FROM row_sent WHERE {filter} ORDER BY date, id"
    ))?;
    let rows = stmt
        .query_map(args, |r| {
            Ok((
                r.get::<_, RowId>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(row, id, date, kind, url, text)| {
            Some((
                row,
                Sent {
                    id,
                    date: date.parse().ok()?,
                    kind: SentKind::parse(&kind)?,
                    url,
                    text,
                },
            ))
        })
        .collect())
}

type Head = (String, Option<String>, Option<String>, Option<String>);

fn track_of(head: Head, sent: Vec<Sent>) -> Track {
    let (decision, meeting, text, decided_at) = head;
    Track {
        decision: Decision::parse(&decision).unwrap_or(Decision::Open),
        meeting,
        text,
        decided_at,
        sent,
    }
}

impl Store {
    /// Records the council's decision on a row (`Open` undoes it), in the
    /// row's history with the account.
    pub fn set_decision(
        &mut self,
        row: RowId,
        decision: Decision,
        meeting: Option<&str>,
        text: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let n = tx.execute(
            "UPDATE overview_rows SET decision = ?2, decision_meeting = ?3, decision_text = ?4,
                decided_at = ?5, changed_at = ?5 WHERE id = ?1",
            params![row, decision.as_str(), meeting, text, now],
        )?;
        anyhow::ensure!(n == 1, "raden {row} finnes ikke");
        super::overview::log(
            &tx,
            row,
            &now,
            (Actor::Secretariat, self.account.as_deref()),
            Change {
                col: None,
                action: "decided",
                old: None,
                new: Some(decision.as_str()),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records something the council sent on a row, in the row's history
    /// with the account.
    pub fn add_sent(
        &mut self,
        row: RowId,
        date: Date,
        kind: SentKind,
        url: Option<&str>,
        text: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<i64> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        tx.execute(
            "INSERT INTO row_sent (row_id, date, kind, url, text, account, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row,
                date.to_string(),
                kind.as_str(),
                url,
                text,
                self.account,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        super::overview::log(
            &tx,
            row,
            &now,
            (Actor::Secretariat, self.account.as_deref()),
            Change {
                col: None,
                action: "sent",
                old: None,
                new: Some(&format!("{} {date}", kind.as_str())),
            },
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// A row's track.
    pub fn track(&self, row: RowId) -> anyhow::Result<Option<Track>> {
        let head: Option<Head> = self
            .conn
            .query_row(
                "SELECT decision, decision_meeting, decision_text, decided_at FROM overview_rows WHERE id = ?1",
                [row],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some(head) = head else {
            return Ok(None);
        };
        let sent = sent_rows(&self.conn, "row_id = ?1", [row])?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        Ok(Some(track_of(head, sent)))
    }

    /// Every active row's track, in two queries (the table's sync reads
    /// them all each run).
    pub fn active_tracks(&self) -> anyhow::Result<HashMap<RowId, Track>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, decision, decision_meeting, decision_text, decided_at FROM overview_rows
             WHERE state = 'active'",
        )?;
        let mut out: HashMap<RowId, Track> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, RowId>(0)?,
                    (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
                ))
            })?
            .collect::<Result<Vec<(RowId, Head)>, _>>()?
            .into_iter()
            .map(|(id, head)| (id, track_of(head, Vec::new())))
            .collect();
        for (row, s) in sent_rows(
            &self.conn,
            "row_id IN (SELECT id FROM overview_rows WHERE state = 'active')",
            [],
        )? {
            if let Some(t) = out.get_mut(&row) {
                t.sent.push(s);
            }
        }
        Ok(out)
    }

    /// Everything the council sent from `from` (exclusive) to `to`
    /// (inclusive), oldest first, with its row.
    pub fn sent_between(&self, from: Option<Date>, to: Date) -> anyhow::Result<Vec<(RowId, Sent)>> {
        let from = from.map(|d| d.to_string()).unwrap_or_default();
        sent_rows(
            &self.conn,
            "date > ?1 AND date <= ?2",
            params![from, to.to_string()],
        )
    }

    /// The track of the active row a document belongs to (as its item or
    /// as a hearing about it), if it is on one.
    pub fn track_of_doc(&self, doc: DocId) -> anyhow::Result<Option<Track>> {
        let row: Option<RowId> = self
            .conn
            .query_row(
                "SELECT id FROM overview_rows WHERE (doc_id = ?1 OR hearing_doc_id = ?1)
                 AND state = 'active' ORDER BY id LIMIT 1",
                [doc.0 as i64],
                |r| r.get(0),
            )
            .optional()?;
        match row {
            Some(r) => self.track(r),
            None => Ok(None),
        }
    }
}
