//! The command line as a user meets it: config errors, exit codes, list and
//! history.

mod common;

use assert_cmd::Command;
use common::{config_text, test_site};
use predicates::prelude::*;
use standin::SiteServer;

fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

#[test]
fn shipped_sources_toml_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources.toml");
    let config = policywatch::config::Config::load(&path).unwrap();
    assert!(
        config
            .sources
            .iter()
            .any(|s| s.name == "horinger" && s.enabled)
    );
    assert_eq!(config.fetch.min_delay, std::time::Duration::from_secs(2));
    assert!(config.fetch.user_agent.contains("mailto:"));
}

#[test]
fn bad_config_is_refused_with_file_key_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(
        &cfg,
        "[[source]]\nname = \"x\"\nkind = \"html\"\nurl = \"https://example.org/\"\n",
    )
    .unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "sources.toml: source[0] (x).kind: ukjent kilde-type «html»",
        ));
    pw().arg("--config")
        .arg(dir.path().join("missing.toml"))
        .arg("poll")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "missing.toml: kan ikke lese filen",
        ));
}

#[test]
fn poll_list_history_and_partial_failure_exit_code() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config_text(&server, &db)).unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .args(["poll", "--backfill", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("horinger: ok"));

    let out = pw()
        .arg("--config")
        .arg(&cfg)
        .args(["list", "--open", "--json"])
        .output()
        .unwrap();
    let open: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&open["schema"], &open["command"]),
        (&1.into(), &"list".into())
    );
    let open = &open["documents"];
    assert_eq!(open.as_array().unwrap().len(), 25);
    assert_eq!(open[0]["deadline"], "2026-09-01", "sorted by deadline");

    pw().arg("--db")
        .arg(&db)
        .args(["history", "3100024"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Høring om forslag nummer 24"))
        .stdout(predicate::str::contains(" ny"));
    pw().arg("--db")
        .arg(&db)
        .args(["history", "42"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dokument 42 finnes ikke"));

    // One source broken: exit 4, the report names it, the rest ran.
    server.push_fault(
        "/no/dokument/nou-ar/id1767/",
        standin::Fault::Body("<html><h1>Tjenesten er midlertidig utilgjengelig</h1></html>".into()),
    );
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("nou: FEIL"))
        .stdout(predicate::str::contains("horinger: ok"));
}

#[test]
fn robots_txt_is_obeyed() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    // A source whose URL robots.txt forbids.
    let text = config_text(&server, &db).replace("/no/dokument/nou-ar/id1767/", "/api/nou/");
    std::fs::write(&cfg, text).unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("robots.txt forbyr"));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.starts_with("/api/"))
    );
}

#[test]
fn demo_runs_offline_with_current_looking_dates() {
    let out = pw()
        .args(["--now", "2026-11-25T08:00:00Z", "demo"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("horinger: ok"), "{text}");
    assert!(
        text.contains("Importerte rådets oversikt fra møte 3/2026: 8 rader."),
        "{text}"
    );
    let (_, table) = text
        .split_once("# Oversikt meldinger og strategier")
        .expect("the table is printed");
    let row = |needle: &str| {
        table
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}: {table}"))
    };
    let nn = row("Høyring – endringar i pasientjournallova");
    assert!(nn.contains("Frist høring 30.11.2026"), "{nn}");
    assert!(
        nn.contains("Frist 30.11.2026, før møte 3/2026: følg opp før møtet"),
        "{nn}"
    );
    // The secretariat's row "Hjernehelsestrategi" found its document: its
    // title now links there, and the launch the site shows is flagged.
    let brain = row("| [Hjernehelsestrategi](http://127.0.0.1:");
    assert!(brain.contains("Ventes lansert våren 2026"), "{brain}");
    assert!(
        brain.contains("*Fra regjeringen.no:* Lansert 17.11.2026"),
        "{brain}"
    );
    assert!(brain.contains("**Lansert 17.11.2026**"), "{brain}");
    // A hearing about NOU 2026: 6 fills the NOU's row.
    let nou = row("NOU 2026: 6 Den nye velferdskommunen](");
    assert!(nou.contains("Frist høring 08.02.2027"), "{nou}");
    let (_, others) = text.split_once("Ikke relevante for rådet").unwrap();
    for unrelated in [
        "lakseoppdrett",
        "dyrehelse",
        "skatteforvaltningsforskriften",
    ] {
        assert!(!table.contains(unrelated), "{unrelated} is in the table");
        assert!(others.contains(unrelated), "{unrelated}: {text}");
    }
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config_text(&server, &db)).unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    for args in [&["list", "--json"][..], &["list"], &["history", "3100024"]] {
        // The reader goes away before the first line is written, as
        // `policywatch list --json | head -0` would.
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policywatch"))
            .env("POLICYWATCH_LOG", "off")
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn numbers_a_config_cannot_mean_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    let base = "[[source]]\nname = \"x\"\nkind = \"rss\"\nurl = \"https://www.regjeringen.no/no/rss/Rss/2581966/\"\n";
    for (extra, key) in [
        (
            "[smtp]\nhost = \"localhost\"\nfrom = \"a@b.no\"\ntimeout_secs = nan\n",
            "smtp.timeout_secs",
        ),
        (
            "[smtp]\nhost = \"localhost\"\nfrom = \"a@b.no\"\ntimeout_secs = -5.0\n",
            "smtp.timeout_secs",
        ),
        ("[global]\nmin_delay_secs = inf\n", "global.min_delay_secs"),
        (
            "[global]\nmax_detail_attempts = 0\n",
            "global.max_detail_attempts",
        ),
        ("[global]\nmax_redirects = 50\n", "global.max_redirects"),
        (
            "[global]\nrecheck_open_after_hours = nan\n",
            "global.recheck_open_after_hours",
        ),
    ] {
        let text = if extra.starts_with("[global]") {
            format!("{extra}{base}")
        } else {
            format!("{base}{extra}")
        };
        std::fs::write(&cfg, text).unwrap();
        pw().arg("--config")
            .arg(&cfg)
            .arg("status")
            .assert()
            .code(3)
            .stderr(predicate::str::contains(key));
    }
}

#[test]
fn the_demo_proposes_linking_the_nou_to_the_secretariats_row() {
    let out = pw()
        .args(["--now", "2026-11-25T08:00:00Z", "demo"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("Foreslått kobling"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("«NOU 2026: 6 Den nye velferdskommunen»"),
        "{line}"
    );
    assert!(line.contains("«samskapingsutvalget»"), "{line}");
}
