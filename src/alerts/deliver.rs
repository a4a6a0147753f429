//! Who gets which alert on which channel, and sending it exactly once:
//! intent recorded, message sent, outcome recorded (see
//! `store::deliveries` for what a crash in between means).

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::channels::{Mailer, WebhookSender};
use super::events::{Alert, DocFacts, derive_alerts};
use super::messages::{OutMessage, compose};
use crate::config::{Config, Recipient};
use crate::store::{DeliveryState, Store};

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
            Ok(DocFacts { doc, themes })
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

/// One message to send.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub recipient: String,
    /// `email` or `webhook:<name>`.
    pub channel: String,
    /// The e-mail address or webhook name.
    pub address: String,
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
}

/// Every message that should go out now, leaving out what the ledger says
/// was sent (or may have been).
pub fn plan(
    alerts: &[Alert],
    config: &Config,
    store: &Store,
) -> anyhow::Result<(Vec<Planned>, usize)> {
    let mut out = Vec::new();
    let mut uncertain = 0;
    for r in &config.alerts.recipients {
        let mine: Vec<&Alert> = alerts.iter().filter(|a| routes_to(r, a)).collect();
        let mut channels = Vec::new();
        if let Some(e) = &r.email {
            channels.push(("email".to_string(), e.clone()));
        }
        if let Some(w) = &r.webhook {
            channels.push((format!("webhook:{w}"), w.clone()));
        }
        for (channel, address) in channels {
            let states = store.delivery_states(&r.name, &channel)?;
            let todo: Vec<Alert> = mine
                .iter()
                .filter(|a| match states.get(&a.key) {
                    Some(DeliveryState::Sent) => false,
                    Some(DeliveryState::Pending) => {
                        uncertain += 1;
                        false
                    }
                    Some(DeliveryState::Failed) | None => true,
                })
                .map(|a| (*a).clone())
                .collect();
            for message in compose(r.delivery, &todo) {
                out.push(Planned {
                    recipient: r.name.clone(),
                    channel: channel.clone(),
                    address: address.clone(),
                    message,
                });
            }
        }
    }
    Ok((out, uncertain))
}

/// Sends what was planned; each message's alerts are recorded as intended
/// first, then as sent or failed.
pub async fn deliver(
    planned: Vec<Planned>,
    config: &Config,
    store: &mut Store,
    clock: &dyn crate::clock::Clock,
) -> anyhow::Result<NotifyReport> {
    let mut report = NotifyReport::default();
    // A mail set-up that cannot be used (a missing password variable)
    // fails the e-mails of this run, to be tried again next run; it does
    // not stop the webhooks or the rest of the job.
    let mailer: Result<Mailer, String> = match &config.alerts.smtp {
        Some(s) if planned.iter().any(|p| p.channel == "email") => {
            Mailer::new(s).map_err(|e| format!("{e:#}"))
        }
        Some(_) => Err("ingen e-post å sende".to_string()),
        None => Err("ingen [smtp] er satt opp".to_string()),
    };
    let hooks = WebhookSender::new(std::time::Duration::from_secs(30))?;
    for p in &planned {
        store.delivery_intent(&p.recipient, &p.channel, &p.message.keys, clock.now())?;
        let result = if p.channel == "email" {
            match &mailer {
                Ok(m) => m.send(&p.address, &p.message).await,
                Err(e) => Err(e.clone()),
            }
        } else {
            match config.alerts.webhooks.iter().find(|w| w.name == p.address) {
                Some(hook) => hooks.post(hook, &p.message).await,
                None => Err(format!("ingen webhook heter {}", p.address)),
            }
        };
        #[cfg(feature = "failpoints")]
        if result.is_ok() && std::env::var_os(FAILPOINT_AFTER_SEND).is_some() {
            // Simulates a crash between sending and recording.
            std::process::exit(137);
        }
        match result {
            Ok(()) => {
                store.delivery_sent(&p.recipient, &p.channel, &p.message.keys, clock.now())?;
                report.sent += 1;
                tracing::info!(recipient = %p.recipient, channel = %p.channel, alerts = p.message.keys.len(), "varsel sendt");
            }
            Err(e) => {
                store.delivery_failed(
                    &p.recipient,
                    &p.channel,
                    &p.message.keys,
                    &e,
                    clock.now(),
                )?;
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
