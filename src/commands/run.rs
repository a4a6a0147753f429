//! `policywatch run`, `status` and `backup`: the program a secretariat
//! deploys under cron or a systemd timer.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Exit, GlobalArgs, load_config, print_json, write_atomic};
use crate::alerts::deliver::NotifyReport;
use crate::cli::RunArgs;
use crate::config::Config;
use crate::crawl::PollOptions;
use crate::job::{JobReport, run_job};
use crate::model::RunOutcome;
use crate::norsk::format_date;
use crate::store::Store;

#[derive(Debug, Serialize)]
struct RunReport<'a> {
    job: &'a JobReport,
    notify: Option<&'a NotifyReport>,
    outputs: Vec<String>,
}

pub fn run(g: &GlobalArgs, args: &RunArgs) -> super::Result<Exit> {
    let config = load_config(g)?;
    let _lock = super::lock::lock(&config.database)?;
    let started = std::time::Instant::now();
    let clock = super::clock(g);
    let mut store = Store::open(&config.database)?;
    let opts = PollOptions {
        backfill: args.backfill,
        accept_changes: args.accept_changes,
        deadline: Some(started + config.max_run),
        ..PollOptions::default()
    };
    let rt = super::runtime()?;
    let (job, outputs, notify) =
        crate::job::recorded(&mut store, "run", clock.as_ref(), |store, run| {
            let job = run_job(&config, store, clock.as_ref(), run, &opts, &rt)?;
            // The outputs first: a mail server that misbehaves can never keep
            // the table and the calendar from being published.
            let outputs = write_outputs(&config, store, clock.as_ref())?;
            let notify = if args.no_notify {
                None
            } else {
                Some(crate::alerts::notify(
                    &config,
                    store,
                    clock.as_ref(),
                    false,
                    Some(started + config.max_run),
                )?)
            };
            let outcome = match (job.outcome(), &notify) {
                (RunOutcome::Ok, Some(n)) if !n.failed.is_empty() => RunOutcome::Partial,
                (o, _) => o,
            };
            Ok(((job, outputs, notify), outcome))
        })?;
    let failed = !job.poll.all_ok() || notify.as_ref().is_some_and(|n| !n.failed.is_empty());
    if args.json {
        print_json(&RunReport {
            job: &job,
            notify: notify.as_ref(),
            outputs: outputs.iter().map(|p| p.display().to_string()).collect(),
        })?;
    } else {
        super::report::print_job(&job, false)?;
        if let Some(n) = &notify {
            super::report::print_notify(n, false)?;
        }
        for p in &outputs {
            outln!("Skrev {}", p.display())?;
        }
    }
    Ok(if failed {
        Exit::SourcesFailed
    } else {
        Exit::Ok
    })
}

/// The overview in the configured formats and the deadline calendar.
fn write_outputs(
    config: &Config,
    store: &Store,
    clock: &dyn crate::clock::Clock,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    if let Some(out) = &config.outputs {
        let today = clock.today();
        let ctx = crate::meetings::MeetingContext::around(&config.meetings, None, today);
        if let Err(missing) = ctx.complete() {
            // The table is still written, without placing deadlines against
            // a meeting the calendar does not have; the secretariat is told
            // once (an alert).
            tracing::warn!(%missing, "møtekalenderen går ut; legg inn rådsmøtene under [[meeting]] i {}", config.path.display());
        }
        let doc = crate::overview::papers::table_doc(store, &ctx, today, false)?;
        for f in &out.formats {
            let path = out.dir.join(format!("oversikt.{}", f.extension()));
            write_atomic(&path, &f.renderer().render(&doc)?)?;
            written.push(path);
        }
    }
    let calendar = config
        .alerts
        .calendar
        .clone()
        .or_else(|| config.outputs.as_ref().map(|o| o.dir.join("frister.ics")));
    if let Some(path) = calendar {
        let ics = crate::alerts::calendar::calendar_text(config, store, clock, None)?;
        write_atomic(&path, ics.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// A relevant open hearing's deadline, for `status`.
#[derive(Debug, Serialize)]
struct NextDeadline {
    deadline: jiff::civil::Date,
    title: String,
    /// `site:id`, as the commands take it.
    key: String,
}

#[derive(Debug, Serialize)]
struct Status {
    sources: Vec<crate::store::SourceState>,
    next_deadlines: Vec<NextDeadline>,
    database: crate::store::StoreInfo,
    /// Deliveries not settled: unknown outcome (`pending`) or failed.
    open_deliveries: Vec<OpenDeliveryView>,
    last_run: Option<String>,
}

pub fn status(g: &GlobalArgs, json: bool) -> super::Result<Exit> {
    let (config, store) = super::config_and_store(g)?;
    let today = super::clock(g).today();
    let mut states = store.source_states()?;
    for s in &config.sources {
        if s.enabled && !states.iter().any(|st| st.name == s.name) {
            states.push(crate::store::SourceState {
                name: s.name.clone(),
                ..Default::default()
            });
        }
    }
    let mut deadlines: Vec<NextDeadline> = store
        .relevant_documents()?
        .into_iter()
        .filter(|d| d.is_open(today))
        .filter_map(|d| {
            let deadline = d.deadline.filter(|dl| *dl >= today)?;
            Some(NextDeadline {
                deadline,
                title: d.title,
                key: d.key.to_string(),
            })
        })
        .collect();
    deadlines.sort_by(|a, b| (a.deadline, &a.title).cmp(&(b.deadline, &b.title)));
    deadlines.truncate(10);
    let st = Status {
        sources: states,
        next_deadlines: deadlines,
        database: store.info()?,
        open_deliveries: open_deliveries(&config, &store)?,
        last_run: store.last_finished_run("run")?,
    };
    if json {
        print_json(&st)?;
        return Ok(Exit::Ok);
    }
    outln!("Kilder:")?;
    let threshold = config.alerts.source_failure_threshold;
    for s in &st.sources {
        let health = if s.held_changes.is_some() && s.consecutive_failures > 0 {
            "ENDRINGER HOLDT TILBAKE"
        } else if s.consecutive_failures >= threshold {
            "VIRKER IKKE"
        } else if s.consecutive_failures > 0 {
            "feil i siste kjøring"
        } else if s.last_success.is_some() {
            "ok"
        } else {
            "ikke kjørt"
        };
        outln!("  {}: {health}", s.name)?;
        outln!(
            "    sist vellykket: {}; sist feilet: {}; feil på rad: {}; elementer sist: {}",
            s.last_success.as_deref().unwrap_or("aldri"),
            s.last_failure.as_deref().unwrap_or("aldri"),
            s.consecutive_failures,
            s.items_seen
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
    outln!(
        "Database: {} ({} dokumenter, {} hendelser, {} kB, skjemaversjon {})",
        config.database.display(),
        st.database.documents,
        st.database.events,
        st.database.size_bytes / 1024,
        st.database.schema_version
    )?;
    if let Some(r) = &st.last_run {
        outln!("Siste kjøring av `run`: {r}")?;
    }
    let (uncertain, failed): (Vec<&OpenDeliveryView>, Vec<&OpenDeliveryView>) = st
        .open_deliveries
        .iter()
        .partition(|d| d.state == crate::store::DeliveryState::Pending);
    if !uncertain.is_empty() {
        outln!(
            "Varsler med ukjent utfall ({}): en kjøring stoppet mellom sending og registrering. De sendes ikke på nytt; sjekk med mottakeren og avgjør med `policywatch notify --settle NØKKEL sent|resend`.",
            uncertain.len()
        )?;
        for d in &uncertain {
            outln!("  {}", d.line())?;
        }
    }
    if !failed.is_empty() {
        outln!(
            "Varsler som ikke kom fram ({}); de prøves igjen ved neste kjøring:",
            failed.len()
        )?;
        for d in &failed {
            outln!("  {}", d.line())?;
            if let Some(e) = &d.last_error {
                outln!("    siste feil: {e}")?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// An unsettled delivery as `status` shows it: who (by the configured
/// name), what (the document's title), and the key to settle it with.
#[derive(Debug, Serialize)]
struct OpenDeliveryView {
    recipient: String,
    channel: String,
    state: crate::store::DeliveryState,
    alert_key: String,
    title: Option<String>,
    headline: Option<String>,
    since: String,
    attempts: u32,
    last_error: Option<String>,
}

impl OpenDeliveryView {
    fn line(&self) -> String {
        let what = self
            .title
            .as_deref()
            .or(self.headline.as_deref())
            .unwrap_or("(ukjent dokument)");
        format!(
            "{what} — til {} ({}), siden {}; nøkkel {}",
            self.recipient, self.channel, self.since, self.alert_key
        )
    }
}

fn open_deliveries(config: &Config, store: &Store) -> anyhow::Result<Vec<OpenDeliveryView>> {
    let names = crate::alerts::deliver::recipient_names(config);
    Ok(store
        .open_deliveries()?
        .into_iter()
        .map(|d| {
            let key = crate::store::LedgerKey {
                recipient: d.recipient.clone(),
                channel: d.channel.clone(),
            };
            OpenDeliveryView {
                recipient: names.get(&key).cloned().unwrap_or(d.recipient),
                channel: d.channel,
                state: d.state,
                alert_key: d.alert_key,
                title: d.title,
                headline: d.headline,
                since: d.since,
                attempts: d.attempts,
                last_error: d.last_error,
            }
        })
        .collect())
}

pub fn backup(g: &GlobalArgs, file: &Path, force: bool) -> super::Result<Exit> {
    let (config, store) = super::config_and_store(g)?;
    if file.exists() && !force {
        return Err(super::Error::refused(format!(
            "{} finnes fra før (bruk --force for å overskrive)",
            file.display()
        )));
    }
    // Into a temporary file first: a backup cut short is never mistaken
    // for a whole one.
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    store.backup_to(&tmp)?;
    let check = Store::open(&tmp)?;
    let ok = check.integrity_check()?;
    drop(check);
    if ok != "ok" {
        return Err(super::Error::failed(format!(
            "kopien besto ikke integritetssjekken: {ok}"
        )));
    }
    std::fs::rename(&tmp, file)?;
    outln!(
        "Sikkerhetskopi av {} skrevet til {}.",
        config.database.display(),
        file.display()
    )?;
    Ok(Exit::Ok)
}
