//! regjeringen.no: its list pages (høringer, NOU, Meld. St., …), its RSS
//! feed, its document pages, its words and its addresses. Everything
//! policywatch knows of this site is in this folder.

pub mod document;
pub mod feed;
pub mod list;
pub mod quirks;
pub mod words;

use url::Url;

pub use document::parse_document;
pub use list::parse_list;
pub use quirks::{detect_soft_error, page_url, short_url};
pub use words::{SITE, key, key_in_url};

use super::{Found, Index, PageCandidate, PageKind, PageWant, ParseError, Site};
use crate::model::{DocKey, DocKind, DocumentPage, Status};

/// A search-result list: `/no/dokument/hoyringar/id1763/` and the NOU,
/// Meld. St. and other lists that share its template.
pub const LIST: &str = "regjeringen_list";
/// The site's RSS feed (`/no/rss/Rss/2581966/`): what exists, not what it
/// says (items carry no deadline or status).
pub const RSS: &str = "rss";

/// regjeringen.no.
pub struct Regjeringen;

/// What a page is, judged from its markup: a search-result list or a
/// single document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    List,
    Document,
}

fn shape(html: &str) -> Shape {
    if html.contains("id=\"searchResultsListing\"") || html.contains("class=\"listItem\"") {
        Shape::List
    } else {
        Shape::Document
    }
}

fn looks_like_feed(text: &str) -> bool {
    let head: String = text.chars().take(1024).collect();
    head.contains("<rss")
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

impl Site for Regjeringen {
    fn id(&self) -> &'static str {
        SITE
    }

    fn label(&self) -> &'static str {
        "regjeringen.no"
    }

    fn home(&self) -> &'static str {
        "https://www.regjeringen.no/"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &[LIST, RSS]
    }

    /// The feed mixes news (`/aktuelt/`) and documents: only documents.
    fn default_link_contains(&self, kind: &str) -> Option<&'static str> {
        (kind == RSS).then_some("/dokumenter/")
    }

    fn check_source(&self, kind: &str, url: &Url) -> Result<(), String> {
        if kind == LIST && url.query().is_some() {
            return Err("en listeside skal oppgis uten spørrestreng: robots.txt forbyr alle filtre, og ?page= legges til av policywatch".into());
        }
        Ok(())
    }

    fn index_url(&self, kind: &str, source: &Url, n: u32) -> Url {
        match kind {
            LIST => page_url(source, n),
            _ => source.clone(),
        }
    }

    fn read_index(&self, kind: &str, text: &str, url: &Url) -> Result<Index, ParseError> {
        if kind == RSS {
            let feed = feed::parse_feed(text.as_bytes(), url)?;
            let items = feed
                .items
                .into_iter()
                .filter_map(|i| {
                    Some(Found::Stub {
                        key: i.key?,
                        title: i.title.clone().or_else(|| i.url.clone())?,
                        url: i.url?,
                        published: i.published,
                    })
                })
                .collect();
            return Ok(Index {
                items,
                warnings: feed.warnings,
                ..Index::default()
            });
        }
        let list = parse_list(text, url)?;
        Ok(Index {
            items: list.items.into_iter().map(Found::Info).collect(),
            next: list.next.and_then(|n| Url::parse(&n).ok()),
            follow: Vec::new(),
            total: list.total,
            warnings: list.warnings,
        })
    }

    fn read_document(&self, text: &str, url: &Url) -> Result<DocumentPage, ParseError> {
        parse_document(text, url)
    }

    fn key_in_url(&self, url: &Url) -> Option<DocKey> {
        key_in_url(url.as_str())
    }

    fn short_url(&self, source: &Url, key: &DocKey) -> Option<Url> {
        short_url(source, key.number()?)
    }

    /// The list says almost everything; the page adds topics, the
    /// response address, attachments and consultees. Read now: what only a
    /// page can tell (a feed item), what the secretariat pinned, open
    /// hearings, the reports and plans the table follows, and relevant
    /// hearings closed in the last 90 days. Later: older relevant hearings,
    /// and closed hearings whose page may name a topic that makes them
    /// relevant. Never: the rest (no topic can lift them).
    fn wants_page(&self, d: &PageCandidate) -> PageWant {
        let recent = d
            .deadline
            .is_some_and(|dl| dl >= d.today.saturating_sub(jiff::Span::new().days(90)));
        let now = d.stub
            || d.pinned
            || (d.relevant && (d.kind != DocKind::Horing || recent))
            || d.status == Status::Open
            || (d.kind == DocKind::Horing
                && d.status == Status::Unknown
                && d.deadline.is_none_or(|dl| dl >= d.today))
            || matches!(
                d.kind,
                DocKind::Nou | DocKind::MeldSt | DocKind::Strategi | DocKind::Plan
            );
        if now {
            PageWant::Now
        } else if d.relevant || d.page_could_lift {
            PageWant::Later
        } else {
            PageWant::Never
        }
    }

    fn sniff(&self, text: &str, _url: &Url) -> Option<PageKind> {
        if looks_like_feed(text) {
            return Some(PageKind::Index(RSS));
        }
        looks_like_html(text).then(|| match shape(text) {
            Shape::List => PageKind::Index(LIST),
            Shape::Document => PageKind::Document,
        })
    }
}
