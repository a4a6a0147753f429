//! regjeringen.no's quirks, kept in one place.

use scraper::Html;
use url::Url;

use crate::norsk::fold_label;
use crate::sources::html::{selector, text_of};

/// Phrases (folded, see [`fold_label`]) of pages that come back with HTTP 200
/// but are not content: the site's own error pages in bokmål and nynorsk,
/// and Cloudflare's challenge page.
const SOFT_ERROR_PHRASES: &[&str] = &[
    "tjenesten er midlertidig utilgjengelig",
    "tenesta er mellombels utilgjengeleg",
    "beklager, siden finnes ikke",
    "beklagar, sida finst ikkje",
    "siden du leter etter finnes ikke",
    "sida du leitar etter finst ikkje",
    "siden finnes ikke",
    "sida finst ikkje",
    "det har oppstatt en feil",
    "det har oppstatt ein feil",
    "just a moment",
    "attention required",
    "service unavailable",
];

/// The reason a 200 page is really an error page, or `None` for content.
/// Only the `<title>` and headings are read, so a hearing letter that
/// happens to mention a phrase is not taken for an error.
pub fn detect_soft_error(html: &str) -> Option<String> {
    soft_error_in(&Html::parse_document(html))
}

/// [`detect_soft_error`] on a page already parsed.
pub fn soft_error_in(doc: &Html) -> Option<String> {
    doc.select(selector!("title, h1, h2"))
        .map(text_of)
        .find(|t| {
            let folded = fold_label(t);
            SOFT_ERROR_PHRASES.iter().any(|p| folded.contains(p))
        })
}

/// The parse error for a soft-error page, if `doc` is one.
pub(crate) fn reject_soft_error(doc: &Html) -> Result<(), crate::sources::ParseError> {
    match soft_error_in(doc) {
        Some(msg) => Err(crate::sources::ParseError::new(format!(
            "feilside med HTTP 200, ikke innhold: «{msg}»"
        ))),
        None => Ok(()),
    }
}

/// The parts of a page the parsers read: the `<head>` (meta tags, title,
/// the next-page link) and the `<main>` element, or for a list page the
/// results inside it. regjeringen.no's pages are 60–120 KB, most of it
/// navigation menus and search filters; parsing only what is read makes
/// parsing several times faster. `None` when the page does not have that
/// shape (then the whole page is parsed).
fn essential(html: &str) -> Option<String> {
    let head_start = html.find("<head")?;
    let head_end = html[head_start..].find("</head>")? + head_start + "</head>".len();
    let main_start = html[head_end..].find("<main")? + head_end;
    let main_end = html.rfind("</main>")? + "</main>".len();
    if main_end <= main_start {
        return None;
    }
    let html_tag = html
        .find("<html")
        .and_then(|s| html[s..].find('>').map(|e| &html[s..=s + e]));
    // A list page: skip the search form between <main> and the results.
    let body = match html[main_start..main_end].find("<div class=\"results\"") {
        Some(r) => &html[main_start + r..main_end],
        None => &html[main_start..main_end],
    };
    Some(format!(
        "<!DOCTYPE html>{}{}<body>{}</body></html>",
        html_tag.unwrap_or("<html>"),
        &html[head_start..head_end],
        body
    ))
}

/// Parses the essential parts of a page and reads them with `read`; if
/// that fails, parses and reads the whole page, so that slicing can never
/// make a page unreadable.
pub(crate) fn parse_essential<T>(
    html: &str,
    read: impl Fn(&Html) -> Result<T, crate::sources::ParseError>,
) -> Result<T, crate::sources::ParseError> {
    if let Some(part) = essential(html)
        && let Ok(v) = read(&Html::parse_document(&part))
    {
        return Ok(v);
    }
    read(&Html::parse_document(html))
}

/// Page `n` (1-based) of a list: the list URL itself for page 1, `?page=n`
/// after. `?page=` is the only query robots.txt allows on list pages, so no
/// other parameter is ever added.
pub fn page_url(list: &Url, n: u32) -> Url {
    let mut url = list.clone();
    url.set_fragment(None);
    if n <= 1 {
        url.set_query(None);
    } else {
        url.set_query(Some(&format!("page={n}")));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_errors_in_title_or_heading() {
        let page = "<html><head><title>Feil</title></head><body><h1>Tjenesten er midlertidig utilgjengelig</h1></body></html>";
        assert!(detect_soft_error(page).is_some());
        let nn = "<html><head><title>Beklagar, sida finst ikkje</title></head><body></body></html>";
        assert!(detect_soft_error(nn).is_some());
        let content = "<html><head><title>Høring</title></head><body><h1>Høring om X</h1><p>Tjenesten er midlertidig utilgjengelig i juli.</p></body></html>";
        assert_eq!(detect_soft_error(content), None);
    }

    /// On the real captures, the sliced page reads exactly as the whole
    /// page does (so the slice is used, and loses nothing).
    #[test]
    fn essential_parts_read_like_the_whole_page() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen");
        if !dir.is_dir() {
            println!("SKIPPED: no real captures at {}", dir.display());
            return;
        }
        let base = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
        let list =
            std::fs::read_to_string(dir.join("hoyringar-list-id1763-2026-07-04.html")).unwrap();
        let part = essential(&list).unwrap();
        assert!(
            part.len() < list.len() / 2,
            "{} of {}",
            part.len(),
            list.len()
        );
        let sliced = super::super::list::read_list(&Html::parse_document(&part), &base).unwrap();
        let whole = super::super::list::read_list(&Html::parse_document(&list), &base).unwrap();
        assert_eq!(sliced, whole);
        for f in [
            "hearing-id3167072.html",
            "hearing-id3168423.html",
            "hearing-id3168525.html",
        ] {
            let page = std::fs::read_to_string(dir.join(f)).unwrap();
            let part = essential(&page).unwrap();
            assert!(
                part.len() < page.len() / 2,
                "{f}: {} of {}",
                part.len(),
                page.len()
            );
            let sliced =
                super::super::document::read_document(&Html::parse_document(&part), &base).unwrap();
            let whole =
                super::super::document::read_document(&Html::parse_document(&page), &base).unwrap();
            assert_eq!(sliced, whole, "{f}");
        }
    }

    #[test]
    fn page_urls_only_use_page_param() {
        let base = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
        assert_eq!(page_url(&base, 1).as_str(), base.as_str());
        assert_eq!(
            page_url(&base, 3).as_str(),
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=3"
        );
    }
}
