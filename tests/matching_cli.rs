//! Matching through the command line: poll matches, explain tells why,
//! pin and dismiss win over the matcher and survive rematch and new polls,
//! classify works without a database.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use standin::{SiteDoc, SiteServer};

fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

fn site() -> standin::Site {
    let mut site = common::test_site();
    // One clearly relevant hearing and one clearly not, among the rest.
    let make = |id, title: &str| SiteDoc {
        id,
        title: title.into(),
        kind: standin::DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: jiff::civil::date(2026, 7, 2),
        summary: "Forslaget gjelder tilgang til data.".into(),
        deadline: Some(jiff::civil::date(2026, 10, 1)),
        status_text: Some("På høring".into()),
        topics: vec![],
    };
    site.docs.push(make(
        3_400_001,
        "Høring – forslag til endringer i helseregisterloven om kvalitetsregistre",
    ));
    site.docs.push(make(
        3_400_002,
        "Høring – forskrift om parkering ved sykehjem",
    ));
    site
}

#[test]
fn poll_matches_explain_tells_why_and_overrides_last() {
    let server = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, common::config_text(&server, &db)).unwrap();
    let run = |args: &[&str]| pw().arg("--config").arg(&cfg).args(args).assert();

    run(&["poll", "--backfill", "3"])
        .success()
        .stdout(predicate::str::contains(
            "Temamatching: 30 dokument(er) vurdert",
        ));
    run(&["explain", "3400001"])
        .success()
        .stdout(predicate::str::contains("Temamatchingen: relevant"))
        .stdout(predicate::str::contains(
            "Tema H2 – Helse- og omsorgstjenestene er kunnskapsbaserte",
        ))
        .stdout(predicate::str::contains(
            "«helseregister» i tittel: «helseregisterloven»",
        ))
        .stdout(predicate::str::contains(
            "Departement «Helse- og omsorgsdepartementet»",
        ));
    run(&["explain", "3400002"])
        .success()
        .stdout(predicate::str::contains("ikke relevant"));

    let relevant = |cfg: &std::path::Path| -> Vec<u64> {
        let out = pw()
            .arg("--config")
            .arg(cfg)
            .args(["list", "--relevant", "--json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    let before = relevant(&cfg);
    assert!(before.contains(&3_400_001));
    assert!(!before.contains(&3_400_002));

    run(&["dismiss", "3400001", "--reason", "Dekket av annen sak"]).success();
    run(&["pin", "3400002", "--reason", "Rådet vil følge med"]).success();
    for step in [&["rematch"][..], &["poll"][..]] {
        run(step).success();
        let now = relevant(&cfg);
        assert!(
            !now.contains(&3_400_001),
            "dismissed stays dismissed after {step:?}"
        );
        assert!(
            now.contains(&3_400_002),
            "pinned stays pinned after {step:?}"
        );
    }
    run(&["explain", "3400001"])
        .success()
        .stdout(predicate::str::contains(
            "IKKE RELEVANT: avvist av sekretariatet",
        ))
        .stdout(predicate::str::contains("«Dekket av annen sak»"));
    run(&["dismiss", "3400001", "--undo"]).success();
    assert!(relevant(&cfg).contains(&3_400_001));
    run(&["pin", "42"])
        .code(1)
        .stderr(predicate::str::contains("finnes ikke"));
}

#[test]
fn changed_themes_are_applied_by_the_next_poll() {
    let server = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    let themes = dir.path().join("themes.toml");
    std::fs::write(
        &themes,
        "[[theme]]\nid = \"P\"\nname = \"Parkering\"\nterms = { parkering = 3 }\n",
    )
    .unwrap();
    let text = common::config_text(&server, &db)
        .replace("[global]\n", "[global]\nthemes = \"themes.toml\"\n");
    std::fs::write(&cfg, text).unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .args(["poll", "--backfill", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "30 dokument(er) vurdert, 1 relevante",
        ));
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 dokument(er) vurdert"));
    std::fs::write(&themes, "[[theme]]\nid = \"K\"\nname = \"Kvalitetsregistre\"\nterms = { kvalitetsregister = 3, parkering = 3 }\n").unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "30 dokument(er) vurdert, 2 relevante",
        ));
    // A broken themes file is a configuration error, named.
    std::fs::write(&themes, "[[theme]]\nid = \"K\"\n").unwrap();
    pw().arg("--config")
        .arg(&cfg)
        .arg("poll")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("themes.toml"));
}

#[test]
fn classify_reads_json_lines_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(
        r#"{"title": "Forslag til endringer i helseforskningsloven", "departments": ["Helse- og omsorgsdepartementet"]}"#,
        "\n",
        r#"{"title": "Høring – kvoteregulering for makrell", "kind": "horing"}"#,
        "\n",
        "ikke json\n",
    );
    let out = pw()
        .current_dir(dir.path())
        .arg("classify")
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad line makes the exit code 1"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["relevant"], true);
    assert_eq!(lines[0]["themes"][0]["id"], "H2");
    assert_eq!(lines[0]["themes"][0]["terms"][0]["term"], "helseforskning");
    assert!(lines[0]["score"].as_f64().unwrap() >= 2.0);
    assert_eq!(lines[1]["relevant"], false);
    assert_eq!(lines[1]["themes"], serde_json::json!([]));
    assert!(lines[2]["error"].as_str().unwrap().starts_with("linje 3"));
}
