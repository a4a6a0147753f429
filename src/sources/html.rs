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

/// The `<meta>` tags of a page, read once: `name` or `property` →
/// content, collapsed, in page order.
pub struct Metas(Vec<(String, String)>);

impl Metas {
    pub fn of(doc: &Html) -> Metas {
        Metas(
            doc.select(selector!("meta[content]"))
                .filter_map(|m| {
                    let v = m.value();
                    let key = v.attr("name").or_else(|| v.attr("property"))?;
                    let content = collapse_ws(v.attr("content")?);
                    (!content.is_empty()).then(|| (key.to_string(), content))
                })
                .collect(),
        )
    }

    /// Every value of a name (`DC.Subject` may come several times).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Each non-empty text node under `el`, trimmed. Splits `A<br>B` and
/// `<p>A</p><p>B</p>` alike.
pub fn text_lines(el: ElementRef<'_>) -> Vec<String> {
    el.text()
        .map(collapse_ws)
        .filter(|s| !s.is_empty())
        .collect()
}
