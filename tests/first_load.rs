//! A first load reads the lists and only the document pages that matter:
//! open hearings, reports, relevant documents now; closed hearings close
//! to the themes a few per run; the rest never. What the list says is
//! stored for every document.

mod common;

use common::{config_for, poll_at, t0};
use jiff::SignedDuration;
use jiff::civil::date;
use policywatch::crawl::PollOptions;
use policywatch::store::Store;
use standin::{DocKind, Site, SiteDoc, SiteServer};

fn hearing(id: u64, title: &str, department: &str, open: bool) -> SiteDoc {
    hearing_until(
        id,
        title,
        department,
        open,
        if open {
            date(2026, 9, 1)
        } else {
            date(2026, 6, 1)
        },
    )
}

fn hearing_until(
    id: u64,
    title: &str,
    department: &str,
    open: bool,
    deadline: jiff::civil::Date,
) -> SiteDoc {
    SiteDoc {
        id,
        title: title.into(),
        kind: DocKind::Horing,
        language: "nb",
        departments: vec![department.into()],
        published: date(2026, 3, 1) + jiff::Span::new().days((id % 100) as i64),
        summary: format!("{title}."),
        deadline: Some(deadline),
        status_text: Some(
            if open {
                "På høring"
            } else {
                "Under behandling"
            }
            .into(),
        ),
        topics: vec!["Helse og omsorg".into()],
    }
}

/// One open hearing, two relevant ones closed this summer and one closed
/// long ago, five closed ones close to the themes (a title hit from a
/// department outside health), and six far from them.
fn archive() -> Site {
    let mut docs = vec![
        hearing(
            1,
            "Høring om endringer i forskrift om fiskeri",
            "Nærings- og fiskeridepartementet",
            true,
        ),
        hearing(
            2,
            "Høring om endringer i forskrift om kliniske studier",
            "Justis- og beredskapsdepartementet",
            false,
        ),
        hearing(
            3,
            "Høring om helsedata og forskning",
            "Helse- og omsorgsdepartementet",
            false,
        ),
        hearing_until(
            4,
            "Høring om helsedata og personvern",
            "Helse- og omsorgsdepartementet",
            false,
            date(2025, 1, 10),
        ),
    ];
    for i in 0..5 {
        docs.push(hearing(
            10 + i,
            &format!("Høring om endringer i forskrift om legemidler del {i}"),
            "Finansdepartementet",
            false,
        ));
    }
    for i in 0..6 {
        docs.push(hearing(
            20 + i,
            &format!("Høring om endringer i forskrift om fiskeri del {i}"),
            "Nærings- og fiskeridepartementet",
            false,
        ));
    }
    Site {
        per_page: 20,
        ..Site::with_docs(docs)
    }
}

fn pages_requested(server: &SiteServer) -> Vec<u64> {
    let mut ids: Vec<u64> = server
        .take_requests()
        .iter()
        .filter_map(|r| {
            let tail = r.path.trim_end_matches('/').rsplit('/').next()?;
            let id: u64 = tail.strip_prefix("id")?.parse().ok()?;
            (id < 1000).then_some(id)
        })
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_first_load_reads_what_matters_now_and_the_close_ones_a_few_per_run() {
    let server = SiteServer::start(&archive()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(&server, &dir.path().join("pw.db"));
    config.backlog_pages_per_run = 2;
    config.sources.retain(|s| s.name == "horinger");
    let mut store = Store::open(&config.database).unwrap();

    let report = poll_at(&config, &mut store, t0(), &PollOptions::default());
    assert!(report.all_ok(), "{report:#?}");
    assert_eq!(store.document_count().unwrap(), 15, "every item stored");
    let h = &report.sources[0];
    // The open hearing, the two relevant ones closed this summer, two of
    // the six that can wait (the newest); the six far ones never.
    assert_eq!(pages_requested(&server), [1, 2, 3, 13, 14]);
    assert_eq!(
        (h.details_read, h.pages_waiting, h.pages_skipped),
        (5, 4, 6)
    );

    // Each later run reads two more, and never a skipped page.
    let later = |hours| t0() + SignedDuration::from_hours(hours);
    poll_at(&config, &mut store, later(1), &PollOptions::default());
    assert_eq!(pages_requested(&server), [11, 12]);
    poll_at(&config, &mut store, later(2), &PollOptions::default());
    assert_eq!(pages_requested(&server), [4, 10]);
    poll_at(&config, &mut store, later(3), &PollOptions::default());
    assert_eq!(pages_requested(&server), Vec::<u64>::new());

    // What the list said is there for every document, read or not.
    let far = store
        .documents(false)
        .unwrap()
        .into_iter()
        .find(|d| d.key.id == "20")
        .unwrap();
    assert_eq!(far.deadline, Some(date(2026, 6, 1)));
    assert!(far.detail_fetched.is_none());
}
