//! Documents and their change events.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{RunId, Store, fmt_ts};
use crate::model::{DocId, DocInfo, DocKey, DocKind, DocumentPage, EventKind, ListItem, Status};
use crate::norsk::{collapse_ws, fold_label};

/// What storing an observation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    New,
    Changed(Vec<EventKind>),
    Unchanged,
    /// It would change these; asked to hold changes, nothing was stored.
    Held(Vec<EventKind>),
}

impl Applied {
    pub fn is_news(&self) -> bool {
        !matches!(self, Applied::Unchanged)
    }
}

/// Whether a write that would change a known document is stored, or held
/// back (the change circuit breaker decides later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changes {
    Store,
    Hold,
}

struct Known {
    id: DocId,
    title: String,
    deadline: Option<String>,
    status: Status,
    status_text: Option<String>,
    departments: Vec<String>,
    doc_type: String,
    identifier: Option<String>,
    refers_to: Option<String>,
}

/// What observing a document did: the events it made, and whether a field
/// that makes no event but decides relevance, a row or an alert
/// (departments, kind, identifier, what it refers to, summary, topics)
/// changed. The breaker holds both alike.
struct Observed {
    applied: Applied,
    quiet_change: bool,
}

/// Lists of strings as JSON text. (A list of strings always serialises;
/// should it not, an empty list is stored rather than the program stopped.)
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Whether a status observation is a real change. `På høring` and `På
/// høyring` are the same state; two closed states with different words
/// (`Under behandling` → `Ferdigbehandlet`) are a change worth keeping.
fn status_changed(
    old: Status,
    old_text: Option<&str>,
    new: Status,
    new_text: Option<&str>,
) -> bool {
    if new_text.is_none() {
        return false; // the page said nothing about status: keep what we know
    }
    if old != new {
        return true;
    }
    new != Status::Open && old_text.map(fold_label) != new_text.map(fold_label)
}

/// Who is writing an observation and in what role: the run, and whether
/// what it changes corrects a value an untrusted page had put there.
#[derive(Debug, Clone, Copy)]
struct Writer<'a> {
    source: &'a str,
    now: &'a str,
    run: Option<RunId>,
    correction: bool,
}

fn insert_event(
    tx: &Transaction<'_>,
    id: DocId,
    w: Writer<'_>,
    kind: EventKind,
    old: Option<&str>,
    new: Option<&str>,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO events (doc_id, at, kind, old_value, new_value, run_id, correction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id.0 as i64,
            w.now,
            kind.as_str(),
            old,
            new,
            w.run,
            w.correction
        ],
    )?;
    Ok(())
}

/// Stores an observation of a document inside `tx`, recording every change
/// of title, deadline or status as an event. Fields the page did not give
/// (no deadline on a NOU list item) never erase what is known.
/// The store's number for a new document: the site's own number when it
/// is one and free, else the next free one.
fn new_id(tx: &Transaction<'_>, key: &DocKey) -> rusqlite::Result<Option<i64>> {
    let Some(n) = key.number().and_then(|n| i64::try_from(n).ok()) else {
        return Ok(None);
    };
    let taken = tx
        .query_row("SELECT 1 FROM documents WHERE id = ?1", [n], |_| Ok(()))
        .optional()?
        .is_some();
    Ok((!taken).then_some(n))
}

/// The store's number of a known document.
pub(super) fn id_of(tx: &rusqlite::Connection, key: &DocKey) -> rusqlite::Result<Option<DocId>> {
    tx.query_row(
        "SELECT id FROM documents WHERE site = ?1 AND site_id = ?2",
        params![key.site, key.id],
        |r| Ok(DocId(r.get::<_, i64>(0)? as u64)),
    )
    .optional()
}

fn apply_observed(tx: &Transaction<'_>, o: &DocInfo, w: Writer<'_>) -> rusqlite::Result<Observed> {
    let (source, now) = (w.source, w.now);
    let known = tx
        .query_row(
            "SELECT id, title, deadline, status, status_text, departments, doc_type, identifier, refers_to
             FROM documents WHERE site = ?1 AND site_id = ?2",
            params![o.key.site, o.key.id],
            |r| {
                Ok(Known {
                    id: DocId(r.get::<_, i64>(0)? as u64),
                    title: r.get(1)?,
                    deadline: r.get(2)?,
                    status: Status::parse(&r.get::<_, String>(3)?),
                    status_text: r.get(4)?,
                    departments: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                    doc_type: r.get(6)?,
                    identifier: r.get(7)?,
                    refers_to: r.get(8)?,
                })
            },
        )
        .optional()?;
    let title = collapse_ws(&o.title);
    let published = o.published.map(|d| d.to_string());
    let deadline = o.deadline.map(|d| d.to_string());
    let identifier = o.identifier.map(|x| x.to_string());
    let refers_to = o.refers_to.map(|x| x.to_string());
    let Some(known) = known else {
        tx.execute(
            "INSERT INTO documents (id, url, title, doc_type, doc_type_text, identifier, refers_to,
                departments, summary, published, deadline, status, status_text, source, first_seen, last_seen,
                site, site_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?17)",
            params![
                new_id(tx, &o.key)?,
                o.url,
                title,
                o.doc_type.as_str(),
                o.doc_type_text,
                identifier,
                refers_to,
                json(&o.departments),
                o.summary,
                published,
                deadline,
                o.status.as_str(),
                o.status_text,
                source,
                now,
                o.key.site,
                o.key.id,
            ],
        )?;
        let id = DocId(tx.last_insert_rowid() as u64);
        insert_event(tx, id, w, EventKind::New, None, Some(&title))?;
        return Ok(Observed {
            applied: Applied::New,
            quiet_change: false,
        });
    };
    let id = known.id;

    let mut changes = Vec::new();
    if collapse_ws(&known.title) != title {
        insert_event(
            tx,
            id,
            w,
            EventKind::TitleChanged,
            Some(&known.title),
            Some(&title),
        )?;
        changes.push(EventKind::TitleChanged);
    }
    if deadline.is_some() && deadline != known.deadline {
        insert_event(
            tx,
            id,
            w,
            EventKind::DeadlineChanged,
            known.deadline.as_deref(),
            deadline.as_deref(),
        )?;
        changes.push(EventKind::DeadlineChanged);
    }
    if status_changed(
        known.status,
        known.status_text.as_deref(),
        o.status,
        o.status_text.as_deref(),
    ) {
        let describe =
            |s: Status, t: Option<&str>| t.map_or_else(|| s.as_str().to_string(), str::to_string);
        insert_event(
            tx,
            id,
            w,
            EventKind::StatusChanged,
            Some(&describe(known.status, known.status_text.as_deref())),
            Some(&describe(o.status, o.status_text.as_deref())),
        )?;
        changes.push(EventKind::StatusChanged);
    }
    // A list item may name several departments where the page names one
    // owner: keep the fuller list.
    let departments = if o.departments.len() >= known.departments.len() {
        o.departments.to_vec()
    } else {
        known.departments.clone()
    };
    // A value filled in where none was (a page read after its list item)
    // is not a change; a value that differs from one already known is.
    let quiet_change = (!known.departments.is_empty() && departments != known.departments)
        || (o.doc_type != crate::model::DocKind::Annet
            && known.doc_type != "annet"
            && o.doc_type.as_str() != known.doc_type)
        || (known.identifier.is_some() && identifier != known.identifier)
        || (known.refers_to.is_some() && refers_to != known.refers_to);
    tx.execute(
        "UPDATE documents SET
            url = ?2, title = ?3,
            doc_type = CASE WHEN ?4 = 'annet' THEN doc_type ELSE ?4 END,
            doc_type_text = CASE WHEN ?5 = '' THEN doc_type_text ELSE ?5 END,
            identifier = ?6, refers_to = ?7, departments = ?8,
            summary = COALESCE(summary, ?9),
            published = COALESCE(?10, published),
            deadline = COALESCE(?11, deadline),
            status = CASE WHEN ?13 IS NULL THEN status ELSE ?12 END,
            status_text = COALESCE(?13, status_text),
            last_seen = ?14,
            match_stale = CASE WHEN title = ?3 AND ?15 = 0 THEN match_stale ELSE 1 END
         WHERE id = ?1",
        params![
            id.0 as i64,
            o.url,
            title,
            o.doc_type.as_str(),
            o.doc_type_text,
            identifier,
            refers_to,
            json(&departments),
            o.summary,
            published,
            deadline,
            o.status.as_str(),
            o.status_text,
            now,
            quiet_change,
        ],
    )?;
    Ok(Observed {
        applied: if changes.is_empty() {
            Applied::Unchanged
        } else {
            Applied::Changed(changes)
        },
        quiet_change,
    })
}

/// With [`Changes::Hold`], whether this observation must be held: it made
/// events, or changed a field that decides relevance.
fn must_hold(o: &Observed, changes: Changes) -> Option<Applied> {
    if changes != Changes::Hold {
        return None;
    }
    match &o.applied {
        Applied::Changed(kinds) => Some(Applied::Held(kinds.clone())),
        Applied::Unchanged if o.quiet_change => Some(Applied::Held(Vec::new())),
        _ => None,
    }
}

/// A document page to fetch: which, where, the source that found it, and
/// whether reading it repairs an address that could not be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageToRead {
    pub id: DocId,
    pub key: DocKey,
    pub url: String,
    pub source: String,
    pub repair: bool,
    /// What is known without the page, for deciding whether to read it.
    pub kind: DocKind,
    pub status: Status,
    pub deadline: Option<jiff::civil::Date>,
    pub title: String,
}

/// A stored document's address, for checking it against its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddress {
    pub id: DocId,
    pub key: DocKey,
    pub url: String,
    pub source: String,
}

impl Store {
    /// Stores what a list page says of one item. With [`Changes::Hold`], an
    /// item that would change a known document is not stored
    /// ([`Applied::Held`]).
    pub fn apply_list_item(
        &mut self,
        item: &ListItem,
        source: &str,
        now: Timestamp,
        run: Option<RunId>,
        changes: Changes,
    ) -> anyhow::Result<Applied> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let w = Writer {
            source,
            now: &now,
            run,
            correction: false,
        };
        let observed = apply_observed(&tx, item, w)?;
        if let Some(held) = must_hold(&observed, changes) {
            tx.rollback()?;
            return Ok(held);
        }
        tx.commit()?;
        Ok(observed.applied)
    }

    /// Stores what a document page says, and marks its detail as read.
    /// When the document was being repaired, what the page changes is
    /// recorded as a correction.
    pub fn apply_document(
        &mut self,
        page: &DocumentPage,
        source: &str,
        now: Timestamp,
        run: Option<RunId>,
        changes: Changes,
    ) -> anyhow::Result<Applied> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let (repair, known_topics, known_summary): (bool, Option<String>, Option<String>) = tx
            .query_row(
                "SELECT repair, topics, summary FROM documents WHERE site = ?1 AND site_id = ?2",
                params![page.info.key.site, page.info.key.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .unwrap_or((false, None, None));
        let w = Writer {
            source,
            now: &now,
            run,
            correction: repair,
        };
        let mut observed = apply_observed(&tx, &page.info, w)?;
        // A page read before: its topics and summary decide relevance too.
        let page_read_before = known_topics.as_deref().is_some_and(|t| t != "[]");
        if page_read_before {
            observed.quiet_change |= known_topics.as_deref() != Some(json(&page.topics).as_str())
                || (known_summary.is_some()
                    && page.info.summary.is_some()
                    && page.info.summary != known_summary);
        }
        let applied = observed.applied.clone();
        if !repair && let Some(held) = must_hold(&observed, changes) {
            tx.rollback()?;
            return Ok(held);
        }
        tx.execute(
            "UPDATE documents SET
                summary = COALESCE(?2, summary),
                topics = ?3, language = ?4, owner_id = ?5, last_modified = ?6, reference = ?7,
                attachments = ?8, consultees = ?9, response_url = ?10,
                detail_fetched = ?11, detail_checked = ?11, detail_attempts = 0, detail_error = NULL,
                match_stale = 1, repair = 0
             WHERE site = ?12 AND site_id = ?1",
            params![
                page.info.key.id,
                page.info.summary,
                json(&page.topics),
                page.language,
                page.owner_id.map(|o| o as i64),
                page.last_modified,
                page.reference,
                json(&page.attachments),
                json(&page.consultees),
                page.response_url,
                now,
                page.info.key.site,
            ],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// Records a document known only from a feed item: its page is still to
    /// be read. Returns `true` if the document was new.
    pub fn apply_stub(
        &mut self,
        key: &DocKey,
        url: &str,
        title: &str,
        source: &str,
        now: Timestamp,
        run: Option<RunId>,
    ) -> anyhow::Result<bool> {
        let now = fmt_ts(now);
        let tx = super::write_tx(&mut self.conn)?;
        let title = collapse_ws(title);
        let inserted = match id_of(&tx, key)? {
            Some(id) => {
                tx.execute(
                    "UPDATE documents SET last_seen = ?2 WHERE id = ?1",
                    params![id.0 as i64, now],
                )?;
                false
            }
            None => {
                tx.execute(
                    "INSERT INTO documents (id, url, title, doc_type, source, first_seen, last_seen, site, site_id)
                     VALUES (?1, ?2, ?3, 'annet', ?4, ?5, ?5, ?6, ?7)",
                    params![new_id(&tx, key)?, url, title, source, now, key.site, key.id],
                )?;
                let id = DocId(tx.last_insert_rowid() as u64);
                let w = Writer {
                    source,
                    now: &now,
                    run,
                    correction: false,
                };
                insert_event(&tx, id, w, EventKind::New, None, Some(&title))?;
                true
            }
        };
        tx.commit()?;
        Ok(inserted)
    }

    /// Every stored document's address and source, for checking.
    pub fn addresses(&self) -> anyhow::Result<Vec<StoredAddress>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, url, source, site, site_id FROM documents ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredAddress {
                key: DocKey::new(&r.get::<_, String>(3)?, r.get::<_, String>(4)?),
                id: DocId(r.get::<_, i64>(0)? as u64),
                url: r.get(1)?,
                source: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Gives a document whose address cannot be trusted a trusted one, and
    /// has its page read again by the next poll; what that reading changes
    /// is recorded as a correction.
    pub fn repair_address(&self, id: DocId, url: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE documents SET url = ?2, repair = 1, detail_fetched = NULL,
                detail_attempts = 0, detail_error = NULL WHERE id = ?1",
            params![id.0 as i64, url],
        )?;
        Ok(())
    }

    /// The page was fetched again and had not changed (304, or the same
    /// content).
    pub fn mark_detail_checked(&self, id: DocId, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE documents SET detail_checked = ?2, detail_fetched = COALESCE(detail_fetched, ?2),
                detail_attempts = 0, detail_error = NULL, repair = 0 WHERE id = ?1",
            params![id.0 as i64, fmt_ts(now)],
        )?;
        Ok(())
    }

    /// The page could not be read; it is tried again next run, up to the
    /// configured number of attempts.
    pub fn mark_detail_failed(&self, id: DocId, error: &str, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE documents SET detail_attempts = detail_attempts + 1, detail_error = ?2,
                detail_checked = ?3 WHERE id = ?1",
            params![id.0 as i64, error, fmt_ts(now)],
        )?;
        Ok(())
    }

    /// Documents whose page has not been read yet, newest id first; not
    /// those judged not worth reading under these themes (`themes`).
    pub fn pending_details(
        &self,
        max_attempts: u32,
        themes: &str,
    ) -> anyhow::Result<Vec<PageToRead>> {
        self.pages_where(
            "detail_fetched IS NULL AND detail_attempts < ?1
               AND (page_skipped IS NULL OR page_skipped <> ?2)
             ORDER BY COALESCE(published, '') DESC, id DESC",
            params![max_attempts, themes],
        )
    }

    /// The document's page is not worth a request under these themes.
    pub fn skip_page(&self, id: DocId, themes: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE documents SET page_skipped = ?2 WHERE id = ?1",
            params![id.0 as i64, themes],
        )?;
        Ok(())
    }

    /// The document's page is to be judged again (the secretariat pinned it).
    pub fn unskip_page(&self, id: DocId) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE documents SET page_skipped = NULL WHERE id = ?1",
            [id.0 as i64],
        )?;
        Ok(())
    }

    /// Open hearings (by status, or by a deadline not yet passed when the
    /// status is unknown) whose page was last checked before `checked_before`.
    pub fn due_rechecks(
        &self,
        checked_before: Timestamp,
        today: jiff::civil::Date,
    ) -> anyhow::Result<Vec<PageToRead>> {
        self.pages_where(
            "detail_fetched IS NOT NULL
               AND (status = 'open' OR (status = 'unknown' AND deadline >= ?2))
               AND (detail_checked IS NULL OR detail_checked < ?1)
             ORDER BY deadline, id",
            params![fmt_ts(checked_before), today.to_string()],
        )
    }

    fn pages_where(
        &self,
        cond: &str,
        args: impl rusqlite::Params,
    ) -> anyhow::Result<Vec<PageToRead>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, url, source, repair, site, site_id, doc_type, status, deadline, title
             FROM documents WHERE {cond}"
        ))?;
        let rows = stmt.query_map(args, |r| {
            Ok(PageToRead {
                key: DocKey::new(&r.get::<_, String>(4)?, r.get::<_, String>(5)?),
                kind: DocKind::parse(&r.get::<_, String>(6)?).unwrap_or(DocKind::Annet),
                status: Status::parse(&r.get::<_, String>(7)?),
                deadline: r.get::<_, Option<String>>(8)?.and_then(|d| d.parse().ok()),
                title: r.get(9)?,
                id: DocId(r.get::<_, i64>(0)? as u64),
                url: r.get(1)?,
                source: r.get(2)?,
                repair: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
