//! The `--json` contract, held to golden files: `poll`, `run`, `notify`,
//! `status`, `list`, `history`, `explain` and `overview list` against a
//! small stand-in site at a fixed time. A change to a golden file is a
//! change to the contract: raise `schema` in src/commands/json.rs when a
//! field changes meaning or goes away, and say so in the README.
//!
//! `UPDATE_GOLDEN=1 cargo test --test json_contract` rewrites the files.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jiff::civil::date;
use standin::{DocKind, Site, SiteDoc, SiteServer};

fn site() -> Site {
    let doc = |id, kind, title: &str, deadline| SiteDoc {
        id,
        title: title.into(),
        kind,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: date(2026, 6, 10),
        summary: format!("{title}. Forslaget gjelder helsedata og forskning."),
        deadline,
        status_text: deadline.map(|_| "På høring".to_string()),
        topics: vec!["Helse og omsorg".into()],
    };
    Site::with_docs(vec![
        doc(
            3_100_001,
            DocKind::Horing,
            "Høring om deling av helsedata til forskning",
            Some(date(2026, 9, 15)),
        ),
        doc(3_200_001, DocKind::Nou, "NOU 2026: 7 Helsedata", None),
    ])
}

fn config(origin: &str, dir: &Path) -> String {
    format!(
        r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
timeout_secs = 2
max_retries = 0
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{origin}/no/dokument/hoyringar/id1763/"

[[source]]
name = "nou"
kind = "regjeringen_list"
url = "{origin}/no/dokument/nou-ar/id1767/"

[[meeting]]
id = "3/2026"
date = "2026-06-04"

[[meeting]]
id = "4/2026"
date = "2026-09-10"

[[meeting]]
id = "5/2026"
date = "2026-12-03"

[outputs]
dir = "{out}"
formats = ["md"]

[smtp]
host = "127.0.0.1"
port = 9
security = "none"
from = "policywatch <pw@example.no>"

[[recipient]]
name = "Sekretariatet"
email = "post@example.no"
secretariat = true
"#,
        db = dir.join("pw.db").display(),
        out = dir.join("ut").display(),
    )
}

const NOW: &str = "2026-07-04T08:00:00Z";

fn pw(cfg: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(cfg)
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// What differs between two runs of the same scenario: the port, the
/// temporary folder, and sizes that follow from them.
fn normalise(v: &mut serde_json::Value, origin: &str, dir: &str) {
    match v {
        serde_json::Value::String(s) => {
            *s = s.replace(origin, "http://SITE").replace(dir, "DIR");
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| normalise(x, origin, dir)),
        serde_json::Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "bytes" || k == "size_bytes" {
                    *x = 0.into();
                } else {
                    normalise(x, origin, dir);
                }
            }
        }
        _ => {}
    }
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"))
}

fn check(name: &str, mut v: serde_json::Value, origin: &str, dir: &Path) {
    normalise(&mut v, origin, &dir.display().to_string());
    assert_eq!(v["schema"], 1, "{name}: schema");
    let text = serde_json::to_string_pretty(&v).unwrap() + "\n";
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: UPDATE_GOLDEN=1 cargo test --test json_contract",
            path.display()
        )
    });
    assert!(
        text == want,
        "{name}: the JSON differs from {} (a changed contract?)\n--- got\n{text}",
        path.display()
    );
}

#[test]
fn every_commands_json_matches_its_golden_file() {
    let server = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config(server.origin(), dir.path())).unwrap();
    let origin = server.origin().to_string();
    let d = dir.path();

    check("poll", pw(&cfg, &["poll", "--json"]), &origin, d);
    check(
        "notify",
        pw(&cfg, &["notify", "--dry-run", "--json"]),
        &origin,
        d,
    );
    check(
        "run",
        pw(&cfg, &["run", "--no-notify", "--json"]),
        &origin,
        d,
    );
    check("status", pw(&cfg, &["status", "--json"]), &origin, d);
    check("list", pw(&cfg, &["list", "--json"]), &origin, d);
    check(
        "history",
        pw(&cfg, &["history", "3100001", "--json"]),
        &origin,
        d,
    );
    check(
        "explain",
        pw(&cfg, &["explain", "regjeringen:3100001", "--json"]),
        &origin,
        d,
    );
    check(
        "overview-list",
        pw(&cfg, &["overview", "list", "--json"]),
        &origin,
        d,
    );
}

#[test]
fn the_golden_files_are_what_the_readme_promises() {
    // Every documented top-level field is in the files.
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(golden(n)).unwrap()).unwrap()
    };
    let job = read("run");
    for key in [
        "schema", "command", "outcome", "sources", "requests", "matching", "overview", "notify",
        "outputs",
    ] {
        assert!(job.get(key).is_some(), "run: {key}");
    }
    let status = read("status");
    for key in [
        "sources",
        "next_deadlines",
        "database",
        "open_deliveries",
        "last_run",
    ] {
        assert!(status.get(key).is_some(), "status: {key}");
    }
    assert_eq!(
        status["next_deadlines"][0]["key"], "regjeringen:3100001",
        "named fields, not tuples"
    );
}
