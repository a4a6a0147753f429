//! `poll` against a stand-in site on 127.0.0.1: first load, a quiet second
//! poll, moved deadlines, and every kind of server trouble.

mod common;

use common::{config_for, poll_at, t0, test_site};
use jiff::SignedDuration;
use jiff::civil::date;
use policywatch::crawl::{FailureKind, PollOptions};
use policywatch::fetch::FetchErrorKind;
use policywatch::model::DocId;
use policywatch::model::{DocKind, EventKind, Status};
use policywatch::sources::ParseErrorKind;
use policywatch::store::Store;
use standin::{Fault, HEARING_LIST, NOU_LIST, SiteServer};

fn backfill(n: u32) -> PollOptions {
    PollOptions {
        backfill: Some(n),
        ..PollOptions::default()
    }
}

#[test]
fn first_load_then_a_quiet_conditional_poll() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();

    let report = poll_at(&config, &mut store, t0(), &backfill(3));
    assert!(report.all_ok(), "{report:#?}");
    assert_eq!(store.document_count().unwrap(), 28);
    let docs = store.documents(false).unwrap();
    assert!(
        docs.iter().all(|d| d.detail_fetched.is_some()),
        "every page read"
    );
    let events = store.events_since(0).unwrap();
    assert_eq!(events.len(), 28);
    assert!(events.iter().all(|e| e.kind == EventKind::New));
    let h = store.document(DocId(3_100_024)).unwrap().unwrap();
    assert_eq!(h.deadline, Some(date(2026, 9, 25)));
    assert_eq!(h.status, Status::Open);
    assert_eq!(h.doc_type, DocKind::Horing);
    let nou = store.document(DocId(3_200_002)).unwrap().unwrap();
    assert_eq!(nou.identifier.as_deref(), Some("NOU 2026: 7"));
    let reqs = server.take_requests();
    assert_eq!(reqs.iter().filter(|r| r.path == "/robots.txt").count(), 1);
    // No document page was fetched twice in one run.
    let mut paths: Vec<_> = reqs.iter().map(|r| r.path.clone()).collect();
    paths.sort();
    let n = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), n, "a path was fetched twice");

    // An hour later nothing has changed: one conditional request per
    // source, every one answered 304, and nothing stored changes.
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(1),
        &PollOptions::default(),
    );
    assert!(report.all_ok(), "{report:#?}");
    let reqs = server.take_requests();
    assert_eq!(reqs.len(), 4, "{reqs:#?}");
    assert!(
        reqs.iter().all(|r| r.conditional && r.status == 304),
        "{reqs:#?}"
    );
    assert_eq!(store.events_since(0).unwrap().len(), 28, "no false change");
    assert_eq!(report.rechecked, 0);
}

#[test]
fn moved_deadlines_become_events() {
    let mut site = test_site();
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    poll_at(&config, &mut store, t0(), &backfill(3));
    let before = store.last_event_id().unwrap();

    // The newest hearing (on page 1) and the oldest (on page 3) move.
    site.doc_mut(3_100_024).unwrap().deadline = Some(date(2026, 10, 15));
    site.doc_mut(3_100_000).unwrap().deadline = Some(date(2026, 9, 20));
    server.set_site(&site);

    // Within the re-check interval only page 1 is looked at.
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(2),
        &PollOptions::default(),
    );
    assert!(report.all_ok());
    let events = store.events_since(before).unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].doc_id, DocId(3_100_024));
    assert_eq!(events[0].kind, EventKind::DeadlineChanged);
    assert_eq!(events[0].old_value.as_deref(), Some("2026-09-25"));
    assert_eq!(events[0].new_value.as_deref(), Some("2026-10-15"));

    // A day later the open hearings are re-checked: the one on page 3 is
    // found through its own page.
    server.take_requests();
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(26),
        &PollOptions::default(),
    );
    assert!(report.all_ok());
    assert_eq!(report.rechecked, 25);
    let events = store.events_since(before).unwrap();
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[1].doc_id, DocId(3_100_000));
    assert_eq!(events[1].new_value.as_deref(), Some("2026-09-20"));
    // Re-checks were conditional; unchanged pages answered 304.
    let reqs = server.take_requests();
    let detail: Vec<_> = reqs
        .iter()
        .filter(|r| r.path.starts_with("/no/dokumenter/"))
        .collect();
    assert_eq!(detail.len(), 25);
    assert!(detail.iter().all(|r| r.conditional));
    assert_eq!(detail.iter().filter(|r| r.status == 200).count(), 2);
    let history = store.history(DocId(3_100_000)).unwrap();
    assert_eq!(
        history.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["new", "deadline_changed"]
    );
}

#[test]
fn closing_a_hearing_is_a_status_event() {
    let mut site = test_site();
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    poll_at(&config, &mut store, t0(), &backfill(3));
    let before = store.last_event_id().unwrap();
    site.doc_mut(3_100_023).unwrap().status_text = Some("Under behandling".into());
    server.set_site(&site);
    poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(1),
        &PollOptions::default(),
    );
    let events = store.events_since(before).unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].kind, EventKind::StatusChanged);
    assert_eq!(events[0].old_value.as_deref(), Some("På høring"));
    assert_eq!(events[0].new_value.as_deref(), Some("Under behandling"));
    assert_eq!(
        store.document(DocId(3_100_023)).unwrap().unwrap().status,
        Status::Closed
    );
}

#[test]
fn rate_limits_and_server_errors_are_retried() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    server.push_fault(
        HEARING_LIST,
        Fault::Status {
            status: 429,
            retry_after: Some("1".into()),
        },
    );
    server.push_fault(
        NOU_LIST,
        Fault::Status {
            status: 500,
            retry_after: None,
        },
    );
    let started = std::time::Instant::now();
    let report = poll_at(&config, &mut store, t0(), &backfill(3));
    assert!(report.all_ok(), "{report:#?}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(store.document_count().unwrap(), 28);
    let reqs = server.requests();
    let list: Vec<u16> = reqs
        .iter()
        .filter(|r| r.path == HEARING_LIST)
        .map(|r| r.status)
        .collect();
    assert_eq!(list, [429, 200]);
    let nou: Vec<u16> = reqs
        .iter()
        .filter(|r| r.path == NOU_LIST)
        .map(|r| r.status)
        .collect();
    assert_eq!(nou, [500, 200]);
}

/// Loads the site, then breaks one source in a given way: the source is
/// reported failing, and nothing stored is lost or changed.
fn broken_source_changes_nothing(fault: Vec<Fault>, expect: FailureKind) {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    poll_at(&config, &mut store, t0(), &backfill(3));
    let docs_before = store.documents(false).unwrap();
    let events_before = store.last_event_id().unwrap();
    for f in fault {
        server.push_fault(HEARING_LIST, f);
    }
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(1),
        &PollOptions::default(),
    );
    let hearings = report
        .sources
        .iter()
        .find(|s| s.name == "horinger")
        .unwrap();
    assert!(!hearings.ok, "{report:#?}");
    assert_eq!(hearings.error_kind, Some(expect), "{hearings:#?}");
    assert!(
        report
            .sources
            .iter()
            .filter(|s| s.name != "horinger")
            .all(|s| s.ok)
    );
    assert_eq!(
        store.last_event_id().unwrap(),
        events_before,
        "no invented change"
    );
    let docs_after = store.documents(false).unwrap();
    assert_eq!(docs_after.len(), docs_before.len());
    for (a, b) in docs_before.iter().zip(&docs_after) {
        assert_eq!(
            (&a.title, &a.deadline, &a.status),
            (&b.title, &b.deadline, &b.status)
        );
    }
    let state = store.source_state("horinger").unwrap();
    assert_eq!(state.consecutive_failures, 1);
    assert_eq!(state.last_error, hearings.error);

    // It recovers on the next poll, and the failure count resets.
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(2),
        &PollOptions::default(),
    );
    assert!(report.all_ok(), "{report:#?}");
    assert_eq!(
        store.source_state("horinger").unwrap().consecutive_failures,
        0
    );
    assert_eq!(store.last_event_id().unwrap(), events_before);
}

#[test]
fn soft_error_page_fails_the_source() {
    let page = common::fixture("soft-error.html");
    broken_source_changes_nothing(
        vec![Fault::Body(page)],
        FailureKind::Page(ParseErrorKind::ErrorPage),
    );
}

#[test]
fn empty_list_page_fails_the_source() {
    let page = common::fixture("list-empty.html");
    broken_source_changes_nothing(
        vec![Fault::Body(page)],
        FailureKind::Page(ParseErrorKind::Layout),
    );
}

#[test]
fn persistent_server_error_fails_the_source() {
    let e = || Fault::Status {
        status: 503,
        retry_after: None,
    };
    broken_source_changes_nothing(
        vec![e(), e(), e()],
        FailureKind::Fetch(FetchErrorKind::HttpStatus),
    );
}

#[test]
fn garbage_fails_the_source() {
    broken_source_changes_nothing(
        vec![Fault::Body("\u{0}\u{1}garbage{{{<<<".into())],
        FailureKind::Page(ParseErrorKind::Layout),
    );
}

#[test]
fn hanging_server_times_out() {
    let h = || Fault::Hang(std::time::Duration::from_secs(4));
    broken_source_changes_nothing(
        vec![h(), h(), h()],
        FailureKind::Fetch(FetchErrorKind::Timeout),
    );
}

#[test]
fn truncated_body_fails_the_source() {
    broken_source_changes_nothing(
        vec![Fault::Truncate, Fault::Truncate, Fault::Truncate],
        FailureKind::Fetch(FetchErrorKind::Network),
    );
}

#[test]
fn dry_run_stores_nothing() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let store = Store::open(&config.database).unwrap();
    let mut scratch = store.scratch_copy().unwrap();
    let report = poll_at(&config, &mut scratch, t0(), &backfill(3));
    assert_eq!(report.sources.iter().map(|s| s.new).sum::<u64>(), 28);
    assert_eq!(store.document_count().unwrap(), 0);
    assert_eq!(
        Store::open(&config.database)
            .unwrap()
            .document_count()
            .unwrap(),
        0
    );
}

#[test]
fn documents_only_in_the_feed_are_found_through_it() {
    let mut site = test_site();
    site.docs.push(standin::SiteDoc {
        id: 3_300_001,
        title: "Nasjonal strategi for persontilpasset medisin".into(),
        kind: standin::DocKind::Strategi,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: date(2026, 7, 1),
        summary: "Strategien for 2026–2030.".into(),
        deadline: None,
        status_text: None,
        topics: vec!["Helse og omsorg".into()],
    });
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    let report = poll_at(&config, &mut store, t0(), &backfill(3));
    assert!(report.all_ok(), "{report:#?}");
    let rss = report.sources.iter().find(|s| s.name == "rss").unwrap();
    assert_eq!(rss.new, 1, "only the strategy is new to the feed");
    let doc = store.document(DocId(3_300_001)).unwrap().unwrap();
    assert_eq!(doc.source, "rss");
    assert_eq!(
        doc.doc_type,
        DocKind::Strategi,
        "the page told what the feed did not"
    );
    assert_eq!(doc.doc_type_text, "Strategi");
    assert!(doc.detail_fetched.is_some());
    assert_eq!(doc.published, Some(date(2026, 7, 1)));
}

#[test]
fn a_retitled_document_keeps_its_id_and_records_the_change() {
    let mut site = test_site();
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    poll_at(&config, &mut store, t0(), &backfill(3));
    let before = store.last_event_id().unwrap();
    site.doc_mut(3_100_024).unwrap().title = "Høring om forslag nummer 24 (rettet)".into();
    server.set_site(&site);
    poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(1),
        &PollOptions::default(),
    );
    let events = store.events_since(before).unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].kind, EventKind::TitleChanged);
    assert_eq!(
        events[0].old_value.as_deref(),
        Some("Høring om forslag nummer 24")
    );
    assert_eq!(
        store.document_count().unwrap(),
        28,
        "no duplicate for the new title"
    );
}

#[test]
fn reaching_max_pages_with_news_is_a_warning() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(&server, &dir.path().join("pw.db"));
    config.sources[0].max_pages = 2;
    let mut store = Store::open(&config.database).unwrap();
    let report = poll_at(&config, &mut store, t0(), &PollOptions::default());
    let h = &report.sources[report
        .sources
        .iter()
        .position(|s| s.name == "horinger")
        .unwrap()];
    assert!(h.ok);
    assert_eq!(h.pages, 2);
    assert!(
        h.warnings.iter().any(|w| w.contains("--backfill")),
        "{:?}",
        h.warnings
    );
}

#[test]
fn a_site_that_is_down_is_skipped_after_a_few_failures() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(&server, &dir.path().join("pw.db"));
    config.recheck_open_after = std::time::Duration::from_secs(3600);
    let mut store = Store::open(&config.database).unwrap();
    poll_at(&config, &mut store, t0(), &backfill(3));
    let events = store.last_event_id().unwrap();
    drop(server); // nothing listens on the port any more
    // Two hours later (robots.txt still kept): four sources and 25 open
    // hearings due for a re-check.
    let report = poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(2),
        &PollOptions::default(),
    );
    assert!(report.sources.iter().all(|s| !s.ok), "{report:#?}");
    let errors: Vec<FailureKind> = report.sources.iter().filter_map(|s| s.error_kind).collect();
    assert_eq!(
        errors
            .iter()
            .filter(|e| **e == FailureKind::Fetch(FetchErrorKind::Network))
            .count(),
        3,
        "{errors:#?}"
    );
    assert!(
        errors.contains(&FailureKind::Fetch(FetchErrorKind::HostDown)),
        "{errors:#?}"
    );
    // Three fetches were tried, with their retries; the rest were skipped.
    assert_eq!(report.requests, 3 * 3);
    assert_eq!(store.last_event_id().unwrap(), events, "nothing changed");
    assert_eq!(store.document_count().unwrap(), 28);
}

#[test]
fn an_unreadable_robots_txt_is_asked_for_once_per_run() {
    let server = SiteServer::start(&test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    for _ in 0..3 {
        server.push_fault(
            "/robots.txt",
            Fault::Status {
                status: 503,
                retry_after: None,
            },
        );
    }
    let report = poll_at(&config, &mut store, t0(), &backfill(3));
    assert!(report.sources.iter().all(|s| !s.ok));
    let first = report
        .sources
        .iter()
        .find(|s| s.name == "horinger")
        .unwrap();
    assert!(
        first
            .error
            .as_deref()
            .is_some_and(|e| e.contains("robots.txt")),
        "{first:#?}"
    );
    let reqs = server.requests();
    assert_eq!(
        reqs.len(),
        3,
        "robots.txt tried three times, nothing else: {reqs:#?}"
    );
    assert!(reqs.iter().all(|r| r.path == "/robots.txt"));
    assert_eq!(store.document_count().unwrap(), 0);
}

#[test]
fn a_withdrawn_document_page_is_a_warning_not_a_broken_source() {
    let site = test_site();
    let server = SiteServer::start(&site).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&server, &dir.path().join("pw.db"));
    let mut store = Store::open(&config.database).unwrap();
    let path = site.docs.iter().find(|d| d.id == 3_100_010).unwrap().path();
    server.push_fault(
        &path,
        Fault::Status {
            status: 404,
            retry_after: None,
        },
    );
    let report = poll_at(&config, &mut store, t0(), &backfill(3));
    let h = report
        .sources
        .iter()
        .find(|s| s.name == "horinger")
        .unwrap();
    assert!(h.ok, "{h:#?}");
    assert_eq!((h.details_failed, h.details_gone), (0, 1));
    assert!(
        h.warnings
            .iter()
            .any(|w| w.contains("3100010") && w.contains("404")),
        "{:?}",
        h.warnings
    );
    // Its list data is stored; its page is read by the next poll.
    let doc = store.document(DocId(3_100_010)).unwrap().unwrap();
    assert!(doc.detail_fetched.is_none());
    poll_at(
        &config,
        &mut store,
        t0() + SignedDuration::from_hours(1),
        &PollOptions::default(),
    );
    assert!(
        store
            .document(DocId(3_100_010))
            .unwrap()
            .unwrap()
            .detail_fetched
            .is_some()
    );
}
