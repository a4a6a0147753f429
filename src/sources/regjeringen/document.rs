//! A single document page: a hearing, a NOU, a white paper, a strategy.
//! The `DC.*` meta tags are read first (the most stable part of the page),
//! the visible article second.

use scraper::{ElementRef, Html};
use url::Url;

use super::list::{deadline_in, split_departments};
use super::words::{id_in_url, key, kind_of, status_from};
use crate::model::{
    Attachment, DocInfo, DocKind, DocumentPage, MAX_ENTRIES, MAX_FIELD, clean_list,
};
use crate::norsk::{clean_text, collapse_ws, fold_label, parse_date};
use crate::sources::html::{Metas, first_text, selector, text_lines, text_of};
use crate::sources::{ParseError, ParseErrorKind};

/// Reads a document page fetched from `base`. A page with no title or no
/// document id is an error; a value that cannot be read (an unknown date)
/// is left empty with a warning.
pub fn parse_document(html: &str, base: &Url) -> Result<DocumentPage, ParseError> {
    super::quirks::parse_essential(html, super::Shape::Document, |doc| read_document(doc, base))
}

pub(crate) fn read_document(doc: &Html, base: &Url) -> Result<DocumentPage, ParseError> {
    let root = doc.root_element();
    super::quirks::reject_soft_error(doc)?;
    let metas = Metas::of(doc);
    let mut warnings = Vec::new();

    let title = first_text(root, selector!("main h1, h1"))
        .or_else(|| metas.get("DC.Title"))
        .or_else(|| metas.get("og:title"))
        .ok_or_else(|| ParseError::layout("dokumentsiden har ingen tittel (h1 / DC.Title)"))?;

    // The page must say which document it is, in its own meta tags: an
    // error page, a maintenance page or another site's page does not.
    let meta_urls: Vec<Url> = ["og:url", "DC.Identifier.URL"]
        .into_iter()
        .filter_map(|k| metas.get(k))
        .filter_map(|u| base.join(&u).ok())
        .collect();
    let ids: Vec<u64> = meta_urls
        .iter()
        .filter_map(|u| id_in_url(u.as_str()))
        .collect();
    let Some(&id) = ids.first() else {
        return Err(ParseError::new(
            ParseErrorKind::NotItself,
            "siden oppgir ingen dokument-id i og:url eller DC.Identifier.URL: ikke en dokumentside",
        ));
    };
    if let Some(other) = ids.iter().find(|i| **i != id) {
        return Err(ParseError::new(
            ParseErrorKind::NotItself,
            format!("siden oppgir to dokument-id-er ({id} og {other})"),
        ));
    }
    // The address kept is the page's own when it is an http(s) address on
    // the site; otherwise the one it was fetched from.
    let url = meta_urls
        .into_iter()
        .find(|u| crate::sources::on_site(u, base) && id_in_url(u.as_str()) == Some(id))
        .unwrap_or_else(|| base.clone());

    let published = match metas.get("DC.Date") {
        Some(d) => parse_date(&d).ok(),
        None => None,
    }
    .or_else(|| {
        let t = first_text(root, selector!(".article-info .date"))?;
        match parse_date(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                warnings.push(format!("publiseringsdato: {e}"));
                None
            }
        }
    });

    let visible_type = first_text(root, selector!(".article-info .type"))
        .map(|t| collapse_ws(t.trim_matches(|c: char| c == '|' || c.is_whitespace())));
    let dc_type = metas.get("DC.Type");
    let doc_type_text = visible_type.clone().or(dc_type.clone()).unwrap_or_default();
    let doc_type = [dc_type.as_deref(), visible_type.as_deref()]
        .into_iter()
        .flatten()
        .map(kind_of)
        .find(|k| *k != DocKind::Annet)
        .unwrap_or(DocKind::Annet);

    let mut departments: Vec<String> = root
        .select(selector!(".article-info .owner a"))
        .map(text_of)
        .filter(|t| !t.is_empty())
        .collect();
    if departments.is_empty() {
        departments = metas
            .get("DC.Creator")
            .map(|c| split_departments(&c))
            .unwrap_or_default();
    }

    let summary =
        first_text(root, selector!(".article-ingress")).or_else(|| metas.get("DC.Description"));

    let (deadline, status_text) = match hearing_meta(root, &mut warnings) {
        Some(found) => found,
        // A hearing page always shows its status and deadline: a hearing
        // page without them has a new layout, and is not read as "no
        // deadline" or "status unknown".
        None if doc_type == DocKind::Horing => {
            return Err(ParseError::layout(
                "høringssiden mangler .horing-meta (status og høringsfrist): sidens oppsett kan ha endret seg",
            ));
        }
        None => (None, None),
    };

    let mut topics = metas.all("DC.Subject");
    for t in root.select(selector!(".topiclist a")).map(text_of) {
        if !t.is_empty() && !topics.contains(&t) {
            topics.push(t);
        }
    }

    let language = metas
        .get("DC.Language")
        .or_else(|| root.value().attr("lang").map(str::to_string))
        .map(|l| l.split('-').next().unwrap_or("").to_lowercase())
        .filter(|l| !l.is_empty());

    let reference = first_text(root, selector!(".horing-ref")).map(|r| {
        let r = r.split_once(':').map_or(r.as_str(), |(_, v)| v);
        collapse_ws(r)
    });

    let consultees = root
        .select(selector!("#horingsinstanser"))
        .flat_map(text_lines)
        .collect();

    // The response form lives on another host (svar.regjeringen.no), so
    // only its scheme is checked.
    let response_url = root
        .select(selector!("a[href*='registrer_horingsuttalelse']"))
        .find_map(|a| a.value().attr("href"))
        .and_then(|h| base.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(String::from);

    Ok(DocumentPage {
        info: DocInfo::new(
            key(id),
            url.into(),
            title,
            published,
            doc_type,
            doc_type_text,
            departments,
            summary,
            deadline,
            status_from(status_text.as_deref()),
            status_text,
        ),
        owner_id: metas.get("ownerid").and_then(|o| o.parse().ok()),
        topics: clean_list(topics),
        language: language.map(|l| clean_text(&l, 10)),
        last_modified: metas.get("last-modified").map(|l| clean_text(&l, 100)),
        reference: reference.map(|r| clean_text(&r, MAX_FIELD)),
        attachments: attachments(root, base),
        consultees: clean_list(consultees),
        response_url,
        warnings,
    })
}

/// `.horing-meta p`: `<strong>Status:</strong> På høring` and
/// `<strong>Høringsfrist:</strong> 07.08.2026` (or `Høyringsfrist`).
/// `None` when the page has no `.horing-meta` block at all.
fn hearing_meta(
    root: ElementRef<'_>,
    warnings: &mut Vec<String>,
) -> Option<(Option<jiff::civil::Date>, Option<String>)> {
    let block = root.select(selector!(".horing-meta")).next()?;
    let mut deadline = None;
    let mut status_text = None;
    for p in block.select(selector!("p")) {
        let line = text_of(p);
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        let label = fold_label(label);
        let value = collapse_ws(value);
        if label.starts_with("horingsfrist") {
            deadline = deadline_in(&value, "", warnings).or(deadline);
        } else if label == "status" && !value.is_empty() {
            status_text = Some(value);
        }
    }
    Some((deadline, status_text))
}

/// Links to `/contentassets/` files on the site, each with the fact box it
/// sits in.
fn attachments(root: ElementRef<'_>, base: &Url) -> Vec<Attachment> {
    let mut out: Vec<Attachment> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in root.select(selector!(
        ".article-body a[href*='/contentassets/'], .article-content a[href*='/contentassets/']"
    )) {
        if out.len() >= MAX_ENTRIES {
            break;
        }
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = base.join(href.trim()) else {
            continue;
        };
        if !crate::sources::on_site(&url, base) {
            continue;
        }
        let url = String::from(url);
        if !seen.insert(url.clone()) {
            continue;
        }
        let text = text_of(a);
        let title = if text.is_empty() {
            a.value().attr("title").map(collapse_ws).unwrap_or_default()
        } else {
            text
        };
        let role = a
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| {
                e.value()
                    .has_class("factbox-content", scraper::CaseSensitivity::CaseSensitive)
            })
            .and_then(|e| e.value().id())
            .unwrap_or("body");
        out.push(Attachment {
            title: clean_text(&title, MAX_FIELD),
            url,
            role: clean_text(role, 50),
        });
    }
    out
}
