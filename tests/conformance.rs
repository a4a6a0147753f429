//! Conformance on real captures of regjeringen.no (2026-07-04): exact values
//! for every list item and each hearing page. Skipped with a notice when the
//! captures are not beside the repo.

mod common;

use assert_cmd::Command;
use jiff::civil::Date;
use policywatch::model::{DocKind, Status};
use policywatch::norsk::{Identifier, parse_date};
use policywatch::sources::regjeringen::{key, parse_document, parse_list};
use url::Url;

/// Read from the raw HTML by hand (id, date, type, departments, deadline,
/// status, title), not from the parser.
const LIST: &[(u64, &str, &str, &str, &str, &str, &str)] = &[
    (
        3168525,
        "03.07.2026",
        "Høyring",
        "Finansdepartementet",
        "14.08.2026",
        "På høyring",
        "Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene",
    ),
    (
        3167072,
        "03.07.2026",
        "Høring",
        "Klima- og miljødepartementet",
        "07.08.2026",
        "På høring",
        "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland",
    ),
    (
        3168423,
        "03.07.2026",
        "Høring",
        "Energidepartementet",
        "01.10.2026",
        "På høring",
        "Høring av forslag til endringer i forskrift om kost-nytteanalyse av mulighetene for å utnytte overskuddsvarme",
    ),
    (
        3168325,
        "02.07.2026",
        "Høring",
        "Justis- og beredskapsdepartementet",
        "01.10.2026",
        "På høring",
        "Høring - NOU 2026: 8 Samarbeid og informasjonsdeling for å forebygge kriminalitet",
    ),
    (
        3168004,
        "02.07.2026",
        "Høring",
        "Nærings- og fiskeridepartementet",
        "11.08.2026",
        "På høring",
        "Forslag til forskrift om auksjon av tillatelser til lakseoppdrett i 2026",
    ),
    (
        3168058,
        "01.07.2026",
        "Høring",
        "Forsvarsdepartementet",
        "02.08.2026",
        "På høring",
        "Forslag til lov om rettidig tilgjengelighet og forsyning av forsvarsprodukter (forsvarsforsyningsloven)",
    ),
    (
        3168235,
        "01.07.2026",
        "Høring",
        "Barne- og familiedepartementet",
        "30.09.2026",
        "På høring",
        "Høring om forslag til forskrift om unntak fra åpenhetsloven",
    ),
    (
        3167177,
        "01.07.2026",
        "Høring",
        "Kommunal- og distriktsdepartementet",
        "16.10.2026",
        "På høring",
        "Høring - Forslag til forskrifter om boligkjøpsmodeller",
    ),
    (
        3167619,
        "30.06.2026",
        "Høring",
        "Landbruks- og matdepartementet, Helse- og omsorgsdepartementet, Klima- og miljødepartementet",
        "08.09.2026",
        "På høring",
        "Høring - Forslag til endringer i gjødselbrukforskriften",
    ),
    (
        3168071,
        "30.06.2026",
        "Høring",
        "Barne- og familiedepartementet",
        "15.10.2026",
        "På høring",
        "Høring om endringer i forskrift om fosterhjem",
    ),
    (
        3168031,
        "30.06.2026",
        "Høring",
        "Nærings- og fiskeridepartementet",
        "30.09.2026",
        "På høring",
        "Høring - Selskapers bevegelighet over landegrensene i EØS",
    ),
    (
        3167338,
        "30.06.2026",
        "Høring",
        "Kommunal- og distriktsdepartementet",
        "12.10.2026",
        "På høring",
        "Høring - Forslag til endringer i husbankloven om behandling av personopplysninger",
    ),
    (
        3167939,
        "29.06.2026",
        "Høring",
        "Energidepartementet",
        "30.09.2026",
        "På høring",
        "Høring – Forslag til endring i forskrift om elsertifikater",
    ),
    (
        3167374,
        "29.06.2026",
        "Høring",
        "Nærings- og fiskeridepartementet",
        "15.10.2026",
        "På høring",
        "Høring av arbeidsgrupperapport om åpen gruppe",
    ),
    (
        3167691,
        "26.06.2026",
        "Høring",
        "Justis- og beredskapsdepartementet",
        "01.10.2026",
        "På høring",
        "Høring - forslag til forskrift om forenklet forelegg ved befatning med mindre mengder narkotika til egen bruk og til endringer i politiregisterforskriften (sperring av opplysninger i reaksjonsregisteret",
    ),
    (
        3167303,
        "26.06.2026",
        "Høring",
        "Barne- og familiedepartementet",
        "30.09.2026",
        "På høring",
        "Høring – Forslag til endringer i markedsføringsloven og åpenhetsloven – oppheving av forhandlingsmodellen",
    ),
    (
        3167672,
        "26.06.2026",
        "Høring",
        "Finansdepartementet",
        "15.10.2026",
        "På høring",
        "Høring - endring i regler om kontroll med eiere av kvalifiserende eierandeler i finanssektoren mv.",
    ),
    (
        3167766,
        "26.06.2026",
        "Høring",
        "Justis- og beredskapsdepartementet",
        "01.10.2026",
        "På høring",
        "Høring – Endringer i personopplysningsloven for å gjennomføre forordning (EU) 2025/2518",
    ),
    (
        3167570,
        "25.06.2026",
        "Høring",
        "Samferdselsdepartementet",
        "25.08.2026",
        "På høring",
        "Høring - forslag om endring av forskrift om utslippskrav til kjøretøy ved offentlig anskaffelse til veitransport",
    ),
    (
        3167508,
        "24.06.2026",
        "Høyring",
        "Finansdepartementet",
        "24.09.2026",
        "På høyring",
        "Høyring – NOU 2026: 9 Veien mot et bedre og mer forutsigbart skattesystem",
    ),
];

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

#[test]
fn list_page_all_twenty_items_exactly() {
    let Some(dir) = common::real_fixtures() else {
        return;
    };
    let html = std::fs::read_to_string(dir.join("hoyringar-list-id1763-2026-07-04.html")).unwrap();
    let base = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
    let page = parse_list(&html, &base).unwrap();
    assert_eq!(page.total, Some(6960));
    assert_eq!(
        page.next.as_deref(),
        Some("https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2")
    );
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    assert_eq!(page.items.len(), LIST.len());
    for (item, (id, date, ty, deps, deadline, status, title)) in page.items.iter().zip(LIST) {
        assert_eq!(item.key, key(*id));
        assert!(
            item.url
                .starts_with("https://www.regjeringen.no/no/dokumenter/"),
            "{}",
            item.url
        );
        assert!(item.url.ends_with(&format!("/id{id}/")), "{}", item.url);
        assert_eq!(item.title, *title);
        assert_eq!(item.published, Some(d(date)));
        assert_eq!(item.doc_type_text, *ty);
        assert_eq!(item.doc_type, DocKind::Horing);
        assert_eq!(item.departments.join(", "), *deps);
        assert_eq!(item.deadline, Some(d(deadline)), "id {id}");
        assert_eq!(item.status_text.as_deref(), Some(*status));
        assert_eq!(item.status, Status::Open);
        assert!(
            item.summary.as_deref().is_some_and(|s| !s.is_empty()),
            "id {id} has an excerpt"
        );
    }
    // The multi-department item is three departments, not one.
    assert_eq!(page.items[8].departments.len(), 3);
    // Hearings about NOUs refer to them; they are not the NOUs themselves.
    assert_eq!(
        page.items[3].refers_to,
        Some(Identifier::Nou {
            year: 2026,
            number: 8
        })
    );
    assert_eq!(page.items[3].identifier, None);
    assert_eq!(
        page.items[19].refers_to,
        Some(Identifier::Nou {
            year: 2026,
            number: 9
        })
    );
}

struct Hearing {
    file: &'static str,
    id: u64,
    title: &'static str,
    department: &'static str,
    owner_id: u64,
    published: &'static str,
    deadline: &'static str,
    status_text: &'static str,
    language: &'static str,
    topics: &'static [&'static str],
    reference: &'static str,
    consultees: (usize, &'static str, &'static str),
}

const HEARINGS: &[Hearing] = &[
    Hearing {
        file: "hearing-id3167072.html",
        id: 3167072,
        title: "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland",
        department: "Klima- og miljødepartementet",
        owner_id: 668,
        published: "03.07.2026",
        deadline: "07.08.2026",
        status_text: "På høring",
        language: "nb",
        topics: &["Naturmangfold"],
        reference: "26/2371",
        consultees: (135, "Animalia", "Øst politidistrikt"),
    },
    Hearing {
        file: "hearing-id3168423.html",
        id: 3168423,
        title: "Høring av forslag til endringer i forskrift om kost-nytteanalyse av mulighetene for å utnytte overskuddsvarme",
        department: "Energidepartementet",
        owner_id: 750,
        published: "03.07.2026",
        deadline: "01.10.2026",
        status_text: "På høring",
        language: "nb",
        topics: &[],
        reference: "26/1845",
        consultees: (129, "Departementene", "Å Energi"),
    },
    Hearing {
        file: "hearing-id3168525.html",
        id: 3168525,
        title: "Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene",
        department: "Finansdepartementet",
        owner_id: 216,
        published: "03.07.2026",
        deadline: "14.08.2026",
        status_text: "På høyring",
        language: "nn",
        topics: &["Skatter og avgifter"],
        reference: "26/3567",
        consultees: (
            28,
            "Arbeids- og inkluderingsdepartementet",
            "Økonomiforbundet",
        ),
    },
];

#[test]
fn hearing_pages_exactly() {
    let Some(dir) = common::real_fixtures() else {
        return;
    };
    for h in HEARINGS {
        let html = std::fs::read_to_string(dir.join(h.file)).unwrap();
        // Parsed as if saved without knowing its address: og:url tells it.
        let base = Url::parse("https://www.regjeringen.no/").unwrap();
        let doc = parse_document(&html, &base).unwrap();
        assert_eq!(doc.info.key, key(h.id), "{}", h.file);
        assert!(doc.info.url.ends_with(&format!("/id{}/", h.id)));
        assert_eq!(doc.info.title, h.title);
        assert_eq!(doc.info.departments, vec![h.department.to_string()]);
        assert_eq!(doc.owner_id, Some(h.owner_id));
        assert_eq!(doc.info.published, Some(d(h.published)));
        assert_eq!(doc.info.deadline, Some(d(h.deadline)), "{}", h.file);
        assert_eq!(doc.info.status, Status::Open);
        assert_eq!(doc.info.status_text.as_deref(), Some(h.status_text));
        assert_eq!(doc.info.doc_type, DocKind::Horing);
        assert_eq!(doc.language.as_deref(), Some(h.language));
        assert_eq!(doc.topics, h.topics);
        assert_eq!(doc.reference.as_deref(), Some(h.reference));
        assert_eq!(doc.consultees.len(), h.consultees.0, "{}", h.file);
        assert_eq!(
            doc.consultees.first().map(String::as_str),
            Some(h.consultees.1)
        );
        assert_eq!(
            doc.consultees.last().map(String::as_str),
            Some(h.consultees.2)
        );
        assert_eq!(
            doc.response_url.as_deref(),
            Some(format!(
                "https://svar.regjeringen.no/{}/registrer_horingsuttalelse/H{}/",
                if h.language == "nn" { "nn" } else { "nb" },
                h.id
            ))
            .as_deref()
        );
        assert_eq!(doc.attachments.len(), 1, "{}", h.file);
        assert_eq!(doc.attachments[0].role, "horingsnotater");
        assert!(
            doc.attachments[0]
                .url
                .starts_with("https://www.regjeringen.no/contentassets/")
        );
        assert!(doc.info.summary.as_deref().is_some_and(|s| s.len() > 40));
        assert!(
            doc.last_modified
                .as_deref()
                .is_some_and(|s| s.ends_with("GMT"))
        );
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }
}

#[test]
fn extract_command_prints_the_list_as_json() {
    let Some(dir) = common::real_fixtures() else {
        return;
    };
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .args(["extract", "--json"])
        .arg(dir.join("hoyringar-list-id1763-2026-07-04.html"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["kind"], "index");
    assert_eq!(v["site"], "regjeringen");
    assert_eq!(v["source_kind"], "regjeringen_list");
    assert_eq!(v["total"], 6960);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let first = &items[0];
    assert_eq!(first["found"], "info");
    assert_eq!(
        (&first["site"], &first["id"]),
        (&"regjeringen".into(), &"3168525".into())
    );
    assert_eq!(first["published"], "2026-07-03");
    assert_eq!(first["deadline"], "2026-08-14");
    assert_eq!(first["status"], "open");
    assert_eq!(first["status_text"], "På høyring");
    assert_eq!(first["doc_type"], "horing");
    assert_eq!(
        first["departments"],
        serde_json::json!(["Finansdepartementet"])
    );
    for item in items {
        for key in [
            "id",
            "url",
            "title",
            "published",
            "doc_type",
            "departments",
            "summary",
            "deadline",
            "status",
            "status_text",
        ] {
            assert!(item.get(key).is_some(), "missing {key}");
        }
    }
}

#[test]
fn extract_command_reads_the_nynorsk_hearing() {
    let Some(dir) = common::real_fixtures() else {
        return;
    };
    let out = Command::cargo_bin("policywatch")
        .unwrap()
        .args(["extract", "--json"])
        .arg(dir.join("hearing-id3168525.html"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "document");
    assert_eq!(v["deadline"], "2026-08-14");
    assert_eq!(v["status"], "open");
    assert_eq!(v["departments"], serde_json::json!(["Finansdepartementet"]));
}
