//! One module per site. Each parser is a pure function from a page to typed
//! records; site quirks live here and nowhere else.

pub mod html;
pub mod regjeringen;
pub mod rss;

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
