//! Changes the secretariat makes to the table through the store: adding
//! rows by hand and importing a table.

use jiff::Timestamp;

use super::cells::{link_markup, plain_text};
use super::import::ImportedRow;
use super::model::Column;
use super::sync::identifier_in_title;
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
