//! `policywatch demo`: the whole job against the stand-in site shipped in
//! the binary, on 127.0.0.1, into a temporary database. No network, no
//! configuration.

use std::path::Path;

use super::{Exit, GlobalArgs};
use crate::config::Config;
use crate::config::Format;
use crate::crawl::PollOptions;
use crate::job::run_job;
use crate::norsk::format_date;
use crate::overview::ops;
use crate::store::Store;
use standin::{SiteServer, demo::demo_site};

/// The sources a secretariat deploys (`sources.toml`, built in).
const SHIPPED: &str = include_str!("../../sources.toml");

/// The shipped `[[source]]` tables, each pointed at the same path on the
/// local site: the demo reads what a deployment reads.
fn shipped_sources(origin: &str) -> anyhow::Result<String> {
    let origin = url::Url::parse(origin)?;
    let shipped: toml::Table = SHIPPED.parse()?;
    let mut out = String::new();
    for source in shipped
        .get("source")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut table = source
            .as_table()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("sources.toml: [[source]] er ingen tabell"))?;
        let real = table
            .get("url")
            .and_then(toml::Value::as_str)
            .ok_or_else(|| anyhow::anyhow!("sources.toml: en kilde mangler url"))?;
        let real = url::Url::parse(real)?;
        let mut local = origin.join(real.path())?;
        local.set_query(real.query());
        table.insert("url".into(), toml::Value::String(local.to_string()));
        let mut one = toml::Table::new();
        one.insert(
            "source".into(),
            toml::Value::Array(vec![toml::Value::Table(table)]),
        );
        out.push_str(&toml::to_string(&one)?);
        out.push('\n');
    }
    Ok(out)
}

/// The config the demo polls with: the shipped sources, pointed at the
/// local site, with no politeness delay (it is our own server), and three
/// council meetings around `today`.
pub fn demo_config(origin: &str, db: &Path, today: jiff::civil::Date) -> anyhow::Result<Config> {
    let day = |n: i64| today.saturating_add(jiff::Span::new().days(n));
    let y = today.year();
    let text = format!(
        r#"
[global]
user_agent = "policywatch-demo (+mailto:demo@example.invalid)"
min_delay_secs = 0
timeout_secs = 5
backoff_base_secs = 0.1
database = "{db}"

{sources}
[smtp]
host = "127.0.0.1"
port = 25
security = "none"
from = "HO21-sekretariatet <post@helseomsorg21.example>"

[[recipient]]
name = "Sekretariatet"
email = "post@helseomsorg21.example"
secretariat = true

[[recipient]]
name = "Rådsmedlem (helsedata)"
email = "medlem@helseomsorg21.example"
themes = ["H2", "A4"]
delivery = "instant"

[[meeting]]
id = "2/{y}"
date = "{prev}"

[[meeting]]
id = "3/{y}"
date = "{this}"

[[meeting]]
id = "4/{y}"
date = "{next}"
"#,
        db = db.display().to_string().replace('\\', "\\\\"),
        sources = shipped_sources(origin)?,
        prev = day(-30),
        this = day(14),
        next = day(60),
    );
    Ok(Config::parse(&text, Path::new("<demo>"))?)
}

pub fn run(g: &GlobalArgs) -> super::Result<Exit> {
    let clock = super::clock(g);
    let today = clock.today();
    let server = SiteServer::start(&demo_site(today))?;
    let tmp = tempfile::tempdir()?;
    let db = g.db.clone().unwrap_or_else(|| tmp.path().join("demo.db"));
    let config = demo_config(server.origin(), &db, today)?;
    let mut store = Store::open(&config.database)?;

    outln!(
        "policywatch demo: et innebygd testnettsted på {} (ingen nettilgang brukes), i dag {}",
        server.origin(),
        format_date(today)
    )?;
    outln!()?;
    // The secretariat starts from the table it has: the council's from 3/2026.
    if store.overview_rows(false)?.is_empty() {
        let (n, _) = ops::import_table(&mut store, ops::DEFAULT_TABLE, clock.now())??;
        outln!("Importerte rådets oversikt fra møte 3/2026: {n} rader.")?;
    }
    let opts = PollOptions {
        backfill: Some(2),
        ..PollOptions::default()
    };
    let rt = super::runtime()?;
    let job = crate::job::recorded(&mut store, "demo", clock.as_ref(), |store, run| {
        let job = run_job(&config, store, clock.as_ref(), run, &opts, &rt)?;
        let outcome = job.outcome();
        Ok((job, outcome))
    })?;
    super::report::print_job(&job, false)?;

    let relevant_ids: Vec<_> = store.relevant_documents()?.iter().map(|d| d.id).collect();
    let others: Vec<_> = store
        .documents(false)?
        .into_iter()
        .filter(|d| !relevant_ids.contains(&d.id))
        .collect();
    outln!()?;
    outln!("Ikke relevante for rådet ({}):", others.len())?;
    for d in &others {
        outln!("  {}  {}", super::report::show_date(d.published), d.title)?;
    }

    let ctx = crate::meetings::MeetingContext::around(&config.meetings, None, today);
    let doc = crate::overview::papers::table_doc(&store, &ctx, today, false)?;
    outln!()?;
    out!(
        "{}",
        String::from_utf8(Format::Markdown.renderer().render(&doc)?)?
    )?;

    for p in store.overview_proposals()? {
        let doc = store
            .document(p.doc_id)?
            .map(|d| d.title)
            .unwrap_or_default();
        outln!(
            "Foreslått kobling: rad {} og dokument {} «{doc}» ({}); godta med `policywatch --db … overview link {} {}`.",
            p.row_id,
            p.doc_id,
            p.reason,
            p.row_id,
            p.doc_id
        )?;
    }
    outln!()?;
    outln!("Varsler som ville blitt sendt (demoen sender ingenting):")?;
    outln!()?;
    let report = crate::alerts::notify(&config, &mut store, clock.as_ref(), true, None)?;
    super::report::print_notify(&report, true)?;
    Ok(if job.poll.all_ok() {
        Exit::Ok
    } else {
        Exit::SourcesFailed
    })
}
