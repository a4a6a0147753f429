//! Status: each source's health, the last runs, and the alerts whose
//! delivery is uncertain or failed, each with a way to settle it.

use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::html::button;
use super::{Ctx, Fields, Shared, field};
use crate::escape::html as esc;
use crate::store::DeliveryState;

const NOTICES: &[(&str, &str)] = &[
    (
        "sendt",
        "Varselet er registrert som kommet fram; det sendes ikke igjen.",
    ),
    ("igjen", "Varselet sendes på nytt ved neste kjøring."),
    (
        "godtatt",
        "Endringene er godtatt; de lagres ved neste kjøring.",
    ),
    (
        "avvist",
        "Endringene er avvist; det som er lagret, står. Sier nettstedet det samme neste gang, holdes de tilbake igjen.",
    ),
];

pub async fn page(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    super::page(&app, &headers, "/status", "Status", |ctx| body(ctx, &q))
}

fn body(ctx: &mut Ctx<'_>, q: &Fields) -> anyhow::Result<String> {
    let mut out = super::notice_of(q, NOTICES);
    let threshold = ctx.config.alerts.source_failure_threshold;
    let states = ctx.store.source_states()?;
    out.push_str("<h2>Kilder</h2><table><thead><tr><th>Kilde</th><th>Tilstand</th><th>Sist vellykket</th><th>Sist feilet</th><th>Siste feil</th></tr></thead><tbody>");
    for s in &ctx.config.sources {
        let st = states.iter().find(|x| x.name == s.name);
        let (health, success, failure, error) = match st {
            None => ("ikke kjørt", "", "", ""),
            Some(st) => (
                st.health(threshold),
                st.last_success.as_deref().unwrap_or("aldri"),
                st.last_failure.as_deref().unwrap_or("aldri"),
                if st.consecutive_failures > 0 {
                    st.last_error.as_deref().unwrap_or("")
                } else {
                    ""
                },
            ),
        };
        let off = if s.enabled { "" } else { " (slått av)" };
        out.push_str(&format!(
            "<tr><td data-label=\"Kilde\">{}{off}</td><td data-label=\"Tilstand\">{health}</td><td data-label=\"Sist vellykket\">{}</td><td data-label=\"Sist feilet\">{}</td><td data-label=\"Siste feil\">{}</td></tr>",
            esc(&s.name),
            esc(success),
            esc(failure),
            esc(error)
        ));
    }
    out.push_str("</tbody></table>");

    out.push_str("<h2>Siste kjøringer</h2><table><thead><tr><th>Kommando</th><th>Startet</th><th>Ferdig</th><th>Utfall</th></tr></thead><tbody>");
    for r in ctx.store.recent_runs(10)? {
        out.push_str(&format!(
            "<tr><td data-label=\"Kommando\">{}</td><td data-label=\"Startet\">{}</td><td data-label=\"Ferdig\">{}</td><td data-label=\"Utfall\">{}</td></tr>",
            esc(&r.command),
            esc(&r.started),
            esc(r.finished.as_deref().unwrap_or("–")),
            esc(r.outcome.as_deref().unwrap_or("pågår eller avbrutt")),
        ));
    }
    out.push_str("</tbody></table>");

    out.push_str(&held(ctx)?);

    let open = crate::alerts::deliver::open_deliveries(ctx.config, ctx.store)?;
    out.push_str("<h2>Varsler som trenger en avgjørelse</h2>");
    if open.is_empty() {
        out.push_str("<p class=\"muted\">Ingen: alle varsler er levert.</p>");
    }
    let csrf = ctx.session.csrf.clone();
    for d in open {
        let what = match d.state {
            DeliveryState::Pending => {
                "Ukjent utfall: en kjøring stoppet mellom sending og registrering. Sjekk med mottakeren."
            }
            _ => "Kom ikke fram; prøves igjen ved neste kjøring.",
        };
        out.push_str(&format!(
            "<div class=\"card\"><p>{} — til {} ({}), siden {}, {} forsøk</p><p class=\"why\">{what}{}</p><div class=\"actions\">{}{}</div></div>",
            esc(d.title.as_deref().or(d.headline.as_deref()).unwrap_or("(ukjent dokument)")),
            esc(&d.recipient),
            esc(&d.channel),
            esc(&d.since),
            d.attempts,
            d.last_error
                .as_deref()
                .map(|e| format!(" Siste feil: {}", esc(e)))
                .unwrap_or_default(),
            button("/levering", &csrf, "Det kom fram", &[("nokkel", &d.alert_key), ("utfall", "sent")]),
            button("/levering", &csrf, "Send på nytt", &[("nokkel", &d.alert_key), ("utfall", "resend")]),
        ));
    }
    Ok(out)
}

/// What the change circuit breaker held back, beside what is stored, with
/// the secretariat's two answers.
fn held(ctx: &Ctx<'_>) -> anyhow::Result<String> {
    let held = ctx.store.held_changes()?;
    if held.is_empty() {
        return Ok(String::new());
    }
    let mut out = String::from(
        "<h2>Endringer holdt tilbake</h2><p>Så mange dokumenter endret seg på én gang at det kan være en feil på nettstedet. Ingenting av dette er lagret ennå. Sjekk noen av dem på nettstedet.</p>",
    );
    let csrf = &ctx.session.csrf;
    let mut sources: Vec<&str> = held.iter().map(|(s, _)| s.as_str()).collect();
    sources.dedup();
    for source in sources {
        let accepted = ctx.store.changes_accepted(source)?;
        out.push_str(&format!(
            "<h3>{}</h3><table><thead><tr><th>Dokument</th><th>Felt</th><th>Lagret nå</th><th>Nettstedet sier</th></tr></thead><tbody>",
            esc(source)
        ));
        for (_, c) in held.iter().filter(|(s, _)| s == source) {
            out.push_str(&format!(
                "<tr><td data-label=\"Dokument\">{}</td><td data-label=\"Felt\">{}</td><td data-label=\"Lagret nå\">{}</td><td data-label=\"Nettstedet sier\">{}</td></tr>",
                esc(&c.title),
                esc(&c.field),
                esc(c.stored.as_deref().unwrap_or("–")),
                esc(c.new.as_deref().unwrap_or("–")),
            ));
        }
        out.push_str("</tbody></table>");
        if accepted {
            out.push_str("<p class=\"notice\">Godtatt: lagres ved neste kjøring.</p>");
        } else {
            out.push_str(&format!(
                "<div class=\"actions\">{}{}</div>",
                button(
                    "/endringer",
                    csrf,
                    "Godta endringene",
                    &[("kilde", source), ("svar", "godta")]
                ),
                button(
                    "/endringer",
                    csrf,
                    "Avvis dem",
                    &[("kilde", source), ("svar", "avvis")]
                ),
            ));
        }
    }
    Ok(out)
}

/// The secretariat's answer on held changes.
pub async fn held_answer(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let source = field(&form, "kilde").ok_or_else(|| anyhow::anyhow!("hvilken kilde?"))?;
        anyhow::ensure!(
            ctx.store.held_changes()?.iter().any(|(s, _)| s == source),
            "kilden «{source}» har ingen endringer holdt tilbake"
        );
        let user = ctx.session.user.clone();
        match field(&form, "svar") {
            Some("godta") => {
                ctx.store.accept_held_changes(source, &user, ctx.now)?;
                Ok("/status?ok=godtatt".into())
            }
            Some("avvis") => {
                ctx.store.reject_held_changes(source, &user, ctx.now)?;
                Ok("/status?ok=avvist".into())
            }
            _ => anyhow::bail!("godta eller avvis?"),
        }
    })
}

pub async fn settle(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let key = field(&form, "nokkel").ok_or_else(|| anyhow::anyhow!("hvilket varsel?"))?;
        let (state, ok) = match field(&form, "utfall") {
            Some("sent") => (DeliveryState::Sent, "sendt"),
            Some("resend") => (DeliveryState::Failed, "igjen"),
            _ => anyhow::bail!("ukjent utfall"),
        };
        let n = ctx.store.settle_delivery(key, state, ctx.now)?;
        anyhow::ensure!(n > 0, "ingen uavgjort levering har nøkkelen «{key}»");
        Ok(format!("/status?ok={ok}"))
    })
}
