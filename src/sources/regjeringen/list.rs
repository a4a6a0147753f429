//! The search-result list pages: `/no/dokument/hoyringar/id1763/` and the
//! NOU, Meld. St. and other lists that share its template.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html};
use url::Url;

use super::words::{key_in_url, kind_of, status_from};
use crate::model::{DocInfo, ListItem, ListPage};
use crate::norsk::{collapse_ws, find_date, fold_label, parse_date};
use crate::sources::ParseError;
use crate::sources::html::{first_text, selector, text_lines, text_of};

static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:av|gav)\s+([\d\s\u{a0}]+?)\s+treff").expect("valid total regex")
});

/// Reads a list page. `base` is the URL the page was fetched from, for
/// resolving relative links. Items whose deadline cannot be read keep no
/// deadline and add a warning; a page with no items, or an item with no
/// link or id, is an error.
pub fn parse_list(html: &str, base: &Url) -> Result<ListPage, ParseError> {
    super::quirks::parse_essential(html, super::Shape::List, |doc| read_list(doc, base))
}

pub(crate) fn read_list(doc: &Html, base: &Url) -> Result<ListPage, ParseError> {
    let mut warnings = Vec::new();
    super::quirks::reject_soft_error(doc)?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for (i, li) in doc.select(selector!("li.listItem")).enumerate() {
        match parse_item(li, base, &mut warnings) {
            Ok(item) => items.push(item),
            Err(e) => unreadable.push(format!("listeelement {}: {}", i + 1, e.message)),
        }
    }
    let seen = items.len() + unreadable.len();
    if seen == 0 {
        return Err(ParseError::layout(
            "listesiden har ingen treff (li.listItem): sidens oppsett kan ha endret seg",
        ));
    }
    // One odd item is skipped and said; a page where half or more of the
    // items cannot be read is a broken page, not a short list.
    if unreadable.len() * 2 >= seen {
        return Err(ParseError::broken(format!(
            "listesiden er ødelagt: {} av {seen} elementer kunne ikke leses ({})",
            unreadable.len(),
            unreadable.join("; ")
        )));
    }
    warnings.extend(unreadable.into_iter().map(|w| format!("{w}; hoppet over")));
    let total = doc
        .select(selector!("p.count"))
        .map(text_of)
        .find_map(|t| TOTAL.captures(&t).map(|c| c[1].to_string()))
        .and_then(|digits| {
            digits
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        });
    let next = next_link(doc, base);
    Ok(ListPage {
        total,
        next,
        items,
        warnings,
    })
}

fn next_link(doc: &Html, base: &Url) -> Option<String> {
    let href = doc
        .select(selector!("link[rel=next]"))
        .find_map(|l| l.value().attr("href"))
        .or_else(|| {
            doc.select(selector!("ul.pagination li.next:not(.disabled) a"))
                .find_map(|a| a.value().attr("href"))
        })?;
    base.join(href).ok().map(String::from)
}

fn parse_item(
    li: ElementRef<'_>,
    base: &Url,
    warnings: &mut Vec<String>,
) -> Result<ListItem, ParseError> {
    let a = li
        .select(selector!("h2.title a, .title a"))
        .next()
        .ok_or_else(|| ParseError::layout("mangler tittel-lenke (h2.title a)"))?;
    let href = a
        .value()
        .attr("href")
        .ok_or_else(|| ParseError::layout("tittel-lenken mangler href"))?;
    let url = base.join(href.trim()).map_err(|e| {
        ParseError::layout(format!(
            "ugyldig lenke «{}»: {e}",
            crate::sources::clip(href)
        ))
    })?;
    if !crate::sources::on_site(&url, base) {
        return Err(ParseError::layout(format!(
            "lenken «{}» er ikke en http(s)-adresse på {}",
            crate::sources::clip(href),
            base.host_str().unwrap_or("nettstedet")
        )));
    }
    let key = key_in_url(url.as_str()).ok_or_else(|| {
        ParseError::layout(format!(
            "fant ingen id i lenken «{}»",
            crate::sources::clip(href)
        ))
    })?;
    let id = &key.id;
    let title = text_of(a);
    if title.is_empty() {
        return Err(ParseError::layout(format!("id {id} har tom tittel")));
    }

    let published = match first_text(li, selector!(".info .date")) {
        Some(t) => match parse_date(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                warnings.push(format!("id {id}: publiseringsdato: {e}"));
                None
            }
        },
        None => None,
    };
    let doc_type_text = first_text(li, selector!(".info .type")).unwrap_or_default();
    let departments = first_text(li, selector!(".info .department"))
        .map(|d| split_departments(&d))
        .unwrap_or_default();
    let summary = first_text(li, selector!("p.excerpts"));

    let mut deadline = None;
    let mut status_text = None;
    for p in li.select(selector!("p.event-details")) {
        for line in text_lines(p) {
            let folded = fold_label(&line);
            if folded.starts_with("horingsfrist") {
                deadline = deadline_in(&line, &format!("id {id}: "), warnings).or(deadline);
            } else if folded.starts_with("status") {
                let text = line.split_once(':').map_or(line.as_str(), |(_, v)| v);
                status_text = Some(collapse_ws(text));
            }
        }
    }

    let status = status_from(status_text.as_deref());
    Ok(DocInfo::new(
        key,
        url.into(),
        title,
        published,
        kind_of(&doc_type_text),
        doc_type_text,
        departments,
        summary,
        deadline,
        status,
        status_text,
    ))
}

/// The date in a deadline text ("Høringsfrist: 07.08.2026"); a text with
/// no readable date adds a warning (prefixed with `who`) and gives `None`.
pub(crate) fn deadline_in(
    text: &str,
    who: &str,
    warnings: &mut Vec<String>,
) -> Option<jiff::civil::Date> {
    match find_date(text) {
        Ok(Some((d, _))) => Some(d),
        Ok(None) => {
            warnings.push(format!("{who}høringsfrist uten dato: «{text}»"));
            None
        }
        Err(e) => {
            warnings.push(format!("{who}høringsfrist: {e}"));
            None
        }
    }
}

/// One span can name several departments, joined by ", ".
pub(crate) fn split_departments(s: &str) -> Vec<String> {
    s.split(", ")
        .map(collapse_ws)
        .filter(|d| !d.is_empty())
        .collect()
}
