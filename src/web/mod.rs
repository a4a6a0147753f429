//! `policywatch serve`: the secretariat's web page over the same store and
//! the same rules as the commands. Server-rendered HTML, no script; every
//! page but the login form (and, when configured, the public table) needs
//! a session; every POST needs the session's CSRF token; every answer
//! carries a strict Content-Security-Policy.

mod auth;
mod case;
mod documents;
mod html;
mod overview;
mod server;
mod status;
mod triage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::civil::Date;

pub use auth::{hash_password, verify_password};

use crate::clock::Clock;
use crate::config::Config;
use crate::store::{Session, Store};

/// Connections to the database the page keeps.
const STORE_CONNECTIONS: usize = 4;

/// What every handler shares.
pub struct App {
    /// A few connections to the one database, so one slow page does not
    /// hold up the others (SQLite's WAL lets them read side by side).
    stores: Vec<Mutex<Store>>,
    next_store: std::sync::atomic::AtomicUsize,
    config: Config,
    clock: Box<dyn Clock + Send + Sync>,
    throttle: Mutex<auth::Throttle>,
    hashing: tokio::sync::Semaphore,
}

type Shared = Arc<App>;

/// A form's fields.
type Fields = HashMap<String, String>;

impl App {
    pub fn new(config: Config, store: Store, clock: Box<dyn Clock + Send + Sync>) -> App {
        let mut stores = Vec::new();
        for _ in 1..STORE_CONNECTIONS {
            match store.open_again() {
                Ok(Some(s)) => stores.push(Mutex::new(s)),
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "kunne ikke åpne en ekstra databasetilkobling");
                    break;
                }
            }
        }
        stores.insert(0, Mutex::new(store));
        App {
            stores,
            next_store: std::sync::atomic::AtomicUsize::new(0),
            config,
            clock,
            throttle: Mutex::new(auth::Throttle::default()),
            hashing: tokio::sync::Semaphore::new(MAX_HASHES),
        }
    }

    /// A free connection, or else the next in turn.
    fn store(&self) -> MutexGuard<'_, Store> {
        for s in &self.stores {
            if let Ok(guard) = s.try_lock() {
                return guard;
            }
        }
        let i = self
            .next_store
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % self.stores.len();
        self.stores[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks a password off the serving threads, at most [`MAX_HASHES`]
    /// at a time.
    async fn check_password(&self, password: String, hash: String) -> anyhow::Result<bool> {
        let _permit = self.hashing.acquire().await?;
        Ok(tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await?)
    }
}

/// What a signed-in handler works with.
pub(crate) struct Ctx<'a> {
    pub store: &'a mut Store,
    pub config: &'a Config,
    pub now: Timestamp,
    pub today: Date,
    pub session: &'a Session,
    /// The page's own origin as the browser sees it (`https://host`), for
    /// addresses to copy.
    pub origin: String,
}

impl Ctx<'_> {
    /// Brings the table up to date after a decision (as a run would).
    pub fn sync(&mut self) -> anyhow::Result<()> {
        crate::overview::sync::sync_overview(
            self.store,
            self.today,
            self.now,
            self.config.new_row_max_age_days,
        )?;
        Ok(())
    }

    /// The one document a form's `dokument` field names.
    pub fn document(&self, form: &Fields) -> anyhow::Result<crate::store::StoredDocument> {
        let reference =
            field(form, "dokument").ok_or_else(|| anyhow::anyhow!("skriv dokumentets nummer"))?;
        Ok(self.store.document_named(reference)??)
    }

    /// That row `id` exists.
    pub fn row_exists(&self, id: i64) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.store.overview_row(id)?.is_some(),
            "raden {id} finnes ikke"
        );
        Ok(())
    }
}

/// The largest form taken: a cell's 5,000 characters, encoded, and the
/// rest of the form, with room to spare.
const MAX_FORM_BYTES: usize = 128 * 1024;

/// The router: every page and action.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/oversikt") }))
        .route("/stil.css", get(style))
        .route("/login", get(login_form).post(login))
        .route("/logg-ut", post(logout))
        .route("/oversikt", get(overview::page))
        .route("/rad/ny", post(overview::add))
        .route("/rad/{id}/celle", post(overview::edit))
        .route("/rad/{id}/notat", post(overview::note))
        .route("/rad/{id}/tilstand", post(overview::state))
        .route("/rad/{id}/koble", post(overview::link))
        .route("/nye", get(triage::page))
        .route("/dokument/ta-inn", post(triage::take_in))
        .route("/dokument/vurdering", post(triage::decide))
        .route("/forslag/avvis", post(triage::reject))
        .route("/dokumenter", get(documents::search))
        .route("/dokument/{site}/{id}", get(documents::one))
        .route("/status", get(status::page))
        .route("/levering", post(status::settle))
        .route("/endringer", post(status::held_answer))
        .route("/saken", get(case::page))
        .route("/saken/fil", get(case::download))
        .route("/frister.ics", get(case::calendar))
        .route("/kalender/ny", post(case::new_calendar))
        .route("/kalender/fjern", post(case::revoke_calendar))
        .route("/kalender/{file}", get(case::token_calendar))
        .route("/offentlig", get(case::public_table))
        .route("/offentlig/frister.ics", get(case::public_calendar))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

pub use server::{Limits, serve, serve_on};

/// On every answer: no inline script or style, no framing, no sniffing,
/// no referrer to other sites, and nothing cached.
async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    r
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        html::STYLE,
    )
        .into_response()
}

/// A page that says what went wrong, with the way back.
fn error_page(status: StatusCode, title: &str, message: &str, back: &str) -> Response {
    (
        status,
        Html(html::bare(
            title,
            &format!(
                "<p class=\"error\">{}</p><p>{back}</p>",
                crate::escape::html(message)
            ),
        )),
    )
        .into_response()
}

/// An error page; the details go to the log.
fn failure(e: &anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), "nettsiden feilet");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Feil",
        &format!("Noe gikk galt: {e:#}"),
        "<a href=\"/oversikt\">Tilbake</a>",
    )
}

/// An action that could not be done (a row that is gone, a document that
/// belongs to another row): said, with the way back.
fn not_done(e: &anyhow::Error) -> Response {
    tracing::warn!(error = %format!("{e:#}"), "handlingen ble ikke utført");
    error_page(
        StatusCode::BAD_REQUEST,
        "Ikke utført",
        &format!("Ikke utført: {e:#}"),
        "<a href=\"/oversikt\">Til oversikten</a> · <a href=\"/nye\">Nye treff</a>",
    )
}

fn forbidden(why: &str) -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Avvist",
        why,
        "<a href=\"/login\">Logg inn</a>",
    )
}

/// `https://host` from the request (the proxy's `X-Forwarded-Proto`).
fn origin_of(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if auth::secure(headers, false) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The line about the last run and the next.
fn run_line(store: &Store, config: &Config, now: Timestamp) -> String {
    let runs = store.recent_runs(20).unwrap_or_default();
    let mut jobs = runs.iter().filter(|r| r.command == "run");
    let Some(last) = jobs.next() else {
        return "Ingen kjøring av `policywatch run` er registrert ennå.".into();
    };
    let outcome = match last.outcome.as_deref() {
        Some("ok") => "uten feil",
        Some("partial") => "med feil i noen kilder eller leveranser",
        Some("failed") => "FEILET",
        _ => "pågår eller ble avbrutt",
    };
    let at = |s: &str| -> Option<jiff::ZonedDateTime> {
        s.parse::<Timestamp>().ok()?.in_tz("Europe/Oslo").ok()
    };
    let show = |z: &jiff::ZonedDateTime| z.strftime("%d.%m.%Y kl. %H:%M").to_string();
    let started = at(&last.started);
    let mut line = format!(
        "Siste kjøring: {} ({outcome}).",
        started.as_ref().map_or(last.started.clone(), show)
    );
    let every = config
        .web
        .runs_every_minutes
        .map(|m| (m * 60.0) as i64)
        .or_else(|| {
            let prev = jobs.next()?;
            let a = last.started.parse::<Timestamp>().ok()?;
            let b = prev.started.parse::<Timestamp>().ok()?;
            Some((a - b).as_secs()).filter(|s| *s > 0)
        });
    if let (Some(every), Some(started)) = (every, started) {
        let next = started.timestamp() + jiff::SignedDuration::from_secs(every);
        if let Ok(z) = next.in_tz("Europe/Oslo") {
            let late = if next < now { " (forsinket?)" } else { "" };
            line.push_str(&format!(" Neste ventes {}{late}.", show(&z)));
        }
    }
    line
}

/// A signed-in page: without a session, the login form.
fn page(
    app: &App,
    headers: &HeaderMap,
    here: &str,
    title: &str,
    body: impl FnOnce(&mut Ctx<'_>) -> anyhow::Result<String>,
) -> Response {
    let now = app.clock.now();
    let mut store = app.store();
    let (_, session) = match auth::session(&store, headers, now) {
        Ok(Some(s)) => s,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return failure(&e),
    };
    let run = run_line(&store, &app.config, now);
    let mut ctx = Ctx {
        store: &mut store,
        config: &app.config,
        now,
        today: crate::clock::oslo_date(now),
        session: &session,
        origin: origin_of(headers),
    };
    match body(&mut ctx) {
        Ok(body) => Html(html::page(
            &html::Frame {
                title,
                here,
                user: &session.user,
                csrf: &session.csrf,
                run_line: &run,
            },
            &body,
        ))
        .into_response(),
        Err(e) => failure(&e),
    }
}

/// A signed-in action: refused (403) without a session or without the
/// session's CSRF token; on success, back to the page it names.
fn action(
    app: &App,
    headers: &HeaderMap,
    form: &Fields,
    act: impl FnOnce(&mut Ctx<'_>) -> anyhow::Result<String>,
) -> Response {
    let now = app.clock.now();
    let mut store = app.store();
    let session = match auth::session(&store, headers, now) {
        Ok(Some((_, s))) => s,
        Ok(None) => return forbidden("Du er ikke logget inn."),
        Err(e) => return failure(&e),
    };
    if let Some(refused) = token_refused(form, &session.csrf) {
        return refused;
    }
    // Every change this action makes is recorded with the account.
    store.act_as(Some(&session.user));
    let mut ctx = Ctx {
        store: &mut store,
        config: &app.config,
        now,
        today: crate::clock::oslo_date(now),
        session: &session,
        origin: origin_of(headers),
    };
    let done = act(&mut ctx);
    store.act_as(None);
    match done {
        Ok(to) => {
            tracing::info!(user = %crate::sources::clip(&session.user), to = %crate::sources::clip(&to), "endring fra nettsiden");
            Redirect::to(&to).into_response()
        }
        Err(e) => match e.downcast_ref::<Conflict>() {
            Some(c) => conflict_page(c, &session.csrf),
            None => not_done(&e),
        },
    }
}

/// Two people saved the same text: what is stored now and what this one
/// typed, side by side, with the typed text ready to save again.
#[derive(Debug)]
pub(crate) struct Conflict {
    pub action: String,
    pub fields: Vec<(String, String)>,
    /// The version of what is stored now, for saving over it knowingly.
    pub version: String,
    pub stored: String,
    pub typed: String,
    pub what: String,
    pub back: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ble endret av noen andre mens du skrev", self.what)
    }
}

impl std::error::Error for Conflict {}

fn conflict_page(c: &Conflict, csrf: &str) -> Response {
    use crate::escape::html as esc;
    let hidden = html::hidden(&c.fields);
    let body = format!(
        "<h1>Teksten er endret av noen andre</h1><p>{} ble lagret av noen andre etter at du åpnet siden. Ingenting er overskrevet. Se de to tekstene, rett din om du vil, og lagre den igjen, eller gå tilbake.</p>\
<h2>Lagret nå</h2><blockquote class=\"stored\">{}</blockquote><h2>Din tekst</h2>{}<p><a href=\"{}\">Tilbake uten å lagre</a></p>",
        esc(&c.what),
        esc(&c.stored).replace('\n', "<br>"),
        html::form(
            &c.action,
            csrf,
            &format!(
                "{hidden}<input type=\"hidden\" name=\"versjon\" value=\"{}\"><textarea name=\"tekst\" aria-label=\"Din tekst\">{}</textarea><button type=\"submit\">Lagre min tekst</button>",
                esc(&c.version),
                esc(&c.typed)
            )
        ),
        esc(&c.back)
    );
    (
        StatusCode::CONFLICT,
        Html(html::bare("Konflikt – policywatch", &body)),
    )
        .into_response()
}

/// The 403 for a form without the expected CSRF token (never an empty
/// one), or `None` when it carries it.
fn token_refused(form: &Fields, expected: &str) -> Option<Response> {
    let sent = form.get("csrf").map(String::as_str).unwrap_or("");
    (expected.is_empty() || !auth::same_token(sent, expected))
        .then(|| forbidden("Skjemaet mangler et gyldig CSRF-merke; last siden på nytt."))
}

/// A form field, trimmed; empty is none.
fn field<'a>(form: &'a Fields, name: &str) -> Option<&'a str> {
    form.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// `?ok=…` codes a page turns into a notice.
fn notice_of(query: &Fields, texts: &[(&str, &str)]) -> String {
    query
        .get("ok")
        .and_then(|k| texts.iter().find(|(code, _)| code == k))
        .map(|(_, t)| html::notice(t))
        .unwrap_or_default()
}

async fn login_form(State(app): State<Shared>, headers: HeaderMap) -> Response {
    login_page(&app, &headers, None)
}

fn login_page(app: &App, headers: &HeaderMap, error: Option<&str>) -> Response {
    let token = match auth::random_token() {
        Ok(t) => t,
        Err(e) => return failure(&e),
    };
    let error = error
        .map(|e| format!("<p class=\"error\">{}</p>", crate::escape::html(e)))
        .unwrap_or_default();
    let body = format!(
        "<div class=\"login\"><h1>policywatch</h1><p>Sekretariatets side for HelseOmsorg21-rådet.</p>{error}{}</div>",
        html::form(
            "/login",
            &token,
            "<label for=\"username\">Brukernavn</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required>\
<label for=\"password\">Passord</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<p><button type=\"submit\">Logg inn</button></p>"
        )
    );
    let cookie = auth::set_cookie(
        auth::LOGIN_COOKIE,
        &token,
        "/login",
        Some(3600),
        auth::secure(headers, app.config.web.secure_cookie),
    );
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    (
        status,
        [(header::SET_COOKIE, cookie)],
        Html(html::bare("Logg inn – policywatch", &body)),
    )
        .into_response()
}

/// The longest password looked at (more is not a password anyone typed).
const MAX_PASSWORD_BYTES: usize = 1_024;

/// How many password checks (Argon2, ~20 MB and tens of milliseconds
/// each) may run at once, off the threads that serve the pages.
const MAX_HASHES: usize = 2;

/// Tells the throttle how a login ended, also when its request was
/// dropped half-way.
struct LoginTicket<'a> {
    app: &'a App,
    name: &'a str,
    address: std::net::IpAddr,
    ok: bool,
}

impl Drop for LoginTicket<'_> {
    fn drop(&mut self) {
        self.app
            .throttle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .finish(self.name, self.address, self.ok);
    }
}

/// The client's address: the peer's, or behind a proxy on this machine
/// the last address the proxy put in `X-Forwarded-For`.
fn client_address(headers: &HeaderMap, peer: Option<std::net::SocketAddr>) -> std::net::IpAddr {
    let peer_ip = peer
        .map(|p| p.ip())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
    if !peer_ip.is_loopback() {
        return peer_ip;
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer_ip)
}

async fn login(
    State(app): State<Shared>,
    peer: Option<Extension<server::Peer>>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let expected = auth::cookie(&headers, auth::LOGIN_COOKIE).unwrap_or("");
    if let Some(refused) = token_refused(&form, expected) {
        return refused;
    }
    let name = field(&form, "username").unwrap_or("").to_string();
    let password = form.get("password").cloned().unwrap_or_default();
    if name.chars().count() > auth::MAX_NAME || password.len() > MAX_PASSWORD_BYTES {
        // No account has such a name: a wrong guess, neither checked nor kept.
        return login_page(&app, &headers, Some("Feil brukernavn eller passord."));
    }
    let address = client_address(&headers, peer.map(|Extension(p)| p.0));
    let gate = app
        .throttle
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .begin(&name, address);
    let wait = match gate {
        auth::Gate::Go(wait) => wait,
        auth::Gate::Busy => {
            tracing::warn!(user = %crate::sources::clip(&name), %address, "innlogging avvist: et forsøk pågår allerede");
            return login_page(
                &app,
                &headers,
                Some("Et annet innloggingsforsøk pågår for dette navnet. Vent litt og prøv igjen."),
            );
        }
    };
    // Whatever happens from here (the client gives up, the check fails),
    // the throttle hears how it ended.
    let mut ticket = LoginTicket {
        app: &app,
        name: &name,
        address,
        ok: false,
    };
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let now = app.clock.now();
    let hash = app.store().password_hash(&name);
    let hash = match hash {
        Ok(Some(h)) => h,
        // As slow as a real check, so a name cannot be told from it.
        Ok(None) => DUMMY_HASH.to_string(),
        Err(e) => return failure(&e),
    };
    let ok = match app.check_password(password, hash).await {
        Ok(ok) => ok,
        Err(e) => return failure(&e),
    };
    ticket.ok = ok;
    drop(ticket);
    if !ok {
        tracing::warn!(user = %crate::sources::clip(&name), %address, "innlogging feilet");
        return login_page(&app, &headers, Some("Feil brukernavn eller passord."));
    }
    tracing::info!(user = %crate::sources::clip(&name), %address, "logget inn");
    if let Err(e) = app
        .store()
        .audit(&name, "login", Some(&address.to_string()), now)
    {
        return failure(&e);
    }
    let (token, csrf) = match (auth::random_token(), auth::random_token()) {
        (Ok(t), Ok(c)) => (t, c),
        (Err(e), _) | (_, Err(e)) => return failure(&e),
    };
    let hours = app.config.web.session_hours;
    let expires = now + jiff::SignedDuration::from_secs((hours * 3600.0) as i64);
    if let Err(e) =
        app.store()
            .create_session(&auth::token_hash(&token), &name, &csrf, now, expires)
    {
        return failure(&e);
    }
    let secure = auth::secure(&headers, app.config.web.secure_cookie);
    let cookie = auth::set_cookie(
        auth::session_cookie(secure),
        &token,
        "/",
        Some((hours * 3600.0) as i64),
        secure,
    );
    let clear = auth::set_cookie(auth::LOGIN_COOKIE, "", "/login", Some(0), secure);
    let mut r = Redirect::to("/oversikt").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("")),
    );
    r.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).unwrap_or(HeaderValue::from_static("")),
    );
    r
}

/// An Argon2 hash of nothing anyone can type, checked when the name is
/// unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$2mJ2oXJ6ci7oKLeBYVjNBKfvbzUjg9/oXFpTCgsuL6A";

async fn logout(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let now = app.clock.now();
    let store = app.store();
    let Ok(Some((hash, session))) = auth::session(&store, &headers, now) else {
        return Redirect::to("/login").into_response();
    };
    if let Some(refused) = token_refused(&form, &session.csrf) {
        return refused;
    }
    if let Err(e) = store.end_session(&hash) {
        return failure(&e);
    }
    tracing::info!(user = %crate::sources::clip(&session.user), "logget ut");
    if let Err(e) = store.audit(&session.user, "logout", None, now) {
        return failure(&e);
    }
    let secure = auth::secure(&headers, app.config.web.secure_cookie);
    let clear = auth::set_cookie(auth::session_cookie(secure), "", "/", Some(0), secure);
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&clear) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
