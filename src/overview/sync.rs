//! Keeping the table current from the crawl: relevant documents become
//! rows, a hearing about a NOU or white paper already in the table fills
//! that row's Høring cell, and each row's crawler cells follow its
//! documents. The secretariat's own text is never touched.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::cells::link_markup;
use super::model::Column;
use crate::model::{DocId, DocKind, Status};
use crate::norsk::{Identifier, fold_label, format_date};
use crate::store::{Actor, NewRow, OverviewRow, RowId, RowState, Store, StoredDocument};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_response_replaces_an_unclear_deadline() {
        use crate::store::{Decision, Sent, SentKind, Track};
        let track = Track {
            decision: Decision::Answer,
            meeting: None,
            text: None,
            decided_at: None,
            sent: vec![Sent {
                id: 1,
                date: jiff::civil::date(2025, 1, 6),
                kind: SentKind::Response,
                url: None,
                text: None,
            }],
        };
        let mut cells = vec![(Column::Hearing, Some("Høringsfrist ikke klar".to_string()))];
        track_cells(&mut cells, &track);
        let hearing = cells.iter().find(|(c, _)| *c == Column::Hearing).unwrap();
        assert_eq!(hearing.1.as_deref(), Some("Høringsuttalelse, 06.01.2025"));
        let mut cells = vec![(Column::Hearing, Some("Frist høring 01.02.2025".to_string()))];
        track_cells(&mut cells, &track);
        let hearing = cells.iter().find(|(c, _)| *c == Column::Hearing).unwrap();
        assert_eq!(
            hearing.1.as_deref(),
            Some("Frist høring 01.02.2025\nHøringsuttalelse, 06.01.2025")
        );
    }

    fn doc(title: &str, summary: &str) -> StoredDocument {
        StoredDocument {
            id: DocId(1),
            key: crate::model::DocKey::new("regjeringen", "1"),
            url: String::new(),
            title: title.into(),
            doc_type: DocKind::Nou,
            doc_type_text: String::new(),
            identifier: None,
            refers_to: None,
            departments: vec![],
            summary: Some(summary.into()),
            published: None,
            deadline: None,
            status: Status::Unknown,
            status_text: None,
            topics: vec![],
            language: None,
            source: String::new(),
            first_seen: Timestamp::UNIX_EPOCH,
            last_seen: Timestamp::UNIX_EPOCH,
            detail_fetched: None,
        }
    }

    #[test]
    fn a_row_named_for_its_committee_is_proposed_for_the_nou() {
        let nou = doc(
            "NOU 2026: 6 Den nye velferdskommunen",
            "Innovasjons- og samskapingsutvalget har vurdert kommunenes oppgaver.",
        );
        let reason = likely_same("Utredning fra Innovasjon- og samskapingsutvalget", &nou).unwrap();
        assert!(reason.contains("«samskapingsutvalget»"), "{reason}");
        assert_eq!(likely_same("Demensplan 2030", &nou), None);
        assert_eq!(
            likely_same("Nasjonal helse- og samhandlingsplan", &nou),
            None
        );
    }

    #[test]
    fn titles_match_whole_or_as_announced_name() {
        assert!(same_title(
            &title_key("Demensplan 2030"),
            &title_key("Demensplan 2030")
        ));
        assert!(same_title(
            &title_key("Hjernehelsestrategi"),
            &title_key("Hjernehelsestrategi 2026–2030")
        ));
        assert!(same_title(
            &title_key("Ekspertgruppe skal gjennomgå doktorgradsutdanninga - regjeringen.no"),
            &title_key("Ekspertgruppe skal gjennomgå doktorgradsutdanninga")
        ));
        assert!(!same_title(
            &title_key("Hjerne"),
            &title_key("Hjernehelsestrategi")
        ));
        assert!(!same_title(
            &title_key("Helsereform"),
            &title_key("Helsereformutvalget")
        ));
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Rows the crawler added.
    pub added: Vec<RowId>,
    /// Rows that got a document or a hearing linked.
    pub linked: Vec<RowId>,
    /// Crawler cells that changed.
    pub updated_cells: usize,
}

/// A title compared loosely: folded, without a trailing " - regjeringen.no"
/// (a browser tab's title, copied): any site's name.
fn title_key(title: &str) -> String {
    let t = fold_label(title);
    let t = crate::sources::SITES
        .iter()
        .find_map(|s| t.strip_suffix(&format!(" - {}", fold_label(s.label()))))
        .unwrap_or(&t);
    t.trim().to_string()
}

/// A row title names a document when the titles are the same, or when the
/// document's title starts with the row's whole title ("Hjernehelsestrategi"
/// → "Hjernehelsestrategi 2026–2030"; a plan announced by name, published
/// with its years).
fn same_title(row: &str, doc: &str) -> bool {
    if row == doc {
        return true;
    }
    row.chars().count() >= 10
        && doc.starts_with(row)
        && doc[row.len()..].starts_with([' ', '-', ':', ','])
}

/// The table as the linking rules need it.
struct RowIndex {
    rows: Vec<IndexedRow>,
    /// Documents already in the table (as a row's document or hearing).
    attached: std::collections::HashSet<DocId>,
}

struct IndexedRow {
    row: OverviewRow,
    identifier: Option<String>,
    title_key: String,
}

impl IndexedRow {
    fn of(row: OverviewRow, store: &Store) -> IndexedRow {
        let lookup = |id: DocId| store_doc(store, id);
        IndexedRow {
            identifier: row_identifier(&row, &lookup),
            title_key: row
                .cells
                .get(&Column::Title)
                .and_then(|c| c.shown())
                .map(|t| title_key(&super::cells::plain_text(t)))
                .unwrap_or_default(),
            row,
        }
    }
}

impl RowIndex {
    fn read(store: &Store) -> anyhow::Result<RowIndex> {
        let rows = store.overview_rows(false)?;
        let attached = rows
            .iter()
            .flat_map(|r| [r.doc_id, r.hearing_doc_id])
            .flatten()
            .collect();
        let rows = rows
            .into_iter()
            .map(|row| IndexedRow::of(row, store))
            .collect();
        Ok(RowIndex { rows, attached })
    }

    /// Reads one row again after it changed (or was added): the table is
    /// read whole once per sync, not once per row.
    fn refresh(&mut self, store: &Store, id: RowId) -> anyhow::Result<()> {
        let Some(row) = store.overview_row(id)? else {
            self.rows.retain(|r| r.row.id != id);
            return Ok(());
        };
        self.attached
            .extend([row.doc_id, row.hearing_doc_id].into_iter().flatten());
        let indexed = IndexedRow::of(row, store);
        match self.rows.iter_mut().find(|r| r.row.id == id) {
            Some(r) => *r = indexed,
            None => self.rows.push(indexed),
        }
        Ok(())
    }
}

/// The identifier a row stands for: its own, or its document's.
fn row_identifier(
    row: &OverviewRow,
    docs: &dyn Fn(DocId) -> Option<StoredDocument>,
) -> Option<String> {
    row.identifier
        .clone()
        .or_else(|| row.doc_id.and_then(docs).and_then(|d| d.identifier))
}

fn is_fresh(doc: &StoredDocument, today: Date, max_age_days: i64) -> bool {
    if doc.status == Status::Open {
        return true;
    }
    doc.published
        .is_some_and(|p| i64::from((today - p).get_days()) <= max_age_days)
}

/// Brings the table up to date with the relevant documents.
pub fn sync_overview(
    store: &mut Store,
    today: Date,
    now: Timestamp,
    new_row_max_age_days: i64,
) -> anyhow::Result<SyncReport> {
    let mut report = SyncReport::default();
    // Oldest first, so a NOU's row exists before the hearing about it.
    let mut relevant = store.relevant_documents()?;
    relevant.reverse();
    // And what refers to another document after everything else, so the
    // row it belongs to exists first (whatever its date).
    relevant.sort_by_key(|d| d.refers_to.is_some());
    // The table, read once and again only after it changes.
    let mut index = RowIndex::read(store)?;
    for doc in &relevant {
        if index.attached.contains(&doc.id) {
            continue;
        }
        // A hearing about something already in the table fills its row.
        if doc.doc_type == DocKind::Horing
            && let Some(target) = doc.refers_to.as_deref()
            && let Some(row) = index.rows.iter().find(|r| {
                r.row.state == RowState::Active
                    && r.row.hearing_doc_id.is_none()
                    && r.identifier.as_deref() == Some(target)
            })
        {
            let id = row.row.id;
            store.overview_link(id, doc.id, true, Actor::Crawler, now)?;
            report.linked.push(id);
            index.refresh(store, id)?;
            continue;
        }
        // A document the secretariat already has a row for (by identifier,
        // or by the same title) is linked to it.
        let doc_key = title_key(&doc.title);
        let same = index.rows.iter().find(|r| {
            r.row.doc_id.is_none()
                && r.row.state == RowState::Active
                && (doc.identifier.is_some() && r.row.identifier == doc.identifier
                    || same_title(&r.title_key, &doc_key))
        });
        if let Some(row) = same {
            let id = row.row.id;
            store.overview_link(id, doc.id, false, Actor::Crawler, now)?;
            report.linked.push(id);
            index.refresh(store, id)?;
            continue;
        }
        if !is_fresh(doc, today, new_row_max_age_days) {
            continue;
        }
        // Not sure: the secretariat's row may stand for this document under
        // another name ("Utredning fra …utvalget" for the NOU). The document
        // gets its row, and the link is proposed (`overview list`,
        // `overview link` accepts, `--reject` says no).
        for row in index.rows.iter().filter(|r| {
            r.row.doc_id.is_none() && r.row.state == RowState::Active && r.row.origin != "crawler"
        }) {
            if let Some(reason) = likely_same(&r_title(row), doc) {
                store.overview_propose(row.row.id, doc.id, &reason, now)?;
            }
        }
        let row = store.overview_add_row(
            &NewRow {
                origin: "crawler",
                doc_id: Some(doc.id),
                identifier: doc.identifier.clone(),
                cells: Vec::new(),
                actor: Actor::Crawler,
            },
            now,
        )?;
        report.added.push(row);
        index.refresh(store, row)?;
    }
    // A row the crawler added for a document the secretariat has since
    // dismissed (`policywatch dismiss`) leaves the table, unless the
    // secretariat has written in it.
    for row in store.overview_rows(true)? {
        if row.origin == "crawler"
            && row.cells.values().all(|c| c.manual.is_none())
            && let Some(doc) = row.doc_id
            && store
                .relevance(doc)?
                .overridden
                .is_some_and(|o| o.kind == crate::store::OverrideKind::Dismiss)
        {
            store.overview_set_state(row.id, RowState::Dismissed, Actor::Crawler, now)?;
        }
    }
    // Every active row's crawler cells follow its documents; a cell is
    // written only when its text differs from what the row holds.
    let by_id: std::collections::HashMap<DocId, &StoredDocument> =
        relevant.iter().map(|d| (d.id, d)).collect();
    let doc_of = |store: &Store, id: DocId| {
        by_id
            .get(&id)
            .map(|d| (*d).clone())
            .or_else(|| store_doc(store, id))
    };
    let tracks = store.active_tracks()?;
    for row in store.overview_rows(true)? {
        let main = row.doc_id.and_then(|d| doc_of(store, d));
        let hearing = row
            .hearing_doc_id
            .and_then(|d| doc_of(store, d))
            .or_else(|| main.clone().filter(|d| d.doc_type == DocKind::Horing));
        let mut cells = if main.is_none() && hearing.is_none() {
            Vec::new()
        } else {
            auto_cells(main.as_ref(), hearing.as_ref())
        };
        if let Some(track) = tracks.get(&row.id) {
            track_cells(&mut cells, track);
        }
        for (col, text) in cells {
            let held = row.cells.get(&col).and_then(|c| c.auto.as_deref());
            if held != text.as_deref()
                && store.overview_set_cell(row.id, col, text.as_deref(), Actor::Crawler, now)?
            {
                report.updated_cells += 1;
            }
        }
    }
    Ok(report)
}

/// A row's title, without markup.
fn r_title(row: &IndexedRow) -> String {
    row.row
        .cells
        .get(&Column::Title)
        .and_then(|c| c.shown())
        .map(super::cells::plain_text)
        .unwrap_or_default()
}

/// Words too common in the council's titles to say two items are the same.
const COMMON: &[&str] = &[
    "utredning",
    "stortingsmelding",
    "melding",
    "strategi",
    "strategien",
    "handlingsplan",
    "nasjonal",
    "nasjonale",
    "forslag",
    "endringer",
    "endring",
    "regjeringen",
    "rapport",
    "rapporter",
    "ekspertgruppe",
    "utvalget",
    "utvalg",
    "helse",
    "omsorg",
    "horing",
    "forskning",
    "forskrift",
    "tjenester",
    "tjenesten",
];

/// The distinctive words of a text: folded, at least seven letters, not a
/// common word, a genitive -s taken off.
fn distinctive(text: &str) -> Vec<String> {
    let mut out: Vec<String> = fold_label(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 7)
        .map(|w| {
            w.strip_suffix('s')
                .filter(|s| s.len() >= 7)
                .unwrap_or(w)
                .to_string()
        })
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a hand-made row's title and a document look like the same item
/// without being clearly so: the row's distinctive words stand in the
/// document's title or summary (two of them, or one long one). The reason,
/// for the secretariat, when they do.
fn likely_same(row_title: &str, doc: &StoredDocument) -> Option<String> {
    let wanted = distinctive(row_title);
    let have = distinctive(&format!(
        "{} {}",
        doc.title,
        doc.summary.as_deref().unwrap_or("")
    ));
    let shared: Vec<&String> = wanted.iter().filter(|w| have.contains(w)).collect();
    let enough = shared.len() >= 2 || shared.iter().any(|w| w.chars().count() >= 12);
    enough.then(|| {
        format!(
            "{} står både i radens tittel og i dokumentet",
            shared
                .iter()
                .map(|w| format!("«{w}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn store_doc(store: &Store, id: DocId) -> Option<StoredDocument> {
    store.document(id).ok().flatten()
}

/// The crawler's text for the title, launch and hearing cells.
pub fn auto_cells(
    main: Option<&StoredDocument>,
    hearing: Option<&StoredDocument>,
) -> Vec<(Column, Option<String>)> {
    let title = main.or(hearing).map(|d| link_markup(&d.title, &d.url));
    let launch = main
        .filter(|d| d.doc_type != DocKind::Horing)
        .and_then(|d| d.published)
        .map(|p| format!("Lansert {}", format_date(p)));
    let hearing_text = match hearing {
        Some(h) => Some(match h.deadline {
            Some(dl) => {
                let closed = if h.status == Status::Closed {
                    " (avsluttet)"
                } else {
                    ""
                };
                let date = format_date(dl);
                let words = crate::sources::site(&h.key.site)
                    .and_then(|s| s.deadline_words(&h.departments, &date))
                    .unwrap_or_else(|| format!("Frist høring {date}"));
                format!("{}{closed}", link_markup(&words, &h.url))
            }
            None => link_markup("Høringsfrist ikke klar", &h.url),
        }),
        None if main.is_some_and(|d| d.doc_type == DocKind::Nou) => {
            Some("Høringsfrist ikke klar".to_string())
        }
        None => None,
    };
    vec![
        (Column::Title, title),
        (Column::Launch, launch),
        (Column::Hearing, hearing_text),
    ]
}

/// What the council's track puts in the table, the way the council
/// writes it: its inputs in "Innspill fra rådet" ("Innspill, 14.10.2024",
/// linked), or else its decision when it gives none ("Innspill ikke
/// aktuelt"); its hearing responses under the hearing
/// ("Høringsuttalelse, 06.01.2025"). The secretariat's own text in a cell
/// still wins.
pub fn track_cells(cells: &mut Vec<(Column, Option<String>)>, track: &crate::store::Track) {
    use crate::store::{Decision, SentKind};
    let line = |s: &crate::store::Sent| {
        let words = format!("{}, {}", s.kind.words(), format_date(s.date));
        match s.url.as_deref().and_then(crate::escape::http_url) {
            Some(u) => link_markup(&words, u),
            None => words,
        }
    };
    let inputs: Vec<String> = track
        .sent
        .iter()
        .filter(|s| s.kind != SentKind::Response)
        .map(line)
        .collect();
    let input = if !inputs.is_empty() {
        Some(inputs.join("\n"))
    } else {
        match track.decision {
            Decision::Open | Decision::Answer => None,
            d => d.words().map(str::to_string),
        }
    };
    cells.retain(|(c, _)| *c != Column::Input);
    cells.push((Column::Input, input));
    let responses: Vec<String> = track
        .sent
        .iter()
        .filter(|s| s.kind == SentKind::Response)
        .map(line)
        .collect();
    if !responses.is_empty() {
        let at = cells.iter().position(|(c, _)| *c == Column::Hearing);
        // Once the council has answered, "Høringsfrist ikke klar" is no
        // longer what the row has to say about its hearing.
        let before = at
            .and_then(|i| cells[i].1.clone())
            .filter(|t| super::cells::plain_text(t) != "Høringsfrist ikke klar");
        let text = before
            .into_iter()
            .chain(responses)
            .collect::<Vec<_>>()
            .join("\n");
        match at {
            Some(i) => cells[i].1 = Some(text),
            None => cells.push((Column::Hearing, Some(text))),
        }
    }
}

/// The identifier in a row title, for rows the secretariat adds.
pub fn identifier_in_title(title: &str) -> Option<String> {
    Identifier::find(&super::cells::plain_text(title)).map(|i| i.to_string())
}
