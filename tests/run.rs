//! `policywatch run` as cron runs it: outputs, the lock, source outages
//! told once, SIGKILL at random points, backups.

mod common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use common::{SmtpServer, body_text, subject};
use policywatch::store::Store;
use predicates::prelude::*;
use standin::DocKind;
use standin::{Fault, HEARING_LIST, Site, SiteDoc, SiteServer};

fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

fn site() -> Site {
    let mut site = common::test_site();
    for (id, title, deadline) in [
        (
            3_700_001,
            "Høring – endringer i helseregisterloven",
            jiff::civil::date(2026, 9, 20),
        ),
        (
            3_700_002,
            "Høring – kliniske studier i kommunene",
            jiff::civil::date(2026, 11, 1),
        ),
    ] {
        site.docs.push(SiteDoc {
            id,
            title: title.into(),
            kind: DocKind::Horing,
            language: "nb",
            departments: vec!["Helse- og omsorgsdepartementet".into()],
            published: jiff::civil::date(2026, 9, 1),
            summary: "Forslaget gjelder helsedata.".into(),
            deadline: Some(deadline),
            status_text: Some("På høring".into()),
            topics: vec![],
        });
    }
    site
}

struct Setup {
    dir: tempfile::TempDir,
    cfg: PathBuf,
}

fn setup(server: &SiteServer, smtp_port: u16) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    let extra = format!(
        r#"
[outputs]
dir = "ut"
formats = ["html", "docx", "md"]

[alerts]
source_failure_threshold = 3

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from = "post@ho21.example"
timeout_secs = 5

[[recipient]]
name = "Sekretariatet"
email = "sek@ho21.example"
secretariat = true

[[recipient]]
name = "Medlem"
email = "medlem@ho21.example"
themes = ["H2"]
delivery = "instant"

[[meeting]]
id = "4/2026"
date = "2026-12-01"
"#
    );
    std::fs::write(&cfg, common::config_text(server, &db) + &extra).unwrap();
    Setup { dir, cfg }
}

fn at(s: &Setup, now: &str) -> Command {
    let mut c = pw();
    c.arg("--config").arg(&s.cfg).args(["--now", now]);
    c
}

#[test]
fn run_writes_its_outputs_and_is_quiet_the_second_time() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["run", "--backfill", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Varsler: 3 melding(er) sendt"));
    let out = s.dir.path().join("ut");
    for f in [
        "oversikt.html",
        "oversikt.docx",
        "oversikt.md",
        "frister.ics",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    assert!(
        std::fs::read_to_string(out.join("oversikt.md"))
            .unwrap()
            .contains("endringer i helseregisterloven")
    );
    assert!(
        std::fs::read_to_string(out.join("frister.ics"))
            .unwrap()
            .contains("UID:3700001@policywatch.helseomsorg21")
    );
    let before = smtp.messages().len();
    at(&s, "2026-09-03T10:00:00Z")
        .arg("run")
        .assert()
        .success()
        .stdout(predicate::str::contains("Varsler: 0 melding(er) sendt"));
    assert_eq!(smtp.messages().len(), before);
    at(&s, "2026-09-03T10:05:00Z")
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("horinger: ok"))
        .stdout(predicate::str::contains(
            "20.09.2026  Høring – endringer i helseregisterloven (regjeringen:3700001)",
        ))
        .stdout(predicate::str::contains(format!(
            "skjemaversjon {}",
            policywatch::store::schema::CURRENT_VERSION
        )));
}

#[test]
fn a_second_run_while_one_is_running_says_so_and_exits() {
    let server = SiteServer::start(&site()).unwrap();
    server.set_delay(Duration::from_millis(150));
    let s = setup(&server, common::free_port());
    let bin = assert_cmd::cargo::cargo_bin("policywatch");
    let mut first = std::process::Command::new(&bin)
        .arg("--config")
        .arg(&s.cfg)
        .args(["run", "--no-notify", "--backfill", "3"])
        .env("POLICYWATCH_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    pw().arg("--config")
        .arg(&s.cfg)
        .args(["run", "--no-notify"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("en annen kjøring pågår"));
    // Nor may a poll or a notify run beside it (a dry run may).
    pw().arg("--config")
        .arg(&s.cfg)
        .arg("poll")
        .assert()
        .code(5);
    pw().arg("--config")
        .arg(&s.cfg)
        .arg("notify")
        .assert()
        .code(5);
    pw().arg("--config")
        .arg(&s.cfg)
        .args(["notify", "--dry-run"])
        .assert()
        .success();
    assert!(first.wait().unwrap().success());
    // The lock went with the process: the next run goes ahead.
    server.set_delay(Duration::ZERO);
    pw().arg("--config")
        .arg(&s.cfg)
        .args(["run", "--no-notify"])
        .assert()
        .success();
}

#[test]
fn a_broken_source_is_told_once_and_its_recovery_once() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["run", "--backfill", "3"])
        .assert()
        .success();
    let store_events = || {
        Store::open(&s.dir.path().join("pw.db"))
            .unwrap()
            .last_event_id()
            .unwrap()
    };
    let events = store_events();
    let sent = smtp.messages().len();
    // The list's layout changes: nothing parses. Four runs.
    let broken = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/list-empty.html"
    ))
    .unwrap();
    for i in 0..4 {
        server.push_fault(HEARING_LIST, Fault::Body(broken.clone()));
        at(&s, &format!("2026-09-03T{:02}:00:00Z", 8 + i))
            .arg("run")
            .assert()
            .code(4);
    }
    assert_eq!(
        store_events(),
        events,
        "no change invented from a broken page"
    );

    let new: Vec<String> = smtp.messages()[sent..].to_vec();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert!(
        smtp.messages_to("sek@ho21.example")
            .iter()
            .any(|m| subject(m) == "Kilden «horinger» virker ikke (3 feil på rad)")
    );
    assert!(
        body_text(&new[0]).contains("ingen treff"),
        "the error is named"
    );
    at(&s, "2026-09-03T12:30:00Z")
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("horinger: VIRKER IKKE"))
        .stdout(predicate::str::contains("feil på rad: 4"));
    // It works again: told once.
    at(&s, "2026-09-03T13:00:00Z").arg("run").assert().success();
    at(&s, "2026-09-03T14:00:00Z").arg("run").assert().success();
    let new: Vec<String> = smtp.messages()[sent..].to_vec();
    assert_eq!(new.len(), 2, "{new:#?}");
    assert_eq!(subject(&new[1]), "Kilden «horinger» virker igjen");
}

/// Headlines of the alerts each recipient got, from every message.
fn headlines_per_recipient(smtp: &SmtpServer) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in smtp.messages() {
        let to = m
            .lines()
            .find_map(|l| l.strip_prefix("X-RcptTo: "))
            .unwrap_or("")
            .to_string();
        for line in body_text(&m).lines() {
            if [
                "Ny høring:",
                "Påminnelse",
                "Frist endret",
                "Frist før neste rådsmøte",
                "Høring avsluttet",
                "Kilden",
            ]
            .iter()
            .any(|p| line.starts_with(p))
            {
                out.push((to.clone(), line.to_string()));
            }
        }
    }
    out
}

#[test]
fn sigkill_at_random_points_never_corrupts_or_sends_twice() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    server.set_delay(Duration::from_millis(20));
    let s = setup(&server, smtp.port);
    let bin = assert_cmd::cargo::cargo_bin("policywatch");
    // A fixed sequence of pseudo-random kill times (an LCG), so a failure
    // can be replayed.
    let mut x: u64 = 0x5eed;
    for i in 0..10 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let after = 30 + (x >> 33) % 900;
        let mut cmd = std::process::Command::new(&bin);
        cmd.arg("--config")
            .arg(&s.cfg)
            .args(["--now", &format!("2026-09-03T{:02}:00:00Z", 6 + i)])
            .arg("run");
        if i == 0 {
            cmd.args(["--backfill", "3"]);
        }
        let mut child = cmd
            .env("POLICYWATCH_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(after));
        let _ = child.kill();
        child.wait().unwrap();
        let store = Store::open(&s.dir.path().join("pw.db")).unwrap();
        assert_eq!(
            store.integrity_check().unwrap(),
            "ok",
            "after a kill at {after} ms"
        );
    }
    server.set_delay(Duration::ZERO);
    at(&s, "2026-09-03T20:00:00Z").arg("run").assert().success();
    at(&s, "2026-09-03T21:00:00Z").arg("run").assert().success();
    let lines = headlines_per_recipient(&smtp);
    assert!(!lines.is_empty());
    let mut seen = std::collections::HashSet::new();
    for l in &lines {
        assert!(seen.insert(l.clone()), "sent twice: {l:?}\nall: {lines:#?}");
    }
    let store = Store::open(&s.dir.path().join("pw.db")).unwrap();
    assert_eq!(store.document_count().unwrap(), 30, "nothing lost");
}

#[test]
fn backup_is_a_consistent_copy() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, common::free_port());
    at(&s, "2026-09-03T06:00:00Z")
        .args(["run", "--no-notify", "--backfill", "3"])
        .assert()
        .success();
    let copy = s.dir.path().join("kopi.db");
    pw().arg("--config")
        .arg(&s.cfg)
        .arg("backup")
        .arg(&copy)
        .assert()
        .success();
    let store = Store::open(&copy).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.document_count().unwrap(), 30);
    pw().arg("--config")
        .arg(&s.cfg)
        .arg("backup")
        .arg(&copy)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
}
