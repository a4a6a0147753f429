//! One poll: walk each source's list or feed, read the pages of new
//! documents, re-check open hearings, and store it all. Fetch → parse →
//! store; the state only advances after a page was fetched and parsed
//! whole, so a bad minute on the site never changes what is stored.

mod detail;
mod list;

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::clock::Clock;
use crate::config::{Config, Source, SourceKind};
use crate::fetch::{FetchStats, Fetcher, Outcome, Page, RobotsCache};
use crate::model::DocId;
use crate::store::{Applied, RunId, Store};

/// What to poll.
#[derive(Debug, Clone, Default)]
pub struct PollOptions {
    /// Only these sources (all enabled ones when empty).
    pub sources: Vec<String>,
    /// Walk this many list pages back (a first load).
    pub backfill: Option<u32>,
}

/// How one source fared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub ok: bool,
    pub error: Option<String>,
    pub pages: u32,
    pub items: u64,
    pub new: u64,
    pub changed: u64,
    pub details_read: u64,
    pub details_failed: u64,
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
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PollReport {
    pub sources: Vec<SourceReport>,
    pub rechecked: u64,
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
    let bytes = serde_json::to_vec(value).expect("plain data serialises");
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
    /// Document pages read in this run: none is fetched twice.
    seen_details: HashSet<DocId>,
    reports: BTreeMap<String, SourceReport>,
}

impl<'a> Crawler<'a> {
    pub fn new(
        config: &'a Config,
        store: &'a mut Store,
        clock: &'a dyn Clock,
        run: Option<RunId>,
    ) -> anyhow::Result<Crawler<'a>> {
        // robots.txt is kept for a day, as the site's own max-age allows.
        let mut robots = RobotsCache::new();
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
            seen_details: HashSet::new(),
            reports: BTreeMap::new(),
        })
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub async fn poll(mut self, opts: &PollOptions) -> anyhow::Result<PollReport> {
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
        for source in &sources {
            let mut report = SourceReport::new(&source.name);
            let result = match source.kind {
                SourceKind::RegjeringenList => {
                    self.walk_list(source, opts.backfill, &mut report).await
                }
                SourceKind::Rss => self.read_feed(source, &mut report).await,
            };
            if let Err(e) = result {
                tracing::error!(source = %source.name, error = %e, "kilden feilet");
                report.ok = false;
                report.error = Some(e);
            }
            self.reports.insert(source.name.clone(), report);
        }
        self.read_pending_details().await?;
        let rechecked = self.recheck_open().await?;
        let now = self.now();
        for report in self.reports.values_mut() {
            // One withdrawn document is a warning; when no document page
            // of the source could be read, the source is broken.
            if report.ok && report.details_failed > 0 && report.details_read == 0 {
                report.ok = false;
                report.error = Some(format!(
                    "ingen av {} dokumentside(r) kunne leses",
                    report.details_failed
                ));
            }
        }
        for report in self.reports.values() {
            match &report.error {
                None => self
                    .store
                    .source_succeeded(&report.name, now, report.items)?,
                Some(e) => self.store.source_failed(&report.name, now, e)?,
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
            requests,
            conditional_requests: conditional,
            not_modified,
            bytes,
            events_after,
        })
    }

    /// Fetches a URL with the stored validators and logs the fetch.
    /// `Ok(None)`: not modified.
    async fn fetch(&mut self, url: &Url) -> Result<Option<Page>, String> {
        let (validators, _) = self.store.cached(url.as_str()).map_err(|e| e.to_string())?;
        let (result, record) = self.fetcher.get(url, &validators).await;
        if let Err(e) = self.store.log_fetch(self.run, &record, self.clock.now()) {
            tracing::warn!(error = %e, "kunne ikke skrive hentingsloggen");
        }
        match result {
            Ok(Outcome::NotModified) => Ok(None),
            Ok(Outcome::Fetched(page)) => Ok(Some(page)),
            Err(e) => Err(e.to_string()),
        }
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
            Applied::Unchanged => {}
        }
    }
}
