//! The schema and its migrations, versioned by `PRAGMA user_version`.
//!
//! Each migration runs in one transaction together with the bump of
//! `user_version`, so a database is always at exactly one version.

use rusqlite::Connection;

/// The migrations in order; `MIGRATIONS[i]` takes a database from version
/// `i` to `i + 1`. Never edit a released one: add the next.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, events, the fetch log, the HTTP cache, source health.
    r#"
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,   -- regjeringen.no id (/id<N>/)
    url             TEXT NOT NULL,
    title           TEXT NOT NULL,
    doc_type        TEXT NOT NULL,         -- horing, nou, meld_st, …
    doc_type_text   TEXT NOT NULL DEFAULT '',
    identifier      TEXT,                  -- NOU 2026: 6
    refers_to       TEXT,                  -- a hearing's NOU / Meld. St.
    departments     TEXT NOT NULL DEFAULT '[]',
    summary         TEXT,
    published       TEXT,                  -- ISO date
    deadline        TEXT,                  -- ISO date, Europe/Oslo
    status          TEXT NOT NULL DEFAULT 'unknown',
    status_text     TEXT,
    topics          TEXT NOT NULL DEFAULT '[]',
    language        TEXT,
    owner_id        INTEGER,
    last_modified   TEXT,
    reference       TEXT,
    attachments     TEXT NOT NULL DEFAULT '[]',
    consultees      TEXT NOT NULL DEFAULT '[]',
    response_url    TEXT,
    source          TEXT NOT NULL,         -- the source that found it first
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    detail_fetched  TEXT,                  -- NULL: the page is still to be read
    detail_checked  TEXT,
    detail_attempts INTEGER NOT NULL DEFAULT 0,
    detail_error    TEXT
);
CREATE INDEX documents_open ON documents(status, deadline);
CREATE INDEX documents_identifier ON documents(identifier);
CREATE INDEX documents_pending ON documents(detail_fetched) WHERE detail_fetched IS NULL;

CREATE TABLE runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    command   TEXT NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    outcome   TEXT
);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id     INTEGER NOT NULL REFERENCES documents(id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,     -- new, deadline_changed, status_changed, title_changed
    old_value  TEXT,
    new_value  TEXT,
    run_id     INTEGER REFERENCES runs(id)
);
CREATE INDEX events_doc ON events(doc_id, id);

CREATE TABLE fetch_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER REFERENCES runs(id),
    url           TEXT NOT NULL,
    at            TEXT NOT NULL,
    status        INTEGER,
    not_modified  INTEGER NOT NULL DEFAULT 0,
    etag          TEXT,
    last_modified TEXT,
    bytes         INTEGER NOT NULL DEFAULT 0,
    duration_ms   INTEGER NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    error         TEXT
);
CREATE INDEX fetch_log_url ON fetch_log(url, id);

CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    content_hash  TEXT,
    stored_at     TEXT NOT NULL,
    body          TEXT              -- kept only for robots.txt
);

CREATE TABLE sources (
    name                 TEXT PRIMARY KEY,
    last_success         TEXT,
    last_failure         TEXT,
    last_error           TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    items_seen           INTEGER NOT NULL DEFAULT 0,
    resume_page          INTEGER     -- an interrupted walk continues to here
);
"#,
    // 2: theme matching, the secretariat's overrides, and a key-value table.
    r#"
ALTER TABLE documents ADD COLUMN match_stale INTEGER NOT NULL DEFAULT 1;

CREATE TABLE matches (
    doc_id         INTEGER PRIMARY KEY REFERENCES documents(id),
    relevant       INTEGER NOT NULL,
    score          REAL NOT NULL,
    verdict        TEXT NOT NULL,      -- JSON: themes, hits, signals
    themes_version TEXT NOT NULL,
    matched_at     TEXT NOT NULL
);
CREATE INDEX matches_relevant ON matches(relevant);

CREATE TABLE overrides (
    doc_id  INTEGER PRIMARY KEY REFERENCES documents(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('pin', 'dismiss')),
    reason  TEXT,
    at      TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // 3: the overview table ("Oversikt meldinger og strategier").
    r#"
CREATE TABLE overview_rows (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    position       INTEGER NOT NULL,
    doc_id         INTEGER REFERENCES documents(id),   -- the row's document
    hearing_doc_id INTEGER REFERENCES documents(id),   -- a hearing about it
    identifier     TEXT,                               -- NOU 2026: 6, for linking
    origin         TEXT NOT NULL,                      -- manual, import, crawler
    state          TEXT NOT NULL DEFAULT 'active'
                   CHECK (state IN ('active', 'archived', 'dismissed')),
    created_at     TEXT NOT NULL,
    changed_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX overview_rows_doc ON overview_rows(doc_id) WHERE doc_id IS NOT NULL;
CREATE INDEX overview_rows_identifier ON overview_rows(identifier);

CREATE TABLE overview_cells (
    row_id      INTEGER NOT NULL REFERENCES overview_rows(id),
    col         TEXT NOT NULL,
    auto_text   TEXT,          -- kept current by the crawler
    manual_text TEXT,          -- the secretariat's; shown when present
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (row_id, col)
);

CREATE TABLE overview_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    row_id    INTEGER NOT NULL REFERENCES overview_rows(id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,   -- crawler, secretariat
    col       TEXT,            -- NULL for row events
    action    TEXT NOT NULL,   -- added, edited, cleared, updated, linked, archived, dismissed, restored
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX overview_log_row ON overview_log(row_id, id);
"#,
    // 4: the delivery ledger: one line per recipient, channel and alert.
    r#"
CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient  TEXT NOT NULL,
    channel    TEXT NOT NULL,           -- email, webhook:<name>
    alert_key  TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    first_at   TEXT NOT NULL,
    last_at    TEXT NOT NULL,
    sent_at    TEXT,
    last_error TEXT,
    UNIQUE (recipient, channel, alert_key)
);
CREATE INDEX deliveries_state ON deliveries(state);
"#,
    // 5: outages of a source, so that a break and a recovery are told once.
    r#"
ALTER TABLE sources ADD COLUMN failing_since TEXT;   -- first failure of the current streak
ALTER TABLE sources ADD COLUMN recovered_from TEXT;  -- failing_since of the last streak that ended
ALTER TABLE sources ADD COLUMN streak_peak INTEGER NOT NULL DEFAULT 0;
"#,
    // 6: repairs. A document whose stored address cannot be trusted (an
    // earlier release followed redirects to other hosts) is read again, and
    // what that reading changes back is a correction, not news.
    r#"
ALTER TABLE documents ADD COLUMN repair INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN correction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN held_changes INTEGER;   -- the breaker held this many back
"#,
    // 7: the delivery ledger keyed by where a message goes (an e-mail
    // address; a webhook's host and URL hash), not by a display name; and
    // what each line is about, for `status`.
    r#"
ALTER TABLE deliveries ADD COLUMN doc_id INTEGER;
ALTER TABLE deliveries ADD COLUMN headline TEXT;
"#,
    // 8: the secretariat's paragraph under a row in the case, and links
    // the sync proposes between a crawled document and a hand-made row.
    r#"
ALTER TABLE overview_rows ADD COLUMN note TEXT;

CREATE TABLE overview_proposals (
    row_id  INTEGER NOT NULL REFERENCES overview_rows(id),
    doc_id  INTEGER NOT NULL REFERENCES documents(id),
    reason  TEXT NOT NULL,
    state   TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'rejected')),
    at      TEXT NOT NULL,
    PRIMARY KEY (row_id, doc_id)
);
"#,
    // 9: one vocabulary for how a run ended (poll wrote sources_failed, run
    // wrote failed_partly).
    r#"
UPDATE runs SET outcome = 'partial' WHERE outcome IN ('sources_failed', 'failed_partly');
"#,
    // 10: documents keyed by (site, the site's id). Every document so far
    // is regjeringen.no's, and its number stays the store's own (so every
    // event, row, match, override, delivery and proposal keeps pointing at
    // it). `page_skipped`: the themes version under which the document's
    // own page was judged not worth a request.
    r#"
ALTER TABLE documents ADD COLUMN site TEXT NOT NULL DEFAULT 'regjeringen';
ALTER TABLE documents ADD COLUMN site_id TEXT NOT NULL DEFAULT '';
UPDATE documents SET site_id = CAST(id AS TEXT);
CREATE UNIQUE INDEX documents_key ON documents(site, site_id);
ALTER TABLE documents ADD COLUMN page_skipped TEXT;
"#,
    // 11: the web page's accounts and sessions. A password is kept only as
    // its Argon2 hash, a session only as the SHA-256 of its token. And the
    // themes a verdict matched, as `,H2,A4,`, for filtering by theme.
    r#"
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
ALTER TABLE matches ADD COLUMN themes TEXT NOT NULL DEFAULT '';
UPDATE matches SET themes = COALESCE((
    SELECT ',' || group_concat(json_extract(t.value, '$.id'), ',') || ','
    FROM json_each(matches.verdict, '$.themes') t
    WHERE json_extract(t.value, '$.matched') = 1), '');
"#,
    // 12: who did what: the account with every change the secretariat
    // makes, and the logins, logouts and other actions.
    r#"
ALTER TABLE overview_log ADD COLUMN account TEXT;
ALTER TABLE overrides ADD COLUMN account TEXT;
ALTER TABLE deliveries ADD COLUMN settled_by TEXT;
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    action  TEXT NOT NULL,   -- login, logout, login_failed, accept_changes, …
    detail  TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
-- What the change circuit breaker held back, for the Status page: per
-- source, each document's field as stored and as the site now says.
CREATE TABLE held_changes (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    source   TEXT NOT NULL,
    doc_key  TEXT NOT NULL,
    title    TEXT NOT NULL,
    field    TEXT NOT NULL,
    stored   TEXT,
    new      TEXT,
    at       TEXT NOT NULL
);
CREATE INDEX held_changes_source ON held_changes(source);
-- The council's track on a row: its decision, and what it sent.
ALTER TABLE overview_rows ADD COLUMN decision TEXT NOT NULL DEFAULT 'open';
ALTER TABLE overview_rows ADD COLUMN decision_meeting TEXT;
ALTER TABLE overview_rows ADD COLUMN decision_text TEXT;
ALTER TABLE overview_rows ADD COLUMN decided_at TEXT;
CREATE TABLE row_sent (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    row_id  INTEGER NOT NULL REFERENCES overview_rows(id),
    date    TEXT NOT NULL,          -- ISO date it was sent
    kind    TEXT NOT NULL CHECK (kind IN ('input', 'response', 'letter')),
    url     TEXT,
    text    TEXT,
    account TEXT,
    at      TEXT NOT NULL
);
CREATE INDEX row_sent_row ON row_sent(row_id);
-- Meetings the secretariat keeps (added, moved, removed), over the
-- calendar sources.toml seeds.
CREATE TABLE meetings (
    id      TEXT PRIMARY KEY,     -- 3/2026
    date    TEXT,                 -- ISO date; NULL with removed
    removed INTEGER NOT NULL DEFAULT 0,
    at      TEXT NOT NULL,
    account TEXT
);
-- A member's own calendar address (a random token), revocable.
ALTER TABLE users ADD COLUMN calendar_token TEXT;
"#,
];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`CURRENT_VERSION`]. A database from a newer
/// policywatch is refused rather than guessed at.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > CURRENT_VERSION {
        anyhow::bail!(
            "databasen har skjemaversjon {version}, men denne policywatch kjenner bare til {CURRENT_VERSION}; oppgrader policywatch"
        );
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = super::write_tx(conn)?;
        // Another process may have migrated while this one waited for the
        // write lock: read the version again under the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
        tracing::debug!(version = i + 1, "databaseskjema oppdatert");
    }
    if version == 0 {
        tracing::debug!(version = CURRENT_VERSION, "ny database");
    } else if version < CURRENT_VERSION {
        tracing::info!(
            from = version,
            to = CURRENT_VERSION,
            "databaseskjema oppdatert"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_database_is_migrated_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO documents (id, url, title, doc_type, source, first_seen, last_seen)
                 VALUES (1, 'u', 'Gammel høring', 'horing', 's', 't', 't')",
                [],
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
        let doc = store.document(crate::model::DocId(1)).unwrap().unwrap();
        assert_eq!(doc.title, "Gammel høring");
        // The new column says it still needs matching.
        assert_eq!(store.stale_for_matching().unwrap().len(), 1);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = crate::store::Store::open(&path).err().unwrap();
        assert!(
            format!("{err:#}").contains("oppgrader policywatch"),
            "{err:#}"
        );
    }
}
