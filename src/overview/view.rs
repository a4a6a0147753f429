//! What is rendered: a document of headings, paragraphs, lists and the
//! table, built from the stored rows for one meeting. Pure: rows, meetings
//! and today's date in, a [`Doc`] out.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::cells::{parse_cell, spans};
use super::model::{Column, EntryKind, Span, When};
use crate::config::Meeting;
use crate::norsk::format_date;
use crate::store::{OverviewRow, RowId};

/// Why a row is marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Added to the table since the previous meeting.
    New,
    /// A hearing deadline before the next meeting: too soon for the council
    /// to treat it in a meeting; a working group or the chair must act.
    DeadlineBeforeNextMeeting { deadline: Date },
    /// The deadline has passed.
    DeadlinePassed { deadline: Date },
    /// The secretariat has edited a cell by hand.
    Edited,
    /// Expected (or due) by a date that has passed, and not seen launched.
    Overdue { expected_by: Date },
}

impl Flag {
    pub fn label(&self) -> String {
        match self {
            Flag::New => "NY".to_string(),
            Flag::DeadlineBeforeNextMeeting { deadline } => {
                format!("Frist før neste møte ({})", format_date(*deadline))
            }
            Flag::DeadlinePassed { deadline } => {
                format!("Frist passert ({})", format_date(*deadline))
            }
            Flag::Edited => "Redigert av sekretariatet".to_string(),
            Flag::Overdue { expected_by } => {
                format!(
                    "Ventet innen {}, ikke sett lansert",
                    format_date(*expected_by)
                )
            }
        }
    }
}

/// One row as shown: each column's lines of spans, and the marks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowView {
    pub id: RowId,
    pub cells: BTreeMap<Column, Vec<Vec<Span>>>,
    pub flags: Vec<Flag>,
}

impl RowView {
    /// A cell's text without markup, lines joined by newlines.
    pub fn plain(&self, col: Column) -> String {
        self.cells
            .get(&col)
            .map(|lines| {
                lines
                    .iter()
                    .map(|l| l.iter().map(|s| s.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// The title's link, if it has one.
    pub fn link(&self) -> Option<&str> {
        self.cells
            .get(&Column::Title)?
            .iter()
            .flatten()
            .find_map(|s| s.link.as_deref())
            .and_then(crate::escape::http_url)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableView {
    pub rows: Vec<RowView>,
}

/// A block of a rendered document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    Heading(u8, String),
    Para(Vec<Span>),
    Bullets(Vec<Vec<Span>>),
    Table(TableView),
}

/// A document for the case papers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The meeting a table is rendered for, with its neighbours.
#[derive(Debug, Clone, Copy)]
pub struct MeetingContext<'a> {
    pub meeting: Option<&'a Meeting>,
    pub previous: Option<&'a Meeting>,
    pub next: Option<&'a Meeting>,
}

/// Hearing deadlines a row's Høring cell states, in the secretariat's text
/// or the crawler's.
pub fn deadlines(row: &OverviewRow) -> Vec<Date> {
    let Some(cell) = row.cells.get(&Column::Hearing) else {
        return Vec::new();
    };
    let mut out: Vec<Date> = [cell.manual.as_deref(), cell.auto.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| parse_cell(t).entries)
        .filter(|e| e.kind == EntryKind::HearingDeadline || e.kind == EntryKind::Launched)
        .filter_map(|e| e.when.and_then(When::day))
        .collect();
    out.sort();
    out.dedup();
    // A moved deadline: the newest statement is the crawler's, and it is
    // the one that counts; an older one the secretariat wrote is history.
    if let (Some(auto), Some(_)) = (cell.auto.as_deref(), cell.manual.as_deref()) {
        let auto_days: Vec<Date> = parse_cell(auto)
            .entries
            .into_iter()
            .filter(|e| e.kind == EntryKind::HearingDeadline)
            .filter_map(|e| e.when.and_then(When::day))
            .collect();
        if !auto_days.is_empty() {
            return auto_days;
        }
    }
    out
}

fn created_on(row: &OverviewRow) -> Option<Date> {
    row.created_at.get(..10).and_then(|d| d.parse().ok())
}

/// Marks a row for a meeting.
pub fn flags(row: &OverviewRow, ctx: &MeetingContext<'_>, today: Date) -> Vec<Flag> {
    let mut out = Vec::new();
    // Imported rows were in the table before; they are not news.
    if let (Some(prev), Some(created)) = (ctx.previous, created_on(row))
        && row.origin != "import"
        && created > prev.date
        && ctx.meeting.is_none_or(|m| created <= m.date.max(today))
    {
        out.push(Flag::New);
    }
    for dl in deadlines(row) {
        if dl < today {
            out.push(Flag::DeadlinePassed { deadline: dl });
        } else if ctx.next.is_some_and(|n| dl < n.date) {
            out.push(Flag::DeadlineBeforeNextMeeting { deadline: dl });
        }
    }
    if row.cells.values().any(|c| c.manual.is_some()) && row.origin == "crawler" {
        out.push(Flag::Edited);
    }
    if let Some(by) = overdue(row, today) {
        out.push(Flag::Overdue { expected_by: by });
    }
    out
}

/// The end of the window a row's launch was expected in, when that has
/// passed and neither the secretariat nor the site says it launched.
fn overdue(row: &OverviewRow, today: Date) -> Option<Date> {
    let cell = row.cells.get(&Column::Launch)?;
    let entries: Vec<_> = [cell.manual.as_deref(), cell.auto.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| parse_cell(t).entries)
        .collect();
    if entries.iter().any(|e| e.kind == EntryKind::Launched) {
        return None;
    }
    entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Expected | EntryKind::DueBy))
        .filter_map(|e| e.when.map(|w| w.window().1))
        .max()
        .filter(|end| *end < today)
}

fn lines(text: &str) -> Vec<Vec<Span>> {
    text.lines().map(spans).filter(|l| !l.is_empty()).collect()
}

/// A cell's lines: the secretariat's text when there is one, and below
/// it, in italics, what regjeringen.no now says when that differs (a
/// launch, a new deadline), so nothing is hidden and nothing overwritten.
fn cell_lines(col: Column, cell: &crate::store::CellText) -> Vec<Vec<Span>> {
    let mut out = cell.shown().map(lines).unwrap_or_default();
    if col != Column::Title
        && let (Some(manual), Some(auto)) = (cell.manual.as_deref(), cell.auto.as_deref())
        && super::cells::plain_text(manual).trim() != super::cells::plain_text(auto).trim()
    {
        for mut line in lines(auto) {
            line.insert(0, Span::plain(" "));
            line.insert(
                0,
                Span {
                    text: "Fra regjeringen.no:".into(),
                    link: None,
                    italic: true,
                },
            );
            out.push(line);
        }
    }
    out
}

/// The table for a meeting: active rows in their order.
pub fn table(rows: &[OverviewRow], ctx: &MeetingContext<'_>, today: Date) -> TableView {
    TableView {
        rows: rows
            .iter()
            .map(|r| RowView {
                id: r.id,
                cells: Column::ALL
                    .into_iter()
                    .filter_map(|c| r.cells.get(&c).map(|t| (c, cell_lines(c, t))))
                    .filter(|(_, l)| !l.is_empty())
                    .collect(),
                flags: flags(r, ctx, today),
            })
            .collect(),
    }
}

fn meeting_line(ctx: &MeetingContext<'_>, today: Date) -> Vec<Span> {
    let mut s = String::new();
    if let Some(m) = ctx.meeting {
        s.push_str(&format!("Rådsmøte {} ({}). ", m.id, format_date(m.date)));
    }
    s.push_str(&format!("Oppdatert per {}.", format_date(today)));
    if let Some(n) = ctx.next {
        s.push_str(&format!(" Neste møte: {} ({}).", n.id, format_date(n.date)));
    }
    vec![Span::plain(s)]
}

/// `overview render`: the table with a heading and its date line.
pub fn overview_doc(rows: &[OverviewRow], ctx: &MeetingContext<'_>, today: Date) -> Doc {
    let title = "Oversikt meldinger og strategier".to_string();
    Doc {
        blocks: vec![
            Block::Heading(1, title.clone()),
            Block::Para(meeting_line(ctx, today)),
            Block::Table(table(rows, ctx, today)),
        ],
        title,
    }
}
