//! One module per site. Each parser is a pure function from a page to typed
//! records; site quirks live here and nowhere else.

pub mod html;
pub mod regjeringen;
pub mod rss;

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
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(msg: impl Into<String>) -> Self {
        ParseError(msg.into())
    }
}
