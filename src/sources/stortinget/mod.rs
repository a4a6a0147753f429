//! Stortinget: the committee hearings of the parliament, from its open
//! data (data.stortinget.no). A white paper's hearing is the committee's,
//! and its deadline for written input (innspillsfrist) is the one the
//! council must meet. Everything policywatch knows of this site is in this
//! folder.
//!
//! One source (`kind = "stortinget_horinger"`, `url` the API's base
//! `https://data.stortinget.no/eksport/`) reads the sessions, then every
//! hearing of the current session (and of the next, once the API lists
//! it): two or three requests a run. A record says all there is; no page
//! of its own is read.

pub mod answers;

use url::Url;

use super::{Index, PageCandidate, PageKind, PageWant, ParseError, Site};
use crate::model::{DocKey, DocKind, DocumentPage};

/// The site's id in the store.
pub const SITE: &str = "stortinget";
/// A session's committee hearings.
pub const HEARINGS: &str = "stortinget_horinger";

/// The hearing's page for people.
pub fn hearing_url(id: &str) -> String {
    format!("https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/horing/?h={id}")
}

/// Stortinget.
pub struct Stortinget;

impl Site for Stortinget {
    fn id(&self) -> &'static str {
        SITE
    }

    fn label(&self) -> &'static str {
        "stortinget.no"
    }

    fn home(&self) -> &'static str {
        "https://data.stortinget.no/eksport/"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &[HEARINGS]
    }

    fn check_source(&self, _kind: &str, url: &Url) -> Result<(), String> {
        if !url.path().ends_with("/eksport/") || url.query().is_some() {
            return Err(
                "oppgi API-ets rot, https://data.stortinget.no/eksport/ (policywatch legger til sesjoner og horinger selv)".into(),
            );
        }
        Ok(())
    }

    fn index_url(&self, _kind: &str, source: &Url, _n: u32) -> Url {
        source.join("sesjoner").unwrap_or_else(|_| source.clone())
    }

    fn read_index(&self, _kind: &str, text: &str, url: &Url) -> Result<Index, ParseError> {
        answers::read(text, url)
    }

    fn read_document(&self, _text: &str, _url: &Url) -> Result<DocumentPage, ParseError> {
        Err(ParseError::layout(
            "en høring i Stortinget har ingen dokumentside policywatch leser; API-ets svar sier alt",
        ))
    }

    fn key_in_url(&self, url: &Url) -> Option<DocKey> {
        let id = url.query_pairs().find(|(k, _)| k == "h")?.1;
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .then(|| DocKey::new(SITE, id.into_owned()))
    }

    fn short_url(&self, _source: &Url, _key: &DocKey) -> Option<Url> {
        None
    }

    fn wants_page(&self, _doc: &PageCandidate) -> PageWant {
        PageWant::Never
    }

    fn sniff(&self, text: &str, _url: &Url) -> Option<PageKind> {
        matches!(
            super::xml::root_name(text).as_deref(),
            Some("sesjoner_oversikt" | "horinger_oversikt")
        )
        .then_some(PageKind::Index(HEARINGS))
    }

    fn new_headline(&self, kind: DocKind) -> Option<&'static str> {
        (kind == DocKind::Horing).then_some("Høring i Stortinget")
    }

    fn deadline_words(&self, departments: &[String], date: &str) -> Option<String> {
        let committee = departments
            .first()
            .map(|c| format!(", {}", lower_first(c)))
            .unwrap_or_default();
        Some(format!("Stortinget{committee}: frist for innspill {date}"))
    }
}

/// "Helse- og omsorgskomiteen" → "helse- og omsorgskomiteen", as a
/// committee is named inside a sentence.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
