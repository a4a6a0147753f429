//! The stand-in site's pages read back by policywatch's parsers: what the
//! site writes is what the parsers read (the stand-in knows nothing of
//! policywatch, so this is checked here).

use jiff::civil::date;
use policywatch::model::Status;
use policywatch::norsk::Identifier;
use policywatch::sources::regjeringen::{key, parse_document, parse_list};
use standin::*;
use url::Url;

fn hearing(id: u64, lang: &'static str, day: i8) -> SiteDoc {
    SiteDoc {
        id,
        title: format!("Høring - NOU 2026: {id} om <helsedata> & \"samtykke\""),
        kind: DocKind::Horing,
        language: lang,
        departments: vec![
            "Helse- og omsorgsdepartementet".into(),
            "Digitaliseringsdepartementet".into(),
        ],
        published: date(2026, 6, day),
        summary: "Forslag om bruk av helsedata.".into(),
        deadline: Some(date(2026, 9, day)),
        status_text: Some(
            if lang == "nn" {
                "På høyring"
            } else {
                "På høring"
            }
            .into(),
        ),
        topics: vec!["Helse og omsorg".into()],
    }
}

#[test]
fn rendered_pages_parse_back_to_the_same_values() {
    let site = Site {
        per_page: 2,
        ..Site::with_docs(vec![
            hearing(11, "nb", 3),
            hearing(12, "nn", 4),
            hearing(13, "nb", 5),
        ])
    };
    let origin = "http://127.0.0.1:9";
    let res = site.resources(origin);
    let base = Url::parse(&format!("{origin}{HEARING_LIST}")).unwrap();
    let page1 = parse_list(&res[HEARING_LIST].body, &base).unwrap();
    assert_eq!(page1.total, Some(3));
    assert_eq!(
        page1
            .items
            .iter()
            .map(|i| i.key.clone())
            .collect::<Vec<_>>(),
        [key(13), key(12)]
    );
    assert_eq!(
        page1.next.as_deref(),
        Some(format!("{origin}{HEARING_LIST}?page=2").as_str())
    );
    let item = &page1.items[1];
    assert_eq!(
        item.title,
        "Høring - NOU 2026: 12 om <helsedata> & \"samtykke\""
    );
    assert_eq!(item.doc_type_text, "Høyring");
    assert_eq!(item.deadline, Some(date(2026, 9, 4)));
    assert_eq!(item.status, Status::Open);
    assert_eq!(item.departments.len(), 2);
    assert_eq!(
        item.refers_to,
        Some(Identifier::Nou {
            year: 2026,
            number: 12
        })
    );
    let page2 = parse_list(&res[&format!("{HEARING_LIST}?page=2")].body, &base).unwrap();
    assert_eq!(page2.items.len(), 1);
    assert_eq!(page2.next, None);

    let doc = &site.docs[1];
    let url = Url::parse(&format!("{origin}{}", doc.path())).unwrap();
    let page = parse_document(&res[&doc.path()].body, &url).unwrap();
    assert_eq!(page.info.key, key(12));
    assert_eq!(page.info.title, doc.title);
    assert_eq!(page.info.deadline, doc.deadline);
    assert_eq!(page.language.as_deref(), Some("nn"));
    assert_eq!(page.topics, doc.topics);
    assert_eq!(
        page.consultees,
        ["Helsedirektoratet", "Folkehelseinstituttet", "KS"]
    );
    assert!(page.response_url.is_some());
    assert!(page.warnings.is_empty());

    let feed =
        policywatch::sources::regjeringen::feed::parse_feed(res[RSS_PATH].body.as_bytes(), &base)
            .unwrap();
    assert_eq!(feed.items.len(), 3);
    assert_eq!(feed.items[0].key, Some(key(13)));
    assert_eq!(feed.items[0].published, Some(date(2026, 6, 5)));
}

#[test]
fn slugs_like_the_site() {
    assert_eq!(
        slug("Høring – NOU 2026: 8 Samarbeid"),
        "horing-nou-2026-8-samarbeid"
    );
    assert_eq!(
        slug("Kvalitetsregistre på ærlig vis!"),
        "kvalitetsregistre-pa-aerlig-vis"
    );
}
