//! A stand-in for regjeringen.no, served on 127.0.0.1: list pages, document
//! pages, an RSS feed and robots.txt, written on the model of the real
//! pages. The integration tests, `policywatch demo` and the benchmarks all
//! crawl it; nothing here is used against the real site.

pub mod demo;
pub mod render;
pub mod server;

use std::collections::HashMap;

use jiff::civil::Date;

use crate::model::DocKind;
pub use server::{Fault, LoggedRequest, SiteServer};

/// One document on the stand-in site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteDoc {
    pub id: u64,
    pub title: String,
    pub kind: DocKind,
    /// `nb` or `nn`: decides the labels (Høring/Høyring, …).
    pub language: &'static str,
    pub departments: Vec<String>,
    pub published: Date,
    pub summary: String,
    pub deadline: Option<Date>,
    /// The site's status words, e.g. `På høring`, `Under behandling`.
    pub status_text: Option<String>,
    pub topics: Vec<String>,
}

impl SiteDoc {
    /// The document's path, `/no/dokumenter/<slug>/id<N>/`.
    pub fn path(&self) -> String {
        format!("/no/dokumenter/{}/id{}/", slug(&self.title), self.id)
    }
}

/// A list on the site: which kinds it shows, at which path.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteList {
    pub path: String,
    pub title: String,
    pub kinds: Vec<DocKind>,
}

/// The whole site: documents and the lists that show them.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub docs: Vec<SiteDoc>,
    pub lists: Vec<SiteList>,
    pub per_page: usize,
    pub rss_path: String,
    /// Bytes of navigation menu put before `<main>` on every page, so pages
    /// weigh what the real ones do (60–120 KB, mostly menus).
    pub page_padding: usize,
}

/// A response body the server holds for a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub content_type: &'static str,
    pub body: String,
}

pub const HEARING_LIST: &str = "/no/dokument/hoyringar/id1763/";
pub const NOU_LIST: &str = "/no/dokument/nou-ar/id1767/";
pub const MELDST_LIST: &str = "/no/dokument/meldst/id1754/";
pub const RSS_PATH: &str = "/no/rss/Rss/2581966/";

impl Site {
    /// A site with the three standard lists (høringer, NOU, Meld. St.) and
    /// the RSS feed, showing `docs`.
    pub fn with_docs(docs: Vec<SiteDoc>) -> Site {
        Site {
            docs,
            lists: vec![
                SiteList {
                    path: HEARING_LIST.into(),
                    title: "Høyringar".into(),
                    kinds: vec![DocKind::Horing],
                },
                SiteList {
                    path: NOU_LIST.into(),
                    title: "NOU-ar".into(),
                    kinds: vec![DocKind::Nou],
                },
                SiteList {
                    path: MELDST_LIST.into(),
                    title: "Meldingar til Stortinget".into(),
                    kinds: vec![DocKind::MeldSt],
                },
            ],
            per_page: 20,
            rss_path: RSS_PATH.into(),
            page_padding: 0,
        }
    }

    pub fn doc_mut(&mut self, id: u64) -> Option<&mut SiteDoc> {
        self.docs.iter_mut().find(|d| d.id == id)
    }

    /// Every path the site serves, with its body. `origin` is the
    /// server's own `http://127.0.0.1:PORT`, for absolute links.
    pub fn resources(&self, origin: &str) -> HashMap<String, Resource> {
        let mut out = HashMap::new();
        let nav = render::navigation(self.page_padding);
        let html = |body: String| Resource {
            content_type: "text/html; charset=utf-8",
            body: if nav.is_empty() {
                body
            } else {
                body.replacen("<body>\n", &format!("<body>\n{nav}"), 1)
            },
        };
        out.insert(
            "/robots.txt".to_string(),
            Resource {
                content_type: "text/plain",
                body: render::robots_txt(),
            },
        );
        for doc in &self.docs {
            out.insert(doc.path(), html(render::document_page(doc, origin)));
        }
        for list in &self.lists {
            let mut docs: Vec<&SiteDoc> = self
                .docs
                .iter()
                .filter(|d| list.kinds.contains(&d.kind))
                .collect();
            // Newest first, as the site sorts by default.
            docs.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
            let pages = docs.len().div_ceil(self.per_page).max(1);
            for n in 1..=pages {
                let chunk: Vec<&SiteDoc> = docs
                    .iter()
                    .skip((n - 1) * self.per_page)
                    .take(self.per_page)
                    .copied()
                    .collect();
                let body =
                    render::list_page(list, &chunk, n, pages, docs.len(), self.per_page, origin);
                let key = if n == 1 {
                    list.path.clone()
                } else {
                    format!("{}?page={n}", list.path)
                };
                out.insert(key, html(body));
            }
        }
        let mut newest: Vec<&SiteDoc> = self.docs.iter().collect();
        newest.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
        newest.truncate(100);
        out.insert(
            self.rss_path.clone(),
            Resource {
                content_type: "application/rss+xml; charset=utf-8",
                body: render::rss_feed(&newest, origin),
            },
        );
        out
    }
}

/// A URL slug as the site makes them: lower case, æøå folded, dashes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'å' => out.push('a'),
            _ => {
                if !out.ends_with('-') {
                    out.push('-')
                }
            }
        }
    }
    let s = out.trim_matches('-');
    s.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Status};
    use crate::norsk::Identifier;
    use crate::sources::regjeringen::{parse_document, parse_list};
    use jiff::civil::date;
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
            page1.items.iter().map(|i| i.id).collect::<Vec<_>>(),
            [DocId(13), DocId(12)]
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
        assert_eq!(page.info.id, DocId(12));
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

        let feed = crate::sources::rss::parse_feed(res[RSS_PATH].body.as_bytes(), &base).unwrap();
        assert_eq!(feed.items.len(), 3);
        assert_eq!(feed.items[0].id, Some(DocId(13)));
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
}
