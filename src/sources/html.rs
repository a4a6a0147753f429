//! Small helpers over `scraper` shared by the site parsers.

use scraper::{ElementRef, Html, Selector};

use crate::norsk::collapse_ws;

/// A CSS selector compiled once. The selectors are literals in this crate,
/// so a bad one is a programming error caught by the parser tests.
macro_rules! selector {
    ($css:expr) => {{
        static SEL: std::sync::LazyLock<scraper::Selector> =
            std::sync::LazyLock::new(|| scraper::Selector::parse($css).expect($css));
        &*SEL
    }};
}
pub(crate) use selector;

/// The element's text with whitespace collapsed.
pub fn text_of(el: ElementRef<'_>) -> String {
    collapse_ws(&el.text().collect::<String>())
}

/// Text of the first match under `root`, if it is not empty.
pub fn first_text(root: ElementRef<'_>, sel: &Selector) -> Option<String> {
    root.select(sel).map(text_of).find(|t| !t.is_empty())
}

/// Content of `<meta name=NAME>` or `<meta property=NAME>`, collapsed.
/// Several tags with the same name give several values.
pub fn meta_all(doc: &Html, name: &str) -> Vec<String> {
    doc.select(selector!("meta[content]"))
        .filter(|m| {
            let v = m.value();
            v.attr("name") == Some(name) || v.attr("property") == Some(name)
        })
        .filter_map(|m| m.value().attr("content"))
        .map(collapse_ws)
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn meta(doc: &Html, name: &str) -> Option<String> {
    meta_all(doc, name).into_iter().next()
}

/// Each non-empty text node under `el`, trimmed. Splits `A<br>B` and
/// `<p>A</p><p>B</p>` alike.
pub fn text_lines(el: ElementRef<'_>) -> Vec<String> {
    el.text()
        .map(collapse_ws)
        .filter(|s| !s.is_empty())
        .collect()
}
