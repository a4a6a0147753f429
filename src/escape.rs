//! Escaping for HTML and XML text and attributes, and the one rule for
//! links in every output.

/// The link if it is an http(s) address with a host. Anything else
/// (`javascript:`, `data:`, `mailto:`, a relative path, garbage) is never
/// written as a link to any output: HTML, Markdown, CSV, Word, iCalendar,
/// e-mail or a chat message.
pub fn http_url(s: &str) -> Option<&str> {
    let u = url::Url::parse(s.trim()).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
        .then_some(s.trim())
}

/// Text with the characters XML 1.0 does not allow removed (control
/// characters but tab and newline, and non-characters): what makes a Word
/// file unreadable.
pub fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        })
        .collect()
}

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn html(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    #[test]
    fn only_http_links() {
        assert_eq!(super::http_url(" https://x.no/a "), Some("https://x.no/a"));
        assert_eq!(
            super::http_url("http://127.0.0.1:8080/a"),
            Some("http://127.0.0.1:8080/a")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "mailto:a@b.no",
            "/relativ",
            "#",
            "",
            "https://",
        ] {
            assert_eq!(super::http_url(bad), None, "{bad}");
        }
        assert_eq!(super::xml_text("a\u{0}b\u{1b}c\nd"), "abc\nd");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::html(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
