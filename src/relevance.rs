//! The one decision on a document's relevance by the themes, for every
//! stage that needs it: the match stage, the crawler (which pages to
//! read), `explain`, the web page and the alerts.

use crate::matching::{DocText, Matcher};
use crate::store::Store;

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

/// What the themes say of a document by its own words.
pub fn own_verdict(matcher: &Matcher, d: &crate::store::StoredDocument) -> crate::model::Verdict {
    matcher.classify(&DocText {
        title: &d.title,
        summary: d.summary.as_deref(),
        departments: &d.departments,
        topics: &d.topics,
    })
}

/// The one decision on a document's relevance by the themes (the
/// secretariat's override aside, which `store::Relevance` applies): its
/// own words, or else the document it is about (a hearing on a white
/// paper the council follows takes that paper's themes). The match stage,
/// `explain`, the web page and the alerts all go through this.
pub fn decide(
    store: &Store,
    d: &crate::store::StoredDocument,
    own: crate::model::Verdict,
) -> anyhow::Result<crate::model::Verdict> {
    if own.relevant {
        return Ok(own);
    }
    Ok(inherited_verdict(store, d)?.unwrap_or(own))
}
