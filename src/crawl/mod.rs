//! One poll: walk each source's list or feed, read the pages of new
//! documents, re-check open hearings, and store it all. Fetch → parse →
//! store; the state only advances after a page was fetched and parsed
//! whole, so a bad minute on the site never changes what is stored. When
//! one run would change many documents at once, the changes are held, not
//! stored (see [`breaker`]).

mod breaker;
mod detail;
mod index;
mod repair;

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::clock::Clock;
use crate::config::{Config, Source};
use crate::fetch::{FetchError, FetchErrorKind, FetchStats, Fetcher, Outcome, Page, RobotsCache};
use crate::matching::Matcher;
use crate::model::DocKey;
use crate::sources::{ParseError, ParseErrorKind};
use crate::store::{Applied, RunId, Store};
use breaker::Held;

/// What to poll.
#[derive(Debug, Clone, Default)]
pub struct PollOptions {
    /// Only these sources (all enabled ones when empty).
    pub sources: Vec<String>,
    /// Walk this many list pages back (a first load).
    pub backfill: Option<u32>,
    /// Store every change even when many come at once (the secretariat
    /// has checked that the site really changed them).
    pub accept_changes: bool,
    /// Start no fetch after this instant.
    pub deadline: Option<Instant>,
    /// Save every page fetched here, with its address, time and headers.
    pub save_pages: Option<std::path::PathBuf>,
}

/// Why a source failed, for scripts and tests (`error_kind` in `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", content = "kind", rename_all = "snake_case")]
pub enum FailureKind {
    /// A page could not be fetched.
    Fetch(FetchErrorKind),
    /// A page was fetched but is not what it should be.
    Page(ParseErrorKind),
    /// Too many changes at once: held, not stored (the breaker).
    ChangesHeld,
    /// Document pages that could not be read.
    PagesUnread,
    /// The database failed.
    Store,
}

/// A source's failure: its kind and what to tell people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFailure {
    pub kind: FailureKind,
    pub message: String,
}

impl SourceFailure {
    /// A page at `url` that did not read.
    fn page(url: &Url, e: ParseError) -> SourceFailure {
        SourceFailure {
            kind: FailureKind::Page(e.kind),
            message: format!("{url}: {e}"),
        }
    }
}

impl From<FetchError> for SourceFailure {
    fn from(e: FetchError) -> SourceFailure {
        SourceFailure {
            kind: FailureKind::Fetch(e.kind()),
            message: e.to_string(),
        }
    }
}

impl From<anyhow::Error> for SourceFailure {
    fn from(e: anyhow::Error) -> SourceFailure {
        SourceFailure {
            kind: FailureKind::Store,
            message: format!("{e:#}"),
        }
    }
}

/// How one source fared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub ok: bool,
    pub error: Option<String>,
    pub error_kind: Option<FailureKind>,
    pub pages: u32,
    pub items: u64,
    pub new: u64,
    pub changed: u64,
    /// Changes seen but not stored: too many at once (the breaker).
    pub held: u64,
    pub details_read: u64,
    pub details_failed: u64,
    /// Document pages the site says are gone (404, 410).
    pub details_gone: u64,
    /// Document pages not read: what the index said was enough (a closed
    /// hearing far from the themes).
    pub pages_skipped: u64,
    /// Document pages that can wait, left for later runs
    /// (`backlog_pages_per_run`).
    pub pages_waiting: u64,
    pub warnings: Vec<String>,
}

impl SourceReport {
    /// A source that has not failed (yet).
    fn new(name: &str) -> SourceReport {
        SourceReport {
            name: name.to_string(),
            ok: true,
            ..SourceReport::default()
        }
    }

    fn fail(&mut self, failure: SourceFailure) {
        self.ok = false;
        if self.error.is_none() {
            self.error = Some(failure.message);
            self.error_kind = Some(failure.kind);
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PollReport {
    pub sources: Vec<SourceReport>,
    pub rechecked: u64,
    /// Documents whose stored address could not be trusted, given a
    /// trusted one and read again.
    pub repaired: u64,
    pub requests: u64,
    pub conditional_requests: u64,
    pub not_modified: u64,
    pub bytes: u64,
    /// Event ids written by this poll lie above this one.
    pub events_after: i64,
}

impl PollReport {
    pub fn all_ok(&self) -> bool {
        self.sources.iter().all(|s| s.ok)
    }
}

pub(crate) fn content_hash<T: Serialize>(value: &T) -> String {
    // Plain data (strings, numbers, dates) always serialises; an empty hash
    // would only make the next run read the page again.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A poll in progress.
pub struct Crawler<'a> {
    config: &'a Config,
    store: &'a mut Store,
    fetcher: Fetcher,
    clock: &'a dyn Clock,
    run: Option<RunId>,
    accept_changes: bool,
    /// Sources whose held changes the secretariat accepted on the page.
    accepted: HashSet<String>,
    deadline: Option<Instant>,
    /// Document pages read in this run: none is fetched twice.
    seen_details: HashSet<DocKey>,
    /// Documents first stored in this run: what their own page adds is not
    /// a change to anything the council was told.
    new_this_run: HashSet<DocKey>,
    /// Judges, on what an index said, whether a document's own page is
    /// worth a request.
    matcher: Matcher,
    reports: BTreeMap<String, SourceReport>,
    /// The documents each source read in this run (list items and pages),
    /// each once: what the breaker measures changes against.
    observed: BTreeMap<String, HashSet<DocKey>>,
    held: Held,
}

impl<'a> Crawler<'a> {
    pub fn new(
        config: &'a Config,
        store: &'a mut Store,
        clock: &'a dyn Clock,
        run: Option<RunId>,
    ) -> anyhow::Result<Crawler<'a>> {
        // robots.txt is kept for a day, as the site's own max-age allows.
        let mut robots = RobotsCache::new(&config.fetch.user_agent);
        for (origin, body) in store.robots_since(clock.now() - SignedDuration::from_hours(24))? {
            robots.preload(&origin, &body);
        }
        let fetcher = Fetcher::new(config.fetch.clone(), robots)?;
        Ok(Crawler {
            config,
            store,
            fetcher,
            clock,
            run,
            accept_changes: false,
            accepted: HashSet::new(),
            deadline: None,
            seen_details: HashSet::new(),
            new_this_run: HashSet::new(),
            matcher: Matcher::new(config.themes.clone()),
            reports: BTreeMap::new(),
            observed: BTreeMap::new(),
            held: Held::default(),
        })
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub async fn poll(mut self, opts: &PollOptions) -> anyhow::Result<PollReport> {
        self.accept_changes = opts.accept_changes;
        for s in &self.config.sources {
            if self.store.changes_accepted(&s.name)? {
                self.accepted.insert(s.name.clone());
            }
        }
        self.deadline = opts.deadline;
        if let Some(dir) = &opts.save_pages {
            let saver = crate::fetch::PageSaver::new(dir)
                .map_err(|e| anyhow::anyhow!("kan ikke lagre sider i {}: {e}", dir.display()))?;
            self.fetcher.save_pages(saver);
        }
        let events_after = self.store.last_event_id()?;
        for name in &opts.sources {
            if self.config.source(name).is_none() {
                anyhow::bail!("ukjent kilde «{name}» (se {})", self.config.path.display());
            }
        }
        let sources: Vec<&Source> = self
            .config
            .sources
            .iter()
            .filter(|s| {
                if opts.sources.is_empty() {
                    s.enabled
                } else {
                    opts.sources.contains(&s.name)
                }
            })
            .collect();
        let repaired = self.repair_addresses()?;
        for source in &sources {
            let mut report = SourceReport::new(&source.name);
            let result = self.walk(source, opts.backfill, &mut report).await;
            if let Err(e) = result {
                tracing::error!(source = %source.name, error = %e.message, "kilden feilet");
                report.fail(e);
            }
            self.reports.insert(source.name.clone(), report);
        }
        self.read_pending_details().await?;
        let rechecked = self.recheck_open().await?;
        self.settle_held()?;
        let now = self.now();
        for report in self.reports.values_mut() {
            // Every document page that could not be read counts: the run
            // missed something, and says so (exit code, status).
            if report.details_failed > 0 {
                let first = report
                    .warnings
                    .iter()
                    .find(|w| w.starts_with("dokument"))
                    .cloned()
                    .unwrap_or_default();
                report.fail(SourceFailure {
                    kind: FailureKind::PagesUnread,
                    message: format!(
                        "{} dokumentside(r) kunne ikke leses ({first})",
                        report.details_failed
                    ),
                });
            }
        }
        for report in self.reports.values() {
            match &report.error {
                None => self
                    .store
                    .source_succeeded(&report.name, now, report.items)?,
                Some(e) => self
                    .store
                    .source_failed(&report.name, now, e, report.held)?,
            }
        }
        for (origin, body) in self.fetcher.robots().fetched() {
            self.store.save_robots(origin, body, now)?;
        }
        self.store
            .prune_fetch_log(now - SignedDuration::from_hours(24 * 90))?;
        let FetchStats {
            requests,
            conditional,
            not_modified,
            bytes,
        } = self.fetcher.stats().clone();
        Ok(PollReport {
            sources: self.reports.into_values().collect(),
            rechecked,
            repaired,
            requests,
            conditional_requests: conditional,
            not_modified,
            bytes,
            events_after,
        })
    }

    /// Fetches a URL with the stored validators and logs the fetch.
    /// `Ok(None)`: not modified.
    async fn fetch(&mut self, url: &Url) -> Result<Option<Page>, FetchError> {
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(FetchError::OutOfTime(url.to_string()));
        }
        let (validators, _) = self
            .store
            .cached(url.as_str())
            .map_err(|e| FetchError::Network {
                url: url.to_string(),
                message: format!("hurtiglageret: {e}"),
            })?;
        let (result, record) = self.fetcher.get(url, &validators).await;
        if let Err(e) = self.store.log_fetch(self.run, &record, self.clock.now()) {
            tracing::warn!(error = %e, "kunne ikke skrive hentingsloggen");
        }
        match result? {
            Outcome::NotModified => Ok(None),
            Outcome::Fetched(page) => Ok(Some(page)),
        }
    }

    /// A source read this document in this run.
    fn observed(&mut self, source: &str, key: DocKey) {
        self.observed
            .entry(source.to_string())
            .or_default()
            .insert(key);
    }

    fn report(&mut self, source: &str) -> &mut SourceReport {
        self.reports
            .entry(source.to_string())
            .or_insert_with(|| SourceReport::new(source))
    }

    fn count(report: &mut SourceReport, applied: &Applied) {
        match applied {
            Applied::New => report.new += 1,
            Applied::Changed(_) => report.changed += 1,
            // Counted when the breaker settles.
            Applied::Held(_) | Applied::Unchanged => {}
        }
    }
}
