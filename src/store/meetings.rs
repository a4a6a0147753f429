//! The council's meetings as the secretariat keeps them: added, moved and
//! removed over the calendar `sources.toml` seeds.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::params;

use super::{Store, fmt_ts};

/// A meeting the secretariat added or moved (`Some(date)`) or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: String,
    pub date: Option<Date>,
}

impl Store {
    pub fn put_meeting(&self, id: &str, date: Date, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO meetings (id, date, removed, at, account) VALUES (?1, ?2, 0, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET date = ?2, removed = 0, at = ?3, account = ?4",
            params![id, date.to_string(), fmt_ts(now), self.account],
        )?;
        Ok(())
    }

    pub fn remove_meeting(&self, id: &str, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO meetings (id, date, removed, at, account) VALUES (?1, NULL, 1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET date = NULL, removed = 1, at = ?2, account = ?3",
            params![id, fmt_ts(now), self.account],
        )?;
        Ok(())
    }

    /// What the secretariat changed, oldest change first.
    pub fn stored_meetings(&self) -> anyhow::Result<Vec<StoredMeeting>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, date, removed FROM meetings ORDER BY at, id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        Ok(rows
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(id, date, removed)| StoredMeeting {
                id,
                date: if removed {
                    None
                } else {
                    date.and_then(|d| d.parse().ok())
                },
            })
            .collect())
    }
}
