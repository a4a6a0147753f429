//! `policywatch status [--json]`: how each source fares, the next relevant
//! deadlines, the database, and deliveries that need a decision.

use super::json::{Database, Deadline, OpenDelivery, SourceHealth, StatusReport};
use super::{Exit, GlobalArgs};
use crate::config::Config;
use crate::norsk::format_date;
use crate::store::{DeliveryState, Store};

pub fn status(g: &GlobalArgs, json: bool) -> super::Result<Exit> {
    let (config, store) = super::config_and_store(g)?;
    let report = report(&config, &store, super::clock(g).today())?;
    if json {
        super::json::print("status", &report)?;
    } else {
        print(&config, &report)?;
    }
    Ok(Exit::Ok)
}

fn report(config: &Config, store: &Store, today: jiff::civil::Date) -> super::Result<StatusReport> {
    let mut states = store.source_states()?;
    for s in &config.sources {
        if s.enabled && !states.iter().any(|st| st.name == s.name) {
            states.push(crate::store::SourceState {
                name: s.name.clone(),
                ..Default::default()
            });
        }
    }
    let mut deadlines: Vec<Deadline> = store
        .relevant_documents()?
        .into_iter()
        .filter(|d| d.is_open(today))
        .filter_map(|d| {
            let deadline = d.deadline.filter(|dl| *dl >= today)?;
            Some(Deadline {
                deadline,
                title: d.title,
                key: d.key.to_string(),
            })
        })
        .collect();
    deadlines.sort_by(|a, b| (a.deadline, &a.title).cmp(&(b.deadline, &b.title)));
    deadlines.truncate(10);
    let info = store.info()?;
    Ok(StatusReport {
        sources: states
            .into_iter()
            .map(|s| SourceHealth {
                name: s.name,
                last_success: s.last_success,
                last_failure: s.last_failure,
                last_error: s.last_error,
                consecutive_failures: s.consecutive_failures,
                items_last: s.items_seen,
                held_changes: s.held_changes,
            })
            .collect(),
        next_deadlines: deadlines,
        database: Database {
            path: config.database.display().to_string(),
            schema_version: info.schema_version,
            documents: info.documents,
            events: info.events,
            size_bytes: info.size_bytes,
        },
        open_deliveries: open_deliveries(config, store)?,
        last_run: store.last_finished_run("run")?,
    })
}

fn open_deliveries(config: &Config, store: &Store) -> anyhow::Result<Vec<OpenDelivery>> {
    Ok(crate::alerts::deliver::open_deliveries(config, store)?
        .into_iter()
        .map(|d| OpenDelivery {
            recipient: d.recipient,
            channel: d.channel,
            state: d.state,
            key: d.alert_key,
            title: d.title.or(d.headline),
            since: d.since,
            attempts: d.attempts,
            last_error: d.last_error,
        })
        .collect())
}

/// An unsettled delivery in one line: who (by the configured name), what
/// (the document's title), and the key to settle it with.
fn delivery_line(d: &OpenDelivery) -> String {
    format!(
        "{} — til {} ({}), siden {}; nøkkel {}",
        d.title.as_deref().unwrap_or("(ukjent dokument)"),
        d.recipient,
        d.channel,
        d.since,
        d.key
    )
}

fn print(config: &Config, st: &StatusReport) -> super::Result<()> {
    outln!("Kilder:")?;
    let threshold = config.alerts.source_failure_threshold;
    for s in &st.sources {
        let health = crate::store::health_word(
            s.held_changes,
            s.consecutive_failures,
            s.last_success.is_some(),
            threshold,
        );
        outln!("  {}: {health}", s.name)?;
        outln!(
            "    sist vellykket: {}; sist feilet: {}; feil på rad: {}; elementer sist: {}",
            s.last_success.as_deref().unwrap_or("aldri"),
            s.last_failure.as_deref().unwrap_or("aldri"),
            s.consecutive_failures,
            s.items_last
        )?;
        if s.consecutive_failures > 0
            && let Some(e) = &s.last_error
        {
            outln!("    siste feil: {e}")?;
        }
    }
    outln!("Neste høringsfrister (relevante):")?;
    if st.next_deadlines.is_empty() {
        outln!("  ingen")?;
    }
    for d in &st.next_deadlines {
        outln!("  {}  {} ({})", format_date(d.deadline), d.title, d.key)?;
    }
    let db = &st.database;
    outln!(
        "Database: {} ({} dokumenter, {} hendelser, {} kB, skjemaversjon {})",
        db.path,
        db.documents,
        db.events,
        db.size_bytes / 1024,
        db.schema_version
    )?;
    if let Some(r) = &st.last_run {
        outln!("Siste kjøring av `run`: {r}")?;
    }
    let (uncertain, failed): (Vec<&OpenDelivery>, Vec<&OpenDelivery>) = st
        .open_deliveries
        .iter()
        .partition(|d| d.state == DeliveryState::Pending);
    if !uncertain.is_empty() {
        outln!(
            "Varsler med ukjent utfall ({}): en kjøring stoppet mellom sending og registrering. De sendes ikke på nytt; sjekk med mottakeren og avgjør med `policywatch notify --settle NØKKEL sent|resend`.",
            uncertain.len()
        )?;
        for d in &uncertain {
            outln!("  {}", delivery_line(d))?;
        }
    }
    if !failed.is_empty() {
        outln!(
            "Varsler som ikke kom fram ({}); de prøves igjen ved neste kjøring:",
            failed.len()
        )?;
        for d in &failed {
            outln!("  {}", delivery_line(d))?;
            if let Some(e) = &d.last_error {
                outln!("    siste feil: {e}")?;
            }
        }
    }
    Ok(())
}
