//! A poll killed (SIGKILL) at any point leaves a database that opens,
//! passes `PRAGMA integrity_check`, holds no half-written document, and
//! loses nothing: the next poll finishes the job, even a backfill.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{config_text, test_site};
use policywatch::store::Store;
use standin::SiteServer;

fn check_consistent(db: &std::path::Path) -> usize {
    let store = Store::open(db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let docs = store.documents(false).unwrap();
    for d in &docs {
        assert!(
            !d.title.is_empty() && !d.url.is_empty(),
            "half-written document {d:?}"
        );
    }
    let events = store.events_since(0).unwrap();
    let news = events
        .iter()
        .filter(|e| e.kind == policywatch::model::EventKind::New)
        .count();
    assert_eq!(news, docs.len(), "exactly one «new» event per document");
    assert_eq!(events.len(), news, "no invented change");
    docs.len()
}

#[test]
fn killed_polls_leave_a_consistent_database_and_lose_nothing() {
    let server = SiteServer::start(&test_site()).unwrap();
    // Slow the site down so the kills land in the middle of the work.
    server.set_delay(Duration::from_millis(25));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config_text(&server, &db)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("policywatch");

    let mut seen = Vec::new();
    for (i, after_ms) in [120u64, 300, 450, 650, 200].into_iter().enumerate() {
        let mut cmd = Command::new(&bin);
        cmd.arg("--config").arg(&cfg).arg("poll");
        if i == 0 {
            cmd.args(["--backfill", "3"]);
        }
        let mut child = cmd
            .env("POLICYWATCH_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(after_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        seen.push(check_consistent(&db));
    }
    println!("documents after each kill: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "nothing lost between runs: {seen:?}"
    );
    assert!(seen[0] < 28, "the first kill landed mid-run: {seen:?}");

    // A poll left to finish (no --backfill: the interrupted walk resumes).
    server.set_delay(Duration::ZERO);
    let out = Command::new(&bin)
        .arg("--config")
        .arg(&cfg)
        .arg("poll")
        .env("POLICYWATCH_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(check_consistent(&db), 28);
    let store = Store::open(&db).unwrap();
    assert!(
        store
            .documents(false)
            .unwrap()
            .iter()
            .all(|d| d.detail_fetched.is_some())
    );
    assert_eq!(store.source_state("horinger").unwrap().resume_page, None);
}
