//! Who gets which alert on which channel, and sending it exactly once:
//! intent recorded, message sent, outcome recorded (see
//! `store::deliveries` for what a crash in between means).

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::channels::{Mailer, SendError, WebhookSender};
use super::events::{Alert, DocFacts, derive_alerts};
use super::messages::{OutMessage, compose};
use crate::config::{Config, Recipient};
use crate::store::{DeliveryItem, DeliveryState, LedgerKey, Store};

/// Set by tests: end the process right after a message is handed to the
/// channel and before the ledger records it, as a SIGKILL would. Only in
/// builds with the test-only `failpoints` feature.
#[cfg(feature = "failpoints")]
pub const FAILPOINT_AFTER_SEND: &str = "POLICYWATCH_FAILPOINT_AFTER_SEND";

/// The relevant documents with their themes, and the events to consider.
pub fn gather(
    store: &Store,
    config: &Config,
    now: Timestamp,
) -> anyhow::Result<(Vec<DocFacts>, Vec<crate::store::StoredEvent>)> {
    let docs = store
        .relevant_documents()?
        .into_iter()
        .map(|doc| {
            let themes = store.relevance(doc.id)?.matched_themes();
            let track = store.track_of_doc(doc.id)?;
            Ok(DocFacts { doc, themes, track })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let since = now - SignedDuration::from_hours(24 * (config.alerts.max_age_days + 1));
    let events = store.events_since_time(since)?;
    Ok((docs, events))
}

/// The alerts due now.
pub fn due_alerts(
    store: &Store,
    config: &Config,
    today: Date,
    now: Timestamp,
) -> anyhow::Result<Vec<Alert>> {
    let (docs, events) = gather(store, config, now)?;
    let mut alerts = derive_alerts(
        &docs,
        &events,
        today,
        config.next_meeting(today),
        &config.alerts,
    );
    let urls = |name: &str| {
        config
            .source(name)
            .map(|s| s.url.to_string())
            .unwrap_or_default()
    };
    let ctx = crate::meetings::MeetingContext::around(&config.meetings, None, today);
    if let Some(a) =
        super::events::calendar_alert(&ctx, config.meetings.last().map(|m| m.id.as_str()))
    {
        alerts.push(a);
    }
    let mut sources = super::events::source_alerts(
        &store.source_states()?,
        &urls,
        config.alerts.source_failure_threshold,
    );
    sources.append(&mut alerts);
    Ok(sources)
}

/// Whether a recipient follows an alert.
pub fn routes_to(r: &Recipient, a: &Alert) -> bool {
    if r.secretariat {
        return true;
    }
    if a.secretariat_only {
        return false;
    }
    match &r.themes {
        None => true,
        Some(ids) => a.themes.iter().any(|(id, _)| ids.contains(id)),
    }
}

/// Where one message goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Destination {
    Email {
        address: String,
    },
    /// The webhook's name (its URL is looked up when sending, never kept).
    Webhook {
        name: String,
    },
}

/// One message to send.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    /// The recipient's display name.
    pub recipient: String,
    /// `email` or `webhook:<name>`.
    pub channel: String,
    /// What may be shown of the destination: the e-mail address, or the
    /// webhook's name and host.
    pub address: String,
    #[serde(skip)]
    pub destination: Destination,
    #[serde(skip)]
    pub ledger: LedgerKey,
    pub message: OutMessage,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct NotifyReport {
    pub planned: Vec<Planned>,
    pub sent: usize,
    pub failed: Vec<String>,
    /// Alerts left alone because an earlier run died between sending and
    /// recording them.
    pub uncertain: usize,
    /// Messages not tried because the run's time was up (sent next run).
    pub postponed: usize,
}

/// A recipient's channels: (display channel, display address, destination,
/// ledger key, the key an earlier release used).
fn channels_of(
    r: &Recipient,
    config: &Config,
) -> Vec<(String, String, Destination, LedgerKey, LedgerKey)> {
    let mut out = Vec::new();
    if let Some(e) = &r.email {
        out.push((
            "email".to_string(),
            e.clone(),
            Destination::Email { address: e.clone() },
            LedgerKey {
                recipient: e.to_lowercase(),
                channel: "email".into(),
            },
            LedgerKey {
                recipient: r.name.clone(),
                channel: "email".into(),
            },
        ));
    }
    if let Some(name) = &r.webhook
        && let Some(hook) = config.alerts.webhooks.iter().find(|w| &w.name == name)
    {
        out.push((
            format!("webhook:{name}"),
            hook.label(),
            Destination::Webhook { name: name.clone() },
            LedgerKey {
                recipient: hook.ledger_key(),
                channel: "webhook".into(),
            },
            LedgerKey {
                recipient: r.name.clone(),
                channel: format!("webhook:{name}"),
            },
        ));
    }
    out
}

/// The configured recipients' display names by ledger key.
fn recipient_names(config: &Config) -> std::collections::HashMap<LedgerKey, String> {
    let mut names = std::collections::HashMap::new();
    for r in &config.alerts.recipients {
        for (_, _, _, key, _) in channels_of(r, config) {
            names.entry(key).or_insert_with(|| r.name.clone());
        }
    }
    names
}

/// The deliveries not settled (sent with no answer, or failed), each
/// with its recipient's configured name, for `status` and the web page.
pub fn open_deliveries(
    config: &Config,
    store: &Store,
) -> anyhow::Result<Vec<crate::store::OpenDelivery>> {
    let names = recipient_names(config);
    let mut open = store.open_deliveries()?;
    for d in &mut open {
        let key = LedgerKey {
            recipient: d.recipient.clone(),
            channel: d.channel.clone(),
        };
        if let Some(name) = names.get(&key) {
            d.recipient = name.clone();
        }
    }
    Ok(open)
}

/// Every message that should go out now, leaving out what the ledger says
/// was sent (or may have been). Lines an earlier release keyed by display
/// name are moved to their destination's key first.
pub fn plan(
    alerts: &[Alert],
    config: &Config,
    store: &mut Store,
) -> anyhow::Result<(Vec<Planned>, usize)> {
    let mut out = Vec::new();
    let mut uncertain = 0;
    // A destination two recipients share (one address, one webhook) gets
    // each alert once.
    let mut planned_for: std::collections::HashMap<LedgerKey, Vec<String>> = Default::default();
    for r in &config.alerts.recipients {
        let mine: Vec<&Alert> = alerts.iter().filter(|a| routes_to(r, a)).collect();
        for (channel, address, destination, ledger, legacy) in channels_of(r, config) {
            store.rekey_deliveries(&legacy, &ledger)?;
            let states = store.delivery_states(&ledger)?;
            let already = planned_for.entry(ledger.clone()).or_default();
            let mut todo: Vec<Alert> = mine
                .iter()
                .filter(|a| !already.contains(&a.key))
                .filter(|a| match states.get(&a.key) {
                    Some(DeliveryState::Sent) => false,
                    Some(DeliveryState::Pending) => {
                        uncertain += 1;
                        false
                    }
                    Some(DeliveryState::Failed) | None => true,
                })
                .filter_map(|a| as_told(a, &states))
                .collect();
            // A "Frist endret" going out tells what it covers: those are
            // left out here (and recorded with it).
            let covered: Vec<String> = todo.iter().flat_map(|a| a.covers.clone()).collect();
            todo.retain(|a| !covered.contains(&a.key));
            already.extend(todo.iter().map(|a| a.key.clone()));
            for message in compose(r.delivery, &todo) {
                out.push(Planned {
                    recipient: r.name.clone(),
                    channel: channel.clone(),
                    address: address.clone(),
                    destination: destination.clone(),
                    ledger: ledger.clone(),
                    message,
                });
            }
        }
    }
    Ok((out, uncertain))
}

/// An alert as this destination should get it. A "Frist endret" starts
/// from the date the destination was last told (the newest move it was
/// sent, else the date before the first move), and is not sent at all
/// when the deadline is back where they were told it was.
fn as_told(a: &Alert, states: &std::collections::HashMap<String, DeliveryState>) -> Option<Alert> {
    let super::events::AlertKind::DeadlineMoved { to, .. } = a.kind else {
        return Some(a.clone());
    };
    let told = a
        .moves
        .iter()
        .rev()
        .find(|(key, _, _)| states.get(key) == Some(&DeliveryState::Sent))
        .map(|(_, _, to)| *to)
        .or_else(|| a.moves.first().map(|(_, from, _)| *from))?;
    if told == to {
        return None;
    }
    let mut a = a.clone();
    a.kind = super::events::AlertKind::DeadlineMoved { from: told, to };
    Some(a)
}

/// The ledger lines of a message: each alert, and each alert it covers.
pub fn items(msg: &OutMessage) -> Vec<DeliveryItem> {
    let mut out: Vec<DeliveryItem> = Vec::new();
    for a in &msg.alerts {
        let doc_id = (a.doc_id != 0).then_some(a.doc_id);
        for key in std::iter::once(&a.key).chain(&a.covers) {
            if !out.iter().any(|i| &i.key == key) {
                out.push(DeliveryItem {
                    key: key.clone(),
                    doc_id,
                    headline: super::messages::headline(a),
                });
            }
        }
    }
    out
}

/// Sends what was planned; each message's alerts are recorded as intended
/// first, then as sent or failed. Every send has its own deadline; none is
/// started after `deadline` (what is left goes next run).
pub async fn deliver(
    planned: Vec<Planned>,
    config: &Config,
    store: &mut Store,
    clock: &dyn crate::clock::Clock,
    deadline: Option<std::time::Instant>,
) -> anyhow::Result<NotifyReport> {
    let mut report = NotifyReport::default();
    // A mail set-up that cannot be used (a missing password variable)
    // fails the e-mails of this run, to be tried again next run; it does
    // not stop the webhooks or the rest of the job.
    let any_email = planned
        .iter()
        .any(|p| matches!(p.destination, Destination::Email { .. }));
    let mailer: Result<Mailer, String> = match &config.alerts.smtp {
        Some(s) if any_email => Mailer::new(s).map_err(|e| format!("{e:#}")),
        Some(_) => Err("ingen e-post å sende".to_string()),
        None => Err("ingen [smtp] er satt opp".to_string()),
    };
    let hooks = WebhookSender::new(&config.fetch.user_agent)?;
    for p in &planned {
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            report.postponed += 1;
            continue;
        }
        let items = items(&p.message);
        store.delivery_intent(&p.ledger, &items, clock.now())?;
        let result = match &p.destination {
            Destination::Email { address } => match &mailer {
                Ok(m) => m.send(address, &p.message).await,
                Err(e) => Err(SendError::Failed(e.clone())),
            },
            Destination::Webhook { name } => {
                match config.alerts.webhooks.iter().find(|w| &w.name == name) {
                    Some(hook) => hooks.post(hook, &p.message).await,
                    None => Err(SendError::Failed(format!("ingen webhook heter {name}"))),
                }
            }
        };
        #[cfg(feature = "failpoints")]
        if result.is_ok() && std::env::var_os(FAILPOINT_AFTER_SEND).is_some() {
            // Simulates a crash between sending and recording.
            std::process::exit(137);
        }
        match result {
            Ok(()) => {
                store.delivery_sent(&p.ledger, &items, clock.now())?;
                report.sent += 1;
                tracing::info!(recipient = %p.recipient, channel = %p.channel, alerts = items.len(), "varsel sendt");
            }
            Err(SendError::Uncertain(e)) => {
                store.delivery_uncertain(&p.ledger, &items, &e, clock.now())?;
                tracing::warn!(recipient = %p.recipient, channel = %p.channel, error = %e, "usikkert om varselet kom fram; sendes ikke på nytt før sekretariatet avgjør det (notify --settle)");
                report.uncertain += 1;
                report
                    .failed
                    .push(format!("{} ({}): {e}", p.recipient, p.channel));
            }
            Err(SendError::Failed(e)) => {
                store.delivery_failed(&p.ledger, &items, &e, clock.now())?;
                tracing::warn!(recipient = %p.recipient, channel = %p.channel, error = %e, "varsel ikke sendt; prøves igjen neste kjøring");
                report
                    .failed
                    .push(format!("{} ({}): {e}", p.recipient, p.channel));
            }
        }
    }
    report.planned = planned;
    Ok(report)
}
