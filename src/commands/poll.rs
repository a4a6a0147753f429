//! `policywatch poll [--source NAME] [--backfill N] [--dry-run]`.

use super::{Exit, GlobalArgs, load_config, print_json};
use crate::cli::PollArgs;
use crate::crawl::{PollOptions, PollReport};
use crate::job::{JobReport, run_job};
use crate::store::Store;

pub fn run(g: &GlobalArgs, args: &PollArgs) -> anyhow::Result<Exit> {
    let config = match load_config(g) {
        Ok(c) => c,
        Err(exit) => return Ok(exit),
    };
    let clock = super::clock(g);
    let Ok(_lock) = super::run::lock_unless_dry(&config.database, args.dry_run)? else {
        return Ok(Exit::Locked);
    };
    let mut file_store = Store::open(&config.database)?;
    // A dry run works on a private copy and throws it away.
    let mut scratch;
    let store = if args.dry_run {
        scratch = file_store.scratch_copy()?;
        &mut scratch
    } else {
        &mut file_store
    };
    let run = store.begin_run("poll", clock.now())?;
    let opts = PollOptions {
        sources: args.sources.clone(),
        backfill: args.backfill,
        accept_changes: args.accept_changes,
        deadline: Some(std::time::Instant::now() + config.max_run),
    };
    let job = run_job(
        &config,
        store,
        clock.as_ref(),
        run,
        &opts,
        &super::runtime()?,
    )?;
    let report = &job.poll;
    let outcome = if report.all_ok() {
        "ok"
    } else {
        "sources_failed"
    };
    store.finish_run(run, clock.now(), outcome)?;
    if args.json {
        print_json(&job)?;
    } else {
        print_job(&job, args.dry_run)?;
    }
    Ok(if report.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}

pub(crate) fn print_job(job: &JobReport, dry_run: bool) -> std::io::Result<()> {
    print_report(&job.poll, dry_run)?;
    outln!(
        "Temamatching: {} dokument(er) vurdert, {} relevante.",
        job.matching.matched,
        job.matching.relevant
    )?;
    outln!(
        "Oversikten: {} nye rader, {} koblet til dokumenter, {} celler oppdatert.",
        job.overview.added.len(),
        job.overview.linked.len(),
        job.overview.updated_cells
    )?;
    Ok(())
}

pub(crate) fn print_report(r: &PollReport, dry_run: bool) -> std::io::Result<()> {
    if dry_run {
        outln!("Prøvekjøring: ingenting er lagret.")?;
    }
    for s in &r.sources {
        let state = match &s.error {
            None => "ok".to_string(),
            Some(e) => format!("FEIL: {e}"),
        };
        outln!(
            "{}: {state} — {} side(r), {} element(er), {} nye, {} endret, {} dokumentside(r) lest",
            s.name,
            s.pages,
            s.items,
            s.new,
            s.changed,
            s.details_read
        )?;
        for w in &s.warnings {
            outln!("  advarsel: {w}")?;
        }
    }
    outln!(
        "{} forespørsler ({} betingede, {} uendret), {} byte; {} åpne høringer sjekket på nytt",
        r.requests,
        r.conditional_requests,
        r.not_modified,
        r.bytes,
        r.rechecked
    )?;
    Ok(())
}
