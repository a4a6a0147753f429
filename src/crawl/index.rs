//! Walking a source's index (a site's list pages, its feed, its API): page
//! by page, newest first, until a page brings nothing new or changed, and
//! the pages an index says to read as well.

use url::Url;

use super::breaker::{Bundle, CacheEntry, Change};
use super::{Crawler, SourceFailure, SourceReport, content_hash};
use crate::config::Source;
use crate::fetch::{Page, Validators};
use crate::sources::{Found, Index};
use crate::store::Applied;

impl Crawler<'_> {
    /// Walks a source's index newest first until a page brings nothing new
    /// or changed, at least `backfill` pages (and at least as far as an
    /// interrupted earlier walk meant to go), at most `max_pages` unless a
    /// backfill asks for more; then reads the pages the index pointed to.
    pub(super) async fn walk(
        &mut self,
        source: &Source,
        backfill: Option<u32>,
        report: &mut SourceReport,
    ) -> Result<(), SourceFailure> {
        let state = self.store.source_state(&source.name)?;
        let min_pages = backfill
            .unwrap_or(1)
            .max(state.resume_page.unwrap_or(1))
            .max(1);
        let max_pages = source.max_pages.max(min_pages);
        if min_pages > 1 {
            // Survives a killed run: the next run walks at least this far.
            self.store.set_resume_page(&source.name, Some(min_pages))?;
        }
        let mut follow: Vec<Url> = Vec::new();
        for n in 1..=max_pages {
            let url = source.site.index_url(source.kind, &source.url, n);
            let Some((page, index)) = self.read_index_page(source, &url, report).await? else {
                tracing::debug!(%url, "uendret (304)");
                if n >= min_pages {
                    break;
                }
                continue;
            };
            let next = index.next.clone();
            follow.extend(index.follow.iter().cloned());
            let news = self.take_index(source, &url, &page, index, report)?;
            if next.is_none() || (news == 0 && n >= min_pages) {
                break;
            }
            if n == max_pages {
                report.warnings.push(format!(
                    "side {n} (max_pages) hadde fortsatt nye eller endrede elementer; eldre sider er ikke sjekket (kjør poll --backfill N)"
                ));
            }
        }
        // Pages the index pointed to are read whatever the index brought,
        // one level deep; one that fails does not keep the others unread
        // (one session's hearings never hide the next's), and the source
        // still fails with the first failure.
        let mut failed = None;
        for url in follow {
            if !crate::sources::on_site(&url, &source.url) {
                report
                    .warnings
                    .push(format!("{url}: ikke på kildens vert; hoppet over"));
                continue;
            }
            match self.read_index_page(source, &url, report).await {
                Ok(Some((page, index))) => {
                    self.take_index(source, &url, &page, index, report)?;
                }
                Ok(None) => {}
                Err(e) if failed.is_none() => failed = Some(e),
                Err(e) => report.warnings.push(e.message),
            }
        }
        if let Some(e) = failed {
            return Err(e);
        }
        self.store.set_resume_page(&source.name, None)?;
        Ok(())
    }

    /// Fetches and reads one index page (counted); `None` when it is
    /// unchanged (304).
    async fn read_index_page(
        &mut self,
        source: &Source,
        url: &Url,
        report: &mut SourceReport,
    ) -> Result<Option<(Page, Index)>, SourceFailure> {
        let fetched = self.fetch(url).await?;
        report.pages += 1;
        let Some(page) = fetched else {
            return Ok(None);
        };
        let index = source
            .site
            .read_index(source.kind, page.text(), &page.url)
            .map_err(|e| SourceFailure::page(url, e))?;
        Ok(Some((page, index)))
    }

    /// Stores what one index page says. Returns how many of its items were
    /// new or changed (held changes count).
    fn take_index(
        &mut self,
        source: &Source,
        url: &Url,
        page: &Page,
        index: Index,
        report: &mut SourceReport,
    ) -> Result<u64, SourceFailure> {
        report
            .warnings
            .extend(index.warnings.iter().map(|w| format!("{url}: {w}")));
        let wanted = source.link_contains.as_deref().unwrap_or("");
        let items: Vec<Found> = index
            .items
            .into_iter()
            .filter(|i| i.url().contains(wanted))
            .collect();
        report.items += items.len() as u64;
        for item in &items {
            self.observed(&source.name, item.key().clone());
        }
        let hash = content_hash(&items);
        let (_, stored_hash) = self.store.cached(url.as_str())?;
        let mut news = 0;
        let mut held = Vec::new();
        if stored_hash.as_deref() != Some(hash.as_str()) {
            for item in &items {
                let applied = match item {
                    Found::Info(info) => {
                        let changes = self.changes_for(&source.name, &info.key);
                        self.store.apply_list_item(
                            info,
                            &source.name,
                            self.now(),
                            self.run,
                            changes,
                        )?
                    }
                    Found::Stub {
                        key, url, title, ..
                    } => {
                        let new = self.store.apply_stub(
                            key,
                            url,
                            title,
                            &source.name,
                            self.now(),
                            self.run,
                        )?;
                        if new {
                            Applied::New
                        } else {
                            Applied::Unchanged
                        }
                    }
                };
                if applied.is_news() {
                    news += 1;
                }
                match (&applied, item) {
                    (Applied::New, _) => {
                        self.new_this_run.insert(item.key().clone());
                    }
                    (Applied::Held(_), Found::Info(info)) => {
                        held.push(Change::ListItem(Box::new(info.clone())))
                    }
                    (Applied::Changed(kinds), _) => {
                        tracing::info!(key = %item.key(), ?kinds, "endret")
                    }
                    _ => {}
                }
                Self::count(report, &applied);
            }
        }
        // A page that points to others is always read whole: a 304 would
        // not say where to go.
        let validators = if index.follow.is_empty() {
            page.validators.clone()
        } else {
            Validators::default()
        };
        let cache = CacheEntry {
            url: url.to_string(),
            validators,
            hash,
        };
        if held.is_empty() {
            self.store
                .save_cached(&cache.url, &cache.validators, &cache.hash, self.now())?;
        } else {
            self.hold(
                &source.name,
                Bundle {
                    changes: held,
                    cache,
                },
            );
        }
        Ok(news)
    }
}
