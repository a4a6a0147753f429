//! The match stage: score every stored document that is new or changed, or
//! all of them when the themes changed.

use jiff::Timestamp;
use serde::Serialize;

use crate::matching::Matcher;
use crate::model::DocId;
use crate::relevance::{decide, own_verdict};
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

/// The secretariat's word on a document's relevance, which wins over the
/// matcher: a pinned document's own page is worth reading after all.
pub fn set_override(
    store: &Store,
    id: DocId,
    kind: crate::store::OverrideKind,
    reason: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<()> {
    store.set_override(id, kind, reason, now)?;
    if kind == crate::store::OverrideKind::Pin {
        store.unskip_page(id)?;
    }
    Ok(())
}

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
        .map(|d| (d.id, own_verdict(matcher, d)))
        .collect();
    // Every document's own verdict first, so that a hearing read in the
    // same pass as the paper it is about finds the paper's verdict.
    store.save_matches(&verdicts, &version, now)?;
    let mut inherited = Vec::new();
    for (d, (_, own)) in docs.iter().zip(&verdicts) {
        if own.relevant {
            continue;
        }
        let v = decide(store, d, own.clone())?;
        if v.relevant {
            inherited.push((d.id, v));
        }
    }
    store.save_matches(&inherited, &version, now)?;
    let mut verdicts = verdicts;
    for (id, v) in inherited {
        if let Some(slot) = verdicts.iter_mut().find(|(d, _)| *d == id) {
            slot.1 = v;
        }
    }
    Ok(MatchReport {
        matched: verdicts.len(),
        relevant: verdicts.iter().filter(|(_, v)| v.relevant).count(),
        themes_changed,
    })
}
