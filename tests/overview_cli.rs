//! The secretariat's workflow end to end: import its table, let the
//! crawler run, edit two cells, move a deadline on the site, and hand the
//! meeting a Word and an HTML table in which new rows, near deadlines and
//! its own edits are all right.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use standin::DocKind;
use standin::{SiteDoc, SiteServer};

fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

fn health_site() -> standin::Site {
    let mut site = common::test_site();
    site.docs.push(SiteDoc {
        id: 3_500_001,
        title: "Høring - NOU 2026: 7 Helsedata".into(),
        kind: DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: jiff::civil::date(2026, 7, 1),
        summary: "Departementet sender utredningen om helsedata på høring.".into(),
        deadline: Some(jiff::civil::date(2026, 8, 20)),
        status_text: Some("På høring".into()),
        topics: vec![],
    });
    site.docs.push(SiteDoc {
        id: 3_500_002,
        title: "Høring – forslag til endringer i helseregisterloven".into(),
        kind: DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: jiff::civil::date(2026, 7, 2),
        summary: "Forslaget gjelder kvalitetsregistre.".into(),
        deadline: Some(jiff::civil::date(2026, 11, 15)),
        status_text: Some("På høring".into()),
        topics: vec![],
    });
    site
}

const TABLE: &str = "Melding/strategi/NOU\tInnspill\tLansering\tHøring\tForslag videre oppfølging fra HO21-rådet\n\
NOU 2026: 7 Helsedata\tIkke levert innspill\tLansert 20.05.2026\tHøringsfrist ikke klar\t\n\
Demensplan 2030\t\tLegges frem våren 2026\t\t\n";

#[test]
fn import_crawl_edit_and_render_for_the_meeting() {
    let mut site = health_site();
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    let meetings = "\n[[meeting]]\nid = \"2/2026\"\ndate = \"2026-06-04\"\n[[meeting]]\nid = \"3/2026\"\ndate = \"2026-07-10\"\n[[meeting]]\nid = \"4/2026\"\ndate = \"2026-10-01\"\n";
    std::fs::write(&cfg, common::config_text(&server, &db) + meetings).unwrap();
    std::fs::write(dir.path().join("table.tsv"), TABLE).unwrap();
    let at = |now: &str| {
        let mut c = pw();
        c.arg("--config").arg(&cfg).args(["--now", now]);
        c
    };

    at("2026-06-01T08:00:00Z")
        .args(["overview", "import"])
        .arg(dir.path().join("table.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Importerte 2 rader"));
    at("2026-07-04T08:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Oversikten: 3 nye rader, 2 koblet",
        ));

    // The NOU row (imported) got the NOU and its hearing; the other health
    // hearing is a new row.
    let list = at("2026-07-04T09:00:00Z")
        .args(["overview", "list", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let rows = rows["rows"].as_array().unwrap();
    // The two imported rows, and three the crawler added: NOU 2026: 6 and
    // the white paper (published within 120 days) and the new hearing.
    assert_eq!(rows.len(), 5, "{rows:#?}");
    assert_eq!(
        rows[0]["document"], "regjeringen:3200002",
        "linked by identifier and title"
    );
    assert_eq!(
        rows[0]["hearing"], "regjeringen:3500001",
        "the hearing about NOU 2026: 7"
    );
    let crawled = rows
        .iter()
        .find(|r| r["document"] == "regjeringen:3500002")
        .unwrap();
    assert_eq!(crawled["origin"], "crawler");
    let crawled_id = crawled["id"].to_string();
    let crawled_pos = rows
        .iter()
        .position(|r| r["document"] == "regjeringen:3500002")
        .unwrap();

    // The secretariat edits two cells.
    at("2026-07-05T08:00:00Z")
        .args([
            "overview",
            "edit",
            "1",
            "--column",
            "hearing",
            "--text",
            "Arbeidsgruppe skriver høringssvar; frist 20.08.2026",
        ])
        .assert()
        .success();
    at("2026-07-05T08:00:00Z")
        .args([
            "overview",
            "edit",
            &crawled_id,
            "--column",
            "oppfølging",
            "--text",
            "Rådsleder godkjenner svar",
        ])
        .assert()
        .success();

    // The ministry moves the NOU hearing's deadline; the crawler sees it.
    site.doc_mut(3_500_001).unwrap().deadline = Some(jiff::civil::date(2026, 9, 10));
    server.set_site(&site);
    at("2026-07-06T08:00:00Z").arg("poll").assert().success();

    let show = at("2026-07-06T09:00:00Z")
        .args(["overview", "show", "1"])
        .output()
        .unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(
        show.contains("sekretariatet: Arbeidsgruppe skriver høringssvar; frist 20.08.2026"),
        "{show}"
    );
    assert!(
        show.contains("Frist høring 10.09.2026"),
        "the crawler's text follows the site: {show}"
    );
    assert!(show.contains("secretariat edited hearing"), "{show}");
    assert!(
        show.contains("Frist høring 20.08.2026") && show.contains("→"),
        "the move is in the history: {show}"
    );

    // Word and HTML for meeting 3/2026 (10 July; next 1 October).
    let docx = dir.path().join("oversikt.docx");
    let html = dir.path().join("oversikt.html");
    at("2026-07-06T10:00:00Z")
        .args([
            "overview",
            "render",
            "--meeting",
            "3/2026",
            "--format",
            "docx",
            "-o",
        ])
        .arg(&docx)
        .assert()
        .success();
    at("2026-07-06T10:00:00Z")
        .args([
            "overview",
            "render",
            "--meeting",
            "3/2026",
            "--format",
            "html",
            "-o",
        ])
        .arg(&html)
        .assert()
        .success();
    let html = std::fs::read_to_string(&html).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = scraper::Selector::parse("tbody tr").unwrap();
    let trs: Vec<String> = doc.select(&sel).map(|tr| tr.text().collect()).collect();
    assert_eq!(trs.len(), 5);
    // The secretariat's text shown, the site's moved deadline beneath it,
    // and the deadline flagged: before the next meeting.
    assert!(
        trs[0].contains("Arbeidsgruppe skriver høringssvar; frist 20.08.2026"),
        "{}",
        trs[0]
    );
    assert!(
        trs[0].contains("Fra regjeringen.no: Frist høring 10.09.2026"),
        "{}",
        trs[0]
    );
    assert!(
        trs[0].contains("Frist 10.09.2026, før møte 4/2026: ta stilling i møte 3/2026"),
        "{}",
        trs[0]
    );
    assert!(
        !trs[0].contains("NY"),
        "imported rows are not new: {}",
        trs[0]
    );
    let mine = &trs[crawled_pos];
    assert!(mine.contains("NY"), "{mine}");
    assert!(mine.contains("Rådsleder godkjenner svar"), "{mine}");
    // The secretariat's own edits are marked in its views, never in the
    // council's papers.
    assert!(!mine.contains("Redigert av sekretariatet"), "{mine}");
    assert!(mine.contains("Frist høring 15.11.2026"), "{mine}");
    assert!(
        !mine.contains("Frist før neste møte"),
        "15 November is after the next meeting: {mine}"
    );
    // The Word file is a zip with the same texts in a table.
    let bytes = std::fs::read(&docx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("<w:tbl>") || xml.contains("<w:tbl "),
        "a real table"
    );
    for needle in [
        "Arbeidsgruppe skriver høringssvar; frist 20.08.2026",
        "Rådsleder godkjenner svar",
        "> NY <",
        "Frist 10.09.2026, før møte 4/2026: ta stilling i møte 3/2026",
    ] {
        assert!(xml.contains(needle), "{needle} missing from the Word file");
    }

    // Archive and dismiss: the rows leave the table, history stays.
    at("2026-07-07T08:00:00Z")
        .args(["overview", "archive", "2"])
        .assert()
        .success();
    at("2026-07-07T08:00:00Z")
        .args(["overview", "dismiss", &crawled_id])
        .assert()
        .success();
    at("2026-07-07T08:00:00Z").arg("poll").assert().success();
    let md = at("2026-07-07T09:00:00Z")
        .args(["overview", "render", "--meeting", "3/2026"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        !md.contains("Demensplan 2030") && !md.contains("helseregisterloven"),
        "{md}"
    );
    at("2026-07-07T09:00:00Z")
        .args(["overview", "list", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[archived]"))
        .stdout(predicate::str::contains("[dismissed]"));
    at("2026-07-07T09:00:00Z")
        .args(["overview", "render", "--meeting", "9/2030"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("9/2030"));
}

#[test]
fn dismissing_a_document_takes_its_crawler_row_off_the_table() {
    let server = SiteServer::start(&health_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    let meetings = "\n[[meeting]]\nid = \"2/2026\"\ndate = \"2026-06-04\"\n[[meeting]]\nid = \"3/2026\"\ndate = \"2026-07-10\"\n[[meeting]]\nid = \"4/2026\"\ndate = \"2026-10-01\"\n";
    std::fs::write(&cfg, common::config_text(&server, &db) + meetings).unwrap();
    let at = |now: &str| {
        let mut c = pw();
        c.arg("--config").arg(&cfg).args(["--now", now]);
        c
    };
    at("2026-07-04T08:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    let md = |now: &str| {
        String::from_utf8(
            at(now)
                .args(["overview", "render"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(md("2026-07-04T09:00:00Z").contains("endringer i helseregisterloven"));
    at("2026-07-04T10:00:00Z")
        .args(["dismiss", "3500002", "--reason", "Ikke rådets sak"])
        .assert()
        .success();
    at("2026-07-04T11:00:00Z").arg("poll").assert().success();
    assert!(!md("2026-07-04T12:00:00Z").contains("endringer i helseregisterloven"));
    at("2026-07-04T12:00:00Z")
        .args(["overview", "list", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[dismissed]"));
}
