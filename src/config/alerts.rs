//! Who is told what, and how: recipients, SMTP, webhooks, reminder
//! offsets. Secrets never live in the config: the SMTP password comes from
//! an environment variable or a file outside the repository.

use std::path::PathBuf;

use serde::Deserialize;

use super::ConfigError;
use crate::matching::ThemeSet;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlerts {
    reminder_days: Option<Vec<i64>>,
    max_age_days: Option<i64>,
    calendar: Option<PathBuf>,
    calendar_alarm_days: Option<i64>,
    source_failure_threshold: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSmtp {
    host: String,
    port: Option<u16>,
    security: Option<String>,
    username: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    from: String,
    timeout_secs: Option<f64>,
    ca_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebhook {
    name: String,
    url: String,
    format: Option<String>,
    timeout_secs: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecipient {
    name: String,
    email: Option<String>,
    webhook: Option<String>,
    /// "all", or a list of theme ids.
    themes: Option<toml::Value>,
    secretariat: Option<bool>,
    delivery: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// STARTTLS on the submission port (587).
    StartTls,
    /// TLS from the first byte (465).
    Tls,
    /// Plain text: only for a relay on the same machine or tests.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// Where the password comes from (never the password itself).
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub from: String,
    pub timeout: std::time::Duration,
    /// A PEM file of CA certificates to trust besides the public ones (an
    /// organisation's internal CA).
    pub ca_file: Option<PathBuf>,
}

impl SmtpSettings {
    /// Reads the password from its environment variable or file. It is
    /// returned, never stored or logged.
    pub fn password(&self) -> anyhow::Result<Option<String>> {
        if let Some(var) = &self.password_env {
            return match std::env::var(var) {
                Ok(p) => Ok(Some(p)),
                Err(_) => anyhow::bail!("miljøvariabelen {var} (SMTP-passordet) er ikke satt"),
            };
        }
        if let Some(file) = &self.password_file {
            let p = std::fs::read_to_string(file).map_err(|e| {
                anyhow::anyhow!("kan ikke lese SMTP-passordet fra {}: {e}", file.display())
            })?;
            return Ok(Some(p.trim_end_matches(['\n', '\r']).to_string()));
        }
        Ok(None)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Slack,
    /// An Office 365 connector (MessageCard), which Microsoft is retiring.
    Teams,
    /// A Teams Workflows webhook (an Adaptive Card in a message).
    TeamsWorkflow,
    Json,
}

/// A chat channel. Its URL carries the channel's secret token (in the path
/// or the query), so it is never printed, logged or stored: messages name
/// the webhook and its host, and `Debug` hides the URL.
#[derive(Clone, PartialEq)]
pub struct Webhook {
    pub name: String,
    pub url: url::Url,
    pub format: WebhookFormat,
    /// The whole exchange, from connecting to the answer (30 s).
    pub timeout: std::time::Duration,
}

impl Webhook {
    /// What may be shown of it: `teams (example.webhook.office.com)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.url.host_str().unwrap_or("?"))
    }

    /// The delivery ledger's name for this channel: its host and a hash of
    /// its whole URL. Renaming the webhook keeps it; pointing it elsewhere
    /// makes it a new channel. The URL itself is not stored.
    pub fn ledger_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let hash: String = Sha256::digest(self.url.as_str().as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{}#{hash}", self.url.host_str().unwrap_or(""))
    }
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("name", &self.name)
            .field("host", &self.url.host_str())
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Whether `host` is this machine (a local relay), where a password in
/// clear text never crosses a network.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_matches(['[', ']']);
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// One message per run with all the member's alerts, most urgent first.
    Digest,
    /// One message per alert.
    Instant,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub email: Option<String>,
    pub webhook: Option<String>,
    /// `None`: every theme.
    pub themes: Option<Vec<String>>,
    /// The secretariat gets everything, and the alerts meant only for it.
    pub secretariat: bool,
    pub delivery: Delivery,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertSettings {
    /// Reminders this many days before a høringsfrist.
    pub reminder_days: Vec<i64>,
    /// Documents published (and changes seen) longer ago than this are not
    /// announced: a first load of the archive sends no flood.
    pub max_age_days: i64,
    /// Where `run` writes the deadline calendar.
    pub calendar: Option<PathBuf>,
    /// The calendar's alarm, days before a deadline.
    pub calendar_alarm_days: i64,
    /// A source that fails this many runs in a row is reported to the
    /// secretariat (once), and again when it recovers.
    pub source_failure_threshold: u32,
    pub smtp: Option<SmtpSettings>,
    pub webhooks: Vec<Webhook>,
    pub recipients: Vec<Recipient>,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            reminder_days: vec![21, 7, 2],
            max_age_days: 30,
            calendar: None,
            calendar_alarm_days: 7,
            source_failure_threshold: 3,
            smtp: None,
            webhooks: Vec::new(),
            recipients: Vec::new(),
        }
    }
}

pub(super) struct RawAlertParts {
    pub alerts: RawAlerts,
    pub smtp: Option<RawSmtp>,
    pub webhooks: Vec<RawWebhook>,
    pub recipients: Vec<RawRecipient>,
}

pub(super) fn resolve(
    raw: RawAlertParts,
    themes: &ThemeSet,
    base_dir: &std::path::Path,
    err: &dyn Fn(&str, String) -> ConfigError,
) -> Result<AlertSettings, ConfigError> {
    let d = AlertSettings::default();
    let reminder_days = raw.alerts.reminder_days.unwrap_or(d.reminder_days);
    if reminder_days.iter().any(|n| !(1..=365).contains(n)) {
        return Err(err(
            "alerts.reminder_days",
            "dagene må være mellom 1 og 365".into(),
        ));
    }
    let mut reminder_days = reminder_days;
    reminder_days.sort_unstable_by(|a, b| b.cmp(a));
    reminder_days.dedup();
    let max_age_days = raw.alerts.max_age_days.unwrap_or(d.max_age_days);
    if !(0..=3650).contains(&max_age_days) {
        return Err(err(
            "alerts.max_age_days",
            "må være mellom 0 og 3650".into(),
        ));
    }
    let rel = |p: PathBuf| if p.is_absolute() { p } else { base_dir.join(p) };
    let smtp = match raw.smtp {
        None => None,
        Some(s) => {
            let security = match s.security.as_deref().unwrap_or("starttls") {
                "starttls" => Security::StartTls,
                "tls" => Security::Tls,
                "none" => Security::None,
                other => {
                    return Err(err(
                        "smtp.security",
                        format!("«{other}»: bruk starttls, tls eller none"),
                    ));
                }
            };
            if s.password_env.is_some() && s.password_file.is_some() {
                return Err(err(
                    "smtp",
                    "oppgi password_env eller password_file, ikke begge".into(),
                ));
            }
            if s.username.is_some() && security == Security::None && !is_loopback(&s.host) {
                return Err(err(
                    "smtp.security",
                    format!(
                        "«none» med brukernavn ville sendt passordet i klartekst til {}; bruk starttls eller tls (none er bare for en relé på samme maskin)",
                        s.host
                    ),
                ));
            }
            if s.username.is_some() && s.password_env.is_none() && s.password_file.is_none() {
                return Err(err(
                    "smtp.username",
                    "brukernavn uten passordkilde (password_env eller password_file)".into(),
                ));
            }
            let timeout = match s.timeout_secs {
                None => 30.0,
                Some(t) if t.is_finite() && (1.0..=600.0).contains(&t) => t,
                Some(t) => {
                    return Err(err(
                        "smtp.timeout_secs",
                        format!("{t} er utenfor det tillatte området 1–600"),
                    ));
                }
            };
            if s.from.parse::<lettre::message::Mailbox>().is_err() {
                return Err(err(
                    "smtp.from",
                    format!(
                        "«{}» er ingen e-postadresse (skriv «navn@eksempel.no» eller «Navn <navn@eksempel.no>»)",
                        s.from
                    ),
                ));
            }
            Some(SmtpSettings {
                port: s.port.unwrap_or(match security {
                    Security::StartTls => 587,
                    Security::Tls => 465,
                    Security::None => 25,
                }),
                host: s.host,
                security,
                username: s.username,
                password_env: s.password_env,
                password_file: s.password_file.map(rel),
                from: s.from,
                timeout: std::time::Duration::from_secs_f64(timeout),
                ca_file: s.ca_file.map(rel),
            })
        }
    };
    let mut webhooks: Vec<Webhook> = Vec::new();
    for (i, w) in raw.webhooks.into_iter().enumerate() {
        let key = format!("webhook[{i}] ({})", w.name);
        if webhooks.iter().any(|o| o.name == w.name) {
            return Err(err(&format!("{key}.name"), "navnet er brukt før".into()));
        }
        // The URL is a secret: an error names the problem, never the URL.
        let url = url::Url::parse(&w.url).map_err(|e| err(&format!("{key}.url"), e.to_string()))?;
        let local = url.host_str().is_some_and(is_loopback);
        if !(url.scheme() == "https" || (url.scheme() == "http" && local)) {
            return Err(err(
                &format!("{key}.url"),
                "må være en https-adresse (http bare til denne maskinen)".into(),
            ));
        }
        let format = match w.format.as_deref().unwrap_or("json") {
            "slack" => WebhookFormat::Slack,
            "teams" => WebhookFormat::Teams,
            "teams_workflow" | "workflow" => WebhookFormat::TeamsWorkflow,
            "json" => WebhookFormat::Json,
            other => {
                return Err(err(
                    &format!("{key}.format"),
                    format!(
                        "«{other}»: bruk slack, teams_workflow, teams (gamle koblinger) eller json"
                    ),
                ));
            }
        };
        let timeout = match w.timeout_secs {
            None => 30.0,
            Some(t) if t.is_finite() && (1.0..=120.0).contains(&t) => t,
            Some(t) => {
                return Err(err(
                    &format!("{key}.timeout_secs"),
                    format!("{t}: må være mellom 1 og 120 sekunder"),
                ));
            }
        };
        webhooks.push(Webhook {
            timeout: std::time::Duration::from_secs_f64(timeout),
            name: w.name,
            url,
            format,
        });
    }
    let mut recipients: Vec<Recipient> = Vec::new();
    for (i, r) in raw.recipients.into_iter().enumerate() {
        let key = |f: &str| format!("recipient[{i}] ({}).{f}", r.name);
        if recipients.iter().any(|o| o.name == r.name) {
            return Err(err(&key("name"), "navnet er brukt før".into()));
        }
        if r.email.is_none() && r.webhook.is_none() {
            return Err(err(
                &key("email"),
                "en mottaker trenger email eller webhook".into(),
            ));
        }
        if let Some(e) = &r.email {
            if e.parse::<lettre::Address>().is_err() {
                return Err(err(
                    &key("email"),
                    format!(
                        "«{e}» er ikke én gyldig e-postadresse (én adresse per mottaker, som «navn@eksempel.no»)"
                    ),
                ));
            }
            if smtp.is_none() {
                return Err(err(&key("email"), "e-post krever en [smtp]-seksjon".into()));
            }
        }
        if let Some(w) = &r.webhook
            && !webhooks.iter().any(|o| &o.name == w)
        {
            return Err(err(
                &key("webhook"),
                format!("ingen [[webhook]] heter «{w}»"),
            ));
        }
        let member_themes = match r.themes {
            None => None,
            Some(toml::Value::String(s)) if s == "all" => None,
            Some(toml::Value::Array(list)) => {
                let mut ids = Vec::new();
                for v in list {
                    let Some(id) = v.as_str() else {
                        return Err(err(
                            &key("themes"),
                            "temaene oppgis som tekst, f.eks. [\"H2\", \"A4\"]".into(),
                        ));
                    };
                    if themes.theme(id).is_none() {
                        return Err(err(
                            &key("themes"),
                            format!(
                                "ukjent tema «{id}» (kjente: {})",
                                themes
                                    .themes
                                    .iter()
                                    .map(|t| t.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                    ids.push(id.to_string());
                }
                Some(ids)
            }
            Some(_) => {
                return Err(err(
                    &key("themes"),
                    "«all» eller en liste med tema-id-er".into(),
                ));
            }
        };
        let delivery = match r.delivery.as_deref().unwrap_or("digest") {
            "digest" => Delivery::Digest,
            "instant" => Delivery::Instant,
            other => {
                return Err(err(
                    &key("delivery"),
                    format!("«{other}»: bruk digest eller instant"),
                ));
            }
        };
        recipients.push(Recipient {
            name: r.name,
            email: r.email,
            webhook: r.webhook,
            themes: member_themes,
            secretariat: r.secretariat.unwrap_or(false),
            delivery,
        });
    }
    Ok(AlertSettings {
        reminder_days,
        max_age_days,
        calendar: raw.alerts.calendar.map(rel),
        calendar_alarm_days: raw.alerts.calendar_alarm_days.unwrap_or(7).clamp(0, 60),
        source_failure_threshold: raw.alerts.source_failure_threshold.unwrap_or(3).max(1),
        smtp,
        webhooks,
        recipients,
    })
}
