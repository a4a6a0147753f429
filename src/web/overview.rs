//! Oversikt: the table for a meeting as the papers show it, every cell
//! editable in place, rows added, linked, noted, archived, dismissed and
//! restored, by the same rules as `policywatch overview`.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::html::{button, form, spans};
use super::{Ctx, Fields, Shared, field};
use crate::escape::html as esc;
use crate::overview::cells::plain_text;
use crate::overview::view::{ViewOptions, table};
use crate::overview::{Column, ops, papers};
use crate::store::{OverviewRow, RowState};

const NOTICES: &[(&str, &str)] = &[
    ("celle", "Cellen er lagret."),
    ("notat", "Teksten i saken er lagret."),
    ("ny", "Raden er lagt til."),
    ("koblet", "Raden er koblet til dokumentet."),
    ("tilstand", "Raden er flyttet."),
];

pub async fn page(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    super::page(&app, &headers, "/oversikt", "Oversikt", |ctx| body(ctx, &q))
}

fn body(ctx: &mut Ctx<'_>, q: &Fields) -> anyhow::Result<String> {
    let mut out = super::notice_of(q, NOTICES);
    let chosen = field(q, "mote");
    let meeting = match papers::meeting_context(ctx.config, chosen, ctx.today) {
        Ok(m) => m,
        Err(e) => {
            out.push_str(&format!("<p class=\"error\">{}</p>", esc(&e.to_string())));
            papers::meeting_context(ctx.config, None, ctx.today)?
        }
    };
    if let Err(missing) = meeting.complete() {
        out.push_str(&format!(
            "<p class=\"notice\">{}. Legg inn rådsmøtene under [[meeting]] i {}: uten dem kan ikke tabellen si hva som er nytt eller hvilke frister rådet rekker.</p>",
            esc(&missing.to_string()),
            esc(&ctx.config.path.display().to_string())
        ));
    }
    out.push_str(&super::html::meeting_picker(
        "/oversikt",
        "Tabellen for",
        &ctx.config.meetings,
        meeting.meeting.map(|m| m.id.as_str()),
        None,
    ));
    let rows = ctx.store.overview_rows(false)?;
    let active: Vec<OverviewRow> = rows
        .iter()
        .filter(|r| r.state == RowState::Active)
        .cloned()
        .collect();
    let opts = ViewOptions {
        headings: papers::headings(ctx.store)?,
        secretariat: true,
    };
    let view = table(&active, &meeting, ctx.today, &opts);
    let by_id: HashMap<i64, &OverviewRow> = active.iter().map(|r| (r.id, r)).collect();
    let csrf = &ctx.session.csrf;
    out.push_str("<table>\n<thead><tr>");
    for c in Column::ALL {
        out.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            esc(view.headings.get(c))
        ));
    }
    out.push_str("<th scope=\"col\">Handlinger</th></tr></thead>\n<tbody>\n");
    for rv in &view.rows {
        let Some(row) = by_id.get(&rv.id) else {
            continue;
        };
        out.push_str(&format!("<tr id=\"rad-{}\">", rv.id));
        for c in Column::ALL {
            let mut cell = rv
                .cells
                .get(&c)
                .map(|lines| {
                    lines
                        .iter()
                        .map(|l| spans(l))
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
                .unwrap_or_default();
            if c == Column::Title {
                for f in &rv.flags {
                    cell.push_str(&format!(
                        "<br><span class=\"flag flag-{}\">{}</span>",
                        f.kind(),
                        esc(&f.label())
                    ));
                }
            }
            cell.push_str(&cell_editor(row, c, csrf));
            out.push_str(&format!(
                "<td data-label=\"{}\">{cell}</td>",
                esc(view.headings.get(c))
            ));
        }
        out.push_str(&format!(
            "<td data-label=\"Handlinger\" class=\"actions\">{}</td></tr>\n",
            row_actions(row, csrf)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    if view.rows.is_empty() {
        out.push_str("<p class=\"muted\">Tabellen er tom. Legg til en rad under, eller importer rådets tabell med <code>policywatch overview import</code>.</p>");
    }
    out.push_str(&add_form(csrf));
    out.push_str(&put_away(&rows, csrf));
    Ok(out)
}

/// The in-place editor of one cell: the secretariat's text (or, to start
/// from, the site's), and a way back to the site's text.
fn cell_editor(row: &OverviewRow, col: Column, csrf: &str) -> String {
    let cell = row.cells.get(&col).cloned().unwrap_or_default();
    let start = cell
        .manual
        .as_deref()
        .or(cell.auto.as_deref())
        .unwrap_or("");
    let action = format!("/rad/{}/celle", row.id);
    let mut out = format!(
        "<details><summary>Endre</summary>{}",
        form(
            &action,
            csrf,
            &format!(
                "<input type=\"hidden\" name=\"kolonne\" value=\"{}\"><input type=\"hidden\" name=\"versjon\" value=\"{}\"><textarea name=\"tekst\" aria-label=\"{} i rad {}\">{}</textarea><button type=\"submit\">Lagre</button>",
                col.as_str(),
                version_of(cell.manual.as_deref()),
                esc(col.heading()),
                row.id,
                esc(start)
            )
        )
    );
    if cell.manual.is_some() && cell.auto.is_some() {
        out.push_str(&button(
            &action,
            csrf,
            "Bruk teksten fra nettstedet",
            &[("kolonne", col.as_str()), ("fjern", "1")],
        ));
    }
    out.push_str("</details>");
    out
}

fn row_actions(row: &OverviewRow, csrf: &str) -> String {
    let id = row.id;
    let note = form(
        &format!("/rad/{id}/notat"),
        csrf,
        &format!(
            "<textarea name=\"tekst\" aria-label=\"Tekst i saken for rad {id}\">{}</textarea><button type=\"submit\">Lagre</button>",
            esc(row.note.as_deref().unwrap_or(""))
        ),
    );
    let link = form(
        &format!("/rad/{id}/koble"),
        csrf,
        "<input type=\"text\" name=\"dokument\" placeholder=\"3167072 eller stortinget:10501\" aria-label=\"Dokument\"> <label><input type=\"checkbox\" name=\"horing\" value=\"1\"> som høring</label> <button type=\"submit\">Koble</button>",
    );
    let state =
        |s: &str, label: &str| button(&format!("/rad/{id}/tilstand"), csrf, label, &[("til", s)]);
    format!(
        "<details><summary>Tekst i saken</summary>{note}</details><details><summary>Koble til dokument</summary>{link}</details>{}{}",
        state("archived", "Arkiver"),
        state("dismissed", "Avvis")
    )
}

fn add_form(csrf: &str) -> String {
    let input = |name: &str, label: &str| {
        format!("<label>{label}<input type=\"text\" name=\"{name}\"></label>")
    };
    format!(
        "<h2>Legg til en rad</h2><div class=\"card\">{}</div>",
        form(
            "/rad/ny",
            csrf,
            &format!(
                "<div class=\"filters\">{}{}{}{}{}{}</div><button type=\"submit\">Legg til</button>",
                input("tittel", "Tittel"),
                input("adresse", "Adresse (https://…)"),
                input("innspill", "Innspill"),
                input("lansering", "Lansering"),
                input("horing", "Høring"),
                input("oppfolging", "Oppfølging"),
            )
        )
    )
}

/// Rows taken off the table, to be brought back.
fn put_away(rows: &[OverviewRow], csrf: &str) -> String {
    let away: Vec<&OverviewRow> = rows
        .iter()
        .filter(|r| r.state != RowState::Active)
        .collect();
    if away.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2>Arkiverte og avviste rader</h2><table><thead><tr><th>Rad</th><th>Tilstand</th><th></th></tr></thead><tbody>",
    );
    for r in away {
        let title = r
            .cells
            .get(&Column::Title)
            .and_then(|c| c.shown())
            .map(plain_text)
            .unwrap_or_default();
        let state = match r.state {
            RowState::Archived => "arkivert",
            RowState::Dismissed => "avvist",
            RowState::Active => "",
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{state}</td><td>{}</td></tr>",
            esc(&title),
            button(
                &format!("/rad/{}/tilstand", r.id),
                csrf,
                "Gjenopprett",
                &[("til", "active")]
            )
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// The secretariat's text for a form field: `\r\n` as the table writes it.
fn text_of(form: &Fields, name: &str) -> Option<String> {
    field(form, name).map(|t| t.replace("\r\n", "\n"))
}

pub async fn edit(
    State(app): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let col = field(&form, "kolonne")
            .and_then(Column::parse)
            .ok_or_else(|| anyhow::anyhow!("ukjent kolonne"))?;
        ctx.row_exists(id)?;
        let text = if form.contains_key("fjern") {
            None
        } else {
            text_of(&form, "tekst")
        };
        // The form says which text it was made from: a save from an older
        // one (someone saved in between) is a conflict, shown with both
        // texts, never a silent overwrite.
        if let Some(seen) = field(&form, "versjon") {
            let stored = ctx
                .store
                .overview_row(id)?
                .and_then(|r| r.cells.get(&col).and_then(|c| c.manual.clone()));
            if seen != version_of(stored.as_deref()) && stored.as_deref() != text.as_deref() {
                return Err(super::Conflict {
                    action: format!("/rad/{id}/celle"),
                    fields: vec![("kolonne".into(), col.as_str().into())],
                    version: version_of(stored.as_deref()),
                    stored: stored.unwrap_or_default(),
                    typed: text.unwrap_or_default(),
                    what: format!("{} i rad {id}", col.heading()),
                    back: format!("/oversikt#rad-{id}"),
                }
                .into());
            }
        }
        ops::edit_cell(ctx.store, id, col, text.as_deref(), ctx.now)?;
        Ok(format!("/oversikt?ok=celle#rad-{id}"))
    })
}

pub async fn note(
    State(app): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        ctx.row_exists(id)?;
        ops::set_note(ctx.store, id, text_of(&form, "tekst").as_deref(), ctx.now)?;
        Ok(format!("/oversikt?ok=notat#rad-{id}"))
    })
}

pub async fn state(
    State(app): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let to = match field(&form, "til") {
            Some("active") => RowState::Active,
            Some("archived") => RowState::Archived,
            Some("dismissed") => RowState::Dismissed,
            _ => anyhow::bail!("ukjent tilstand"),
        };
        ctx.row_exists(id)?;
        ctx.store
            .overview_set_state(id, to, crate::store::Actor::Secretariat, ctx.now)?;
        Ok("/oversikt?ok=tilstand".to_string())
    })
}

pub async fn link(
    State(app): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let doc = ctx.document(&form)?;
        let hearing = form.contains_key("horing");
        ops::link(ctx.store, id, doc.id, hearing, ctx.now)?.map_err(anyhow::Error::from)?;
        ctx.sync()?;
        Ok(format!("/oversikt?ok=koblet#rad-{id}"))
    })
}

pub async fn add(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let title =
            field(&form, "tittel").ok_or_else(|| anyhow::anyhow!("raden trenger en tittel"))?;
        let cells = [
            (Column::Input, "innspill"),
            (Column::Launch, "lansering"),
            (Column::Hearing, "horing"),
            (Column::Followup, "oppfolging"),
        ]
        .into_iter()
        .filter_map(|(c, name)| text_of(&form, name).map(|t| (c, t)))
        .collect();
        let url = field(&form, "adresse")
            .map(|u| {
                crate::escape::http_url(u)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        anyhow::anyhow!("adressen må begynne med https:// eller http://")
                    })
            })
            .transpose()?;
        let id = ops::add_row(
            ctx.store,
            &ops::ManualRow {
                title: title.to_string(),
                url,
                cells,
            },
            ctx.now,
        )?;
        Ok(format!("/oversikt?ok=ny#rad-{id}"))
    })
}

/// Which of the secretariat's texts a form was made from: a short hash of
/// it (empty text: none written).
pub(super) fn version_of(manual: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(manual.unwrap_or("").as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
