//! regjeringen.no: list pages, document pages, and the site's quirks.

pub mod document;
pub mod list;
pub mod quirks;

pub use document::parse_document;
pub use list::parse_list;
pub use quirks::{detect_soft_error, page_url, short_url};

/// What a page is, judged from its markup: a search-result list or a
/// single document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    List,
    Document,
}

/// Tells a list page from a document page.
pub fn page_kind(html: &str) -> PageKind {
    if html.contains("id=\"searchResultsListing\"") || html.contains("class=\"listItem\"") {
        PageKind::List
    } else {
        PageKind::Document
    }
}
