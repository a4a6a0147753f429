//! The council's side of each item: what a row holds and keeps when the
//! secretariat links it to what policywatch found.

use assert_cmd::Command;

fn pw(db: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources.toml"))
        .arg("--db")
        .arg(db);
    c
}

/// The demo's own suggestion, `overview link ROW DOC`, takes away the row
/// the crawler made for the NOU; the NOU's open hearing goes with it to
/// the secretariat's row, its deadline shown, never "ikke klar".
#[test]
fn accepting_the_demos_proposed_link_keeps_the_nous_hearing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = pw(&db).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("Foreslått kobling") && l.contains("NOU 2026: 6"))
        .unwrap_or_else(|| panic!("the demo proposes the NOU's link: {text}"));
    let cmd = line
        .rsplit("overview link ")
        .next()
        .unwrap()
        .trim_end_matches("`.");
    let (row, doc) = cmd.split_once(' ').unwrap();
    let before = String::from_utf8(
        pw(&db)
            .args(["overview", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    let crawler_row = before["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["document"].as_str().is_some_and(|d| d.ends_with(doc)))
        .expect("the crawler's row for the NOU")
        .clone();
    let hearing = crawler_row["hearing"]
        .as_str()
        .expect("it carries the hearing")
        .to_string();
    pw(&db)
        .args(["overview", "link", row, doc])
        .assert()
        .success();
    let shown = String::from_utf8(
        pw(&db)
            .args(["overview", "show", row])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        shown.contains(&format!("høring: {}", hearing.rsplit(':').next().unwrap())),
        "{shown}"
    );
    assert!(shown.contains("Frist høring"), "{shown}");
    assert!(!shown.contains("ikke klar"), "{shown}");
}
