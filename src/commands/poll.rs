//! `policywatch poll [--source NAME] [--backfill N] [--dry-run]`.

use super::{Exit, GlobalArgs, load_config};
use crate::cli::PollArgs;
use crate::crawl::PollOptions;
use crate::job::run_job;
use crate::store::Store;

pub fn run(g: &GlobalArgs, args: &PollArgs) -> super::Result<Exit> {
    let mut config = load_config(g)?;
    let clock = super::clock(g);
    let _lock = super::lock::lock_unless_dry(&config.database, args.dry_run)?;
    let mut file_store = Store::open(&config.database)?;
    super::with_kept_meetings(&mut config, &file_store)?;
    // A dry run works on a private copy and throws it away.
    let mut scratch;
    let store = if args.dry_run {
        scratch = file_store.scratch_copy()?;
        &mut scratch
    } else {
        &mut file_store
    };
    let opts = PollOptions {
        sources: args.sources.clone(),
        backfill: args.backfill,
        accept_changes: args.accept_changes,
        deadline: Some(std::time::Instant::now() + config.max_run),
        save_pages: args.save_pages.clone(),
    };
    let rt = super::runtime()?;
    let job = crate::job::recorded(store, "poll", clock.as_ref(), |store, run| {
        let job = run_job(&config, store, clock.as_ref(), run, &opts, &rt)?;
        let outcome = job.outcome();
        Ok((job, outcome))
    })?;
    let report = &job.poll;
    if args.json {
        super::json::print("poll", &super::json::Job::from(&job))?;
    } else {
        super::report::print_job(&job, args.dry_run)?;
    }
    Ok(if report.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}
