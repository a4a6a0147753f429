//! Alerts as messages in Norwegian (bokmål): one per document, or one
//! digest per member per run, most urgent first, each document once; and
//! the JSON shapes that Slack and Microsoft Teams (Workflows and the old
//! connectors) accept.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events::{Alert, AlertKind};
use crate::config::{Delivery, WebhookFormat};
use crate::escape::http_url;
use crate::model::DocKind;
use crate::norsk::format_date;

/// A message to one recipient on one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutMessage {
    pub subject: String,
    pub text: String,
    /// The alerts it carries, and those it tells as well (the ledger's keys).
    pub keys: Vec<String>,
    pub alerts: Vec<Alert>,
    /// Makes the Message-ID unique where the keys do not (a test message).
    #[serde(skip)]
    pub nonce: Option<String>,
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
        if let Some(n) = &self.nonce {
            h.update(b"\0nonce\0");
            h.update(n.as_bytes());
        }
        let hex: String = h.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("<{hex}@policywatch>")
    }

    /// A one-off test message: its own Message-ID every time.
    pub fn test(now: jiff::Timestamp) -> OutMessage {
        OutMessage {
            subject: "Testmelding fra policywatch".into(),
            text: "Dette er en testmelding fra policywatch. Kanalen virker.\n".into(),
            keys: vec![],
            alerts: vec![],
            nonce: Some(now.to_string()),
        }
    }
}

fn kind_word(doc_type: Option<DocKind>) -> &'static str {
    match doc_type {
        Some(DocKind::Horing) => "Ny høring",
        Some(DocKind::Nou) => "Ny NOU",
        Some(DocKind::MeldSt) => "Ny stortingsmelding",
        Some(DocKind::Prop) => "Ny proposisjon",
        Some(DocKind::Strategi) => "Ny strategi",
        Some(DocKind::Plan) => "Ny plan",
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
        AlertKind::New => {
            // A site may word its documents its own way ("Høring i
            // Stortinget").
            let word = a
                .doc_key
                .as_ref()
                .and_then(|k| crate::sources::site(&k.site))
                .zip(a.doc_type)
                .and_then(|(s, kind)| s.new_headline(kind))
                .unwrap_or_else(|| kind_word(a.doc_type));
            format!("{word}: {}", a.title)
        }
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
            "Frist før møte {meeting} ({}): {}",
            format_date(*meeting_date),
            a.title
        ),
        AlertKind::CalendarEnds { missing } => {
            format!("Møtekalenderen går ut: {missing}")
        }
        AlertKind::SourceBroken {
            source, failures, ..
        } => format!("Kilden «{source}» virker ikke ({failures} feil på rad)"),
        AlertKind::SourceRecovered { source } => format!("Kilden «{source}» virker igjen"),
        AlertKind::ChangesHeld { source, changes } => {
            format!("Kilden «{source}»: {changes} endringer på én gang er holdt tilbake")
        }
    }
}

/// What one kind of alert adds below the details.
fn kind_note(a: &Alert) -> Option<String> {
    match &a.kind {
        AlertKind::Closed {
            status_text,
            council,
        } => Some(match council {
            Some(c) => format!("Status: {status_text}. {c}"),
            None => format!("Status: {status_text}"),
        }),
        AlertKind::BeforeMeeting { meeting, .. } => {
            let words = crate::meetings::act_now_words(meeting);
            let mut c = words.chars();
            let first = c.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
            Some(format!("{first}{}.", c.as_str()))
        }
        AlertKind::CalendarEnds { .. } => Some(
            "Legg inn de kommende rådsmøtene under [[meeting]] i sources.toml. Til da sier ikke oversikten hvilke frister som faller før hvilket møte, og `policywatch case` lager ikke saken."
                .into(),
        ),
        AlertKind::SourceBroken { error, .. } => Some(format!(
            "Siste feil: {error}\nIngenting er endret eller slettet i databasen; policywatch prøver igjen ved hver kjøring. Se `policywatch status`."
        )),
        AlertKind::SourceRecovered { .. } => {
            Some("Kilden ble lest uten feil i siste kjøring.".into())
        }
        AlertKind::ChangesHeld { .. } => Some(
            "Så mange titler, statuser, frister eller departementer endret seg samtidig at det ligner en feil på nettstedet, så ingen av endringene er lagret og ingen varsler er sendt om dem. På Status-siden i policywatch (/status) står hver endring ved siden av det som er lagret: Godta dem der om nettstedet har rett (de lagres ved neste kjøring), eller Avvis dem. Fra kommandolinjen: `policywatch run --accept-changes`."
                .into(),
        ),
        _ => None,
    }
}

/// The alerts of one document (or one source), most urgent first: told as
/// one entry.
fn groups(alerts: &[Alert]) -> Vec<Vec<Alert>> {
    let mut sorted: Vec<Alert> = alerts.to_vec();
    sorted.sort_by(|a, b| a.urgency().cmp(&b.urgency()).then(a.key.cmp(&b.key)));
    let mut out: Vec<Vec<Alert>> = Vec::new();
    for a in sorted {
        let same =
            |g: &Vec<Alert>| a.doc_id != 0 && g.first().is_some_and(|f| f.doc_id == a.doc_id);
        match out.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(a),
            None => out.push(vec![a]),
        }
    }
    out
}

/// One entry: every headline, then what, who, when, why and where once.
fn entry_text(group: &[Alert]) -> String {
    let mut t = String::new();
    for a in group {
        t.push_str(&headline(a));
        t.push('\n');
    }
    let Some(a) = group.first() else {
        return t;
    };
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
    for note in group.iter().filter_map(kind_note) {
        t.push_str(&note);
        t.push('\n');
    }
    if !a.themes.is_empty() {
        let themes: Vec<String> = a
            .themes
            .iter()
            .map(|(id, name)| format!("{id} {name}"))
            .collect();
        t.push_str(&format!("Tema: {}\n", themes.join("; ")));
    }
    if let Some(url) = http_url(&a.url) {
        t.push_str(&format!("{url}\n"));
    }
    t
}

/// The body of one alert on its own.
pub fn alert_text(a: &Alert) -> String {
    entry_text(std::slice::from_ref(a))
}

const FOOTER: &str = "\n--\nSendt av policywatch for HelseOmsorg21-rådets sekretariat. Svar til sekretariatet om du vil følge andre temaer.\n";

fn keys_of(group: &[Alert]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for a in group {
        for k in std::iter::once(&a.key).chain(&a.covers) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

/// The messages for one recipient: one digest, or one per document.
pub fn compose(delivery: Delivery, alerts: &[Alert]) -> Vec<OutMessage> {
    let groups = groups(alerts);
    if groups.is_empty() {
        return Vec::new();
    }
    match delivery {
        Delivery::Instant => groups
            .into_iter()
            .map(|g| OutMessage {
                subject: headline(&g[0]),
                text: format!("{}{FOOTER}", entry_text(&g)),
                keys: keys_of(&g),
                alerts: g,
                nonce: None,
            })
            .collect(),
        Delivery::Digest => {
            let all: Vec<Alert> = groups.iter().flatten().cloned().collect();
            let nearest = all
                .iter()
                .filter_map(|a| a.deadline.filter(|_| a.days_left.is_some_and(|n| n >= 0)))
                .min();
            // A digest of one document is told by its own headline.
            let subject = if groups.len() == 1 {
                headline(&groups[0][0])
            } else {
                let mut s = format!("HO21 policywatch: {} saker", groups.len());
                if let Some(n) = nearest {
                    s.push_str(&format!(", nærmeste frist {}", format_date(n)));
                }
                s
            };
            let body: Vec<String> = groups.iter().map(|g| entry_text(g)).collect();
            vec![OutMessage {
                subject,
                text: format!("{}{FOOTER}", body.join("\n")),
                keys: groups.iter().flat_map(|g| keys_of(g)).collect(),
                alerts: all,
                nonce: None,
            }]
        }
    }
}

/// Slack's mrkdwn: `&`, `<` and `>` escaped, so a title cannot become a
/// link or a `<!channel>` mention.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Teams renders Markdown in cards: a title must not become a link.
fn teams_text(s: &str) -> String {
    s.replace("](", "] (")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An Adaptive Card (for a Teams Workflows webhook): the subject, each
/// entry as text, and each document's link as a button.
fn adaptive_card(msg: &OutMessage) -> serde_json::Value {
    let mut body = vec![serde_json::json!({
        "type": "TextBlock",
        "text": msg.subject.replace("](", "] ("),
        "weight": "Bolder",
        "size": "Medium",
        "wrap": true,
    })];
    for g in groups(&msg.alerts) {
        let text = entry_text(&g);
        // The link goes on a button; the text keeps the rest.
        let text: Vec<&str> = text.lines().filter(|l| http_url(l).is_none()).collect();
        body.push(serde_json::json!({
            "type": "TextBlock",
            "text": text.join("\n\n").replace("](", "] ("),
            "wrap": true,
            "separator": true,
        }));
        if let Some(url) = http_url(&g[0].url) {
            body.push(serde_json::json!({
                "type": "ActionSet",
                "actions": [{"type": "Action.OpenUrl", "title": "Åpne", "url": url}],
            }));
        }
    }
    if msg.alerts.is_empty() {
        body.push(serde_json::json!({"type": "TextBlock", "text": msg.text, "wrap": true}));
    }
    serde_json::json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
            },
        }],
    })
}

/// The JSON a webhook gets.
pub fn webhook_payload(format: WebhookFormat, msg: &OutMessage) -> serde_json::Value {
    match format {
        // Slack's incoming webhooks take `text` (mrkdwn).
        WebhookFormat::Slack => serde_json::json!({
            "text": format!("*{}*\n{}", slack_escape(&msg.subject), slack_escape(&msg.text)),
        }),
        // Teams' Workflows webhooks take a message with an Adaptive Card.
        WebhookFormat::TeamsWorkflow => adaptive_card(msg),
        // Teams' old incoming webhooks (Office 365 connectors) take a
        // MessageCard.
        WebhookFormat::Teams => serde_json::json!({
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": teams_text(&msg.subject),
            "title": teams_text(&msg.subject),
            "text": teams_text(&msg.text).replace('\n', "  \n"),
        }),
        WebhookFormat::Json => serde_json::json!({
            "subject": msg.subject,
            "text": msg.text,
            "alerts": msg.alerts,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn alert(key: &str, doc: u64, kind: AlertKind, title: &str) -> Alert {
        Alert {
            key: key.into(),
            kind,
            doc_id: doc,
            doc_key: Some(crate::model::DocKey::new("test", doc.to_string())),
            title: title.into(),
            url: format!("https://www.regjeringen.no/no/dokumenter/x/id{doc}/"),
            doc_type: Some(DocKind::Horing),
            departments: vec!["Helse- og omsorgsdepartementet".into()],
            deadline: Some(date(2026, 10, 17)),
            days_left: Some(7),
            themes: vec![],
            secretariat_only: false,
            covers: vec![],
            moves: vec![],
        }
    }

    #[test]
    fn a_digest_lists_each_hearing_once() {
        let a = [
            alert("new:1", 1, AlertKind::New, "Høring om A"),
            alert(
                "reminder:1:2026-10-17:7",
                1,
                AlertKind::Reminder { days: 7 },
                "Høring om A",
            ),
            alert("new:2", 2, AlertKind::New, "Høring om B"),
        ];
        let msgs = compose(Delivery::Digest, &a);
        assert_eq!(msgs.len(), 1);
        let text = &msgs[0].text;
        assert_eq!(text.matches("id1/").count(), 1, "{text}");
        assert_eq!(
            text.matches("Høringsfrist: 17.10.2026").count(),
            2,
            "{text}"
        );
        assert!(text.contains("Påminnelse, 7 dager igjen: Høring om A\nNy høring: Høring om A"));
        assert_eq!(
            msgs[0].subject,
            "HO21 policywatch: 2 saker, nærmeste frist 17.10.2026"
        );
        assert_eq!(msgs[0].keys.len(), 3);
        // Instant: one message per hearing.
        assert_eq!(compose(Delivery::Instant, &a).len(), 2);
    }

    #[test]
    fn covered_alerts_are_recorded_with_the_message() {
        let mut moved = alert(
            "moved:9",
            1,
            AlertKind::DeadlineMoved {
                from: date(2026, 10, 1),
                to: date(2026, 10, 17),
            },
            "Høring om A",
        );
        moved.covers = vec!["reminder:1:2026-10-17:7".into()];
        let msgs = compose(Delivery::Instant, &[moved]);
        assert_eq!(msgs[0].keys, ["moved:9", "reminder:1:2026-10-17:7"]);
    }

    #[test]
    fn chat_payloads_cannot_be_turned_against_the_channel() {
        let mut a = alert(
            "new:1",
            1,
            AlertKind::New,
            "<!channel> Høring & [klikk](javascript:alert(1))",
        );
        a.url = "javascript:alert(1)".into();
        let msg = &compose(Delivery::Digest, &[a])[0];
        let slack = webhook_payload(WebhookFormat::Slack, msg)["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(slack.contains("&lt;!channel&gt; Høring &amp;"), "{slack}");
        assert!(!slack.contains("<!channel>"));
        assert!(
            !msg.text.contains("javascript:alert(1)\n"),
            "no unsafe link line"
        );
        let card = webhook_payload(WebhookFormat::TeamsWorkflow, msg);
        let content = &card["attachments"][0]["content"];
        assert_eq!(content["type"], "AdaptiveCard");
        assert_eq!(
            card["attachments"][0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        let text = content.to_string();
        assert!(!text.contains("](javascript"), "{text}");
        assert!(
            !text.contains("Action.OpenUrl"),
            "no button for an unsafe link"
        );
        let old = webhook_payload(WebhookFormat::Teams, msg).to_string();
        assert!(
            !old.contains("](javascript") && !old.contains("<!channel>"),
            "{old}"
        );
    }

    #[test]
    fn test_messages_have_their_own_message_ids() {
        let t = |s: &str| OutMessage::test(s.parse().unwrap()).message_id("a@b.no");
        assert_ne!(t("2026-11-26T10:00:00Z"), t("2026-11-26T10:00:01Z"));
    }
}
