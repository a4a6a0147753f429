//! The whole job, stage after stage: poll → match → overview. Commands
//! (`poll`, `demo`, later `run`) call this and print what came out.

use serde::Serialize;

use crate::clock::Clock;
use crate::config::Config;
use crate::crawl::{Crawler, PollOptions, PollReport};
use crate::matching::{MatchReport, Matcher, match_stale};
use crate::overview::sync::{SyncReport, sync_overview};
use crate::store::{RunId, Store};

#[derive(Debug, Clone, Serialize)]
pub struct JobReport {
    pub poll: PollReport,
    pub matching: MatchReport,
    pub overview: SyncReport,
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
