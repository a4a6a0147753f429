//! Response bodies: decoded by the charset they declare, and checked for
//! being whole. Knows HTML and XML as formats, nothing of any site.

use encoding_rs::{Encoding, UTF_8};

/// The `charset` parameter of a Content-Type header value.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// The charset a page declares in its first bytes: `<meta charset="…">`,
/// `<meta http-equiv="Content-Type" content="…; charset=…">` or an XML
/// declaration's `encoding="…"`.
fn declared_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(at) = head[from..].find(key) {
            let start = from + at + key.len();
            let value: String = head[start..]
                .trim_start_matches(['"', '\'', ' '])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
            from = start;
        }
    }
    None
}

/// The encoding a body is read in: the Content-Type charset, then the
/// charset the page declares, then UTF-8. A single-byte charset
/// (ISO-8859-1, Windows-1252) declared on a body that is valid UTF-8 with
/// letters beyond ASCII is a wrong label: such bytes are practically never
/// Latin-1 text, and reading them so makes "HÃ¸ring" of "Høring".
fn encoding_of(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    let declared = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .or_else(|| declared_charset(body).and_then(|l| Encoding::for_label(l.as_bytes())))
        .unwrap_or(UTF_8);
    if declared != UTF_8
        && declared.is_single_byte()
        && !body.is_ascii()
        && std::str::from_utf8(body).is_ok()
    {
        return UTF_8;
    }
    declared
}

/// Decodes a body (see [`encoding_of`]). A byte-order mark wins, as
/// browsers do. Bytes that are not valid in the encoding become U+FFFD
/// (the fetcher reads its pages with [`read_text`], which refuses them).
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let (text, _, _) = encoding_of(body, content_type).decode(body);
    text.into_owned()
}

/// Pairs that UTF-8 read as Latin-1 or Windows-1252 leaves in Norwegian
/// text (ø å æ Ø Å Æ é, the en dash and the quotes), and U+FFFD itself:
/// looked for in one pass.
static GARBLE: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new([
        "\u{fffd}", "Ã¸", "Ã¥", "Ã¦", "Ã˜", "Ã…", "Ã†", "Ã©", "â€“", "â€”", "â€™", "â€œ", "Â«",
        "Â»", "Â\u{a0}",
    ])
    .expect("fixed patterns build")
});

/// A body as text (see [`encoding_of`]), decoded once, or why it cannot be
/// read as text: bytes not valid in its encoding (they would become
/// U+FFFD), a U+FFFD in the text itself, or text that is UTF-8 read as
/// Latin-1 (mojibake). Such a page is a failed fetch: storing it would
/// invent a change, and its repair another.
pub fn read_text(body: &[u8], content_type: Option<&str>) -> Result<String, String> {
    let (text, used, had_errors) = encoding_of(body, content_type).decode(body);
    if had_errors {
        return Err(format!("bytene er ikke gyldig {}", used.name()));
    }
    match GARBLE.find(text.as_ref()) {
        None => Ok(text.into_owned()),
        Some(m) if m.pattern().as_usize() == 0 => {
            Err("teksten har erstatningstegn (U+FFFD)".into())
        }
        Some(m) => Err(format!(
            "teksten ser ut som UTF-8 lest som Latin-1 («{}»)",
            &text[m.range()]
        )),
    }
}

fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    if let Some(ct) = content_type {
        return ct.to_ascii_lowercase().contains("html");
    }
    let start = String::from_utf8_lossy(&body[..body.len().min(256)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn is_xml(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.contains("xml") || ct.contains("rss")
    })
}

/// Whether the last part of `body` contains `tag`, ignoring case.
fn ends_with_tag(body: &[u8], tag: &str) -> bool {
    let tail = &body[body.len().saturating_sub(4096)..];
    String::from_utf8_lossy(tail)
        .to_ascii_lowercase()
        .contains(tag)
}

/// The name of an XML document's root element, lower case.
fn root_element(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    let mut rest = text.as_str();
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        return (!name.is_empty()).then_some(name);
    }
}

/// Why a body that came without a Content-Length looks cut short, if it
/// does: an HTML page without `</html>`, a feed without its closing root
/// element. (With a Content-Length, the HTTP layer already refuses a short
/// body.)
pub fn cut_short(body: &[u8], content_type: Option<&str>) -> Option<&'static str> {
    if is_html(content_type, body) {
        return (!ends_with_tag(body, "</html>")).then_some("</html> mangler");
    }
    if is_xml(content_type) {
        let whole = root_element(body).is_some_and(|root| {
            let last = body.iter().rev().find(|b| !b.is_ascii_whitespace());
            last == Some(&b'>') && ends_with_tag(body, &format!("</{root}>"))
        });
        return (!whole).then_some("avsluttende rotelement mangler");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_charset_wins() {
        // "Høring" in windows-1252: ø is 0xF8.
        let body = b"<html><head><meta charset=\"utf-8\"></head><body>H\xf8ring</body></html>";
        assert!(decode(body, Some("text/html; charset=windows-1252")).contains("Høring"));
        // Without the header, the page's own (wrong) declaration is used.
        assert!(decode(body, Some("text/html")).contains("H\u{fffd}ring"));
    }

    #[test]
    fn meta_charset_then_utf8() {
        let body = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>Fr\xe6nt</body></html>";
        assert!(decode(body, None).contains("Frænt"));
        assert!(decode("Høring".as_bytes(), Some("text/html")).contains("Høring"));
        let xml = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><title>H\xf8ring</title></channel></rss>";
        assert!(decode(xml, Some("application/rss+xml")).contains("Høring"));
    }

    #[test]
    fn cut_short_pages_and_feeds() {
        assert!(cut_short(b"<!DOCTYPE html><html><body><h1>Tit", Some("text/html")).is_some());
        assert!(cut_short(b"<html><body>x</body></html>\n", Some("text/html")).is_none());
        assert!(cut_short(b"<rss><channel><item><title>a", Some("application/rss+xml")).is_some());
        assert!(cut_short(b"<rss><channel></channel></rss>", Some("text/xml")).is_none());
        assert!(cut_short(b"User-agent: *", Some("text/plain")).is_none());
        let xml = b"<?xml version=\"1.0\"?><horinger_oversikt xmlns=\"x\"><horing></horing></horinger_oversikt>";
        assert!(cut_short(xml, Some("application/xml")).is_none());
        assert!(cut_short(&xml[..60], Some("application/xml")).is_some());
        // No Content-Type: sniffed.
        assert!(cut_short(b"<!doctype html><html><p>a", None).is_some());
    }
}
