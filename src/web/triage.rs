//! Nye treff: what the crawler found since the last meeting that the
//! council follows and the table does not have yet, the links it proposes
//! between a document and a row the secretariat made, and the documents
//! just under the threshold: each with why, and one click to decide.

use std::collections::HashSet;

use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::Timestamp;

use super::html::{button, form, link};
use super::{Ctx, Fields, Shared, field};
use crate::escape::html as esc;
use crate::model::Verdict;
use crate::norsk::format_date;
use crate::overview::cells::plain_text;
use crate::overview::{Column, ops};
use crate::store::{OverrideKind, StoredDocument};

const NOTICES: &[(&str, &str)] = &[
    ("inn", "Dokumentet er tatt inn i tabellen."),
    ("folg", "Dokumentet er markert som relevant."),
    ("avvist", "Dokumentet er avvist som ikke relevant."),
    ("forslag", "Forslaget er avvist; det kommer ikke igjen."),
];

/// The newest this many of each list are shown.
const SHOWN: usize = 50;

/// Just under the threshold: at least this share of it.
const BORDERLINE: f64 = 0.6;

pub async fn page(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    super::page(&app, &headers, "/nye", "Nye treff", |ctx| body(ctx, &q))
}

/// Since the meeting before the one being prepared (or 60 days).
fn since(ctx: &Ctx<'_>) -> (Timestamp, String) {
    let m = crate::meetings::MeetingContext::around(&ctx.config.meetings, None, ctx.today);
    match m.previous {
        Some(p) => (
            p.date
                .in_tz("Europe/Oslo")
                .map(|z| z.timestamp())
                .unwrap_or(ctx.now),
            format!("siden møte {} ({})", p.id, format_date(p.date)),
        ),
        None => (
            ctx.now - jiff::SignedDuration::from_hours(24 * 60),
            "de siste 60 dagene".into(),
        ),
    }
}

fn body(ctx: &mut Ctx<'_>, q: &Fields) -> anyhow::Result<String> {
    let mut out = super::notice_of(q, NOTICES);
    let (since, words) = since(ctx);
    let rows = ctx.store.overview_rows(false)?;
    let attached: HashSet<_> = rows
        .iter()
        .flat_map(|r| [r.doc_id, r.hearing_doc_id])
        .flatten()
        .collect();
    let csrf = ctx.session.csrf.clone();

    // Proposed links first: the secretariat's own rows waiting for a document.
    let proposals = ctx.store.overview_proposals()?;
    if !proposals.is_empty() {
        out.push_str("<h2>Foreslåtte koblinger</h2>");
        for p in proposals {
            let Some(doc) = ctx.store.document(p.doc_id)? else {
                continue;
            };
            let row_title = rows
                .iter()
                .find(|r| r.id == p.row_id)
                .and_then(|r| r.cells.get(&Column::Title))
                .and_then(|c| c.shown())
                .map(plain_text)
                .unwrap_or_default();
            let key = doc.key.to_string();
            out.push_str(&format!(
                "<div class=\"card\"><p>Rad {} «{}» ↔ {} <span class=\"muted\">({})</span></p><p class=\"why\">{}</p><div class=\"actions\">{}{}</div></div>",
                p.row_id,
                esc(&row_title),
                link(&doc.title, &doc.url),
                esc(&key),
                esc(&p.reason),
                button(&format!("/rad/{}/koble", p.row_id), &csrf, "Godta koblingen", &[("dokument", &key)]),
                button("/forslag/avvis", &csrf, "Avvis forslaget", &[("rad", &p.row_id.to_string()), ("dokument", &key)]),
            ));
        }
    }

    let fresh: Vec<StoredDocument> = ctx
        .store
        .relevant_documents()?
        .into_iter()
        .filter(|d| d.first_seen >= since && !attached.contains(&d.id))
        .collect();
    out.push_str(&format!("<h2>Relevante, ikke i tabellen ({words})</h2>"));
    if fresh.is_empty() {
        out.push_str("<p class=\"muted\">Ingen: alt rådet følger er i tabellen.</p>");
    }
    for d in fresh.iter().take(SHOWN) {
        out.push_str(&card(ctx, d, &csrf, true)?);
    }
    if fresh.len() > SHOWN {
        out.push_str(&format!(
            "<p>… og {} til, eldre. Alle: <a href=\"/dokumenter?relevante=1\">Dokumenter, bare det rådet følger</a>.</p>",
            fresh.len() - SHOWN
        ));
    }

    let threshold = ctx.config.themes.threshold;
    let close = ctx
        .store
        .borderline_documents(since, threshold * BORDERLINE)?;
    out.push_str(&format!(
        "<h2>Like under terskelen ({words})</h2><p class=\"muted\">Poengsum minst {:.1} av {:.1}: sjekk om rådet bør følge dem.</p>",
        threshold * BORDERLINE,
        threshold
    ));
    if close.is_empty() {
        out.push_str("<p class=\"muted\">Ingen.</p>");
    }
    for d in &close {
        out.push_str(&card(ctx, d, &csrf, false)?);
    }
    Ok(out)
}

/// A document with why it matched (or nearly did) and the decisions.
fn card(ctx: &Ctx<'_>, d: &StoredDocument, csrf: &str, relevant: bool) -> anyhow::Result<String> {
    let key = d.key.to_string();
    let verdict = ctx.store.relevance(d.id)?.verdict;
    let deadline = d
        .deadline
        .map(|dl| format!(" · frist {}", format_date(dl)))
        .unwrap_or_default();
    let mut out = format!(
        "<div class=\"card\" id=\"dok-{}\"><p>{} <span class=\"muted\">{} · {} · {}{deadline} · <a href=\"/dokument/{}/{}\">detaljer</a></span></p>",
        esc(&key.replace(':', "-")),
        link(&d.title, &d.url),
        esc(&key),
        esc(&d.doc_type_text),
        esc(&d.departments.join(", ")),
        esc(&d.key.site),
        esc(&d.key.id),
    );
    if let Some(v) = &verdict {
        out.push_str(&format!("<p class=\"why\">{}</p>", esc(&why(v))));
    }
    out.push_str("<div class=\"actions\">");
    out.push_str(&button(
        "/dokument/ta-inn",
        csrf,
        "Ta inn i tabellen",
        &[("dokument", &key)],
    ));
    if !relevant {
        out.push_str(&button(
            "/dokument/vurdering",
            csrf,
            "Følg",
            &[("dokument", &key), ("vurdering", "pin")],
        ));
    }
    out.push_str(&form(
        "/dokument/vurdering",
        csrf,
        &format!(
            "<input type=\"hidden\" name=\"dokument\" value=\"{}\"><input type=\"hidden\" name=\"vurdering\" value=\"dismiss\"><input type=\"text\" name=\"grunn\" placeholder=\"Grunn (valgfri)\" aria-label=\"Grunn\"> <button type=\"submit\">Avvis</button>",
            esc(&key)
        ),
    ));
    out.push_str("</div></div>");
    Ok(out)
}

/// The matcher's reasons in one line: the themes and the words that hit.
pub(super) fn why(v: &Verdict) -> String {
    let mut parts: Vec<String> = v
        .themes
        .iter()
        .filter(|t| t.score > 0.0)
        .take(3)
        .map(|t| {
            let hits: Vec<String> = t
                .hits
                .iter()
                .take(4)
                .map(|h| format!("«{}» i {}", h.text, h.field.label()))
                .collect();
            format!("{} ({:.1}): {}", t.id, t.score, hits.join(", "))
        })
        .collect();
    for s in &v.signals {
        if s.field == crate::model::verdict::Field::Refers {
            parts.insert(0, format!("gjelder {}", s.term));
        }
    }
    format!("Poengsum {:.1}. {}", v.score, parts.join("; "))
}

pub async fn take_in(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let doc = ctx.document(&form)?;
        ops::take_in(ctx.store, doc.id, ctx.now)?;
        ctx.sync()?;
        Ok("/nye?ok=inn".into())
    })
}

pub async fn decide(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let doc = ctx.document(&form)?;
        let kind = match field(&form, "vurdering") {
            Some("pin") => OverrideKind::Pin,
            Some("dismiss") => OverrideKind::Dismiss,
            _ => anyhow::bail!("ukjent vurdering"),
        };
        let reason = field(&form, "grunn").map(|r| crate::norsk::clean_text(r, 500));
        crate::job::set_override(ctx.store, doc.id, kind, reason.as_deref(), ctx.now)?;
        ctx.sync()?;
        // Back to a document's page only: a path of ours, nothing a form
        // could turn into another address or a broken header.
        let back = field(&form, "tilbake").filter(|b| {
            b.starts_with("/dokument/")
                && b.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'.'))
                && !b.contains("..")
        });
        Ok(match (back, kind) {
            (Some(b), _) => b.to_string(),
            (None, OverrideKind::Pin) => "/nye?ok=folg".into(),
            (None, OverrideKind::Dismiss) => "/nye?ok=avvist".into(),
        })
    })
}

pub async fn reject(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let doc = ctx.document(&form)?;
        let row: i64 = field(&form, "rad")
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("hvilken rad?"))?;
        anyhow::ensure!(
            ctx.store.overview_reject_proposal(row, doc.id)?,
            "ingen åpent forslag om å koble rad {row} til {}",
            doc.key
        );
        Ok("/nye?ok=forslag".into())
    })
}
