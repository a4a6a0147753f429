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

/// The verdict a document takes from the one it refers to, when that one
/// is relevant (by the matcher or the secretariat's pin): its themes, and
/// a hit that says which document it is about.
fn inherited_verdict(
    store: &Store,
    doc: &crate::store::StoredDocument,
) -> anyhow::Result<Option<crate::model::Verdict>> {
    let Some(target) = doc.refers_to.as_deref() else {
        return Ok(None);
    };
    let Some(about) = store.document_with_identifier(target)? else {
        return Ok(None);
    };
    if about.id == doc.id {
        return Ok(None);
    }
    let relevance = store.relevance(about.id)?;
    if !relevance.relevant() {
        return Ok(None);
    }
    let mut v = relevance.verdict.unwrap_or(crate::model::Verdict {
        relevant: true,
        score: 0.0,
        themes: Vec::new(),
        signals: Vec::new(),
    });
    v.relevant = true;
    v.signals.insert(
        0,
        crate::model::verdict::Hit {
            term: target.to_string(),
            field: crate::model::verdict::Field::Refers,
            text: about.title.clone(),
            weight: 0.0,
        },
    );
    Ok(Some(v))
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
    // A hearing about a document the council follows (a committee hearing
    // on a white paper, the ministry's hearing on a NOU) is followed too,
    // under that document's themes, whatever its own words say.
    let mut inherited = Vec::new();
    for (d, (_, own)) in docs.iter().zip(&verdicts) {
        if own.relevant {
            continue;
        }
        if let Some(v) = inherited_verdict(store, d)? {
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
