//! The change circuit breaker. A site that breaks in a new way (an error
//! page that parses, a template change, another site behind a redirect)
//! shows up as many documents changing title, status or deadline in the
//! same run. Changes to documents known before the run are therefore held
//! back until the whole source has been read; when they are too many, none
//! of them is stored, the source is reported broken, and the next run
//! tries again. New documents are not held: they change nothing anyone was
//! told.

use std::collections::{BTreeMap, HashSet};

use super::Crawler;
use crate::config::BreakerSettings;
use crate::fetch::Validators;
use crate::model::{DocInfo, DocKey, DocumentPage};
use crate::store::{Applied, Changes, HeldChange};

/// A page's worth of held changes, and the cache entry to save once they
/// are stored (so that a page whose changes were held is read again).
pub(super) struct Bundle {
    pub changes: Vec<Change>,
    pub cache: CacheEntry,
}

pub(super) enum Change {
    ListItem(Box<DocInfo>),
    Page(Box<DocumentPage>),
}

impl Change {
    fn doc(&self) -> &DocKey {
        match self {
            Change::ListItem(i) => &i.key,
            Change::Page(p) => &p.info.key,
        }
    }
}

pub(super) struct CacheEntry {
    pub url: String,
    pub validators: Validators,
    pub hash: String,
}

/// Held bundles by source.
#[derive(Default)]
pub(super) struct Held(BTreeMap<String, Vec<Bundle>>);

/// Whether `changed` documents out of `read` is more than a site changes
/// by itself in one run.
pub fn trips(changed: usize, read: u64, s: BreakerSettings) -> bool {
    changed > s.min_changes as usize && changed as f64 > s.share * read as f64
}

impl Crawler<'_> {
    /// Whether a write to a known document is stored now or held.
    pub(super) fn changes_for(&self, source: &str, key: &DocKey) -> Changes {
        if self.accept_changes || self.accepted.contains(source) || self.new_this_run.contains(key)
        {
            Changes::Store
        } else {
            Changes::Hold
        }
    }

    pub(super) fn hold(&mut self, source: &str, bundle: Bundle) {
        self.held
            .0
            .entry(source.to_string())
            .or_default()
            .push(bundle);
    }

    /// After every page was read: per source, store the held changes, or,
    /// when they are too many, none of them.
    pub(super) fn settle_held(&mut self) -> anyhow::Result<()> {
        let held = std::mem::take(&mut self.held.0);
        // A source read this run that holds nothing now (the site put it
        // right, or its changes were stored) has nothing waiting on the page.
        let read: Vec<String> = self.observed.keys().cloned().collect();
        for source in read.iter().filter(|s| !held.contains_key(*s)) {
            self.store.set_held_changes(source, &[], self.now())?;
            // An acceptance is used up by a run that read the source whole.
            if self.accepted.contains(source) && self.report(source).ok {
                self.store.clear_accepted(source)?;
            }
        }
        for (source, bundles) in held {
            let docs: HashSet<DocKey> = bundles
                .iter()
                .flat_map(|b| b.changes.iter().map(|c| c.doc().clone()))
                .collect();
            let settings = self.config.breaker;
            let read = self.observed.get(&source).map_or(0, |s| s.len()) as u64;
            let report = self.report(&source);
            if trips(docs.len(), read, settings) {
                report.held = docs.len() as u64;
                report.fail(super::SourceFailure {
                    kind: super::FailureKind::ChangesHeld,
                    message: format!(
                        "{} dokumenter ville fått ny tittel, status, høringsfrist, departement, type, emner eller henvisning på én gang ({} av {read} leste); \
                         det ligner en feil på nettstedet, så ingen av endringene er lagret. Ser endringene riktige ut på nettstedet, \
                         kjør `policywatch run --accept-changes`",
                        docs.len(),
                        docs.len()
                    ),
                });
                tracing::error!(%source, changed = docs.len(), read, "for mange endringer på én gang; ingenting lagret");
                let lines = self.held_lines(&bundles)?;
                self.store.set_held_changes(&source, &lines, self.now())?;
                continue;
            }
            self.store.set_held_changes(&source, &[], self.now())?;
            if self.accepted.contains(&source) {
                self.store.clear_accepted(&source)?;
            }
            let now = self.now();
            for bundle in bundles {
                for change in bundle.changes {
                    let applied = match &change {
                        Change::ListItem(item) => self.store.apply_list_item(
                            item,
                            &source,
                            now,
                            self.run,
                            Changes::Store,
                        )?,
                        Change::Page(page) => self.store.apply_document(
                            page,
                            &source,
                            now,
                            self.run,
                            Changes::Store,
                        )?,
                    };
                    if let Applied::Changed(kinds) = &applied {
                        tracing::info!(id = %change.doc(), ?kinds, "endret");
                        self.report(&source).changed += 1;
                    }
                }
                let c = bundle.cache;
                self.store
                    .save_cached(&c.url, &c.validators, &c.hash, now)?;
            }
        }
        Ok(())
    }
}

impl Crawler<'_> {
    /// What the held changes would do, field by field, beside what is
    /// stored (for the Status page).
    fn held_lines(&self, bundles: &[Bundle]) -> anyhow::Result<Vec<HeldChange>> {
        let mut out = Vec::new();
        for change in bundles.iter().flat_map(|b| &b.changes) {
            let info = match change {
                Change::ListItem(i) => i.as_ref(),
                Change::Page(p) => &p.info,
            };
            let Some(stored) = self.store.document_by_key(&info.key)? else {
                continue;
            };
            let mut line = |field: &str, old: Option<String>, new: Option<String>| {
                // The list and the page may both say it: once is enough.
                out.retain(|c: &HeldChange| {
                    !(c.doc_key == info.key.to_string() && c.field == field)
                });
                if old != new {
                    out.push(HeldChange {
                        doc_key: info.key.to_string(),
                        title: stored.title.clone(),
                        field: field.to_string(),
                        stored: old,
                        new,
                    });
                }
            };
            line(
                "tittel",
                Some(stored.title.clone()),
                Some(info.title.clone()),
            );
            if info.deadline.is_some() {
                line(
                    "frist",
                    stored.deadline.map(|d| d.to_string()),
                    info.deadline.map(|d| d.to_string()),
                );
            }
            if info.status_text.is_some() {
                line(
                    "status",
                    stored.status_text.clone(),
                    info.status_text.clone(),
                );
            }
            if !info.departments.is_empty() {
                line(
                    "departement",
                    Some(stored.departments.join(", ")),
                    Some(info.departments.join(", ")),
                );
            }
            if stored.identifier.is_some() {
                line(
                    "identifikator",
                    stored.identifier.clone(),
                    info.identifier.map(|x| x.to_string()),
                );
            }
            if let Change::Page(p) = change
                && !stored.topics.is_empty()
            {
                line(
                    "emner",
                    Some(stored.topics.join(", ")),
                    Some(p.topics.join(", ")),
                );
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_five_and_more_than_a_fifth() {
        let s = BreakerSettings::default();
        assert!(!trips(5, 10, s), "five is not more than five");
        assert!(trips(6, 10, s));
        assert!(!trips(6, 30, s), "6 of 30 is exactly a fifth");
        assert!(trips(7, 30, s));
        assert!(!trips(1, 1, s));
    }
}
