//! `policywatch demo`: the whole job against the stand-in site shipped in
//! the binary, on 127.0.0.1, into a temporary database. No network, no
//! configuration.

use std::path::Path;

use super::{Exit, GlobalArgs};
use crate::clock::oslo_date;
use crate::config::Config;
use crate::crawl::{Crawler, PollOptions};
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
    store.finish_run(
        run,
        clock.now(),
        if report.all_ok() {
            "ok"
        } else {
            "sources_failed"
        },
    )?;
    super::poll::print_report(&report, false);
    println!();
    println!("Åpne høringer (per {}):", crate::norsk::format_date(today));
    for d in store.documents(true)? {
        let days = d
            .deadline
            .as_deref()
            .and_then(|s| s.parse::<jiff::civil::Date>().ok())
            .map(|dl| (dl - today).get_days());
        let left = match days {
            Some(n) => format!(" ({n} dager igjen)"),
            None => String::new(),
        };
        println!(
            "  frist {}{left}  {}  [{}]",
            super::list::show_date(d.deadline.as_deref()),
            d.title,
            d.departments.join(", ")
        );
    }
    println!();
    println!("Andre dokumenter funnet:");
    for d in store
        .documents(false)?
        .into_iter()
        .filter(|d| d.status != "open")
    {
        println!(
            "  {}  {:<9} {}",
            super::list::show_date(d.published.as_deref()),
            super::list::kind_label(&d),
            d.title
        );
    }
    Ok(if report.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}
