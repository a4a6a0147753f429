//! The match stage: score every stored document that is new or changed, or
//! all of them when the themes changed.

use jiff::Timestamp;
use serde::Serialize;

use crate::matching::{DocText, Matcher};
use crate::model::DocId;
use crate::store::Store;

#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchReport {
    /// Documents scored in this pass.
    pub matched: usize,
    /// Of those, how many the matcher found relevant.
    pub relevant: usize,
    /// Whether the themes had changed since the last pass.
    pub themes_changed: bool,
}

const THEMES_VERSION: &str = "themes_version";

pub fn match_stale(
    store: &mut Store,
    matcher: &Matcher,
    now: Timestamp,
) -> anyhow::Result<MatchReport> {
    let version = matcher.themes().version.clone();
    let themes_changed = store.meta(THEMES_VERSION)?.as_deref() != Some(version.as_str());
    if themes_changed {
        // Stale first, version second: a run killed in between rematches.
        store.mark_all_stale()?;
        store.set_meta(THEMES_VERSION, &version)?;
    }
    let docs = store.stale_for_matching()?;
    let verdicts: Vec<(DocId, crate::model::Verdict)> = docs
        .iter()
        .map(|d| {
            let v = matcher.classify(&DocText {
                title: &d.title,
                summary: d.summary.as_deref(),
                departments: &d.departments,
                topics: &d.topics,
            });
            (d.id, v)
        })
        .collect();
    store.save_matches(&verdicts, &version, now)?;
    Ok(MatchReport {
        matched: verdicts.len(),
        relevant: verdicts.iter().filter(|(_, v)| v.relevant).count(),
        themes_changed,
    })
}
