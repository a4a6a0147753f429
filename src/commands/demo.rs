//! `policywatch demo`: the whole job against the stand-in site shipped in
//! the binary, on 127.0.0.1, into a temporary database. No network, no
//! configuration.

use std::path::Path;

use super::{Exit, GlobalArgs};
use crate::clock::oslo_date;
use crate::config::Config;
use crate::crawl::{Crawler, PollOptions};
use crate::matching::{Matcher, match_stale};
use crate::norsk::format_date;
use crate::site::{SiteServer, demo::demo_site};
use crate::store::Store;

/// The config the demo polls with: the standard sources, pointed at the
/// local site, with no politeness delay (it is our own server).
pub fn demo_config(origin: &str, db: &Path) -> anyhow::Result<Config> {
    let text = format!(
        r#"
[global]
user_agent = "policywatch-demo (+mailto:demo@example.invalid)"
min_delay_secs = 0
timeout_secs = 5
backoff_base_secs = 0.1
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{origin}/no/dokument/hoyringar/id1763/"

[[source]]
name = "nou"
kind = "regjeringen_list"
url = "{origin}/no/dokument/nou-ar/id1767/"

[[source]]
name = "meldinger"
kind = "regjeringen_list"
url = "{origin}/no/dokument/meldst/id1754/"

[[source]]
name = "rss-dokumenter"
kind = "rss"
url = "{origin}/no/rss/Rss/2581966/"
"#,
        db = db.display().to_string().replace('\\', "\\\\")
    );
    Ok(Config::parse(&text, Path::new("<demo>"))?)
}

pub fn run(g: &GlobalArgs) -> anyhow::Result<Exit> {
    let clock = super::clock(g);
    let today = oslo_date(clock.now());
    let server = SiteServer::start(&demo_site(today))?;
    let tmp = tempfile::tempdir()?;
    let db = g.db.clone().unwrap_or_else(|| tmp.path().join("demo.db"));
    let config = demo_config(server.origin(), &db)?;
    let mut store = Store::open(&config.database)?;

    println!(
        "policywatch demo: et innebygd testnettsted på {} (ingen nettilgang brukes)",
        server.origin()
    );
    println!();
    let run = store.begin_run("demo", clock.now())?;
    let report = {
        let crawler = Crawler::new(&config, &mut store, clock.as_ref(), Some(run))?;
        super::runtime()?.block_on(crawler.poll(&PollOptions {
            backfill: Some(2),
            ..PollOptions::default()
        }))?
    };
    let matcher = Matcher::new(config.themes.clone());
    let matched = match_stale(&mut store, &matcher, clock.now())?;
    let outcome = if report.all_ok() {
        "ok"
    } else {
        "sources_failed"
    };
    store.finish_run(run, clock.now(), outcome)?;
    super::poll::print_report(&report, false);
    println!(
        "Temamatching: {} dokument(er) vurdert, {} relevante for rådet.",
        matched.matched, matched.relevant
    );

    let relevant = store.relevant_documents()?;
    let themes_of = |id| -> anyhow::Result<String> {
        let r = store.relevance(id)?;
        Ok(r.verdict
            .map(|v| {
                v.matched()
                    .map(|t| t.id.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default())
    };
    println!();
    println!(
        "Åpne høringer som er relevante for rådet (per {}):",
        format_date(today)
    );
    let mut open: Vec<_> = relevant.iter().filter(|d| d.status == "open").collect();
    open.sort_by(|a, b| a.deadline.cmp(&b.deadline));
    for d in &open {
        let days = d
            .deadline
            .as_deref()
            .and_then(|s| s.parse::<jiff::civil::Date>().ok())
            .map(|dl| (dl - today).get_days());
        let left = days
            .map(|n| format!(" ({n} dager igjen)"))
            .unwrap_or_default();
        println!(
            "  frist {}{left}  {}  [{}]  tema: {}",
            super::list::show_date(d.deadline.as_deref()),
            d.title,
            d.departments.join(", "),
            themes_of(d.id)?
        );
    }
    println!();
    println!("Andre relevante dokumenter:");
    for d in relevant.iter().filter(|d| d.status != "open") {
        println!(
            "  {}  {}  ({})  tema: {}",
            super::list::show_date(d.published.as_deref()),
            d.title,
            super::list::kind_label(d),
            themes_of(d.id)?
        );
    }
    let relevant_ids: Vec<_> = relevant.iter().map(|d| d.id).collect();
    let others: Vec<_> = store
        .documents(false)?
        .into_iter()
        .filter(|d| !relevant_ids.contains(&d.id))
        .collect();
    println!();
    println!("Ikke relevante for rådet ({}):", others.len());
    for d in &others {
        println!(
            "  {}  {}",
            super::list::show_date(d.published.as_deref()),
            d.title
        );
    }
    Ok(if report.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}
