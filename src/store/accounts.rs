//! The web page's accounts and sessions. A password is stored only as its
//! Argon2 hash (made by the caller), a session only as the SHA-256 of its
//! token, so the database never holds what would let someone log in.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{Store, fmt_ts};

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    /// The token every form of this session carries.
    pub csrf: String,
    pub expires_at: Timestamp,
}

/// A recorded run, for the status page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub command: String,
    pub started: String,
    pub finished: Option<String>,
    pub outcome: Option<String>,
}

impl Store {
    /// Adds an account; `false` when the name is taken.
    pub fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> anyhow::Result<bool> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
            params![name, password_hash, fmt_ts(now)],
        )?;
        Ok(n == 1)
    }

    /// Removes an account and its sessions; `false` when there was none.
    pub fn remove_user(&mut self, name: &str) -> anyhow::Result<bool> {
        let tx = super::write_tx(&mut self.conn)?;
        tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        let n = tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(n == 1)
    }

    pub fn users(&self) -> anyhow::Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT name FROM users ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets (or with `None` revokes) an account's calendar token.
    pub fn set_calendar_token(&self, user: &str, token: Option<&str>) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE users SET calendar_token = ?2 WHERE name = ?1",
            rusqlite::params![user, token],
        )?;
        Ok(())
    }

    /// An account's calendar token, if it has one.
    pub fn calendar_token(&self, user: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT calendar_token FROM users WHERE name = ?1",
                [user],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Whether a calendar token belongs to an account.
    pub fn calendar_token_valid(&self, token: &str) -> anyhow::Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM users WHERE calendar_token = ?1",
                [token],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    pub fn password_hash(&self, name: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT password_hash FROM users WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Starts a session (and forgets the expired ones).
    pub fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        csrf: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM sessions WHERE expires_at < ?1", [fmt_ts(now)])?;
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user, csrf, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, user, csrf, fmt_ts(now), fmt_ts(expires_at)],
        )?;
        Ok(())
    }

    /// The session a token hash stands for, if it has not expired and its
    /// account still exists.
    pub fn session(&self, token_hash: &str, now: Timestamp) -> anyhow::Result<Option<Session>> {
        let found: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT s.user, s.csrf, s.expires_at FROM sessions s
                 JOIN users u ON u.name = s.user WHERE s.token_hash = ?1",
                [token_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(found.and_then(|(user, csrf, expires)| {
            let expires_at: Timestamp = expires.parse().ok()?;
            (expires_at > now).then_some(Session {
                user,
                csrf,
                expires_at,
            })
        }))
    }

    pub fn end_session(&self, token_hash: &str) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// The last `n` runs of any command, newest first.
    pub fn recent_runs(&self, n: u32) -> anyhow::Result<Vec<RunRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT command, started, finished, outcome FROM runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([n], |r| {
            Ok(RunRecord {
                command: r.get(0)?,
                started: r.get(1)?,
                finished: r.get(2)?,
                outcome: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_with_their_time_or_their_account() {
        let mut store = Store::open_in_memory().unwrap();
        let t0: Timestamp = "2026-11-26T08:00:00Z".parse().unwrap();
        let later = |h: i64| t0 + jiff::SignedDuration::from_hours(h);
        assert!(store.add_user("kari", "$argon2id$x", t0).unwrap());
        assert!(!store.add_user("kari", "$argon2id$y", t0).unwrap(), "taken");
        store
            .create_session("h1", "kari", "c1", t0, later(12))
            .unwrap();
        assert_eq!(store.session("h1", later(1)).unwrap().unwrap().csrf, "c1");
        assert_eq!(store.session("h1", later(13)).unwrap(), None, "expired");
        assert_eq!(store.session("nope", later(1)).unwrap(), None);
        store
            .create_session("h2", "kari", "c2", t0, later(12))
            .unwrap();
        assert!(store.remove_user("kari").unwrap());
        assert_eq!(store.session("h2", later(1)).unwrap(), None, "account gone");
        assert!(!store.remove_user("kari").unwrap());
    }
}
