//! Walking a list (newest first) and reading a feed.

use super::breaker::{Bundle, CacheEntry, Change};
use super::{Crawler, SourceReport, content_hash};
use crate::config::Source;
use crate::model::DocId;
use crate::sources::regjeringen::{page_url, parse_list};
use crate::sources::rss::parse_feed;
use crate::store::Applied;

impl Crawler<'_> {
    /// Walks a list newest first until a page brings nothing new or
    /// changed, at least `backfill` pages (and at least as far as an
    /// interrupted earlier walk meant to go), at most `max_pages` unless a
    /// backfill asks for more.
    pub(super) async fn walk_list(
        &mut self,
        source: &Source,
        backfill: Option<u32>,
        report: &mut SourceReport,
    ) -> Result<(), String> {
        let err = |e: anyhow::Error| e.to_string();
        let state = self.store.source_state(&source.name).map_err(err)?;
        let min_pages = backfill
            .unwrap_or(1)
            .max(state.resume_page.unwrap_or(1))
            .max(1);
        let max_pages = source.max_pages.max(min_pages);
        if min_pages > 1 {
            // Survives a killed run: the next run walks at least this far.
            self.store
                .set_resume_page(&source.name, Some(min_pages))
                .map_err(err)?;
        }
        for n in 1..=max_pages {
            let url = page_url(&source.url, n);
            let page = self.fetch(&url).await.map_err(|e| e.to_string())?;
            report.pages += 1;
            let Some(page) = page else {
                tracing::debug!(%url, "uendret (304)");
                if n >= min_pages {
                    break;
                }
                continue;
            };
            let list = parse_list(&page.text(), &page.url).map_err(|e| format!("{url}: {e}"))?;
            report
                .warnings
                .extend(list.warnings.iter().map(|w| format!("{url}: {w}")));
            report.items += list.items.len() as u64;
            let hash = content_hash(&list.items);
            let (_, stored_hash) = self.store.cached(url.as_str()).map_err(err)?;
            let mut news = 0;
            let mut held = Vec::new();
            for item in &list.items {
                self.observed(&source.name, item.id);
            }
            if stored_hash.as_deref() != Some(hash.as_str()) {
                for item in &list.items {
                    let changes = self.changes_for(item.id);
                    let applied = self
                        .store
                        .apply_list_item(item, &source.name, self.now(), self.run, changes)
                        .map_err(err)?;
                    if applied.is_news() {
                        news += 1;
                    }
                    match &applied {
                        Applied::New => {
                            self.new_this_run.insert(item.id);
                        }
                        Applied::Held(_) => held.push(Change::ListItem(item.clone())),
                        Applied::Changed(kinds) => tracing::info!(id = %item.id, ?kinds, "endret"),
                        Applied::Unchanged => {}
                    }
                    Self::count(report, &applied);
                }
            }
            let cache = CacheEntry {
                url: url.to_string(),
                validators: page.validators.clone(),
                hash,
            };
            if held.is_empty() {
                self.store
                    .save_cached(&cache.url, &cache.validators, &cache.hash, self.now())
                    .map_err(err)?;
            } else {
                self.hold(
                    &source.name,
                    Bundle {
                        changes: held,
                        cache,
                    },
                );
            }
            let last = list.next.is_none();
            if last || (news == 0 && n >= min_pages) {
                break;
            }
            if n == max_pages {
                report.warnings.push(format!(
                    "side {n} (max_pages) hadde fortsatt nye eller endrede elementer; eldre sider er ikke sjekket (kjør poll --backfill N)"
                ));
            }
        }
        self.store
            .set_resume_page(&source.name, None)
            .map_err(err)?;
        Ok(())
    }

    /// Reads an RSS feed: every item linking to a document not yet known
    /// is recorded, and its page read afterwards.
    pub(super) async fn read_feed(
        &mut self,
        source: &Source,
        report: &mut SourceReport,
    ) -> Result<(), String> {
        let err = |e: anyhow::Error| e.to_string();
        let url = source.url.clone();
        let page = self.fetch(&url).await.map_err(|e| e.to_string())?;
        report.pages += 1;
        let Some(page) = page else {
            return Ok(());
        };
        let feed =
            parse_feed(page.text().as_bytes(), &page.url).map_err(|e| format!("{url}: {e}"))?;
        report
            .warnings
            .extend(feed.warnings.iter().map(|w| format!("{url}: {w}")));
        if feed.items.is_empty() {
            report.warnings.push(format!("{url}: strømmen er tom"));
        }
        let wanted = source.link_contains.as_deref().unwrap_or("");
        for item in &feed.items {
            // Items without a usable link were skipped (and said) by the parser.
            let Some(link) = item.url.as_deref() else {
                continue;
            };
            let Some(id) = item.id else {
                report
                    .warnings
                    .push(format!("{url}: elementet «{link}» har ingen dokument-id"));
                continue;
            };
            if !link.contains(wanted) {
                continue;
            }
            report.items += 1;
            let title = item.title.as_deref().unwrap_or(link);
            if self
                .store
                .apply_stub(DocId(id.0), link, title, &source.name, self.now(), self.run)
                .map_err(err)?
            {
                self.new_this_run.insert(id);
                report.new += 1;
            }
        }
        let hash = content_hash(&feed.items);
        self.store
            .save_cached(url.as_str(), &page.validators, &hash, self.now())
            .map_err(err)?;
        Ok(())
    }
}
