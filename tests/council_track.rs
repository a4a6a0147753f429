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

mod common;

use common::alerts::{at, setup, site};
use common::{SmtpServer, body_text};
use standin::SiteServer;

fn row_of(s: &common::alerts::Setup, now: &str, doc: &str) -> String {
    let out = at(s, now)
        .args(["overview", "list", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["document"] == doc)
        .unwrap_or_else(|| panic!("a row for {doc}: {rows:#}"))["id"]
        .to_string()
}

fn dry_run(s: &common::alerts::Setup, now: &str) -> String {
    String::from_utf8(
        at(s, now)
            .args(["notify", "--dry-run"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
}

/// The alerts follow the council's track: a reminder stops once the
/// council's response is recorded, none goes for an item decided "no
/// input", and "Høring avsluttet" says whether the council answered.
#[test]
fn reminders_follow_the_councils_decision_and_its_response() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut site = site();
    let server = SiteServer::start(&site).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let registry = row_of(&s, "2026-09-03T07:00:00Z", "regjeringen:3600001");
    let industry = row_of(&s, "2026-09-03T07:00:00Z", "regjeringen:3600002");

    // Without the track, the 7-day reminder is due on the 13th …
    assert!(
        dry_run(&s, "2026-09-13T06:00:00Z")
            .contains("Påminnelse, 7 dager igjen: Høring – endringer i helseregisterloven"),
        "the control: a reminder is due"
    );
    // … the council sends its response on the 12th: no reminder.
    at(&s, "2026-09-12T10:00:00Z")
        .args([
            "overview",
            "sent",
            &registry,
            "--date",
            "2026-09-12",
            "--kind",
            "response",
        ])
        .args([
            "--url",
            "https://www.helseomsorg21.no/horingssvar-helseregisterloven",
        ])
        .assert()
        .success();
    at(&s, "2026-09-13T06:00:00Z")
        .arg("notify")
        .assert()
        .success();
    at(&s, "2026-09-18T06:00:00Z")
        .arg("notify")
        .assert()
        .success();
    for m in smtp.messages() {
        let text = body_text(&m);
        assert!(
            !text.contains("Påminnelse, 7 dager igjen: Høring – endringer i helseregisterloven")
                && !text
                    .contains("Påminnelse, 2 dager igjen: Høring – endringer i helseregisterloven"),
            "a reminder after the response: {text}"
        );
    }

    // The industry hearing: decided "no input", so no reminders at all.
    assert!(
        dry_run(&s, "2026-11-09T06:00:00Z")
            .contains("Påminnelse, 21 dager igjen: Høring – veikart for helsenæringen")
    );
    at(&s, "2026-10-01T10:00:00Z")
        .args([
            "overview",
            "decide",
            &industry,
            "no-input",
            "--meeting",
            "4/2026",
        ])
        .assert()
        .success();
    for day in ["2026-11-09", "2026-11-23", "2026-11-28"] {
        let out = dry_run(&s, &format!("{day}T06:00:00Z"));
        assert!(!out.contains("veikart for helsenæringen"), "{day}: {out}");
    }

    // The registry hearing closes: told with what the council did.
    site.doc_mut(3_600_001).unwrap().status_text = Some("Under behandling".into());
    server.set_site(&site);
    at(&s, "2026-09-22T06:00:00Z")
        .arg("poll")
        .assert()
        .success();
    let out = dry_run(&s, "2026-09-22T06:10:00Z");
    assert!(
        out.contains("Høring avsluttet: Høring – endringer i helseregisterloven"),
        "{out}"
    );
    assert!(
        out.contains("Rådet sendte høringsuttalelse 12.09.2026"),
        "{out}"
    );

    // Bad input changes nothing: exit 3.
    for args in [
        vec!["overview", "decide", "9999", "answer"],
        vec!["overview", "decide", &industry, "kanskje"],
        vec![
            "overview",
            "sent",
            &registry,
            "--date",
            "12.09.2026",
            "--kind",
            "response",
        ],
        vec![
            "overview",
            "sent",
            &registry,
            "--date",
            "2026-09-12",
            "--kind",
            "epost",
        ],
    ] {
        at(&s, "2026-09-22T07:00:00Z").args(&args).assert().code(3);
    }
}

/// What the council decided and sent is in the table as the council
/// writes it: "Innspill ikke aktuelt", "Høringsuttalelse, 12.09.2026".
#[test]
fn the_table_shows_the_councils_decision_and_what_it_sent() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, common::free_port());
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    let registry = row_of(&s, "2026-09-03T07:00:00Z", "regjeringen:3600001");
    let industry = row_of(&s, "2026-09-03T07:00:00Z", "regjeringen:3600002");
    at(&s, "2026-09-12T10:00:00Z")
        .args([
            "overview",
            "sent",
            &registry,
            "--date",
            "2026-09-12",
            "--kind",
            "response",
        ])
        .args(["--url", "https://www.helseomsorg21.no/horingssvar"])
        .assert()
        .success();
    at(&s, "2026-09-12T10:00:00Z")
        .args(["overview", "decide", &industry, "no-input"])
        .assert()
        .success();
    let md = String::from_utf8(
        at(&s, "2026-09-12T11:00:00Z")
            .args([
                "overview",
                "render",
                "--format",
                "md",
                "--meeting",
                "4/2026",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let line = |needle: &str| {
        md.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {md}"))
            .to_string()
    };
    assert!(
        line("helseregisterloven")
            .contains("[Høringsuttalelse, 12.09.2026](https://www.helseomsorg21.no/horingssvar)"),
        "{md}"
    );
    assert!(
        line("helsenæringen").contains("Innspill ikke aktuelt"),
        "{md}"
    );
    // The case for the next meeting lists what was sent since the one
    // before; the case after that does not.
    let case = |meeting: &str| {
        String::from_utf8(
            at(&s, "2026-09-12T11:00:00Z")
                .args(["case", "--format", "md", "--meeting", meeting])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    let four = case("4/2026");
    let list = four
        .split("Innspill og høringssvar sendt siden forrige møte (3/2026)")
        .nth(1)
        .unwrap_or_else(|| panic!("{four}"));
    let list = &list[..list.find("Rådet bes").unwrap()];
    assert!(
        list.contains("[Høringsuttalelse til Høring – endringer i helseregisterloven, 12.09.2026](https://www.helseomsorg21.no/horingssvar)"),
        "{list}"
    );
    let five = case("5/2026");
    assert!(!five.contains("Høringsuttalelse til"), "{five}");
}

/// Meetings are data the secretariat keeps: with the shipped calendar run
/// out, `case` refuses; `meeting add` makes it work, `meeting list` shows
/// the calendar, `meeting remove` takes one out again.
#[test]
fn a_meeting_added_with_the_command_makes_a_refused_case_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let run = |args: &[&str]| {
        pw(&db)
            .args(["--now", "2026-12-06T10:00:00Z"])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["overview", "import"]).status.success());
    let refused = run(&["case"]);
    assert_eq!(
        refused.status.code(),
        Some(3),
        "the shipped calendar ends at 3/2026"
    );
    for (id, date) in [("4/2026", "2026-12-10"), ("1/2027", "2027-02-11")] {
        let out = run(&["meeting", "add", id, date]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let case = run(&["case", "--format", "md"]);
    assert!(
        case.status.success(),
        "{}",
        String::from_utf8_lossy(&case.stderr)
    );
    let case = String::from_utf8(case.stdout).unwrap();
    assert!(case.contains("Sak XX/4/2026"), "{case}");
    let list: serde_json::Value =
        serde_json::from_slice(&run(&["meeting", "list", "--json"]).stdout).unwrap();
    let ids: Vec<&str> = list["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.last(), Some(&"1/2027"), "{list}");
    assert!(ids.contains(&"3/2026"), "the seeded ones stay: {list}");
    assert!(run(&["meeting", "remove", "1/2027"]).status.success());
    assert_eq!(
        run(&["case"]).status.code(),
        Some(3),
        "no meeting after 4/2026 now"
    );
    // Bad input: exit 3.
    assert_eq!(
        run(&["meeting", "add", "fire", "2026-12-10"]).status.code(),
        Some(3)
    );
    assert_eq!(
        run(&["meeting", "add", "5/2026", "10.12.2026"])
            .status
            .code(),
        Some(3)
    );
    assert_eq!(run(&["meeting", "remove", "9/2030"]).status.code(), Some(3));
}
