//! Reading document pages: those not read yet, and open hearings due for a
//! re-check.

use jiff::SignedDuration;
use url::Url;

use super::breaker::{Bundle, CacheEntry, Change};
use super::{Crawler, content_hash};
use crate::fetch::FetchError;
use crate::model::DocKind;
use crate::sources::{PageCandidate, PageWant, on_site};
use crate::store::{Applied, Changes, OverrideKind, PageToRead};

/// How reading one page ended.
enum Read {
    Stored(Applied),
    Unchanged,
    /// What the page changes waits for the breaker.
    Held,
    /// It could not be read: the run missed something.
    Failed(String),
    /// The site says it is gone (404, 410): a withdrawn document.
    Gone(String),
    /// Its source is no longer configured; it is left alone.
    Skipped,
}

impl Crawler<'_> {
    /// Reads the page of every document that has none yet and whose page
    /// is worth a request (new ones, and those an interrupted run or a
    /// repair left behind). The others are marked, under these themes, so
    /// the next run does not judge them again.
    pub(super) async fn read_pending_details(&mut self) -> anyhow::Result<()> {
        let themes = self.config.themes.version.clone();
        let pending = self
            .store
            .pending_details(self.config.max_detail_attempts, &themes)?;
        let mut backlog = self.config.backlog_pages_per_run;
        for page in pending {
            let want = if page.repair {
                PageWant::Now
            } else {
                self.worth_reading(&page)?
            };
            match want {
                PageWant::Now => {}
                PageWant::Later if backlog > 0 => backlog -= 1,
                // Left pending: a later run reads it.
                PageWant::Later => {
                    self.report(&page.source).pages_waiting += 1;
                    continue;
                }
                PageWant::Never => {
                    self.store.skip_page(page.id, &themes)?;
                    self.report(&page.source).pages_skipped += 1;
                    continue;
                }
            }
            let read = self.read_detail(&page).await?;
            self.tally(&page.source, read);
        }
        Ok(())
    }

    /// Whether a document's own page is worth a request, as its site
    /// judges on what is known: its kind, status, deadline, how close it
    /// comes to the themes, and whether the secretariat pinned it.
    fn worth_reading(&self, page: &PageToRead) -> anyhow::Result<PageWant> {
        let Some(source) = self.config.source(&page.source) else {
            return Ok(PageWant::Never);
        };
        let Some(doc) = self.store.document(page.id)? else {
            return Ok(PageWant::Never);
        };
        let verdict = crate::relevance::decide(
            self.store,
            &doc,
            crate::relevance::own_verdict(&self.matcher, &doc),
        )?;
        let pinned = self
            .store
            .relevance(page.id)?
            .overridden
            .is_some_and(|o| o.kind == OverrideKind::Pin);
        Ok(source.site.wants_page(&PageCandidate {
            kind: doc.doc_type,
            status: doc.status,
            deadline: doc.deadline,
            today: self.clock.today(),
            stub: doc.doc_type == DocKind::Annet && doc.summary.is_none(),
            relevant: verdict.relevant,
            page_could_lift: self.matcher.topics_could_lift(&verdict),
            pinned,
        }))
    }

    /// Fetches again, at most once per run, each open hearing whose page
    /// was last checked longer ago than `recheck_open_after`: that is how a
    /// moved deadline or a closed hearing is seen when the item has slid
    /// off the first list page.
    pub(super) async fn recheck_open(&mut self) -> anyhow::Result<u64> {
        let now = self.now();
        let before = now - SignedDuration::try_from(self.config.recheck_open_after)?;
        let due = self.store.due_rechecks(before, self.clock.today())?;
        let mut n = 0;
        for page in due {
            if self.seen_details.contains(&page.key) {
                continue;
            }
            n += 1;
            let read = self.read_detail(&page).await?;
            self.tally(&page.source, read);
        }
        Ok(n)
    }

    fn tally(&mut self, source: &str, read: Read) {
        let report = self.report(source);
        match read {
            Read::Stored(applied) => {
                report.details_read += 1;
                if matches!(applied, Applied::Changed(_)) {
                    report.changed += 1;
                }
            }
            Read::Unchanged | Read::Held => report.details_read += 1,
            Read::Failed(e) => {
                report.details_failed += 1;
                report.warnings.push(e);
            }
            Read::Gone(e) => {
                report.details_gone += 1;
                report.warnings.push(e);
            }
            Read::Skipped => {}
        }
    }

    async fn read_detail(&mut self, p: &PageToRead) -> anyhow::Result<Read> {
        let id = &p.key;
        self.seen_details.insert(p.key.clone());
        let now = self.now();
        let Some(source) = self.config.source(&p.source) else {
            tracing::debug!(%id, source = %p.source, "kilden er ikke lenger satt opp");
            return Ok(Read::Skipped);
        };
        let url = match Url::parse(&p.url) {
            Ok(u) if on_site(&u, &source.url) => u,
            _ => {
                let msg = format!(
                    "dokument {id}: adressen «{}» er ikke på {}",
                    crate::sources::clip(&p.url),
                    source.url.host_str().unwrap_or("kildens vert")
                );
                self.store.mark_detail_failed(p.id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
        };
        let page = match self.fetch(&url).await {
            Ok(Some(page)) => page,
            Ok(None) => {
                self.store.mark_detail_checked(p.id, now)?;
                return Ok(Read::Unchanged);
            }
            // Not the page's fault: tried next run, no attempt used.
            Err(e @ FetchError::OutOfTime(_)) => {
                return Ok(Read::Failed(format!("dokument {id}: {e}")));
            }
            Err(e) => {
                let msg = format!("dokument {id}: {e}");
                self.store.mark_detail_failed(p.id, &msg, now)?;
                return Ok(if e.is_gone() {
                    Read::Gone(msg)
                } else {
                    Read::Failed(msg)
                });
            }
        };
        let doc = match source.site.read_document(page.text(), &page.url) {
            Ok(doc) if &doc.info.key == id => doc,
            Ok(doc) => {
                let msg = format!("dokument {id}: siden {url} er dokument {}", doc.info.key);
                self.store.mark_detail_failed(p.id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
            Err(e) => {
                let msg = format!("dokument {id} ({url}): {e}");
                self.store.mark_detail_failed(p.id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
        };
        self.observed(&p.source, p.key.clone());
        for w in &doc.warnings {
            tracing::warn!(%id, warning = %w, "dokumentside");
        }
        let cache = CacheEntry {
            url: url.to_string(),
            validators: page.validators.clone(),
            hash: content_hash(&doc),
        };
        let (_, stored_hash) = self.store.cached(&cache.url)?;
        if stored_hash.as_deref() == Some(cache.hash.as_str()) && !p.repair {
            self.store.mark_detail_checked(p.id, now)?;
            self.store
                .save_cached(&cache.url, &cache.validators, &cache.hash, now)?;
            return Ok(Read::Unchanged);
        }
        let changes = if p.repair {
            Changes::Store
        } else {
            self.changes_for(&p.source, id)
        };
        let applied = self
            .store
            .apply_document(&doc, &p.source, now, self.run, changes)?;
        if let Applied::Held(_) = applied {
            self.hold(
                &p.source,
                Bundle {
                    changes: vec![Change::Page(Box::new(doc))],
                    cache,
                },
            );
            return Ok(Read::Held);
        }
        self.store
            .save_cached(&cache.url, &cache.validators, &cache.hash, now)?;
        Ok(Read::Stored(applied))
    }
}
