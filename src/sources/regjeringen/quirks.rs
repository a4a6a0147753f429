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
        Some(msg) => Err(crate::sources::ParseError::new(
            crate::sources::ParseErrorKind::ErrorPage,
            format!("feilside med HTTP 200, ikke innhold: «{msg}»"),
        )),
        None => Ok(()),
    }
}

/// The parts of a page the parsers read: the `<head>` (meta tags, title,
/// the next-page link) and the `<main>` element, or for a list page the
/// results inside it. regjeringen.no's pages are 60–120 KB, most of it
/// navigation menus and search filters; parsing only what is read makes
/// parsing several times faster. `None` when the page does not have that
/// shape (then the whole page is parsed). Only a list page is cut down to
/// its results: a document page's `<main>` is kept whole (a closed
/// hearing's page lists its responses in a `<div class="results">` after
/// the status and deadline).
fn essential(html: &str, kind: super::Shape) -> Option<String> {
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
    let results = match kind {
        super::Shape::List => html[main_start..main_end].find("<div class=\"results\""),
        super::Shape::Document => None,
    };
    let body = match results {
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

/// The deepest element nesting a page may have. The site's pages nest 13
/// deep; parsing time grows with the square of the depth, so a page nested
/// like no real page is refused before it is parsed.
pub const MAX_DEPTH: usize = 256;

/// Parses the essential parts of a page and reads them with `read`; if
/// that fails, parses and reads the whole page, so that slicing can never
/// make a page unreadable.
pub(crate) fn parse_essential<T>(
    html: &str,
    kind: super::Shape,
    read: impl Fn(&Html) -> Result<T, crate::sources::ParseError>,
) -> Result<T, crate::sources::ParseError> {
    let depth = crate::sources::html::nesting_depth(html, MAX_DEPTH);
    if depth > MAX_DEPTH {
        return Err(crate::sources::ParseError::broken(format!(
            "siden er nøstet mer enn {MAX_DEPTH} nivåer dypt (de virkelige sidene: 13); den leses ikke"
        )));
    }
    if let Some(part) = essential(html, kind)
        && let Ok(v) = read(&Html::parse_document(&part))
    {
        return Ok(v);
    }
    read(&Html::parse_document(html))
}

/// The short form of a document's address (`/id3167072/`), which the site
/// redirects to the full one: how a document whose stored address cannot
/// be trusted is found again.
pub fn short_url(site: &Url, id: u64) -> Option<Url> {
    let origin = site.origin();
    if !origin.is_tuple() {
        return None;
    }
    Url::parse(&format!("{}/id{id}/", origin.ascii_serialization())).ok()
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

    use super::super::Shape as PageKind;

    /// Reads a page sliced and whole, as the parser would; both must agree.
    fn both(html: &str, kind: PageKind) -> (String, String) {
        let base = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
        let read = |doc: &Html| match kind {
            PageKind::List => format!("{:?}", super::super::list::read_list(doc, &base)),
            PageKind::Document => {
                format!("{:?}", super::super::document::read_document(doc, &base))
            }
        };
        let whole = read(&Html::parse_document(html));
        let sliced = match essential(html, kind) {
            Some(part) => read(&Html::parse_document(&part)),
            None => whole.clone(),
        };
        (sliced, whole)
    }

    /// A real open hearing page turned into a closed one with published
    /// responses: the status and deadline say so, and a `<div
    /// class="results">` lists the responses after them (the real markup).
    fn closed_with_responses(open: &str) -> String {
        let start = open
            .find("<div class=\"horing-meta content-row\">")
            .unwrap();
        let end = start + open[start..].find("</div>").unwrap() + "</div>".len();
        let meta = "<div class=\"horing-meta content-row\"><p><strong>Status:</strong> Ferdigbehandlet</p><p><strong>Høringsfrist:</strong> 04.02.2020</p></div>";
        let results = "<div class=\"results\"><p class=\"count\">Viser 1-2 av 2 treff.</p><ul data-horingssvar-list><li data-instans=\"Kommuner\"><a href=\"?uid=1\">Oslo kommune</a></li><li data-instans=\"Etater\"><a href=\"/contentassets/ab/svar.pdf\">Helsedirektoratet</a></li></ul></div>";
        let page = format!("{}{meta}{results}{}", &open[..start], &open[end..]);
        assert!(page.contains("<div class=\"results\""));
        page
    }

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    }

    /// A closed hearing whose page lists its responses keeps its deadline
    /// and status: the slice never jumps to the responses list.
    #[test]
    fn a_closed_hearing_with_responses_keeps_its_deadline() {
        let page = fixture("hearing-closed-responses.html");
        let base = Url::parse("https://www.regjeringen.no/").unwrap();
        let doc = super::super::parse_document(&page, &base).unwrap();
        assert_eq!(doc.info.deadline, Some(jiff::civil::date(2020, 2, 4)));
        assert_eq!(doc.info.status, crate::model::Status::Closed);
        assert_eq!(doc.info.status_text.as_deref(), Some("Ferdigbehandlet"));
        let (sliced, whole) = both(&page, PageKind::Document);
        assert_eq!(sliced, whole);
    }

    /// On every page type, hand-written and real, the sliced page reads
    /// exactly as the whole page does (and the slice is used: it loses
    /// nothing and saves most of the parsing).
    #[test]
    fn sliced_and_whole_agree_on_every_page_type() {
        let mut pages: Vec<(String, String, PageKind)> = vec![
            (
                "list-closed.html".into(),
                fixture("list-closed.html"),
                PageKind::List,
            ),
            (
                "list-nou.html".into(),
                fixture("list-nou.html"),
                PageKind::List,
            ),
            (
                "nou-document.html".into(),
                fixture("nou-document.html"),
                PageKind::Document,
            ),
            (
                "hearing-closed.html".into(),
                fixture("hearing-closed.html"),
                PageKind::Document,
            ),
            (
                "hearing-closed-responses.html".into(),
                fixture("hearing-closed-responses.html"),
                PageKind::Document,
            ),
        ];
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen");
        if dir.is_dir() {
            let list =
                std::fs::read_to_string(dir.join("hoyringar-list-id1763-2026-07-04.html")).unwrap();
            let part = essential(&list, PageKind::List).unwrap();
            assert!(
                part.len() < list.len() / 2,
                "{} of {}",
                part.len(),
                list.len()
            );
            pages.push(("real list".into(), list, PageKind::List));
            for f in [
                "hearing-id3167072.html",
                "hearing-id3168423.html",
                "hearing-id3168525.html",
            ] {
                let page = std::fs::read_to_string(dir.join(f)).unwrap();
                let part = essential(&page, PageKind::Document).unwrap();
                assert!(
                    part.len() < page.len() / 2,
                    "{f}: {} of {}",
                    part.len(),
                    page.len()
                );
                let closed = closed_with_responses(&page);
                let base = Url::parse("https://www.regjeringen.no/").unwrap();
                let doc = super::super::parse_document(&closed, &base).unwrap();
                assert_eq!(
                    doc.info.deadline,
                    Some(jiff::civil::date(2020, 2, 4)),
                    "{f}"
                );
                assert_eq!(doc.info.status, crate::model::Status::Closed, "{f}");
                pages.push((format!("{f} (closed)"), closed, PageKind::Document));
                pages.push((f.into(), page, PageKind::Document));
            }
        } else {
            println!("SKIPPED (real captures): not at {}", dir.display());
        }
        for (name, page, kind) in &pages {
            let (sliced, whole) = both(page, *kind);
            assert!(whole.starts_with("Ok("), "{name}: {whole}");
            assert_eq!(sliced, whole, "{name}");
        }
    }

    #[test]
    fn a_page_nested_deeper_than_any_real_page_is_refused_unparsed() {
        let base = Url::parse("https://www.regjeringen.no/").unwrap();
        let page = format!(
            "<html><head><meta property=\"og:url\" content=\"/id5/\"></head><body><main>{}<h1>x</h1></main></body></html>",
            "<div>".repeat(100_000)
        );
        let err = super::super::parse_document(&page, &base).unwrap_err();
        assert!(err.to_string().contains("nøstet"), "{err}");
        let err = super::super::parse_list(&page, &base).unwrap_err();
        assert!(err.to_string().contains("nøstet"), "{err}");
    }

    #[test]
    fn only_http_links_on_the_same_host_are_on_site() {
        let page = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
        let on = |s: &str| crate::sources::on_site(&page.join(s).unwrap(), &page);
        assert!(on("/no/dokumenter/x/id5/"));
        assert!(on("http://www.regjeringen.no/no/dokumenter/x/id5/"));
        assert!(!on("data:text/html,x/id5/"));
        assert!(!on("javascript:alert(1)//id5/"));
        assert!(!on("mailto:a@b.no?id5/"));
        assert!(!on("https://evil.example/no/dokumenter/x/id5/"));
        assert_eq!(
            short_url(&page, 5).unwrap().as_str(),
            "https://www.regjeringen.no/id5/"
        );
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
