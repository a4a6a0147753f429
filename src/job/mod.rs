//! The whole job, stage after stage: poll → match → overview. Commands
//! (`poll`, `demo`, later `run`) call this and print what came out.

use serde::Serialize;

use crate::clock::Clock;
use crate::config::Config;
use crate::crawl::{Crawler, PollOptions, PollReport};
use crate::matching::Matcher;

mod match_stage;
use crate::model::RunOutcome;
use crate::overview::sync::{SyncReport, sync_overview};
use crate::store::{RunId, Store};
pub use match_stage::{MatchReport, match_stale, set_override};

#[derive(Debug, Clone, Serialize)]
pub struct JobReport {
    pub poll: PollReport,
    pub matching: MatchReport,
    pub overview: SyncReport,
}

/// Records a run of `command` around `body`: begun before it, finished
/// after it with the outcome it gives, or `failed` when it fails (and the
/// error is passed on). Every command that polls records its run so.
pub fn recorded<T>(
    store: &mut Store,
    command: &str,
    clock: &dyn Clock,
    body: impl FnOnce(&mut Store, RunId) -> anyhow::Result<(T, RunOutcome)>,
) -> anyhow::Result<T> {
    let run = store.begin_run(command, clock.now())?;
    match body(store, run) {
        Ok((value, outcome)) => {
            store.finish_run(run, clock.now(), outcome)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(again) = store.finish_run(run, clock.now(), RunOutcome::Failed) {
                tracing::warn!(error = %again, "kunne ikke registrere at kjøringen feilet");
            }
            Err(e)
        }
    }
}

impl JobReport {
    /// `partial` when a source failed, `ok` otherwise.
    pub fn outcome(&self) -> RunOutcome {
        if self.poll.all_ok() {
            RunOutcome::Ok
        } else {
            RunOutcome::Partial
        }
    }
}

/// Polls the sources, matches what is new or changed, and brings the
/// overview table up to date.
pub fn run_job(
    config: &Config,
    store: &mut Store,
    clock: &dyn Clock,
    run: RunId,
    opts: &PollOptions,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<JobReport> {
    let poll = {
        let crawler = Crawler::new(config, store, clock, Some(run))?;
        runtime.block_on(crawler.poll(opts))?
    };
    let matcher = Matcher::new(config.themes.clone());
    let matching = match_stale(store, &matcher, clock.now())?;
    let overview = sync_overview(
        store,
        clock.today(),
        clock.now(),
        config.new_row_max_age_days,
    )?;
    Ok(JobReport {
        poll,
        matching,
        overview,
    })
}

/// The runtime the stages that talk to the network run on: one thread, as
/// one request at a time is all a polite crawler makes.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
