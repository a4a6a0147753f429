//! A stand-in for regjeringen.no, served on 127.0.0.1: list pages, document
//! pages, an RSS feed and robots.txt, written on the model of the real
//! pages. policywatch's integration tests, its demo and its benchmarks all
//! crawl it; nothing here is used against the real site. It knows nothing
//! of policywatch: it writes pages, policywatch reads them.

pub mod demo;
pub mod render;
pub mod server;
pub mod stortinget;

use std::collections::HashMap;

use jiff::civil::Date;

pub use server::{Fault, LoggedRequest, SiteServer};
pub use stortinget::{CommitteeHearing, HearingCase, Parliament, VOLATILE};

/// The kinds of document the site has (its "Høring", "NOU", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Horing,
    Nou,
    MeldSt,
    Prop,
    Strategi,
    Plan,
    Rapport,
    Annet,
}

/// A date as the site writes it: `07.08.2026`.
pub fn format_date(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML and XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

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
    /// Bytes of meta, link and script tags added to every page's `<head>`
    /// (the real ones carry about 12 KB).
    pub head_padding: usize,
    /// Bytes of article text added to every document page's body (the
    /// real hearings' `<main>` is 7–11 KB).
    pub article_padding: usize,
    /// Stortinget's API, served below `/eksport/` on the same origin.
    pub parliament: Parliament,
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
            head_padding: 0,
            article_padding: 0,
            parliament: Parliament {
                session: "2026-2027".into(),
                next_listed: false,
                hearings: Vec::new(),
                version: "1.6".into(),
            },
        }
    }

    /// Pages as heavy as the real site's where parsing counts: about 58 KB
    /// of menus, a 12 KB `<head>`, and 8 KB of article text in `<main>`.
    pub fn as_heavy_as_the_real_one(self) -> Site {
        Site {
            page_padding: 58_000,
            head_padding: 11_000,
            article_padding: 8_000,
            ..self
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
        let head = render::head_padding(self.head_padding);
        let html = |body: String| {
            let body = if nav.is_empty() {
                body
            } else {
                body.replacen("<body>\n", &format!("<body>\n{nav}"), 1)
            };
            let body = if head.is_empty() {
                body
            } else {
                body.replacen("</head>", &format!("{head}</head>"), 1)
            };
            Resource {
                content_type: "text/html; charset=utf-8",
                body,
            }
        };
        let article = render::article_text(self.article_padding);
        let marker = "<div class=\"article-body\">\n";
        let xml = |body: String| Resource {
            content_type: "text/xml; charset=utf-8",
            body,
        };
        let p = &self.parliament;
        out.insert(
            stortinget::SESSIONS.to_string(),
            xml(stortinget::sessions(p)),
        );
        out.insert(
            stortinget::hearings_path(&p.session),
            xml(stortinget::hearings(p, &p.session)),
        );
        if p.next_listed {
            let (a, b) = p.session.split_once('-').unwrap_or(("2026", "2027"));
            let next = format!(
                "{}-{}",
                a.parse::<u16>().unwrap_or(2026) + 1,
                b.parse::<u16>().unwrap_or(2027) + 1
            );
            out.insert(
                stortinget::hearings_path(&next),
                xml(stortinget::hearings(p, &next)),
            );
        }
        out.insert(
            "/robots.txt".to_string(),
            Resource {
                content_type: "text/plain",
                body: render::robots_txt(),
            },
        );
        for doc in &self.docs {
            let page = render::document_page(doc, origin);
            let page = if article.is_empty() {
                page
            } else {
                page.replacen(marker, &format!("{marker}{article}"), 1)
            };
            out.insert(doc.path(), html(page));
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
