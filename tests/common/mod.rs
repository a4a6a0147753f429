//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The folder of real regjeringen.no captures (`../shared/fixtures/regjeringen`
/// beside the repo, or `POLICYWATCH_FIXTURES`). They are third-party pages and
/// never committed; when absent the tests that need them say so and pass.
pub fn real_fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICYWATCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen")
        });
    if dir.join("hoyringar-list-id1763-2026-07-04.html").is_file() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: the real regjeringen.no captures are not at {} (set POLICYWATCH_FIXTURES)",
            dir.display()
        );
        None
    }
}

/// A hand-written fixture in `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

use jiff::Timestamp;
use jiff::civil::{Date, date};
use policywatch::clock::FixedClock;
use policywatch::config::Config;
use policywatch::crawl::{Crawler, PollOptions, PollReport};
use policywatch::model::DocKind;
use policywatch::site::{Site, SiteDoc, SiteServer};
use policywatch::store::Store;

pub const T0: &str = "2026-07-04T08:00:00Z";

pub fn t0() -> Timestamp {
    T0.parse().unwrap()
}

fn doc(id: u64, kind: DocKind, title: String, published: Date, deadline: Option<Date>) -> SiteDoc {
    SiteDoc {
        id,
        title,
        kind,
        language: if id.is_multiple_of(5) { "nn" } else { "nb" },
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published,
        summary: format!("Sammendrag av dokument {id}."),
        deadline,
        status_text: deadline.map(|_| {
            if id.is_multiple_of(5) {
                "På høyring"
            } else {
                "På høring"
            }
            .to_string()
        }),
        topics: vec!["Helse og omsorg".into()],
    }
}

/// 25 open hearings (three pages of ten), two NOUs and one white paper.
pub fn test_site() -> Site {
    let mut docs = Vec::new();
    for i in 0..25u64 {
        let published = date(2026, 6, 1) + jiff::Span::new().days(i as i64);
        docs.push(doc(
            3_100_000 + i,
            DocKind::Horing,
            format!("Høring om forslag nummer {i}"),
            published,
            Some(date(2026, 9, 1) + jiff::Span::new().days(i as i64)),
        ));
    }
    docs.push(doc(
        3_200_001,
        DocKind::Nou,
        "NOU 2026: 6 Helsepersonell".into(),
        date(2026, 5, 12),
        None,
    ));
    docs.push(doc(
        3_200_002,
        DocKind::Nou,
        "NOU 2026: 7 Helsedata".into(),
        date(2026, 5, 20),
        None,
    ));
    docs.push(doc(
        3_200_003,
        DocKind::MeldSt,
        "Meld. St. 9 (2025–2026) Helseberedskap".into(),
        date(2026, 4, 2),
        None,
    ));
    Site {
        per_page: 10,
        ..Site::with_docs(docs)
    }
}

/// A config for polling `server`: no politeness delay, quick retries.
pub fn config_text(server: &SiteServer, db: &std::path::Path) -> String {
    format!(
        r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
timeout_secs = 2
max_retries = 2
backoff_base_secs = 0.01
max_retry_after_secs = 5
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/hoyringar/id1763/"
max_pages = 5

[[source]]
name = "nou"
kind = "regjeringen_list"
url = "{o}/no/dokument/nou-ar/id1767/"

[[source]]
name = "meldinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/meldst/id1754/"

[[source]]
name = "rss"
kind = "rss"
url = "{o}/no/rss/Rss/2581966/"
"#,
        o = server.origin(),
        db = db.display()
    )
}

pub fn config_for(server: &SiteServer, db: &std::path::Path) -> Config {
    Config::parse(&config_text(server, db), std::path::Path::new("test.toml")).unwrap()
}

/// One poll in-process, with the clock at `now`.
pub fn poll_at(
    config: &Config,
    store: &mut Store,
    now: Timestamp,
    opts: &PollOptions,
) -> PollReport {
    let clock = FixedClock(now);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let run = store.begin_run("poll", now).unwrap();
    let crawler = Crawler::new(config, store, &clock, Some(run)).unwrap();
    rt.block_on(crawler.poll(opts)).unwrap()
}
