//! `[web]`: the secretariat's web page (`policywatch serve`).

use std::net::SocketAddr;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeb {
    listen: Option<String>,
    public: Option<bool>,
    secure_cookie: Option<bool>,
    session_hours: Option<f64>,
    runs_every_minutes: Option<f64>,
}

/// How the web page is served.
#[derive(Debug, Clone, PartialEq)]
pub struct WebSettings {
    /// Where to listen (`127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// A read-only page with the table and the calendar, without login.
    pub public: bool,
    /// Mark the session cookie `Secure` even when no proxy says the page
    /// came over TLS (behind a proxy that does not send
    /// `X-Forwarded-Proto`).
    pub secure_cookie: bool,
    /// A session ends this long after login.
    pub session_hours: f64,
    /// How often cron runs `policywatch run`, to tell when the next run is
    /// due; without it, guessed from the last two runs.
    pub runs_every_minutes: Option<f64>,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public: false,
            secure_cookie: false,
            session_hours: 12.0,
            runs_every_minutes: None,
        }
    }
}

pub(super) fn resolve(raw: RawWeb) -> Result<WebSettings, (&'static str, String)> {
    let d = WebSettings::default();
    let listen = match raw.listen {
        None => d.listen,
        Some(l) => l.parse().map_err(|_| {
            (
                "web.listen",
                format!("«{l}» er ingen adresse med port (som 127.0.0.1:8080)"),
            )
        })?,
    };
    let session_hours = match raw.session_hours {
        None => d.session_hours,
        Some(h) if h.is_finite() && (0.1..=24.0 * 30.0).contains(&h) => h,
        Some(h) => {
            return Err(("web.session_hours", format!("{h} er utenfor 0,1–720 timer")));
        }
    };
    let runs_every_minutes = match raw.runs_every_minutes {
        None => None,
        Some(m) if m.is_finite() && (1.0..=60.0 * 24.0 * 7.0).contains(&m) => Some(m),
        Some(m) => {
            return Err((
                "web.runs_every_minutes",
                format!("{m} er utenfor 1–10080 minutter"),
            ));
        }
    };
    Ok(WebSettings {
        listen,
        public: raw.public.unwrap_or(false),
        secure_cookie: raw.secure_cookie.unwrap_or(false),
        session_hours,
        runs_every_minutes,
    })
}
