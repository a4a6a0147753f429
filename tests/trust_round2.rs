//! Trust, second round: the last ways policywatch could invent, say a
//! thing twice, hang, or let a stranger slow it down. Each test here was
//! written to fail before its fix.

mod common;

use std::time::Duration;

use assert_cmd::Command;
use common::t0;
use policywatch::overview::Column;
use policywatch::overview::ops::{self, ManualRow};
use policywatch::store::Store;
use predicates::prelude::*;

fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

/// A config with a meeting calendar and one source nobody serves.
fn offline_config(dir: &std::path::Path) -> std::path::PathBuf {
    let cfg = dir.join("sources.toml");
    std::fs::write(
        &cfg,
        "[global]\nuser_agent = \"policywatch-test (+mailto:test@example.no)\"\n\n[[meeting]]\nid = \"3/2026\"\ndate = \"2026-12-10\"\n[[meeting]]\nid = \"4/2026\"\ndate = \"2027-02-10\"\n[[meeting]]\nid = \"2/2026\"\ndate = \"2026-09-10\"\n[[source]]\nname = \"horinger\"\nkind = \"regjeringen_list\"\nurl = \"http://127.0.0.1:9/no/dokument/hoyringar/id1763/\"\n",
    )
    .unwrap();
    cfg
}

/// An edit while another process writes waits for it (the busy timeout)
/// instead of failing with "database is locked". The edit reads before it
/// writes, which in WAL mode used to fail at once without waiting.
#[test]
fn an_edit_waits_for_a_writer_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pw.db");
    let mut store = Store::open(&path).unwrap();
    let row = ops::add_row(
        &mut store,
        &ManualRow {
            title: "Kvinnehelsestrategi".into(),
            ..ManualRow::default()
        },
        t0(),
    )
    .unwrap();
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&writer_path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO runs (command, started) VALUES ('run', '2026-07-04T08:00:00Z');")
            .unwrap();
        held_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        conn.execute_batch("COMMIT").unwrap();
    });
    held_rx.recv().unwrap();
    for (i, col) in [Column::Input, Column::Followup].into_iter().enumerate() {
        let changed = ops::edit_cell(&mut store, row, col, Some(&format!("tekst {i}")), t0())
            .unwrap_or_else(|e| panic!("the edit failed while a writer held the lock: {e:#}"));
        assert!(changed);
    }
    writer.join().unwrap();
}

/// A mistyped `--db` is refused by the commands that only read; the ones
/// that start a database create it.
#[test]
fn a_database_that_does_not_exist_is_refused_by_reading_commands() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = offline_config(dir.path());
    let missing = dir.path().join("skrivefeil.db");
    for args in [
        vec!["status"],
        vec!["list"],
        vec!["overview", "list"],
        vec!["case"],
        vec!["calendar"],
        vec!["user", "list"],
        vec!["history", "3100000"],
    ] {
        pw().arg("--config")
            .arg(&cfg)
            .arg("--db")
            .arg(&missing)
            .args(&args)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("skrivefeil.db"));
        assert!(!missing.exists(), "{args:?} created the database");
    }
    pw().arg("--config")
        .arg(&cfg)
        .arg("--db")
        .arg(&missing)
        .args(["overview", "import"])
        .assert()
        .success();
    assert!(missing.exists());
    pw().arg("--config")
        .arg(&cfg)
        .arg("--db")
        .arg(&missing)
        .args(["overview", "list"])
        .assert()
        .success();
}

/// A term of a million characters (a paste gone wrong) is refused at
/// load, naming the theme, instead of keeping `run` busy for minutes.
#[test]
fn an_overlong_theme_term_is_refused_naming_the_theme() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes.toml");
    let term = "helse".repeat(200_000);
    std::fs::write(
        &themes,
        format!("[[theme]]\nid = \"H1\"\nname = \"Helsedata\"\nterms = {{ \"{term}\" = 1 }}\n"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    pw().arg("classify")
        .arg("--themes")
        .arg(&themes)
        .write_stdin("")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("theme[0] (H1).terms"))
        .stderr(predicate::str::contains("høyst 120"));
    assert!(started.elapsed() < Duration::from_secs(20));
    // A name with an escape sequence would reach the terminal and the
    // calendar raw: refused too.
    std::fs::write(
        &themes,
        "[[theme]]\nid = \"H1\"\nname = \"Helse\\u001b[31mdata\"\nterms = { helsedata = 1 }\n",
    )
    .unwrap();
    pw().arg("classify")
        .arg("--themes")
        .arg(&themes)
        .write_stdin("")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("theme[0] (H1).name"))
        .stderr(predicate::str::contains("kontrolltegn"));
}

/// A crawled or typed title with `;=2+5` never becomes a formula, whatever
/// separator the spreadsheet reads the CSV with; lines end in CRLF.
#[test]
fn no_csv_cell_runs_as_a_formula_with_any_separator() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = offline_config(dir.path());
    let db = dir.path().join("pw.db");
    let run = |args: &[&str]| {
        pw().arg("--config")
            .arg(&cfg)
            .arg("--db")
            .arg(&db)
            .args(["--now", "2026-11-01T08:00:00Z"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "overview",
        "add",
        "--title",
        "Høring om helsedata;=2+5;x",
        "--input",
        "Innspill,+1,@SUM(A1)|=1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["overview", "render", "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("helsedata"), "{text}");
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    let formula = |f: &str| {
        let f = f.trim_matches([' ', '"']);
        f.starts_with(['=', '+', '-', '@'])
    };
    for sep in [b',', b';', b'\t', b'|'] {
        // A reader that honours quotes …
        let mut r = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for rec in r.records() {
            for f in rec.unwrap().iter() {
                assert!(!formula(f), "separator {:?}: {f:?}", sep as char);
            }
        }
        // … and one that does not.
        for line in text.lines() {
            for f in line.split(sep as char) {
                assert!(
                    !formula(f),
                    "separator {:?}, quotes ignored: {f:?}",
                    sep as char
                );
            }
        }
    }
}

/// A control character in any configured string (a recipient's name
/// with an escape sequence, a source name with a NUL) is refused at load,
/// naming the key.
#[test]
fn control_characters_in_the_config_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = offline_config(dir.path());
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        format!(
            "{text}\n[[recipient]]\nname = \"Kari\\u001b[2J\"\nemail = \"kari@ho21.example\"\n"
        ),
    )
    .unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .arg("status")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("recipient[0].name"))
        .stderr(predicate::str::contains("U+001B"));
}
