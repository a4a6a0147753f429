//! `policywatch run` and `backup`: the program a secretariat deploys under
//! cron or a systemd timer.

use std::path::{Path, PathBuf};

use super::{Exit, GlobalArgs, load_config, write_atomic};
use crate::cli::RunArgs;
use crate::config::Config;
use crate::crawl::PollOptions;
use crate::job::run_job;
use crate::model::RunOutcome;
use crate::store::Store;

pub fn run(g: &GlobalArgs, args: &RunArgs) -> super::Result<Exit> {
    let mut config = load_config(g)?;
    let _lock = super::lock::lock(&config.database)?;
    let started = std::time::Instant::now();
    let clock = super::clock(g);
    let mut store = Store::open(&config.database)?;
    super::with_kept_meetings(&mut config, &store)?;
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
        super::json::print(
            "run",
            &super::json::Run {
                job: (&job).into(),
                notify: notify.as_ref().map(Into::into),
                outputs: outputs.iter().map(|p| p.display().to_string()).collect(),
            },
        )?;
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
