//! Stortinget's committee hearings: the answers read from hand-written
//! fixtures on the documented shape (tests/fixtures/stortinget/), and the
//! whole job against the stand-in's API: a written hearing on a white paper
//! the council follows is linked to its row, its deadline shown, alerted
//! once and put in the calendar; the volatile fields change nothing.

mod common;

use assert_cmd::Command;
use jiff::civil::date;
use policywatch::model::{DocKind, Status};
use policywatch::sources::stortinget::{HEARINGS, Stortinget};
use policywatch::sources::{Found, Index, ParseErrorKind, Site};
use standin::{CommitteeHearing, HearingCase, Parliament, SiteDoc, SiteServer};
use url::Url;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/stortinget")
            .join(name),
    )
    .unwrap()
}

fn base() -> Url {
    Url::parse("https://data.stortinget.no/eksport/").unwrap()
}

fn read(name: &str) -> Index {
    let url = base().join(name).unwrap();
    Stortinget
        .read_index(HEARINGS, &fixture(name), &url)
        .unwrap()
}

fn infos(index: &Index) -> Vec<&policywatch::model::DocInfo> {
    index
        .items
        .iter()
        .map(|f| match f {
            Found::Info(i) => i,
            Found::Stub { .. } => panic!("a record says everything"),
        })
        .collect()
}

#[test]
fn the_sessions_answer_points_to_the_current_sessions_hearings() {
    let index = read("sesjoner.xml");
    assert!(index.items.is_empty());
    assert_eq!(
        index.follow.iter().map(Url::as_str).collect::<Vec<_>>(),
        ["https://data.stortinget.no/eksport/horinger?sesjonid=2026-2027"]
    );
    // Once the API lists the next session, its hearings are read too.
    let next = fixture("sesjoner.xml").replace(
        "</sesjoner_liste>",
        "<sesjon><fra>2027-10-01T00:00:00</fra><id>2027-2028</id><til>2028-09-30T23:59:59</til></sesjon></sesjoner_liste>",
    );
    let index = Stortinget
        .read_index(HEARINGS, &next, &base().join("sesjoner").unwrap())
        .unwrap();
    assert_eq!(index.follow.len(), 2);
    assert!(index.follow[1].as_str().ends_with("sesjonid=2027-2028"));
}

#[test]
fn each_hearing_is_a_document_with_its_committee_deadline_and_case() {
    let index = read("horinger-2026-2027.xml");
    assert!(index.warnings.is_empty(), "{:?}", index.warnings);
    let h = infos(&index);
    assert_eq!(h.len(), 4);

    // A written hearing on a white paper, its identifier with a hyphen.
    let w = h[0];
    assert_eq!(w.key.to_string(), "stortinget:10501");
    assert_eq!(w.title, "Helseberedskap – trygghet i en urolig tid");
    assert_eq!(w.doc_type, DocKind::Horing);
    assert_eq!(w.doc_type_text, "Høring i Stortinget");
    assert_eq!(w.departments, ["Helse- og omsorgskomiteen"]);
    assert_eq!(w.deadline, Some(date(2027, 1, 12)));
    assert_eq!(w.status, Status::Open);
    assert_eq!(w.status_text.as_deref(), Some("Planlagt"));
    assert_eq!(
        w.refers_to.map(|r| r.to_string()).as_deref(),
        Some("Meld. St. 7 (2026–2027)")
    );
    assert_eq!(
        w.url,
        "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=10501"
    );
    assert_eq!(w.published, None, "a year-one start is no date");
    assert!(
        w.summary
            .as_deref()
            .unwrap()
            .starts_with("Melding til Stortinget")
    );

    // An oral hearing only: no deadline for written input.
    let oral = h[1];
    assert_eq!(oral.deadline, None);
    assert_eq!(oral.published, Some(date(2027, 1, 27)));
    assert_eq!(
        oral.refers_to.map(|r| r.to_string()).as_deref(),
        Some("Prop. 12 L (2026–2027)")
    );

    // Held: closed; about a representative proposal we have no word for.
    let held = h[2];
    assert_eq!(held.status, Status::Closed);
    assert_eq!(held.deadline, Some(date(2026, 11, 2)));
    assert_eq!(held.refers_to, None);
    assert!(
        held.summary
            .as_deref()
            .unwrap()
            .contains("helsenæringen & eksport")
    );

    // Every date year one: no deadline, no date, and an empty reference.
    let none = h[3];
    assert_eq!(
        (none.deadline, none.published, none.refers_to),
        (None, None, None)
    );
}

#[test]
fn answers_differing_only_in_their_stamps_read_the_same() {
    let a = read("horinger-2026-2027.xml");
    let b = read("horinger-2026-2027-later.xml");
    assert_ne!(
        fixture("horinger-2026-2027.xml"),
        fixture("horinger-2026-2027-later.xml")
    );
    assert_eq!(a, b);
}

#[test]
fn a_broken_answer_is_an_error_never_an_empty_session() {
    let url = base().join("horinger?sesjonid=2026-2027").unwrap();
    let full = fixture("horinger-2026-2027.xml");
    let read = |text: &str| Stortinget.read_index(HEARINGS, text, &url).unwrap_err();
    // Cut short.
    assert_eq!(read(&full[..full.len() / 2]).kind, ParseErrorKind::Broken);
    // An error page instead of XML.
    assert_eq!(
        read("<html><body><h1>Service Unavailable</h1></body></html>").kind,
        ParseErrorKind::Layout
    );
    // Another answer than the one asked for.
    assert_eq!(
        read("<saker_oversikt xmlns=\"http://data.stortinget.no\"/>").kind,
        ParseErrorKind::Layout
    );
    // Half the records without an id.
    let garbled = full
        .replace("<id>10501</id>", "")
        .replace("<id>10502</id>", "");
    assert_eq!(read(&garbled).kind, ParseErrorKind::Broken);
    // One odd record is skipped and said.
    let one = full.replace("<id>10504</id>", "<id>x</id>");
    let index = Stortinget.read_index(HEARINGS, &one, &url).unwrap();
    assert_eq!((index.items.len(), index.warnings.len()), (3, 1));
}

#[test]
fn extract_reads_a_saved_answer() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stortinget/horinger-2026-2027.xml");
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .args(["extract", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["site"], "stortinget");
    assert_eq!(v["items"].as_array().unwrap().len(), 4);
    assert_eq!(v["items"][0]["deadline"], "2027-01-12");
}

/// The regjeringen.no white paper and two committee hearings: a written
/// one on the white paper, and an oral one on nothing the council holds.
fn site() -> standin::Site {
    let paper = SiteDoc {
        id: 3_190_201,
        title: "Meld. St. 7 (2026–2027) Helseberedskap – trygghet i en urolig tid".into(),
        kind: standin::DocKind::MeldSt,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: date(2026, 11, 10),
        summary: "Meldingen handler om helseberedskap, forsyningssikkerhet og kunnskapsbaserte helsetjenester.".into(),
        deadline: None,
        status_text: None,
        topics: vec!["Helse og omsorg".into()],
    };
    standin::Site {
        parliament: Parliament {
            session: "2026-2027".into(),
            next_listed: false,
            version: "1.6".into(),
            hearings: vec![
                CommitteeHearing {
                    id: 10_501,
                    status: "Planlagt".into(),
                    written: true,
                    start: None,
                    deadline: Some(date(2027, 1, 12)),
                    request_deadline: None,
                    committee: "Helse- og omsorgskomiteen".into(),
                    cases: vec![HearingCase {
                        id: 101_234,
                        short_title: "Helseberedskap – trygghet i en urolig tid".into(),
                        title: "Melding til Stortinget om helseberedskap".into(),
                        reference: "Meld. St. 7 (2026-2027)".into(),
                    }],
                },
                CommitteeHearing {
                    id: 10_502,
                    status: "Planlagt".into(),
                    written: false,
                    start: Some(date(2027, 1, 27)),
                    deadline: None,
                    request_deadline: Some(date(2027, 1, 20)),
                    committee: "Transport- og kommunikasjonskomiteen".into(),
                    cases: vec![HearingCase {
                        id: 101_301,
                        short_title: "Endringer i vegtrafikkloven".into(),
                        title: "Endringer i vegtrafikkloven (automatisert trafikkontroll)".into(),
                        reference: "Prop. 14 L (2026–2027)".into(),
                    }],
                },
            ],
        },
        ..standin::Site::with_docs(vec![paper])
    }
}

fn config(origin: &str, dir: &std::path::Path) -> String {
    format!(
        r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
timeout_secs = 2
max_retries = 0
database = "{db}"

[[source]]
name = "meldinger"
kind = "regjeringen_list"
url = "{origin}/no/dokument/meldst/id1754/"

[[source]]
name = "stortinget"
kind = "stortinget_horinger"
url = "{origin}/eksport/"

[[meeting]]
id = "4/2026"
date = "2026-10-01"

[[meeting]]
id = "5/2026"
date = "2026-12-03"

[[meeting]]
id = "1/2027"
date = "2027-02-10"

[[meeting]]
id = "2/2027"
date = "2027-04-14"

[alerts]
calendar = "{cal}"

[[webhook]]
name = "kanal"
url = "{origin}/hooks/pw"
format = "json"

[[recipient]]
name = "Rådets kanal"
webhook = "kanal"
"#,
        db = dir.join("pw.db").display(),
        cal = dir.join("frister.ics").display(),
    )
}

#[test]
fn a_committee_hearing_on_a_white_paper_follows_its_row_and_is_told_once() {
    let server = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config(server.origin(), dir.path())).unwrap();
    let pw = |now: &str, args: &[&str]| {
        let out = Command::cargo_bin("policywatch")
            .unwrap()
            .env("POLICYWATCH_LOG", "off")
            .arg("--config")
            .arg(&cfg)
            .args(["--now", now])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    pw("2026-11-26T06:00:00Z", &["run"]);

    // The white paper's row has the committee's hearing and its deadline.
    let rows: serde_json::Value =
        serde_json::from_str(&pw("2026-11-26T07:00:00Z", &["overview", "list", "--json"])).unwrap();
    let rows = rows["rows"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["document"] == "regjeringen:3190201")
        .expect("a row for the white paper");
    assert_eq!(row["hearing"], "stortinget:10501", "{row:#}");
    assert!(
        row["cells"]["hearing"]["shown"]
            .as_str()
            .unwrap()
            .contains("Stortinget, helse- og omsorgskomiteen: frist for innspill 12.01.2027"),
        "{row:#}"
    );
    assert!(
        !rows.iter().any(|r| r["document"] == "stortinget:10501"),
        "no row of its own"
    );

    // Told once, as a hearing in the Storting; the oral one on a matter
    // the council does not follow is not told.
    let posts = || -> Vec<String> {
        server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/hooks/pw")
            .map(|r| r.body)
            .collect()
    };
    let told = posts().join("\n");
    assert_eq!(
        told.matches("Høring i Stortinget: Helseberedskap").count(),
        1,
        "{told}"
    );
    assert!(!told.contains("vegtrafikkloven"), "{told}");

    // The case lists it with the deadlines before the next meeting.
    let case = pw("2026-11-26T07:00:00Z", &["case", "--format", "md"]);
    let line = case
        .lines()
        .find(|l| l.contains("frist for innspill 12.01.2027"))
        .unwrap_or_else(|| panic!("{case}"));
    assert!(
        line.contains("Stortinget, helse- og omsorgskomiteen"),
        "{line}"
    );

    // The deadline is in the calendar.
    let ics = std::fs::read_to_string(dir.path().join("frister.ics")).unwrap();
    assert!(ics.contains("Helseberedskap"), "{ics}");
    assert!(ics.contains("20270112"), "{ics}");

    // An hour later the API stamps its answers afresh: nothing changes,
    // nothing is told again.
    let before = posts().len();
    pw("2026-11-26T08:00:00Z", &["run"]);
    let history: serde_json::Value = serde_json::from_str(&pw(
        "2026-11-26T09:00:00Z",
        &["history", "stortinget:10501", "--json"],
    ))
    .unwrap();
    assert_eq!(
        history["events"].as_array().unwrap().len(),
        1,
        "{history:#}"
    );
    assert_eq!(posts().len(), before, "nothing told twice");
    let stamps: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/eksport/horinger"))
        .collect();
    assert_eq!(stamps.len(), 2, "one request for the session per run");
}

#[test]
fn save_pages_keeps_what_was_fetched_for_fixtures() {
    let server = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config(server.origin(), dir.path())).unwrap();
    let saved = dir.path().join("sider");
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(&cfg)
        .args(["--now", "2026-11-26T06:00:00Z", "poll", "--save-pages"])
        .arg(&saved)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bodies: Vec<std::path::PathBuf> = std::fs::read_dir(&saved)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "json"))
        .collect();
    // Every answer with a body the server gave (robots.txt included).
    let served = server.requests().iter().filter(|r| r.status == 200).count();
    assert_eq!(bodies.len(), served, "{bodies:?}");
    let hearings = bodies
        .iter()
        .find(|p| p.to_string_lossy().contains("horinger_sesjonid_2026-2027"))
        .expect("the session's hearings saved");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(hearings.with_extension("json")).unwrap()).unwrap();
    assert_eq!(
        meta["url"],
        format!("{}/eksport/horinger?sesjonid=2026-2027", server.origin())
    );
    assert_eq!(meta["status"], 200);
    // What was saved reads as what was fetched.
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .args(["extract", "--json"])
        .arg(hearings)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
}

#[test]
fn a_hearing_takes_the_themes_of_the_document_it_is_about() {
    use policywatch::matching::{Matcher, ThemeSet};
    use policywatch::model::{DocInfo, DocKey};
    use policywatch::store::{Changes, Store};
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config("http://127.0.0.1:9", dir.path())).unwrap();
    let mut store = Store::open(&dir.path().join("pw.db")).unwrap();
    let now: jiff::Timestamp = "2026-11-26T06:00:00Z".parse().unwrap();
    let paper = DocInfo::new(
        DocKey::new("regjeringen", "3190202"),
        "https://www.regjeringen.no/no/dokumenter/x/id3190202/".into(),
        "Meld. St. 9 (2026–2027) Nasjonal helse- og samhandlingsplan".into(),
        Some(date(2026, 11, 1)),
        DocKind::MeldSt,
        "Melding til Stortinget".into(),
        vec!["Helse- og omsorgsdepartementet".into()],
        Some("Planen gjelder helsetjenestene, helsepersonell og samhandling.".into()),
        None,
        Status::Unknown,
        None,
    );
    // The committee's hearing: its own words say nothing of health.
    let mut hearing = DocInfo::new(
        DocKey::new("stortinget", "10601"),
        "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h=10601".into(),
        "Planen for de neste fire årene".into(),
        None,
        DocKind::Horing,
        "Høring i Stortinget".into(),
        vec!["Kommunalkomiteen".into()],
        None,
        Some(date(2027, 1, 20)),
        Status::Open,
        Some("Planlagt".into()),
    );
    let matcher = Matcher::new(ThemeSet::default_set());
    let alone = matcher.classify(&policywatch::matching::DocText {
        title: &hearing.title,
        summary: None,
        departments: &hearing.departments,
        topics: &[],
    });
    assert!(!alone.relevant, "on its own words it is not relevant");
    hearing.refers_to = "Meld. St. 9 (2026-2027)".parse().ok();
    for (info, source) in [(&paper, "meldinger"), (&hearing, "stortinget")] {
        store
            .apply_list_item(info, source, now, None, Changes::Store)
            .unwrap();
    }
    policywatch::job::match_stale(&mut store, &matcher, now).unwrap();
    let id = store
        .document_by_key(&DocKey::new("stortinget", "10601"))
        .unwrap()
        .unwrap()
        .id;
    let r = store.relevance(id).unwrap();
    let v = r.verdict.unwrap();
    assert!(v.relevant);
    assert_eq!(v.signals[0].term, "Meld. St. 9 (2026–2027)");
    assert!(!v.themes.is_empty(), "the white paper's themes");
    // `explain` says the same, by the same decision, with the line that
    // says which document it is about.
    let explain = |json: bool| {
        let mut c = Command::cargo_bin("policywatch").unwrap();
        c.env("POLICYWATCH_LOG", "off")
            .arg("--config")
            .arg(&cfg)
            .args(["explain", "stortinget:10601"]);
        if json {
            c.arg("--json");
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = explain(false);
    assert!(text.contains("Gjelder Meld. St. 9 (2026–2027)"), "{text}");
    assert!(!text.contains("ikke relevant"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&explain(true)).unwrap();
    assert_eq!(json["relevant"], true, "{json}");
}

/// The statuses the API documents are read for what they say.
#[test]
fn every_documented_hearing_status_is_read() {
    let mut p = site().parliament;
    let statuses = [
        ("Påbegynt", Status::Open),
        ("Planlagt med forbehold", Status::Open),
        ("Planlagt", Status::Open),
        ("Avholdt", Status::Closed),
        ("Ukjent", Status::Unknown),
    ];
    let template = p.hearings[0].clone();
    p.hearings = statuses
        .iter()
        .enumerate()
        .map(|(i, (s, _))| CommitteeHearing {
            id: 20_000 + i as u64,
            status: (*s).into(),
            ..template.clone()
        })
        .collect();
    let text = standin::stortinget::hearings(&p, &p.session)
        .replace(standin::stortinget::VOLATILE, "2026-11-26T10:00:00");
    let url = base().join("horinger?sesjonid=2026-2027").unwrap();
    let index = Stortinget.read_index(HEARINGS, &text, &url).unwrap();
    let got: Vec<Status> = infos(&index).iter().map(|i| i.status).collect();
    let want: Vec<Status> = statuses.iter().map(|(_, s)| *s).collect();
    assert_eq!(got, want);
    assert!(index.warnings.is_empty(), "{:?}", index.warnings);
}

fn poll_json(cfg: &std::path::Path, now: &str) -> serde_json::Value {
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(cfg)
        .args(["--now", now, "poll", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// One session's failed request does not keep the next session unread;
/// an answer that is not valid UTF-8 is a failed answer, never a title.
#[test]
fn one_failed_or_garbled_session_answer_hides_nothing_and_invents_nothing() {
    let mut s = site();
    s.parliament.next_listed = true;
    let server = SiteServer::start(&s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config(server.origin(), dir.path())).unwrap();
    let current = standin::stortinget::hearings_path("2026-2027");
    let next = standin::stortinget::hearings_path("2027-2028");
    server.push_fault(
        &current,
        standin::Fault::Status {
            status: 500,
            retry_after: None,
        },
    );
    let report = poll_json(&cfg, "2026-11-26T06:00:00Z");
    let asked: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        asked.contains(&next),
        "the next session was asked: {asked:?}"
    );
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "stortinget")
        .unwrap();
    assert_eq!(source["ok"], false, "{source}");
    // Now every hearing is known; then the answer comes back garbled.
    poll_json(&cfg, "2026-11-26T07:00:00Z");
    let store = policywatch::store::Store::open(&dir.path().join("pw.db")).unwrap();
    let events = store.last_event_id().unwrap();
    let good = standin::stortinget::hearings(&s.parliament, "2026-2027")
        .replace(standin::stortinget::VOLATILE, "2026-11-26T10:00:00");
    let mut bad = good
        .replace("Helseberedskap – trygghet", "Helsedata (ny tittel")
        .into_bytes();
    let at = bad.windows(9).position(|w| w == b"Helsedata").unwrap() + 10;
    bad.splice(at..at, [0xff, 0xc3, 0x28]);
    server.push_fault(
        &current,
        standin::Fault::Bytes {
            content_type: "application/xml; charset=utf-8".into(),
            body: bad,
        },
    );
    let report = poll_json(&cfg, "2026-11-26T08:00:00Z");
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "stortinget")
        .unwrap();
    assert_eq!(source["ok"], false, "{source}");
    assert_eq!(source["error_kind"]["kind"], "garbled", "{source}");
    assert_eq!(store.last_event_id().unwrap(), events, "no invented change");
    for d in store.documents(false).unwrap() {
        assert!(!d.title.contains('\u{fffd}'), "{}", d.title);
    }
}

/// An answer that names last year's session as current: its hearings,
/// held long ago, are never told as news, and the answer is warned of.
#[test]
fn a_past_session_named_as_current_is_never_news() {
    let mut s = site();
    s.parliament.session = "2025-2026".into();
    s.parliament.hearings = vec![CommitteeHearing {
        id: 10_401,
        status: "Avholdt".into(),
        written: true,
        start: Some(date(2026, 2, 10)),
        deadline: Some(date(2026, 2, 1)),
        request_deadline: None,
        committee: "Helse- og omsorgskomiteen".into(),
        cases: vec![HearingCase {
            id: 100_001,
            short_title: "Helseberedskap – trygghet i en urolig tid".into(),
            title: "Melding til Stortinget om helseberedskap".into(),
            reference: "Meld. St. 7 (2026-2027)".into(),
        }],
    }];
    let server = SiteServer::start(&s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(&cfg, config(server.origin(), dir.path())).unwrap();
    let report = poll_json(&cfg, "2026-11-26T06:00:00Z");
    let warned = report.to_string();
    assert!(warned.contains("var over"), "{warned}");
    Command::cargo_bin("policywatch")
        .unwrap()
        .env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(&cfg)
        .args(["--now", "2026-11-26T07:00:00Z", "notify"])
        .assert()
        .success();
    let told: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.body.clone())
        .collect();
    assert!(
        told.iter().all(|t| !t.contains("Høring i Stortinget")),
        "a hearing held in February was told as news: {told:?}"
    );
}
