//! A database made by the landed release (schema 5, commit ebef672: two
//! demo runs a day apart, the secretariat's edits, a pin, a dismissal, an
//! archived row, and a notify baseline; dumped to
//! tests/fixtures/landed-release.sql) opens in this release with every
//! document, event, row, edit, override and delivery kept, documents keyed
//! by (site, id), and nothing alerted twice.

use std::path::Path;

use jiff::Timestamp;
use policywatch::clock::FixedClock;
use policywatch::config::Config;
use policywatch::model::{Column, DocId, DocKey, EventKind};
use policywatch::store::{OverrideKind, RowState, Store};

const LANDED: &str = include_str!("fixtures/landed-release.sql");

fn landed_db(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("pw.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(LANDED).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 5, "the fixture is the landed release's schema");
    path
}

fn count(db: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

const TABLES: &[&str] = &[
    "documents",
    "events",
    "matches",
    "overrides",
    "overview_rows",
    "overview_cells",
    "overview_log",
    "deliveries",
    "sources",
    "runs",
];

#[test]
fn a_landed_release_database_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let db = landed_db(dir.path());
    let before: Vec<i64> = TABLES.iter().map(|t| count(&db, t)).collect();
    assert_eq!(before[0], 13, "documents in the fixture");

    let store = Store::open(&db).unwrap();
    let after: Vec<i64> = TABLES.iter().map(|t| count(&db, t)).collect();
    assert_eq!(before, after, "rows per table, {TABLES:?}");

    // Documents keyed by (site, id), the store's number kept.
    let docs = store.documents(false).unwrap();
    assert_eq!(docs.len(), 13);
    for d in &docs {
        assert_eq!(d.key.site, "regjeringen");
        assert_eq!(d.key.id, d.id.0.to_string());
    }
    let strategy = store
        .document_by_key(&DocKey::new("regjeringen", "3190301"))
        .unwrap()
        .unwrap();
    assert_eq!(strategy.id, DocId(3_190_301));
    assert_eq!(strategy.title, "Hjernehelsestrategi 2026–2030");

    // The history: 13 documents found, 8 deadlines moved a day later.
    let events = store.events_since(0).unwrap();
    let kinds = |k| events.iter().filter(|e| e.kind == k).count();
    assert_eq!(kinds(EventKind::New), 13);
    assert_eq!(kinds(EventKind::DeadlineChanged), 8);

    // The secretariat's work.
    let row6 = store.overview_row(6).unwrap().unwrap();
    assert!(
        row6.cells[&Column::Hearing]
            .manual
            .as_deref()
            .is_some_and(|t| t.starts_with("Arbeidsgruppe skriver høringssvar")),
        "{row6:#?}"
    );
    assert_eq!(
        store.overview_row(2).unwrap().unwrap().state,
        RowState::Archived
    );
    let pinned = store.relevance(DocId(3_190_107)).unwrap();
    assert_eq!(
        pinned.overridden.map(|o| (o.kind, o.reason)),
        Some((OverrideKind::Pin, Some("Rådet vil følge med".into())))
    );
    let dismissed = store.relevance(DocId(3_190_102)).unwrap();
    assert_eq!(
        dismissed.overridden.map(|o| o.kind),
        Some(OverrideKind::Dismiss)
    );
    assert!(!store.overview_log(6).unwrap().is_empty());
}

#[test]
fn what_the_landed_release_sent_is_not_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = landed_db(dir.path());
    let sent: std::collections::BTreeSet<String> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn.prepare("SELECT alert_key FROM deliveries").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(sent.len(), 11, "alerts the landed release recorded");
    let mut store = Store::open(&db).unwrap();
    // The landed release's recipients, as its config named them.
    let config = Config::parse(
        &format!(
            r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
database = "{}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"

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
"#,
            db.display()
        ),
        Path::new("cfg.toml"),
    )
    .unwrap();
    // The moment the landed release recorded its baseline.
    let clock = FixedClock("2026-11-27T09:00:00Z".parse::<Timestamp>().unwrap());
    let report = policywatch::alerts::notify(&config, &mut store, &clock, true, None).unwrap();
    let planned: std::collections::BTreeSet<String> = report
        .planned
        .iter()
        .flat_map(|p| p.message.alerts.iter())
        .filter(|a| a.doc_key.is_some())
        .map(|a| a.key.clone())
        .collect();
    let again: Vec<&String> = planned.intersection(&sent).collect();
    assert!(
        again.is_empty(),
        "alerted again after the upgrade: {again:?}"
    );
    // What the landed release itself plans at that moment (run and seen):
    // the document pinned after the baseline, and its moved deadline.
    assert_eq!(
        planned.into_iter().collect::<Vec<_>>(),
        ["moved:17", "new:3190107"]
    );
}
