//! Alerts as messages in Norwegian (bokmål): one per alert, or one digest
//! per member per run, most urgent first; and the JSON shapes that Slack
//! and Microsoft Teams accept.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events::{Alert, AlertKind};
use crate::config::{Delivery, WebhookFormat};
use crate::norsk::format_date;

/// A message to one recipient on one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutMessage {
    pub subject: String,
    pub text: String,
    /// The alerts it carries (the ledger's keys).
    pub keys: Vec<String>,
    pub alerts: Vec<Alert>,
}

impl OutMessage {
    /// A Message-ID that is the same for the same content to the same
    /// recipient, so a mail system can recognise a repeat.
    pub fn message_id(&self, recipient: &str) -> String {
        let mut h = Sha256::new();
        h.update(recipient.as_bytes());
        for k in &self.keys {
            h.update(b"\0");
            h.update(k.as_bytes());
        }
        let hex: String = h.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("<{hex}@policywatch>")
    }
}

fn kind_word(doc_type: &str) -> &'static str {
    match doc_type {
        "horing" => "Ny høring",
        "nou" => "Ny NOU",
        "meld_st" => "Ny stortingsmelding",
        "prop" => "Ny proposisjon",
        "strategi" => "Ny strategi",
        "plan" => "Ny plan",
        _ => "Nytt dokument",
    }
}

fn days(n: i64) -> String {
    match n {
        0 => "fristen er i dag".into(),
        1 => "1 dag igjen".into(),
        n => format!("{n} dager igjen"),
    }
}

/// The one-line heading of an alert.
pub fn headline(a: &Alert) -> String {
    match &a.kind {
        AlertKind::New => format!("{}: {}", kind_word(&a.doc_type), a.title),
        AlertKind::Reminder { .. } => format!(
            "Påminnelse, {}: {}",
            a.days_left.map(days).unwrap_or_default(),
            a.title
        ),
        AlertKind::DeadlineMoved { from, to } => format!(
            "Frist endret ({} → {}): {}",
            format_date(*from),
            format_date(*to),
            a.title
        ),
        AlertKind::Closed { .. } => format!("Høring avsluttet: {}", a.title),
        AlertKind::BeforeMeeting {
            meeting,
            meeting_date,
        } => format!(
            "Frist før neste rådsmøte ({meeting}, {}): {}",
            format_date(*meeting_date),
            a.title
        ),
        AlertKind::SourceBroken {
            source, failures, ..
        } => format!("Kilden «{source}» virker ikke ({failures} feil på rad)"),
        AlertKind::SourceRecovered { source } => format!("Kilden «{source}» virker igjen"),
    }
}

/// The body of one alert: what, who, when, why, where.
pub fn alert_text(a: &Alert) -> String {
    let mut t = headline(a);
    t.push('\n');
    if !a.departments.is_empty() {
        t.push_str(&format!("{}\n", a.departments.join(", ")));
    }
    if let Some(dl) = a.deadline {
        let left = a
            .days_left
            .filter(|n| *n >= 0)
            .map(|n| format!(" ({})", days(n)))
            .unwrap_or_default();
        t.push_str(&format!("Høringsfrist: {}{left}\n", format_date(dl)));
    }
    match &a.kind {
        AlertKind::Closed { status_text } => t.push_str(&format!("Status: {status_text}\n")),
        AlertKind::BeforeMeeting { .. } => t.push_str(
            "Rådet kan ikke behandle høringen i et møte før fristen: en arbeidsgruppe eller rådsleder må følge opp.\n",
        ),
        AlertKind::SourceBroken { error, .. } => t.push_str(&format!(
            "Siste feil: {error}\nIngenting er endret eller slettet i databasen; policywatch prøver igjen ved hver kjøring. Se `policywatch status`.\n"
        )),
        AlertKind::SourceRecovered { .. } => t.push_str("Kilden ble lest uten feil i siste kjøring.\n"),
        _ => {}
    }
    if !a.themes.is_empty() {
        let themes: Vec<String> = a
            .themes
            .iter()
            .map(|(id, name)| format!("{id} {name}"))
            .collect();
        t.push_str(&format!("Tema: {}\n", themes.join("; ")));
    }
    t.push_str(&format!("{}\n", a.url));
    t
}

const FOOTER: &str = "\n--\nSendt av policywatch for HelseOmsorg21-rådets sekretariat. Svar til sekretariatet om du vil følge andre temaer.\n";

/// The messages for one recipient: a digest, or one per alert.
pub fn compose(delivery: Delivery, alerts: &[Alert]) -> Vec<OutMessage> {
    if alerts.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<Alert> = alerts.to_vec();
    sorted.sort_by(|a, b| a.urgency().cmp(&b.urgency()).then(a.key.cmp(&b.key)));
    match delivery {
        Delivery::Instant => sorted
            .into_iter()
            .map(|a| OutMessage {
                subject: headline(&a),
                text: format!("{}{FOOTER}", alert_text(&a)),
                keys: vec![a.key.clone()],
                alerts: vec![a],
            })
            .collect(),
        Delivery::Digest => {
            let nearest = sorted
                .iter()
                .filter_map(|a| a.deadline.filter(|_| a.days_left.is_some_and(|n| n >= 0)))
                .min();
            let mut subject = format!(
                "HO21 policywatch: {} {}",
                sorted.len(),
                if sorted.len() == 1 {
                    "varsel"
                } else {
                    "varsler"
                }
            );
            if let Some(n) = nearest {
                subject.push_str(&format!(", nærmeste frist {}", format_date(n)));
            }
            // A digest of one is told by its own headline.
            if sorted.len() == 1 {
                subject = headline(&sorted[0]);
            }
            let body: Vec<String> = sorted.iter().map(alert_text).collect();
            vec![OutMessage {
                subject,
                text: format!("{}{FOOTER}", body.join("\n")),
                keys: sorted.iter().map(|a| a.key.clone()).collect(),
                alerts: sorted,
            }]
        }
    }
}

/// The JSON a webhook gets.
pub fn webhook_payload(format: WebhookFormat, msg: &OutMessage) -> serde_json::Value {
    match format {
        // Slack's incoming webhooks take `text` (mrkdwn).
        WebhookFormat::Slack => serde_json::json!({
            "text": format!("*{}*\n{}", msg.subject, msg.text),
        }),
        // Teams' incoming webhooks take a MessageCard.
        WebhookFormat::Teams => serde_json::json!({
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": msg.subject,
            "title": msg.subject,
            "text": msg.text.replace('\n', "  \n"),
        }),
        WebhookFormat::Json => serde_json::json!({
            "subject": msg.subject,
            "text": msg.text,
            "alerts": msg.alerts,
        }),
    }
}
