//! Changes the secretariat makes to the table through the store: adding
//! rows by hand and importing a table.

use jiff::Timestamp;

use super::cells::{link_markup, plain_text};
use super::import::ImportedRow;
use super::model::Column;
use super::sync::identifier_in_title;
use crate::model::DocId;
use crate::store::{Actor, NewRow, RowId, Store};

/// The council's table from meeting 3/2026: the default starting data.
pub const DEFAULT_TABLE: &str = include_str!("../../data/overview-3-2026.tsv");

/// A row the secretariat adds by hand.
#[derive(Debug, Clone, Default)]
pub struct ManualRow {
    pub title: String,
    pub url: Option<String>,
    pub cells: Vec<(Column, String)>,
}

pub fn add_row(store: &mut Store, row: &ManualRow, now: Timestamp) -> anyhow::Result<RowId> {
    check_length(&row.title)?;
    for (_, text) in &row.cells {
        check_length(text)?;
    }
    let title = match &row.url {
        Some(u) => link_markup(&row.title, u),
        None => row.title.clone(),
    };
    let mut cells = vec![(Column::Title, title.clone())];
    cells.extend(
        row.cells
            .iter()
            .filter(|(c, _)| *c != Column::Title)
            .cloned(),
    );
    store.overview_add_row(
        &NewRow {
            origin: "manual",
            doc_id: None,
            identifier: identifier_in_title(&title),
            cells,
            actor: Actor::Secretariat,
        },
        now,
    )
}

/// Imports a table (tab-separated or Markdown): its rows, and its own
/// column headings for the papers. Returns (added, skipped).
pub fn import_table(
    store: &mut Store,
    text: &str,
    now: Timestamp,
) -> Result<anyhow::Result<(usize, usize)>, super::import::ImportError> {
    let rows = super::import::parse_table(text)?;
    let found = super::import::table_headings(text);
    Ok((|| {
        let mut headings = super::view::Headings::default();
        for (c, h) in found {
            headings.0.insert(c, h);
        }
        store.set_meta(
            super::papers::HEADINGS_KEY,
            &serde_json::to_string(&headings)?,
        )?;
        import_rows(store, rows, now)
    })())
}

/// Imports rows as the secretariat's; a row whose title is already in the
/// table is skipped. Returns (added, skipped).
pub fn import_rows(
    store: &mut Store,
    rows: Vec<ImportedRow>,
    now: Timestamp,
) -> anyhow::Result<(usize, usize)> {
    let mut existing: Vec<String> = store
        .overview_rows(false)?
        .iter()
        .filter_map(|r| {
            r.cells
                .get(&Column::Title)
                .and_then(|c| c.shown())
                .map(plain_text)
        })
        .collect();
    let (mut added, mut skipped) = (0, 0);
    for row in rows {
        let title = row.cells.get(&Column::Title).cloned().unwrap_or_default();
        let key = plain_text(&title);
        if existing.contains(&key) {
            skipped += 1;
            continue;
        }
        store.overview_add_row(
            &NewRow {
                origin: "import",
                doc_id: None,
                identifier: identifier_in_title(&title),
                cells: row.cells.into_iter().collect(),
                actor: Actor::Secretariat,
            },
            now,
        )?;
        existing.push(key);
        added += 1;
    }
    Ok((added, skipped))
}

/// Writes the secretariat's text in a cell (`None` clears it, and the
/// site's text shows again). A title that names an identifier (`NOU 2026:
/// 6`) gives the row that identifier. Returns whether anything changed.
pub fn edit_cell(
    store: &mut Store,
    row: RowId,
    col: Column,
    text: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<bool> {
    if let Some(t) = text {
        check_length(t)?;
    }
    if col == Column::Title
        && let Some(id) = text.and_then(identifier_in_title)
    {
        store.overview_set_identifier(row, &id)?;
    }
    store.overview_set_cell(row, col, text, Actor::Secretariat, now)
}

/// The longest text the secretariat may put in a cell or a note: more
/// than any case paper needs, less than would swamp a page.
pub const MAX_TEXT: usize = 5_000;

pub fn check_length(text: &str) -> anyhow::Result<()> {
    let n = text.chars().count();
    anyhow::ensure!(
        n <= MAX_TEXT,
        "teksten er {n} tegn; høyst {MAX_TEXT} tegn går i en celle eller et notat"
    );
    Ok(())
}

/// Writes the secretariat's paragraph for a row in the case (`None`
/// clears it). Returns whether anything changed.
pub fn set_note(
    store: &mut Store,
    row: RowId,
    text: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<bool> {
    if let Some(t) = text {
        check_length(t)?;
    }
    store.overview_set_note(row, text, now)
}

/// Why a row cannot be linked to a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    #[error("raden {0} finnes ikke")]
    NoRow(RowId),
    #[error("dokument {doc} hører allerede til rad {row}")]
    Taken { doc: DocId, row: RowId },
}

/// Links a row to a document (or, `hearing`, to a hearing about it), as
/// the secretariat decides: a row policywatch made for that document
/// gives way, unless the secretariat has written in it. Returns the row
/// that gave way, if one did. The caller syncs the table after.
pub fn link(
    store: &mut Store,
    row: RowId,
    doc: DocId,
    hearing: bool,
    now: Timestamp,
) -> anyhow::Result<Result<Option<RowId>, LinkRefused>> {
    if store.overview_row(row)?.is_none() {
        return Ok(Err(LinkRefused::NoRow(row)));
    }
    let mut released = None;
    if !hearing
        && let Some(other) = store.overview_row_of_doc(doc)?
        && other != row
    {
        let taken = store.overview_row(other)?;
        let crawler_only = taken.as_ref().is_some_and(|r| {
            r.origin == "crawler"
                && r.cells.values().all(|c| c.manual.is_none())
                && r.note.is_none()
        });
        if !crawler_only {
            return Ok(Err(LinkRefused::Taken { doc, row: other }));
        }
        store.overview_release_doc(other, doc, Actor::Secretariat, now)?;
        released = Some(other);
    }
    store.overview_link(row, doc, hearing, Actor::Secretariat, now)?;
    // The row the crawler made may carry the document's hearing: it goes
    // with the document, never lost ("Høringsfrist ikke klar").
    if let Some(other) = released {
        store.overview_move_hearing(other, row, Actor::Secretariat, now)?;
    }
    store.overview_close_proposals(doc)?;
    Ok(Ok(released))
}

/// A row for a document the secretariat takes into the table (one the
/// crawler did not add: too old, or not relevant by the themes). Its
/// cells follow the document at the next sync. An existing row for the
/// document is returned (and restored if it was archived or dismissed).
pub fn take_in(store: &mut Store, doc: DocId, now: Timestamp) -> anyhow::Result<RowId> {
    if let Some(row) = store.overview_row_of_doc(doc)? {
        store.overview_set_state(row, crate::store::RowState::Active, Actor::Secretariat, now)?;
        return Ok(row);
    }
    let identifier = store.document(doc)?.and_then(|d| d.identifier);
    store.overview_add_row(
        &NewRow {
            origin: "manual",
            doc_id: Some(doc),
            identifier,
            cells: Vec::new(),
            actor: Actor::Secretariat,
        },
        now,
    )
}
