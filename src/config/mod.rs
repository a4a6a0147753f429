//! `sources.toml` → a validated [`Config`]. The raw (deserialised) and the
//! resolved (checked, defaulted, typed) shapes are kept apart, as ripgrep
//! does: everything past this module can trust its config.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::matching::ThemeSet;

mod alerts;
mod format;
mod sources;
mod web;
pub use alerts::{
    AlertSettings, Delivery, Recipient, Security, SmtpSettings, Webhook, WebhookFormat,
};
pub use format::Format;
pub use sources::{SiteRef, Source};
pub use web::WebSettings;

/// A config that cannot be used: the file, the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: PathBuf,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}: {}: {}", self.file.display(), self.key, self.message)
        }
    }
}

impl From<crate::matching::ThemeError> for ConfigError {
    fn from(e: crate::matching::ThemeError) -> Self {
        ConfigError {
            file: e.file,
            key: e.key,
            message: e.message,
        }
    }
}

// ---------------------------------------------------------------- raw ----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    global: RawGlobal,
    #[serde(default, rename = "source")]
    sources: Vec<sources::RawSource>,
    #[serde(default, rename = "meeting")]
    meetings: Vec<RawMeeting>,
    #[serde(default)]
    overview: RawOverview,
    #[serde(default)]
    alerts: alerts::RawAlerts,
    smtp: Option<alerts::RawSmtp>,
    #[serde(default, rename = "webhook")]
    webhooks: Vec<alerts::RawWebhook>,
    #[serde(default, rename = "recipient")]
    recipients: Vec<alerts::RawRecipient>,
    outputs: Option<RawOutputs>,
    case: Option<RawCase>,
    #[serde(default)]
    web: web::RawWeb,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    title: Option<String>,
    to: Option<String>,
    from: Option<String>,
    officer: Option<String>,
    attachment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutputs {
    dir: PathBuf,
    formats: Option<Vec<String>>,
}

/// What `run` writes for publishing, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    pub dir: PathBuf,
    /// Formats of the overview table (`oversikt.<ext>`).
    pub formats: Vec<Format>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    id: String,
    date: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverview {
    new_row_max_age_days: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlobal {
    user_agent: Option<String>,
    min_delay_secs: Option<f64>,
    timeout_secs: Option<f64>,
    max_retries: Option<u32>,
    backoff_base_secs: Option<f64>,
    max_retry_after_secs: Option<f64>,
    max_body_bytes: Option<u64>,
    max_redirects: Option<usize>,
    database: Option<PathBuf>,
    recheck_open_after_hours: Option<f64>,
    max_detail_attempts: Option<u32>,
    backlog_pages_per_run: Option<u32>,
    themes: Option<PathBuf>,
    breaker_min_changes: Option<u32>,
    breaker_share: Option<f64>,
    max_run_minutes: Option<f64>,
}

// ----------------------------------------------------------- resolved ----

/// How the fetcher behaves towards every host.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    pub user_agent: String,
    /// Minimum time between two requests to one host.
    pub min_delay: Duration,
    pub timeout: Duration,
    /// Retries after the first attempt, on timeouts, 429 and 5xx.
    pub max_retries: u32,
    /// The first backoff; it doubles with every retry.
    pub backoff_base: Duration,
    /// A `Retry-After` longer than this fails the fetch instead of waiting.
    pub max_retry_after: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: usize,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            min_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(30),
            max_retries: 3,
            backoff_base: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(300),
            max_body_bytes: 8 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

pub const DEFAULT_USER_AGENT: &str =
    "policywatch/0.1 (HelseOmsorg21-rådets sekretariat; +https://github.com/policywatch)";

/// The case's header, as the council writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHeader {
    /// The case's running number within the year (`28` in Sak 28/3/2026).
    pub number: Option<u32>,
    pub title: String,
    pub to: String,
    pub from: Option<String>,
    pub officer: String,
    pub attachment: String,
}

impl Default for CaseHeader {
    fn default() -> Self {
        CaseHeader {
            number: None,
            title: "Oppfølging av meldinger og strategier".into(),
            to: "HelseOmsorg21-rådet".into(),
            from: None,
            officer: "HO21-sekretariatet".into(),
            attachment: "1. Oversikt meldinger og strategier".into(),
        }
    }
}

/// The change circuit breaker: when one run would change the title,
/// status or deadline of more than `min_changes` documents of a source and
/// more than `share` of the documents it read, none of those changes is
/// stored (a site that broke looks like that; a real mass change can be
/// accepted with `--accept-changes`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerSettings {
    pub min_changes: u32,
    pub share: f64,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        BreakerSettings {
            min_changes: 5,
            share: 0.2,
        }
    }
}

/// A council meeting: `3/2026` on 2026-06-04.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub date: jiff::civil::Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it came from (for messages), or `<innebygd>`.
    pub path: PathBuf,
    pub fetch: FetchSettings,
    pub database: PathBuf,
    /// An open hearing's page is fetched again when it was last checked
    /// longer ago than this.
    pub recheck_open_after: Duration,
    /// A detail page that failed this many times is not tried again.
    pub max_detail_attempts: u32,
    /// Pages that can wait (closed hearings close to the themes, found by
    /// a first load) are read at most this many per run, newest first.
    pub backlog_pages_per_run: u32,
    pub breaker: BreakerSettings,
    /// A run starts no new fetch after this long; alerts and outputs still
    /// go out.
    pub max_run: Duration,
    /// The action-plan themes: the file `themes` names, or the shipped ones.
    pub themes: ThemeSet,
    /// Council meetings, by date.
    pub meetings: Vec<Meeting>,
    /// A relevant document enters the overview table by itself when it is
    /// an open hearing or was published at most this many days ago.
    pub new_row_max_age_days: i64,
    pub alerts: AlertSettings,
    pub outputs: Option<Outputs>,
    /// The secretariat's web page (`[web]`).
    pub web: WebSettings,
    /// The case's header fields (`[case]`).
    pub case: CaseHeader,
    pub sources: Vec<Source>,
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            key: String::new(),
            message: format!("kan ikke lese filen: {e}"),
        })?;
        Config::parse(&text, path)
    }

    /// Validates config text. `path` names the file in messages, and
    /// relative paths in it (the database) are taken from its folder.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let err = |key: &str, message: String| ConfigError {
            file: path.to_path_buf(),
            key: key.to_string(),
            message,
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| err("", format!("ugyldig TOML: {}", e.to_string().trim_end())))?;
        // A NUL, an escape sequence or a bare carriage return in a name
        // would reach the calendar, the mails and the terminal raw.
        if let Ok(table) = text.parse::<toml::Table>()
            && let Some((key, c)) = control_character(&toml::Value::Table(table), "")
        {
            return Err(err(
                &key,
                format!("inneholder kontrolltegnet U+{:04X}; fjern det", c as u32),
            ));
        }
        let g = raw.global;
        let secs = |key: &str, v: Option<f64>, default: Duration, min: f64, max: f64| match v {
            None => Ok(default),
            Some(s) if s.is_finite() && s >= min && s <= max => Ok(Duration::from_secs_f64(s)),
            Some(s) => Err(err(
                &format!("global.{key}"),
                format!("{s} er utenfor det tillatte området {min}–{max}"),
            )),
        };
        let d = FetchSettings::default();
        let user_agent = g.user_agent.unwrap_or_else(|| d.user_agent.clone());
        if !(user_agent.contains('@') || user_agent.contains("http")) {
            return Err(err(
                "global.user_agent",
                "må oppgi en kontaktadresse (e-post eller nettadresse), slik nettstedet ber om"
                    .into(),
            ));
        }
        let fetch = FetchSettings {
            user_agent,
            min_delay: secs("min_delay_secs", g.min_delay_secs, d.min_delay, 0.0, 3600.0)?,
            timeout: secs("timeout_secs", g.timeout_secs, d.timeout, 0.1, 600.0)?,
            max_retries: g.max_retries.unwrap_or(d.max_retries),
            backoff_base: secs(
                "backoff_base_secs",
                g.backoff_base_secs,
                d.backoff_base,
                0.0,
                600.0,
            )?,
            max_retry_after: secs(
                "max_retry_after_secs",
                g.max_retry_after_secs,
                d.max_retry_after,
                0.0,
                86400.0,
            )?,
            max_body_bytes: g.max_body_bytes.unwrap_or(d.max_body_bytes),
            max_redirects: g.max_redirects.unwrap_or(d.max_redirects),
        };
        if fetch.max_redirects > 20 {
            return Err(err("global.max_redirects", "høyst 20".into()));
        }
        if fetch.max_retries > 10 {
            return Err(err("global.max_retries", "høyst 10".into()));
        }
        if fetch.max_body_bytes < 1024 {
            return Err(err("global.max_body_bytes", "minst 1024".into()));
        }
        let max_detail_attempts = g.max_detail_attempts.unwrap_or(5);
        if !(1..=100).contains(&max_detail_attempts) {
            return Err(err(
                "global.max_detail_attempts",
                "må være mellom 1 og 100".into(),
            ));
        }
        let backlog_pages_per_run = g.backlog_pages_per_run.unwrap_or(30);
        if backlog_pages_per_run > 10_000 {
            return Err(err("global.backlog_pages_per_run", "høyst 10000".into()));
        }
        let d_breaker = BreakerSettings::default();
        let breaker = BreakerSettings {
            min_changes: g.breaker_min_changes.unwrap_or(d_breaker.min_changes),
            share: match g.breaker_share {
                None => d_breaker.share,
                Some(s) if s.is_finite() && (0.0..=1.0).contains(&s) => s,
                Some(s) => {
                    return Err(err(
                        "global.breaker_share",
                        format!("{s} er ikke en andel mellom 0 og 1"),
                    ));
                }
            },
        };
        let max_run = secs(
            "max_run_minutes",
            g.max_run_minutes.map(|m| m * 60.0),
            Duration::from_secs(60 * 60),
            60.0,
            24.0 * 3600.0,
        )?;
        let base_dir = path.parent().unwrap_or(Path::new("."));
        let database = g
            .database
            .unwrap_or_else(|| PathBuf::from("policywatch.db"));
        let database = if database.is_absolute() {
            database
        } else {
            base_dir.join(database)
        };
        let recheck_open_after = secs(
            "recheck_open_after_hours",
            g.recheck_open_after_hours.map(|h| h * 3600.0),
            Duration::from_secs(20 * 3600),
            0.0,
            24.0 * 3600.0 * 30.0,
        )?;

        let sources = sources::resolve(raw.sources, &err)?;
        if sources.is_empty() {
            return Err(err(
                "source",
                "ingen kilder er satt opp ([[source]])".into(),
            ));
        }
        let themes = match g.themes {
            Some(p) => ThemeSet::load(&if p.is_absolute() { p } else { base_dir.join(p) })?,
            None => ThemeSet::default_set(),
        };
        let mut meetings: Vec<Meeting> = Vec::new();
        for (i, m) in raw.meetings.into_iter().enumerate() {
            let key = format!("meeting[{i}]");
            if !is_meeting_id(&m.id) {
                return Err(err(
                    &format!("{key}.id"),
                    format!("«{}» er ikke på formen N/ÅÅÅÅ, f.eks. 3/2026", m.id),
                ));
            }
            let date = m.date.parse::<jiff::civil::Date>().map_err(|e| {
                err(
                    &format!("{key}.date"),
                    format!("«{}» er ikke en dato (ÅÅÅÅ-MM-DD): {e}", m.date),
                )
            })?;
            if meetings.iter().any(|o| o.id == m.id) {
                return Err(err(
                    &format!("{key}.id"),
                    format!("møtet {} er oppgitt to ganger", m.id),
                ));
            }
            meetings.push(Meeting { id: m.id, date });
        }
        meetings.sort_by_key(|m| m.date);
        let new_row_max_age_days = raw.overview.new_row_max_age_days.unwrap_or(120);
        if !(0..=3650).contains(&new_row_max_age_days) {
            return Err(err(
                "overview.new_row_max_age_days",
                "må være mellom 0 og 3650".into(),
            ));
        }
        let alerts = alerts::resolve(
            alerts::RawAlertParts {
                alerts: raw.alerts,
                smtp: raw.smtp,
                webhooks: raw.webhooks,
                recipients: raw.recipients,
            },
            &themes,
            base_dir,
            &|key, message| err(key, message),
        )?;
        let web = web::resolve(raw.web).map_err(|(key, msg)| err(key, msg))?;
        let outputs = match raw.outputs {
            None => None,
            Some(o) => {
                let mut formats = Vec::new();
                for f in o
                    .formats
                    .unwrap_or_else(|| vec!["html".into(), "docx".into()])
                {
                    formats.push(f.parse().map_err(|e: String| err("outputs.formats", e))?);
                }
                Some(Outputs {
                    dir: if o.dir.is_absolute() {
                        o.dir
                    } else {
                        base_dir.join(o.dir)
                    },
                    formats,
                })
            }
        };
        let mut case = CaseHeader::default();
        if let Some(c) = raw.case {
            let field = |key: &str, v: Option<String>| -> Result<Option<String>, ConfigError> {
                match v {
                    Some(t) if t.trim().is_empty() => {
                        Err(err(&format!("case.{key}"), "kan ikke være tom".into()))
                    }
                    Some(t) => Ok(Some(crate::norsk::clean_text(&t, 200))),
                    None => Ok(None),
                }
            };
            if let Some(t) = field("title", c.title)? {
                case.title = t;
            }
            if let Some(t) = field("to", c.to)? {
                case.to = t;
            }
            case.from = field("from", c.from)?;
            if let Some(t) = field("officer", c.officer)? {
                case.officer = t;
            }
            if let Some(t) = field("attachment", c.attachment)? {
                case.attachment = t;
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            outputs,
            web,
            case,
            alerts,
            themes,
            meetings,
            new_row_max_age_days,
            fetch,
            database,
            recheck_open_after,
            max_detail_attempts,
            backlog_pages_per_run,
            breaker,
            max_run,
            sources,
        })
    }

    pub fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// The meetings before and after `m`.
    pub fn meetings_around(&self, m: &Meeting) -> (Option<&Meeting>, Option<&Meeting>) {
        let before = self.meetings.iter().rfind(|o| o.date < m.date);
        let after = self.meetings.iter().find(|o| o.date > m.date);
        (before, after)
    }

    /// The next meeting on or after `day`.
    pub fn next_meeting(&self, day: jiff::civil::Date) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.date >= day)
    }

    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// Whether `id` names a meeting as the council does: `N/YYYY` (`3/2026`).
pub fn is_meeting_id(id: &str) -> bool {
    id.split_once('/')
        .is_some_and(|(n, y)| n.parse::<u8>().is_ok() && y.len() == 4 && y.parse::<u16>().is_ok())
}

/// The first string in a TOML value (by its key path) with a control
/// character other than a line break or a tab.
fn control_character(v: &toml::Value, key: &str) -> Option<(String, char)> {
    match v {
        toml::Value::String(s) => s
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
            .map(|c| (key.to_string(), c)),
        toml::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| control_character(v, &format!("{key}[{i}]"))),
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| {
            let key = if key.is_empty() {
                k.clone()
            } else {
                format!("{key}.{k}")
            };
            control_character(v, &key)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
database = "data/pw.db"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"
max_pages = 3

[[source]]
name = "rss"
kind = "rss"
url = "https://www.regjeringen.no/no/rss/Rss/2581966/"
enabled = false
"#;

    #[test]
    fn resolves_defaults_and_relative_database() {
        let c = Config::parse(OK, Path::new("/etc/pw/sources.toml")).unwrap();
        assert_eq!(c.database, PathBuf::from("/etc/pw/data/pw.db"));
        assert_eq!(c.fetch.min_delay, Duration::ZERO);
        assert_eq!(c.fetch.max_retries, 3);
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].max_pages, 3);
        assert!(!c.sources[1].enabled);
        assert_eq!(c.sources[1].link_contains.as_deref(), Some("/dokumenter/"));
    }

    fn error_of(text: &str) -> String {
        Config::parse(text, Path::new("sources.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn names_file_key_and_problem() {
        let e = error_of(&OK.replace("regjeringen_list", "html"));
        assert!(
            e.starts_with("sources.toml: source[0] (horinger).kind: ukjent kilde-type «html»"),
            "{e}"
        );
        let e = error_of(&OK.replace("id1763/\"", "id1763/?ownerid=421\""));
        assert!(
            e.contains("source[0] (horinger).url") && e.contains("robots.txt"),
            "{e}"
        );
        let e = error_of(&OK.replace("min_delay_secs = 0", "min_delay_secs = -1"));
        assert!(e.contains("global.min_delay_secs"), "{e}");
        for bad in ["nan", "inf", "-inf", "-1.0"] {
            let e = error_of(&OK.replace("min_delay_secs = 0", &format!("timeout_secs = {bad}")));
            assert!(e.contains("global.timeout_secs"), "{bad}: {e}");
        }
        let e = error_of(&OK.replace("min_delay_secs = 0", "max_detail_attempts = 0"));
        assert!(e.contains("global.max_detail_attempts"), "{e}");
        let e = error_of(&OK.replace("min_delay_secs = 0", "max_redirects = 21"));
        assert!(e.contains("global.max_redirects"), "{e}");
        let e = error_of(&OK.replace("min_delay_secs = 0", "breaker_share = nan"));
        assert!(e.contains("global.breaker_share"), "{e}");
        let e = error_of(&OK.replace("user_agent = ", "useragent = "));
        assert!(e.contains("ugyldig TOML") && e.contains("useragent"), "{e}");
        let e = error_of(&OK.replace("policywatch-test (+mailto:test@example.no)", "bot"));
        assert!(e.contains("global.user_agent"), "{e}");
        let e = error_of(&OK.replace("name = \"rss\"", "name = \"horinger\""));
        assert!(
            e.contains("source[1] (horinger).name: navnet er brukt før"),
            "{e}"
        );
    }

    #[test]
    fn meetings_are_checked_and_sorted() {
        let text = format!(
            "{OK}\n[[meeting]]\nid = \"3/2026\"\ndate = \"2026-06-04\"\n[[meeting]]\nid = \"2/2026\"\ndate = \"2026-03-04\"\n"
        );
        let c = Config::parse(&text, Path::new("s.toml")).unwrap();
        assert_eq!(c.meetings[0].id, "2/2026");
        let (before, after) = c.meetings_around(&c.meetings[1]);
        assert_eq!(before.map(|m| m.id.as_str()), Some("2/2026"));
        assert_eq!(after, None);
        let e = error_of(&format!(
            "{OK}\n[[meeting]]\nid = \"juni\"\ndate = \"2026-06-04\"\n"
        ));
        assert!(e.contains("meeting[0].id"), "{e}");
        let e = error_of(&format!(
            "{OK}\n[[meeting]]\nid = \"3/2026\"\ndate = \"4. juni\"\n"
        ));
        assert!(e.contains("meeting[0].date"), "{e}");
    }

    #[test]
    fn half_written_file_is_refused() {
        let e = error_of(&OK[..OK.len() / 2]);
        assert!(e.starts_with("sources.toml: ugyldig TOML"), "{e}");
        let e = error_of("[global]\n");
        assert!(e.contains("ingen kilder"), "{e}");
    }
}
