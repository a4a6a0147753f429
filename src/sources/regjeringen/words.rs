//! regjeringen.no's words and numbers: the id in a document's address, and
//! the type and status words (bokmål and nynorsk) the site writes.

use crate::model::{DocKey, DocKind, Status};
use crate::norsk::fold_label;

/// The site's id in the store.
pub const SITE: &str = "regjeringen";

/// The document id in a regjeringen.no URL or path (`…/id3167072/`,
/// `/id3167072`). The last `/id<digits>` segment wins, so a ministry link
/// in the path does not confuse it.
pub fn id_in_url(url: &str) -> Option<u64> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .filter_map(|seg| seg.strip_prefix("id"))
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|digits| digits.parse().ok())
        .next_back()
}

/// The key of the document a URL points to.
pub fn key_in_url(url: &str) -> Option<DocKey> {
    id_in_url(url).map(key)
}

/// The key of regjeringen.no document `id`.
pub fn key(id: u64) -> DocKey {
    DocKey::new(SITE, id.to_string())
}

/// The kind of document, from the site's type text (`Høring`, `Høyring`,
/// `NOU`, `Melding til Stortinget`, …) or `DC.Type`.
pub fn kind_of(text: &str) -> DocKind {
    let t = fold_label(text);
    let t = t.trim_matches(|c: char| c == '|' || c.is_whitespace());
    if t.starts_with("horing") || t == "kort horing" {
        DocKind::Horing
    } else if t.starts_with("nou")
        || t.contains("offentlig utgreiing")
        || t.contains("offentlige utredning")
    {
        DocKind::Nou
    } else if t.starts_with("meld")
        || t.contains("melding til stortinget")
        || t.contains("stortingsmelding")
    {
        DocKind::MeldSt
    } else if t.starts_with("prop") {
        DocKind::Prop
    } else if t.contains("strategi") {
        DocKind::Strategi
    } else if t.contains("plan") {
        DocKind::Plan
    } else if t.starts_with("rapport") {
        DocKind::Rapport
    } else {
        DocKind::Annet
    }
}

/// `På høring`/`På høyring` → open; `Ferdigbehandlet`, `Avsluttet`, `Under
/// behandling` (the deadline has passed) → closed; anything else →
/// unknown.
pub fn status_of(text: &str) -> Status {
    let t = fold_label(text);
    let t = t.strip_prefix("status:").unwrap_or(&t).trim();
    if t.starts_with("pa horing") || t == "open" || t == "apen" {
        Status::Open
    } else if [
        "ferdigbehandl",
        "avslutt",
        "under behandling",
        "ferdig handsama",
        "ferdighandsama",
        "under handsaming",
        "avslutta",
        "utgatt",
        "stengt",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        Status::Closed
    } else {
        Status::Unknown
    }
}

/// The status a status text says, `unknown` without one.
pub fn status_from(text: Option<&str>) -> Status {
    text.map(status_of).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_id_from_urls() {
        assert_eq!(
            id_in_url("/no/dokumenter/kort-horing-avskogingsforordningen/id3167072/"),
            Some(3167072)
        );
        assert_eq!(
            id_in_url("https://www.regjeringen.no/id3167072/#webpage"),
            Some(3167072)
        );
        assert_eq!(id_in_url("https://x/no/dep/kld/id668/?page=2"), Some(668));
        assert_eq!(id_in_url("/no/dokumenter/identitet/"), None);
    }

    #[test]
    fn kinds_from_site_text() {
        assert_eq!(kind_of("H\u{f8}yring\n|"), DocKind::Horing);
        assert_eq!(kind_of("Høring"), DocKind::Horing);
        assert_eq!(kind_of("Horing"), DocKind::Horing);
        assert_eq!(kind_of("NOU"), DocKind::Nou);
        assert_eq!(kind_of("Melding til Stortinget"), DocKind::MeldSt);
        assert_eq!(kind_of("Meld. St."), DocKind::MeldSt);
        assert_eq!(kind_of("Strategi"), DocKind::Strategi);
        assert_eq!(kind_of("Handlingsplan"), DocKind::Plan);
        assert_eq!(kind_of("Nyhet"), DocKind::Annet);
    }

    #[test]
    fn statuses_keep_meaning_across_written_standards() {
        assert_eq!(status_of("Status: På høring"), Status::Open);
        assert_eq!(status_of("På høyring"), Status::Open);
        assert_eq!(status_of("Ferdigbehandlet"), Status::Closed);
        assert_eq!(status_of("Under behandling"), Status::Closed);
        assert_eq!(status_of("Noe helt annet"), Status::Unknown);
    }
}
