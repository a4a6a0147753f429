//! The council's track on a row: what it decided (answer, no input, keep
//! informed, not relevant, or not yet), and what it sent (an input, a
//! hearing response, a letter). The alerts and the papers follow it.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

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
    /// The first response (or input) sent on or after `since`, if any.
    pub fn answered(&self) -> Option<&Sent> {
        self.sent
            .iter()
            .filter(|s| matches!(s.kind, SentKind::Response | SentKind::Input))
            .min_by_key(|s| s.date)
    }
}

impl Store {
    /// Records the council's decision on a row (`Open` undoes it).
    pub fn set_decision(
        &self,
        row: RowId,
        decision: Decision,
        meeting: Option<&str>,
        text: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let n = self.conn.execute(
            "UPDATE overview_rows SET decision = ?2, decision_meeting = ?3, decision_text = ?4,
                decided_at = ?5, changed_at = ?5 WHERE id = ?1",
            params![row, decision.as_str(), meeting, text, fmt_ts(now)],
        )?;
        anyhow::ensure!(n == 1, "raden {row} finnes ikke");
        self.conn.execute(
            "INSERT INTO overview_log (row_id, at, actor, action, new_value, account)
             VALUES (?1, ?2, 'secretariat', 'decided', ?3, ?4)",
            params![row, fmt_ts(now), decision.as_str(), self.account],
        )?;
        Ok(())
    }

    /// Records something the council sent on a row.
    pub fn add_sent(
        &self,
        row: RowId,
        date: Date,
        kind: SentKind,
        url: Option<&str>,
        text: Option<&str>,
        now: Timestamp,
    ) -> anyhow::Result<i64> {
        self.conn.execute(
            "INSERT INTO row_sent (row_id, date, kind, url, text, account, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row,
                date.to_string(),
                kind.as_str(),
                url,
                text,
                self.account,
                fmt_ts(now)
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.conn.execute(
            "INSERT INTO overview_log (row_id, at, actor, action, new_value, account)
             VALUES (?1, ?2, 'secretariat', 'sent', ?3, ?4)",
            params![
                row,
                fmt_ts(now),
                format!("{} {date}", kind.as_str()),
                self.account
            ],
        )?;
        Ok(id)
    }

    /// A row's track.
    pub fn track(&self, row: RowId) -> anyhow::Result<Option<Track>> {
        let head = self
            .conn
            .query_row(
                "SELECT decision, decision_meeting, decision_text, decided_at FROM overview_rows WHERE id = ?1",
                [row],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((decision, meeting, text, decided_at)) = head else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT id, date, kind, url, text FROM row_sent WHERE row_id = ?1 ORDER BY date, id",
        )?;
        let sent = stmt
            .query_map([row], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter_map(|(id, date, kind, url, text)| {
                Some(Sent {
                    id,
                    date: date.parse().ok()?,
                    kind: SentKind::parse(&kind)?,
                    url,
                    text,
                })
            })
            .collect();
        Ok(Some(Track {
            decision: Decision::parse(&decision).unwrap_or(Decision::Open),
            meeting,
            text,
            decided_at,
            sent,
        }))
    }

    /// Everything the council sent from `from` (exclusive) to `to`
    /// (inclusive), oldest first, with its row.
    pub fn sent_between(&self, from: Option<Date>, to: Date) -> anyhow::Result<Vec<(RowId, Sent)>> {
        let mut stmt = self.conn.prepare(
            "SELECT row_id, id, date, kind, url, text FROM row_sent
             WHERE date > ?1 AND date <= ?2 ORDER BY date, id",
        )?;
        let from = from.map(|d| d.to_string()).unwrap_or_default();
        let rows = stmt
            .query_map(params![from, to.to_string()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
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
