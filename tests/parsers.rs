//! The parsers on hand-written pages: NOU and Meld. St. lists, closed
//! hearings, long dates, broken and empty pages, soft errors.

mod common;

use common::fixture;
use jiff::civil::date;
use policywatch::model::{DocKind, Status};
use policywatch::norsk::Identifier;
use policywatch::sources::ParseErrorKind;
use policywatch::sources::regjeringen::{detect_soft_error, key, parse_document, parse_list};
use url::Url;

fn base() -> Url {
    Url::parse("https://www.regjeringen.no/no/dokument/nou-ar/id1767/?page=2").unwrap()
}

#[test]
fn nou_and_meld_st_list_items() {
    let page = parse_list(&fixture("list-nou.html"), &base()).unwrap();
    assert_eq!(page.total, Some(22));
    assert_eq!(page.next, None, "the last page has a disabled next link");
    assert_eq!(page.items.len(), 2);

    let nou = &page.items[0];
    assert_eq!(nou.key, key(3150001));
    assert_eq!(
        nou.url,
        "https://www.regjeringen.no/no/dokumenter/nou-2026-6/id3150001/"
    );
    assert_eq!(
        nou.title,
        "NOU 2026: 6 Helsepersonell og teknologi – rett kompetanse på rett plass"
    );
    assert_eq!(nou.doc_type, DocKind::Nou);
    assert_eq!(
        nou.identifier,
        Some(Identifier::Nou {
            year: 2026,
            number: 6
        })
    );
    assert_eq!(nou.refers_to, None);
    assert_eq!(
        nou.summary.as_deref(),
        Some("Utvalget foreslår tiltak for bedre bruk av helsepersonell.")
    );
    assert_eq!(
        (nou.deadline, nou.status, nou.status_text.as_deref()),
        (None, Status::Unknown, None)
    );

    let meld = &page.items[1];
    assert_eq!(meld.doc_type, DocKind::MeldSt);
    assert_eq!(meld.published, Some(date(2024, 2, 2)));
    assert_eq!(
        meld.identifier.map(|i| i.to_string()).as_deref(),
        Some("Meld. St. 9 (2023–2024)")
    );
    assert_eq!(
        meld.departments,
        [
            "Helse- og omsorgsdepartementet",
            "Kommunal- og distriktsdepartementet"
        ]
    );
}

#[test]
fn closed_hearings_long_dates_and_unreadable_deadline() {
    let page = parse_list(&fixture("list-closed.html"), &base()).unwrap();
    assert_eq!(
        page.total,
        Some(6960),
        "a non-breaking space inside the number"
    );
    assert_eq!(
        page.next.as_deref(),
        Some("https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=7")
    );
    let [a, b, c] = &page.items[..] else {
        panic!("three items")
    };

    assert_eq!(a.deadline, Some(date(2026, 4, 15)));
    assert_eq!(a.status, Status::Closed);
    assert_eq!(a.status_text.as_deref(), Some("Under behandling"));
    assert_eq!(
        a.refers_to,
        Some(Identifier::Nou {
            year: 2025,
            number: 7
        })
    );

    assert_eq!(b.deadline, Some(date(2026, 3, 1)));
    assert_eq!(b.status, Status::Closed, "nynorsk «Ferdigbehandla»");
    assert_eq!(b.summary, None);

    // An unreadable deadline is kept empty and named in a warning.
    assert_eq!(c.deadline, None);
    assert_eq!(c.status, Status::Open);
    assert_eq!(page.warnings.len(), 1);
    assert!(
        page.warnings[0].contains("3100098") && page.warnings[0].contains("snarest"),
        "{:?}",
        page.warnings
    );
}

#[test]
fn empty_list_is_an_error_not_an_empty_result() {
    let err = parse_list(&fixture("list-empty.html"), &base()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Layout, "{err}");
}

#[test]
fn item_without_id_fails_the_page() {
    let err = parse_list(&fixture("list-broken-item.html"), &base()).unwrap_err();
    // Half of its two items unreadable: a broken page, and it says which.
    assert_eq!(err.kind, ParseErrorKind::Broken, "{err}");
    assert!(err.message.contains("2"), "{err}");
}

#[test]
fn soft_error_page_is_not_content() {
    let html = fixture("soft-error.html");
    assert!(detect_soft_error(&html).is_some());
    let err = parse_document(&html, &base()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::ErrorPage, "{err}");
    let err = parse_list(&html, &base()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::ErrorPage, "{err}");
}

#[test]
fn document_without_title_is_an_error() {
    let err = parse_document(&fixture("no-title.html"), &base()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Layout, "{err}");
}

#[test]
fn nou_document_page() {
    let doc = parse_document(&fixture("nou-document.html"), &base()).unwrap();
    assert_eq!(doc.info.key, key(3150001));
    assert_eq!(
        doc.info.url,
        "https://www.regjeringen.no/no/dokumenter/nou-2026-6/id3150001/"
    );
    assert_eq!(doc.info.doc_type, DocKind::Nou);
    assert_eq!(doc.info.doc_type_text, "NOU");
    assert_eq!(
        doc.info.identifier,
        Some(Identifier::Nou {
            year: 2026,
            number: 6
        })
    );
    assert_eq!(doc.info.published, Some(date(2026, 5, 12)));
    assert_eq!(doc.owner_id, Some(421));
    assert_eq!(doc.info.departments, ["Helse- og omsorgsdepartementet"]);
    assert_eq!(doc.topics, ["Helse og omsorg", "Forskning", "Sykehus"]);
    assert_eq!(doc.info.deadline, None);
    assert_eq!(doc.info.status, Status::Unknown);
    assert_eq!(doc.attachments.len(), 1);
    assert_eq!(doc.attachments[0].role, "body");
    assert!(doc.warnings.is_empty());
}

#[test]
fn closed_hearing_with_an_impossible_deadline() {
    let doc = parse_document(&fixture("hearing-closed.html"), &base()).unwrap();
    assert_eq!(doc.info.key, key(3030303), "from DC.Identifier.URL");
    assert_eq!(doc.info.doc_type, DocKind::Horing);
    assert_eq!(doc.info.status, Status::Closed);
    assert_eq!(doc.info.status_text.as_deref(), Some("Ferdigbehandlet"));
    assert_eq!(
        doc.info.refers_to.map(|i| i.to_string()).as_deref(),
        Some("Meld. St. 9 (2023–2024)")
    );
    // 31.02 is no date: left empty, with a warning naming it.
    assert_eq!(doc.info.deadline, None);
    assert!(
        doc.warnings.iter().any(|w| w.contains("31.02.2024")),
        "{:?}",
        doc.warnings
    );
    assert_eq!(doc.reference.as_deref(), Some("24/100"));
    assert_eq!(
        doc.consultees,
        ["Helsedirektoratet", "Folkehelseinstituttet"]
    );
    assert_eq!(
        doc.attachments[0].title, "Høringsbrev.pdf",
        "title attribute when the link has no text"
    );
    assert_eq!(doc.attachments[0].role, "horingsbrev");
    assert_eq!(doc.response_url, None);
}

#[test]
fn page_text_is_cleaned_and_capped_at_parse() {
    let page = fixture("nou-document.html")
        .replace(
            "<meta name=\"DC.Title\" content=\"",
            "<meta name=\"DC.Title\" content=\"\u{1b}[2J\u{7}",
        )
        .replacen(
            "<h1>",
            &format!("<h1>\u{1b}[31m{}\u{0}", "Lang tittel ".repeat(400)),
            1,
        )
        .replacen(
            "<div class=\"article-ingress\">",
            &format!("<div class=\"article-ingress\">{}", "ord ".repeat(3000)),
            1,
        );
    let doc = parse_document(&page, &base()).unwrap();
    let title = &doc.info.title;
    assert!(!title.chars().any(|c| c.is_control()), "{title:?}");
    assert!(title.starts_with("[31mLang tittel"), "{title:?}");
    assert_eq!(title.chars().count(), policywatch::model::MAX_TITLE);
    assert!(title.ends_with('…'));
    let summary = doc.info.summary.unwrap();
    assert_eq!(summary.chars().count(), policywatch::model::MAX_SUMMARY);
}
