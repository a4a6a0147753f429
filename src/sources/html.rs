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

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag may be left out (the next one closes them): they
/// do not nest in practice, so they are not counted.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "colgroup", "caption",
];

/// Elements whose content is text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// The deepest nesting of elements in `html`, counted by a linear scan of
/// its tags (stopping as soon as it passes `stop_at`). HTML parsers spend
/// time that grows with the square of the nesting depth; a page nested far
/// deeper than any real page is refused before it is parsed.
pub fn nesting_depth(html: &str, stop_at: usize) -> usize {
    let b = html.as_bytes();
    let find = |from: usize, pat: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map(|p| from + p)
    };
    let name_at = |from: usize| -> String {
        b.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase() as char)
            .collect()
    };
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    while let Some(lt) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let at = i + lt + 1;
        if b.get(at..).is_some_and(|r| r.starts_with(b"!--")) {
            i = find(at, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let close = b
            .get(at..)
            .and_then(|r| r.iter().position(|&c| c == b'>'))
            .map_or(b.len(), |p| at + p);
        match b.get(at) {
            Some(b'/') => {
                let name = name_at(at + 1);
                if !IMPLIED_END.contains(&name.as_str()) && !VOID.contains(&name.as_str()) {
                    depth = depth.saturating_sub(1);
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = name_at(at);
                let self_closing = close > at && b.get(close - 1) == Some(&b'/');
                if RAW_TEXT.contains(&name.as_str()) {
                    let end = format!("</{name}");
                    i = find(close, end.as_bytes()).unwrap_or(b.len());
                    continue;
                }
                if !self_closing
                    && !VOID.contains(&name.as_str())
                    && !IMPLIED_END.contains(&name.as_str())
                {
                    depth += 1;
                    max = max.max(depth);
                    if max > stop_at {
                        return max;
                    }
                }
            }
            _ => {}
        }
        i = close.saturating_add(1);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::nesting_depth;

    #[test]
    fn nesting_is_counted_without_parsing() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<br></div></body></html>", 100),
            3
        );
        assert_eq!(nesting_depth("<ul><li>a<li>b</li><li>c</ul>", 100), 1);
        assert_eq!(
            nesting_depth("<div><script>if (a<b) { '<div><div>' }</script></div>", 100),
            1
        );
        assert_eq!(
            nesting_depth("<div><!-- <div><div> --><img src=x/></div>", 100),
            1
        );
        let deep = "<div>".repeat(100_000);
        assert_eq!(nesting_depth(&deep, 500), 501, "stops as soon as it knows");
        assert_eq!(nesting_depth("<", 10), 0);
        assert_eq!(nesting_depth("<div", 10), 1);
    }
}
