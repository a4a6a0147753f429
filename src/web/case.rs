//! Saken: the case for a chosen meeting, previewed and downloaded (Word,
//! Markdown, HTML; the table alone as Excel or CSV), and the deadline
//! calendar. With `[web] public = true`, the table and the calendar for
//! council members without login.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::{Ctx, Fields, Shared, field};
use crate::config::Format;
use crate::escape::html as esc;
use crate::meetings::MeetingContext;
use crate::overview::papers;
use crate::overview::render::body_html;

pub async fn page(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    super::page(&app, &headers, "/saken", "Saken", |ctx| body(ctx, &q))
}

/// The meeting asked for (or the next), when the calendar lets the case
/// say what is new and which deadlines the council can reach.
fn context<'a>(ctx: &Ctx<'a>, q: &Fields) -> Result<MeetingContext<'a>, String> {
    papers::ready_context(ctx.config, field(q, "mote"), ctx.today)
        .map_err(|e| format!("{}: {e}", ctx.config.path.display()))
}

fn body(ctx: &mut Ctx<'_>, q: &Fields) -> anyhow::Result<String> {
    let mut out = String::new();
    out.push_str(&super::html::meeting_picker(
        "/saken",
        "Møte",
        &ctx.config.meetings,
        field(q, "mote"),
        Some("neste"),
    ));
    let meeting = match context(ctx, q) {
        Ok(m) => m,
        Err(why) => {
            out.push_str(&format!("<p class=\"error\">{}</p>", esc(&why)));
            return Ok(out);
        }
    };
    let id = meeting.meeting.map(|m| m.id.clone()).unwrap_or_default();
    let file = |format: &str, what: &str| {
        format!(
            "/saken/fil?format={format}&amp;hva={what}&amp;mote={}",
            url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        )
    };
    out.push_str(&format!(
        "<p class=\"actions\">Last ned saken: <a href=\"{}\">Word</a> · <a href=\"{}\">Markdown</a> · <a href=\"{}\">HTML</a>. Tabellen alene: <a href=\"{}\">Word</a> · <a href=\"{}\">Excel</a> (for å åpne i Excel) · <a href=\"{}\">CSV</a> (for skript og andre programmer; i Excel: bruk Excel-filen). Fristene som kalender: <a href=\"/frister.ics\">frister.ics</a>{}.</p>",
        file("docx", "sak"),
        file("md", "sak"),
        file("html", "sak"),
        file("docx", "tabell"),
        file("xlsx", "tabell"),
        file("csv", "tabell"),
        if ctx.config.web.public {
            " (for rådsmedlemmer uten innlogging: <a href=\"/offentlig/frister.ics\">/offentlig/frister.ics</a>)"
        } else {
            ""
        },
    ));
    out.push_str(&own_calendar(ctx)?);
    let doc = papers::case(ctx.store, &meeting, ctx.today, &ctx.config.case)?;
    out.push_str(&format!("<div class=\"card\">{}</div>", body_html(&doc)));
    Ok(out)
}

pub async fn download(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<Fields>,
) -> Response {
    let now = app.clock.now();
    let store = app.store();
    match super::auth::session(&store, &headers, now) {
        Ok(Some(_)) => {}
        Ok(None) => return axum::response::Redirect::to("/login").into_response(),
        Err(e) => return super::failure(&e),
    }
    let format: Format = match field(&q, "format").unwrap_or("docx").parse() {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    let case = field(&q, "hva") != Some("tabell");
    if case && matches!(format, Format::Csv | Format::Xlsx) {
        return (
            StatusCode::BAD_REQUEST,
            "saken finnes som Word, Markdown og HTML; tabellen alene også som Excel og CSV",
        )
            .into_response();
    }
    let today = crate::clock::oslo_date(now);
    let meeting = match papers::ready_context(&app.config, field(&q, "mote"), today) {
        Ok(m) => m,
        Err(e @ papers::NotReady::Incomplete(_)) => {
            return (StatusCode::CONFLICT, e.to_string()).into_response();
        }
        Err(e) => return (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    };
    let doc = if case {
        papers::case(&store, &meeting, today, &app.config.case)
    } else {
        papers::table_doc(&store, &meeting, today, false)
    };
    let bytes = match doc.and_then(|d| format.renderer().render(&d)) {
        Ok(b) => b,
        Err(e) => return super::failure(&e),
    };
    let id = meeting
        .meeting
        .map(|m| m.id.replace('/', "-"))
        .unwrap_or_default();
    let name = format!(
        "{}-{id}.{}",
        if case { "sak" } else { "oversikt" },
        format.extension()
    );
    (
        [
            (header::CONTENT_TYPE, content_type(format).to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn content_type(f: Format) -> &'static str {
    match f {
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
    }
}

fn ics(app: &super::App) -> Response {
    let clock = crate::clock::FixedClock(app.clock.now());
    match crate::alerts::calendar::calendar_text(&app.config, &app.store(), &clock, None) {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"frister.ics\"",
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => super::failure(&e),
    }
}

/// The signed-in member's own calendar address, which Outlook and Google
/// can subscribe to without a login, and the buttons to make a new one or
/// take it back.
fn own_calendar(ctx: &Ctx<'_>) -> anyhow::Result<String> {
    let csrf = &ctx.session.csrf;
    let make = super::html::button("/kalender/ny", csrf, "Lag en ny kalenderadresse", &[]);
    Ok(match ctx.store.calendar_token(&ctx.session.user)? {
        Some(token) => format!(
            "<div class=\"card\"><p>Din egen kalenderadresse (abonner på den i Outlook eller Google; den virker uten innlogging, så del den ikke):</p><p><code>{}/kalender/{}.ics</code></p>{make}{}</div>",
            esc(&ctx.origin),
            esc(&token),
            super::html::button("/kalender/fjern", csrf, "Trekk adressen tilbake", &[])
        ),
        None => format!(
            "<div class=\"card\"><p>Vil du abonnere på fristene i Outlook eller Google? Lag en egen kalenderadresse.</p>{make}</div>"
        ),
    })
}

pub async fn new_calendar(
    State(app): State<Shared>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        let token = super::auth::random_token()?;
        ctx.store
            .set_calendar_token(&ctx.session.user, Some(&token))?;
        ctx.store
            .audit(&ctx.session.user, "calendar_token_new", None, ctx.now)?;
        Ok("/saken?ok=kalender".into())
    })
}

pub async fn revoke_calendar(
    State(app): State<Shared>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<Fields>,
) -> Response {
    super::action(&app, &headers, &form, |ctx| {
        ctx.store.set_calendar_token(&ctx.session.user, None)?;
        ctx.store
            .audit(&ctx.session.user, "calendar_token_revoked", None, ctx.now)?;
        Ok("/saken?ok=kalender-fjernet".into())
    })
}

/// `/kalender/{token}.ics`: the calendar for whoever has a member's
/// address, no login.
pub async fn token_calendar(
    State(app): State<Shared>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let valid = token.len() == 64
        && token.bytes().all(|b| b.is_ascii_hexdigit())
        && app.store().calendar_token_valid(token).unwrap_or(false);
    if !valid {
        return not_public();
    }
    ics(&app)
}

pub async fn calendar(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let signed_in = matches!(
        super::auth::session(&app.store(), &headers, app.clock.now()),
        Ok(Some(_))
    );
    if !signed_in {
        return axum::response::Redirect::to("/login").into_response();
    }
    ics(&app)
}

fn not_public() -> Response {
    (StatusCode::NOT_FOUND, "Ikke funnet").into_response()
}

pub async fn public_calendar(State(app): State<Shared>) -> Response {
    if !app.config.web.public {
        return not_public();
    }
    ics(&app)
}

/// The table for the next meeting, read-only.
pub async fn public_table(State(app): State<Shared>) -> Response {
    if !app.config.web.public {
        return not_public();
    }
    let now = app.clock.now();
    let today = crate::clock::oslo_date(now);
    let store = app.store();
    let meeting = MeetingContext::around(&app.config.meetings, None, today);
    match papers::table_doc(&store, &meeting, today, false) {
        Ok(doc) => Html(super::html::bare(
            &doc.title,
            &format!(
                "{}<p><a href=\"/offentlig/frister.ics\">Høringsfristene som kalender</a></p>",
                body_html(&doc)
            ),
        ))
        .into_response(),
        Err(e) => super::failure(&e),
    }
}
