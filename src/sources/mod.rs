//! The sites policywatch reads, as plug-ins: everything a site does
//! differently (how its items are found, how its pages read, which hosts
//! and addresses are its own, which pages are worth reading, its name)
//! lives in its own folder behind the [`Site`] trait. The crawl, the store
//! and the papers know sites only through it.
//!
//! Adding a site: a folder `src/sources/<site>/` with a type that
//! implements [`Site`], and one line in [`SITES`].

pub mod html;
pub mod regjeringen;
pub mod stortinget;
pub mod xml;

use jiff::civil::Date;
use serde::Serialize;
use url::Url;

use crate::model::{DocInfo, DocKey, DocKind, DocumentPage, Status};

/// Every site policywatch can read. One line per site.
pub static SITES: &[&dyn Site] = &[&regjeringen::Regjeringen, &stortinget::Stortinget];

/// The site documents of `id` come from.
pub fn site(id: &str) -> Option<&'static dyn Site> {
    SITES.iter().copied().find(|s| s.id() == id)
}

/// How a site is named to people ("regjeringen.no"); "nettstedet" when it
/// is unknown or not said.
pub fn label(site_id: Option<&str>) -> &'static str {
    site_id.and_then(site).map_or("nettstedet", |s| s.label())
}

/// The site that reads sources of `kind` (`kind = …` in sources.toml), and
/// the kind's own spelling.
pub fn site_for_kind(kind: &str) -> Option<(&'static dyn Site, &'static str)> {
    SITES
        .iter()
        .copied()
        .find_map(|s| s.kinds().iter().find(|k| **k == kind).map(|k| (s, *k)))
}

/// Every source kind, for messages.
pub fn all_kinds() -> Vec<&'static str> {
    SITES
        .iter()
        .flat_map(|s| s.kinds().iter().copied())
        .collect()
}

/// What an index page (a list page, a feed, an API answer) tells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    pub items: Vec<Found>,
    /// The next page of the same walk: read until a page brings nothing
    /// new or changed.
    pub next: Option<Url>,
    /// Pages to read as well, whatever this one brought (an API's list of
    /// sessions points to each session's records).
    pub follow: Vec<Url>,
    /// The number of items the whole index holds, when the page says.
    pub total: Option<u64>,
    /// Values that could not be read, each named.
    pub warnings: Vec<String>,
}

/// A document an index tells of.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "found", rename_all = "snake_case")]
pub enum Found {
    /// What the index says of it (a list item, an API record).
    Info(DocInfo),
    /// Only that it exists, its address and its title (a feed item): its
    /// own page tells the rest.
    Stub {
        key: DocKey,
        url: String,
        title: String,
        published: Option<Date>,
    },
}

impl Found {
    pub fn key(&self) -> &DocKey {
        match self {
            Found::Info(i) => &i.key,
            Found::Stub { key, .. } => key,
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Found::Info(i) => &i.url,
            Found::Stub { url, .. } => url,
        }
    }
}

/// What a saved page is, as a site judges it (for `extract`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// An index of this source kind.
    Index(&'static str),
    /// A document's own page.
    Document,
}

/// What is known of a document whose own page has not been read, for the
/// site to decide whether reading it is worth a request.
#[derive(Debug, Clone, PartialEq)]
pub struct PageCandidate {
    pub kind: DocKind,
    pub status: Status,
    pub deadline: Option<Date>,
    pub today: Date,
    /// Only its address and title are known (a feed item).
    pub stub: bool,
    /// Relevant on what is known (the index's fields).
    pub relevant: bool,
    /// Not relevant on what is known, but the topics its page may name
    /// could make it so.
    pub page_could_lift: bool,
    /// The secretariat has pinned it.
    pub pinned: bool,
}

/// Whether a document's own page is worth a request, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageWant {
    /// In this run: it matters now (an open hearing, a new report, a
    /// relevant document).
    Now,
    /// When a run has room (`backlog_pages_per_run`): it may matter (a
    /// closed hearing close to the themes, whose page may name a topic
    /// that makes it relevant).
    Later,
    /// Not at all: what the index said is enough.
    Never,
}

/// A site policywatch reads.
pub trait Site: Sync {
    /// The site's id: documents are keyed by it and the site's own id.
    fn id(&self) -> &'static str;
    /// How the site is named to people ("regjeringen.no"): beside the
    /// secretariat's text when the site says something else.
    fn label(&self) -> &'static str;
    /// The site's address (`https://www.regjeringen.no/`): where a saved
    /// page's links are resolved when nobody says where it came from.
    fn home(&self) -> &'static str;
    /// The source kinds (`kind = …` in sources.toml) it reads.
    fn kinds(&self) -> &'static [&'static str];
    /// The part every followed item link of this kind must contain, when
    /// the source does not say (`link_contains`).
    fn default_link_contains(&self, _kind: &str) -> Option<&'static str> {
        None
    }
    /// Whether a configured source address is one the kind can read; the
    /// reason when it is not.
    fn check_source(&self, kind: &str, url: &Url) -> Result<(), String>;
    /// Page `n` (1-based) of a source's index.
    fn index_url(&self, kind: &str, source: &Url, n: u32) -> Url;
    /// Reads an index page. Items on other hosts or with odd links are
    /// skipped with a warning; a page that is not what it should be is an
    /// error, never "everything disappeared".
    fn read_index(&self, kind: &str, text: &str, url: &Url) -> Result<Index, ParseError>;
    /// Reads a document's own page: it must name itself; an error page or a
    /// new layout is an error, never a changed document.
    fn read_document(&self, text: &str, url: &Url) -> Result<DocumentPage, ParseError>;
    /// The document an address points to.
    fn key_in_url(&self, url: &Url) -> Option<DocKey>;
    /// Where to find a document again when its stored address cannot be
    /// trusted (`source` is the address of a source of the site).
    fn short_url(&self, source: &Url, key: &DocKey) -> Option<Url>;
    /// Whether a document's own page is worth a request.
    fn wants_page(&self, doc: &PageCandidate) -> PageWant;
    /// What a saved page is, if this site can tell.
    fn sniff(&self, text: &str, url: &Url) -> Option<PageKind>;
    /// The headline word for a new document of `kind`, when the site
    /// words it its own way ("Høring i Stortinget"); else the common one.
    fn new_headline(&self, _kind: DocKind) -> Option<&'static str> {
        None
    }
    /// The table's words for a hearing deadline (`date` written out), when
    /// the site words it its own way; `departments` says who holds it.
    fn deadline_words(&self, _departments: &[String], _date: &str) -> Option<String> {
        None
    }
}

/// Whether `url` is an http(s) address on the same host as `page`: the only
/// links a page of the site is trusted with (`data:`, `javascript:`,
/// `mailto:` and other hosts are not followed, stored or published).
pub fn on_site(url: &url::Url, page: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && url
            .host_str()
            .is_some_and(|h| page.host_str().is_some_and(|p| h.eq_ignore_ascii_case(p)))
        && (url.port_or_known_default() == page.port_or_known_default()
            || url.scheme() != page.scheme())
}

/// A value from a page, shortened and without control characters, for a
/// message.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(120).collect();
    if s.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// A page that did not read as what it should be. Strict by design: a list
/// page with no items or a document page with no title is an error for that
/// source, never "everything disappeared".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
}

/// Why a page did not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseErrorKind {
    /// An error or maintenance page served as content (HTTP 200).
    ErrorPage,
    /// What every such page has is missing (items, a title, a hearing's
    /// status and deadline): the site's layout may have changed.
    Layout,
    /// The page is garbled: half or more of its items unreadable, not the
    /// format it claims, nested deeper than any real page.
    Broken,
    /// A document page that does not say which document it is, or names
    /// two.
    NotItself,
}

impl ParseError {
    pub fn new(kind: ParseErrorKind, msg: impl Into<String>) -> Self {
        ParseError {
            kind,
            message: msg.into(),
        }
    }

    pub fn layout(msg: impl Into<String>) -> Self {
        ParseError::new(ParseErrorKind::Layout, msg)
    }

    pub fn broken(msg: impl Into<String>) -> Self {
        ParseError::new(ParseErrorKind::Broken, msg)
    }
}
