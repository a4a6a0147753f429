//! Dokumenter: search and filter the store; one document with its history
//! and the matcher's explanation.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::html::{button, form, link};
use super::{Ctx, Fields, Shared, field};
use crate::escape::html as esc;
use crate::model::{DocKey, DocKind, EventKind};
use crate::norsk::format_date;
use crate::store::{DocFilter, OverrideKind};

const PAGE: u32 = 50;

const KINDS: &[(DocKind, &str)] = &[
    (DocKind::Horing, "Høring"),
    (DocKind::Nou, "NOU"),
    (DocKind::MeldSt, "Meld. St."),
    (DocKind::Prop, "Prop."),
    (DocKind::Strategi, "Strategi"),
    (DocKind::Plan, "Plan"),
    (DocKind::Rapport, "Rapport"),
    (DocKind::Annet, "Annet"),
];

pub async fn search(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    super::page(&app, &headers, "/dokumenter", "Dokumenter", |ctx| {
        body(ctx, &q)
    })
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(String, String)]) -> String {
    let opts: String = std::iter::once((String::new(), "alle".to_string()))
        .chain(options.iter().cloned())
        .map(|(v, t)| {
            let sel = if current == Some(v.as_str()) {
                " selected"
            } else {
                ""
            };
            format!("<option value=\"{}\"{sel}>{}</option>", esc(&v), esc(&t))
        })
        .collect();
    format!("<label>{label}<select name=\"{name}\">{opts}</select></label>")
}

fn body(ctx: &mut Ctx<'_>, q: &Fields) -> anyhow::Result<String> {
    let page: u32 = field(q, "side")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    let filter = DocFilter {
        text: field(q, "q").map(str::to_string),
        site: field(q, "nettsted").map(str::to_string),
        kind: field(q, "type").and_then(DocKind::parse),
        department: field(q, "departement").map(str::to_string),
        theme: field(q, "tema").map(str::to_string),
        open_only: field(q, "apne").is_some(),
        relevant_only: field(q, "relevante").is_some(),
        since: None,
        limit: PAGE,
        offset: (page - 1) * PAGE,
    };
    let (docs, total) = ctx.store.search_documents(&filter, ctx.today)?;
    let sites: Vec<(String, String)> = crate::sources::SITES
        .iter()
        .map(|s| (s.id().to_string(), s.label().to_string()))
        .collect();
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|(k, t)| (k.as_str().to_string(), t.to_string()))
        .collect();
    let themes: Vec<(String, String)> = ctx
        .config
        .themes
        .themes
        .iter()
        .map(|t| (t.id.clone(), format!("{} {}", t.id, t.name)))
        .collect();
    let deps: Vec<(String, String)> = ctx
        .store
        .departments()?
        .into_iter()
        .map(|d| (d.clone(), d))
        .collect();
    let checked = |name: &str| {
        if field(q, name).is_some() {
            " checked"
        } else {
            ""
        }
    };
    let mut out = format!(
        "<form method=\"get\" action=\"/dokumenter\" class=\"filters\"><label>Søk<input type=\"search\" name=\"q\" value=\"{}\"></label>{}{}{}{}<label><span><input type=\"checkbox\" name=\"apne\" value=\"1\"{}> åpne høringer, etter frist</span></label><label><span><input type=\"checkbox\" name=\"relevante\" value=\"1\"{}> bare det rådet følger</span></label><button type=\"submit\">Vis</button></form>",
        esc(field(q, "q").unwrap_or("")),
        select("nettsted", "Nettsted", field(q, "nettsted"), &sites),
        select("type", "Type", field(q, "type"), &kinds),
        select("tema", "Tema", field(q, "tema"), &themes),
        select(
            "departement",
            "Departement eller komité",
            field(q, "departement"),
            &deps
        ),
        checked("apne"),
        checked("relevante"),
    );
    let first = filter.offset + 1;
    let last = filter.offset + docs.len() as u32;
    out.push_str(&format!(
        "<p class=\"muted\">{total} dokument(er){}</p>",
        if docs.is_empty() {
            String::new()
        } else {
            format!(", viser {first}–{last}")
        }
    ));
    out.push_str("<table><thead><tr><th>Publisert</th><th>Tittel</th><th>Type</th><th>Departement</th><th>Frist</th><th>Status</th></tr></thead><tbody>");
    for d in &docs {
        out.push_str(&format!(
            "<tr><td data-label=\"Publisert\">{}</td><td data-label=\"Tittel\"><a href=\"/dokument/{}/{}\">{}</a> <span class=\"muted\">{}</span></td><td data-label=\"Type\">{}</td><td data-label=\"Departement\">{}</td><td data-label=\"Frist\">{}</td><td data-label=\"Status\">{}</td></tr>",
            d.published.map(format_date).unwrap_or_default(),
            esc(&d.key.site),
            esc(&d.key.id),
            esc(&d.title),
            esc(&d.key.to_string()),
            esc(&d.doc_type_text),
            esc(&d.departments.join(", ")),
            d.deadline.map(format_date).unwrap_or_default(),
            esc(d.status_text.as_deref().unwrap_or("")),
        ));
    }
    out.push_str("</tbody></table>");
    // Paging keeps the filters.
    let keep: String = q
        .iter()
        .filter(|(k, v)| k.as_str() != "side" && !v.is_empty())
        .map(|(k, v)| format!("&{}={}", urlencode(k), urlencode(v)))
        .collect();
    let mut nav = String::new();
    if page > 1 {
        nav.push_str(&format!(
            "<a href=\"/dokumenter?side={}{}\">← Forrige</a> ",
            page - 1,
            esc(&keep)
        ));
    }
    if u64::from(last) < total {
        nav.push_str(&format!(
            "<a href=\"/dokumenter?side={}{}\">Neste →</a>",
            page + 1,
            esc(&keep)
        ));
    }
    if !nav.is_empty() {
        out.push_str(&format!("<p>{nav}</p>"));
    }
    Ok(out)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn one(
    State(app): State<Shared>,
    headers: HeaderMap,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    super::page(&app, &headers, "/dokumenter", "Dokument", |ctx| {
        document(ctx, &site, &id)
    })
}

fn document(ctx: &mut Ctx<'_>, site: &str, id: &str) -> anyhow::Result<String> {
    let key = DocKey::new(site, id);
    let Some(d) = ctx.store.document_by_key(&key)? else {
        return Ok(format!(
            "<p class=\"error\">Dokumentet {} finnes ikke.</p>",
            esc(&key.to_string())
        ));
    };
    let csrf = ctx.session.csrf.clone();
    let mut out = format!(
        "<h2>{}</h2><dl class=\"card\"><dt>Nøkkel</dt><dd>{}</dd><dt>Type</dt><dd>{}</dd><dt>Departement</dt><dd>{}</dd><dt>Publisert</dt><dd>{}</dd><dt>Frist</dt><dd>{}</dd><dt>Status</dt><dd>{}</dd><dt>Gjelder</dt><dd>{}</dd><dt>Først sett</dt><dd>{}</dd></dl>",
        link(&d.title, &d.url),
        esc(&key.to_string()),
        esc(&d.doc_type_text),
        esc(&d.departments.join(", ")),
        d.published.map(format_date).unwrap_or_default(),
        d.deadline.map(format_date).unwrap_or_else(|| "–".into()),
        esc(d.status_text.as_deref().unwrap_or("–")),
        esc(d.refers_to.as_deref().unwrap_or("–")),
        esc(&d.first_seen.to_string()),
    );
    if let Some(s) = &d.summary {
        out.push_str(&format!("<p>{}</p>", esc(s)));
    }
    let relevance = ctx.store.relevance(d.id)?;
    out.push_str("<h2>Temamatchingen</h2>");
    if let Some(o) = &relevance.overridden {
        let what = match o.kind {
            OverrideKind::Pin => "Markert som relevant av sekretariatet",
            OverrideKind::Dismiss => "Avvist som ikke relevant av sekretariatet",
        };
        out.push_str(&format!(
            "<p class=\"notice\">{what} {}{}</p>",
            esc(&o.at),
            o.reason
                .as_deref()
                .map(|r| format!(": «{}»", esc(r)))
                .unwrap_or_default()
        ));
    }
    match &relevance.verdict {
        Some(v) => {
            out.push_str(&format!(
                "<p>{} (poengsum {:.1}, terskel {:.1})</p><ul>",
                if v.relevant {
                    "Relevant"
                } else {
                    "Ikke relevant"
                },
                v.score,
                ctx.config.themes.threshold
            ));
            for t in v
                .themes
                .iter()
                .filter(|t| t.score > 0.0 || !t.hits.is_empty())
            {
                out.push_str(&format!(
                    "<li>{} {}: {:.1}<ul>",
                    esc(&t.id),
                    esc(&t.name),
                    t.score
                ));
                for h in &t.hits {
                    out.push_str(&format!(
                        "<li>«{}» i {}: «{}» ({:+.1})</li>",
                        esc(&h.term),
                        esc(h.field.label()),
                        esc(&h.text),
                        h.weight
                    ));
                }
                out.push_str("</ul></li>");
            }
            for s in &v.signals {
                out.push_str(&format!(
                    "<li>{} «{}» ({:+.1})</li>",
                    esc(s.field.label()),
                    esc(&s.text),
                    s.weight
                ));
            }
            out.push_str("</ul>");
        }
        None => out.push_str("<p class=\"muted\">Ikke vurdert ennå.</p>"),
    }
    let back = format!("/dokument/{}/{}", d.key.site, d.key.id);
    out.push_str("<div class=\"actions\">");
    out.push_str(&button(
        "/dokument/ta-inn",
        &csrf,
        "Ta inn i tabellen",
        &[("dokument", &key.to_string())],
    ));
    out.push_str(&button(
        "/dokument/vurdering",
        &csrf,
        "Følg",
        &[
            ("dokument", &key.to_string()),
            ("vurdering", "pin"),
            ("tilbake", &back),
        ],
    ));
    out.push_str(&form(
        "/dokument/vurdering",
        &csrf,
        &format!(
            "<input type=\"hidden\" name=\"dokument\" value=\"{}\"><input type=\"hidden\" name=\"vurdering\" value=\"dismiss\"><input type=\"hidden\" name=\"tilbake\" value=\"{}\"><input type=\"text\" name=\"grunn\" placeholder=\"Grunn (valgfri)\" aria-label=\"Grunn\"> <button type=\"submit\">Avvis</button>",
            esc(&key.to_string()),
            esc(&back)
        ),
    ));
    out.push_str("</div><h2>Historikk</h2><ul>");
    for e in ctx.store.history(d.id)? {
        let what = e.kind.label();
        let change = match (&e.old_value, &e.new_value) {
            (Some(o), Some(n)) => format!(": {} → {}", esc(o), esc(n)),
            (None, Some(n)) if e.kind != EventKind::New => format!(": {}", esc(n)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "<li>{} {what}{change}</li>",
            esc(&e.at.to_string())
        ));
    }
    out.push_str("</ul>");
    Ok(out)
}
