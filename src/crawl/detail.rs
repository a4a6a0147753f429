//! Reading document pages: those not read yet, and open hearings due for a
//! re-check.

use jiff::SignedDuration;
use url::Url;

use super::{Crawler, content_hash};
use crate::model::DocId;
use crate::sources::regjeringen::parse_document;
use crate::store::{Applied, PageToRead};

/// How reading one page ended.
enum Read {
    Stored(Applied),
    Unchanged,
    Failed(String),
}

impl Crawler<'_> {
    /// Reads the page of every document that has none yet (new ones, and
    /// those an interrupted run left behind).
    pub(super) async fn read_pending_details(&mut self) -> anyhow::Result<()> {
        let pending = self
            .store
            .pending_details(self.config.max_detail_attempts)?;
        for PageToRead { id, url, source } in pending {
            let read = self.read_detail(id, &url, &source).await?;
            let report = self.report(&source);
            match read {
                Read::Stored(applied) => {
                    report.details_read += 1;
                    if matches!(applied, Applied::Changed(_)) {
                        report.changed += 1;
                    }
                }
                Read::Unchanged => report.details_read += 1,
                Read::Failed(e) => {
                    report.details_failed += 1;
                    report.warnings.push(e);
                }
            }
        }
        Ok(())
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
        for PageToRead { id, url, source } in due {
            if self.seen_details.contains(&id) {
                continue;
            }
            n += 1;
            match self.read_detail(id, &url, &source).await? {
                Read::Stored(applied) => {
                    if matches!(applied, Applied::Changed(_)) {
                        self.report(&source).changed += 1;
                    }
                }
                Read::Unchanged => {}
                // A failed re-check leaves the stored state as it was; it is
                // a warning, not a broken source.
                Read::Failed(e) => self.report(&source).warnings.push(e),
            }
        }
        Ok(n)
    }

    async fn read_detail(&mut self, id: DocId, url: &str, source: &str) -> anyhow::Result<Read> {
        self.seen_details.insert(id);
        let now = self.now();
        let parsed_url = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => {
                let msg = format!("dokument {id}: ugyldig adresse «{url}»: {e}");
                self.store.mark_detail_failed(id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
        };
        let page = match self.fetch(&parsed_url).await {
            Ok(Some(page)) => page,
            Ok(None) => {
                self.store.mark_detail_checked(id, now)?;
                return Ok(Read::Unchanged);
            }
            Err(e) => {
                self.store.mark_detail_failed(id, &e, now)?;
                return Ok(Read::Failed(format!("dokument {id}: {e}")));
            }
        };
        let doc = match parse_document(&page.text(), &page.url) {
            Ok(doc) if doc.info.id == id => doc,
            Ok(doc) => {
                let msg = format!("dokument {id}: siden {url} er dokument {}", doc.info.id);
                self.store.mark_detail_failed(id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
            Err(e) => {
                let msg = format!("dokument {id} ({url}): {e}");
                self.store.mark_detail_failed(id, &msg, now)?;
                return Ok(Read::Failed(msg));
            }
        };
        for w in &doc.warnings {
            tracing::warn!(%id, warning = %w, "dokumentside");
        }
        let hash = content_hash(&doc);
        let (_, stored_hash) = self.store.cached(url)?;
        let read = if stored_hash.as_deref() == Some(hash.as_str()) {
            self.store.mark_detail_checked(id, now)?;
            Read::Unchanged
        } else {
            Read::Stored(self.store.apply_document(&doc, source, now, self.run)?)
        };
        self.store.save_cached(url, &page.validators, &hash, now)?;
        Ok(read)
    }
}
