//! What is rendered: a document of headings, paragraphs, lists and the
//! table, built from the stored rows for one meeting. Pure: rows, meetings
//! and today's date in, a [`Doc`] out.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::cells::{parse_cell, spans};
use super::model::{Column, Entry, EntryKind, Span, When};
use crate::meetings::{DeadlineClass, MeetingContext, classify};
use crate::norsk::format_date;
use crate::store::{OverviewRow, RowId};

/// Why a row is marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Added to the table since the previous meeting.
    New,
    /// Added since the previous meeting, but only after its hearing
    /// deadline had passed: not news to act on.
    SeenAfterDeadline { deadline: Date },
    /// A row that was there before, launched since the previous meeting.
    Launched { date: Date },
    /// A hearing deadline before the meeting being prepared: the council
    /// cannot treat it in a meeting; the chair or a working group must act.
    ActBeforeMeeting { deadline: Date, meeting: String },
    /// A hearing deadline between the meeting and the next: the council
    /// takes a stand at this meeting.
    DecideAtMeeting {
        deadline: Date,
        meeting: String,
        next: String,
    },
    /// A deadline not passed, with no meeting in the calendar to place it.
    DeadlineUnplaced { deadline: Date },
    /// The deadline has passed.
    DeadlinePassed { deadline: Date },
    /// Expected (or due) by a date that has passed, and not seen launched.
    Overdue { expected_by: Date },
    /// The secretariat has edited a crawler row by hand (its own views
    /// only, never the council's papers).
    Edited,
}

impl Flag {
    pub fn label(&self) -> String {
        match self {
            Flag::New => "NY".to_string(),
            Flag::SeenAfterDeadline { deadline } => {
                format!("Sett først etter fristen ({})", format_date(*deadline))
            }
            Flag::Launched { date } => format!("Lansert {}", format_date(*date)),
            Flag::ActBeforeMeeting { deadline, meeting } => format!(
                "{}: følg opp før møtet",
                crate::meetings::before_meeting_words(*deadline, meeting)
            ),
            Flag::DecideAtMeeting {
                deadline,
                meeting,
                next,
            } => format!(
                "{}: ta stilling i møte {meeting}",
                crate::meetings::before_meeting_words(*deadline, next)
            ),
            Flag::DeadlineUnplaced { deadline } => format!(
                "Frist {} (neste møte er ikke satt opp)",
                format_date(*deadline)
            ),
            Flag::DeadlinePassed { deadline } => {
                format!("Frist passert ({})", format_date(*deadline))
            }
            Flag::Overdue { expected_by } => format!(
                "Ventet innen {}, ikke sett lansert",
                format_date(*expected_by)
            ),
            Flag::Edited => "Redigert av sekretariatet".to_string(),
        }
    }

    /// The flag's kind, for styling (`flag-<kind>` in HTML, a colour in
    /// Word and Excel).
    pub fn kind(&self) -> &'static str {
        match self {
            Flag::New | Flag::Launched { .. } => "new",
            Flag::ActBeforeMeeting { .. } => "urgent",
            Flag::DecideAtMeeting { .. } | Flag::DeadlineUnplaced { .. } => "soon",
            Flag::DeadlinePassed { .. } | Flag::Overdue { .. } | Flag::SeenAfterDeadline { .. } => {
                "passed"
            }
            Flag::Edited => "edited",
        }
    }
}

/// The table's column headings, as the council wrote them in the table
/// that was imported (the 2024 and 2026 tables word two of them
/// differently).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headings(pub BTreeMap<Column, String>);

impl Default for Headings {
    fn default() -> Self {
        Headings(
            Column::ALL
                .into_iter()
                .map(|c| (c, c.heading().to_string()))
                .collect(),
        )
    }
}

impl Headings {
    pub fn get(&self, c: Column) -> &str {
        self.0.get(&c).map_or(c.heading(), String::as_str)
    }
}

/// Who a view is for.
#[derive(Debug, Clone, Default)]
pub struct ViewOptions {
    pub headings: Headings,
    /// The secretariat's own view: its edits are marked. The council's
    /// papers never show that.
    pub secretariat: bool,
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
    pub headings: Headings,
    pub rows: Vec<RowView>,
}

/// How a section's pages are turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// A block of a rendered document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    Heading(u8, String),
    Para(Vec<Span>),
    Bullets(Vec<Vec<Span>>),
    /// Labelled fields (the case's Til, Fra, Saksbehandler, Vedlegg).
    Fields(Vec<(String, String)>),
    Table(TableView),
    /// What follows starts on a new page, turned so.
    Section(Orientation),
}

/// A document for the case papers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    pub title: String,
    /// How the first pages are turned.
    pub orientation: Orientation,
    pub blocks: Vec<Block>,
}

fn days_in(text: &str, kinds: &[EntryKind]) -> Vec<Date> {
    parse_cell(text)
        .entries
        .into_iter()
        .filter(|e| kinds.contains(&e.kind))
        .filter_map(|e| e.when.and_then(When::day))
        .collect()
}

/// Hearing deadlines a row's Høring cell states, in the secretariat's text
/// or the crawler's.
pub fn deadlines(row: &OverviewRow) -> Vec<Date> {
    let Some(cell) = row.cells.get(&Column::Hearing) else {
        return Vec::new();
    };
    let kinds = [EntryKind::HearingDeadline, EntryKind::Launched];
    // A moved deadline: the newest statement is the crawler's, and it is
    // the one that counts; an older one the secretariat wrote is history.
    if let Some(auto) = cell.auto.as_deref() {
        let auto_days = days_in(auto, &[EntryKind::HearingDeadline]);
        if !auto_days.is_empty() {
            return auto_days;
        }
    }
    let mut out: Vec<Date> = [cell.manual.as_deref(), cell.auto.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| days_in(t, &kinds))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The day a row's launch cell (the secretariat's or the site's) says it
/// was launched, when that falls after `after` and by `until`.
pub fn launched_between(row: &OverviewRow, after: Date, until: Date) -> Option<Date> {
    let cell = row.cells.get(&Column::Launch)?;
    [cell.auto.as_deref(), cell.manual.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| days_in(t, &[EntryKind::Launched]))
        .find(|d| *d > after && *d <= until)
}

fn created_on(row: &OverviewRow) -> Option<Date> {
    row.created_at.get(..10).and_then(|d| d.parse().ok())
}

/// Marks a row for a meeting.
pub fn flags(
    row: &OverviewRow,
    ctx: &MeetingContext<'_>,
    today: Date,
    secretariat: bool,
) -> Vec<Flag> {
    let mut out = Vec::new();
    let until = ctx.meeting.map_or(today, |m| m.date.max(today));
    let deadlines = deadlines(row);
    // Imported rows were in the table before; they are not news.
    let new = matches!(
        (ctx.previous, created_on(row)),
        (Some(prev), Some(created)) if row.origin != "import" && created > prev.date && created <= until
    );
    let seen_late = new
        .then(|| {
            let created = created_on(row)?;
            deadlines.iter().copied().filter(|d| *d < created).max()
        })
        .flatten();
    match seen_late {
        Some(deadline) => out.push(Flag::SeenAfterDeadline { deadline }),
        None if new => out.push(Flag::New),
        None => {
            if let Some(prev) = ctx.previous
                && let Some(date) = launched_between(row, prev.date, today)
            {
                out.push(Flag::Launched { date });
            }
        }
    }
    for dl in deadlines {
        match classify(dl, today, ctx) {
            DeadlineClass::Passed if seen_late.is_none() => {
                out.push(Flag::DeadlinePassed { deadline: dl })
            }
            DeadlineClass::BeforeMeeting { meeting, .. } => out.push(Flag::ActBeforeMeeting {
                deadline: dl,
                meeting,
            }),
            DeadlineClass::BeforeNext { meeting, next, .. } => out.push(Flag::DecideAtMeeting {
                deadline: dl,
                meeting,
                next,
            }),
            DeadlineClass::Unplaced => out.push(Flag::DeadlineUnplaced { deadline: dl }),
            DeadlineClass::Passed | DeadlineClass::Later => {}
        }
    }
    if let Some(by) = overdue(row, today) {
        out.push(Flag::Overdue { expected_by: by });
    }
    if secretariat && row.cells.values().any(|c| c.manual.is_some()) && row.origin == "crawler" {
        out.push(Flag::Edited);
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

/// Whether the secretariat's text already says what the site says, in its
/// own words: every dated statement of the site's (a launch, a deadline)
/// is in it with the same kind and the same day ("Frist høring 8.12.2026"
/// says what "Frist høring 08.12.2026" says).
fn says_the_same(manual: &str, auto: &str) -> bool {
    use super::cells::plain_text;
    if plain_text(manual).trim() == plain_text(auto).trim() {
        return true;
    }
    let day = |e: &Entry| e.when.and_then(When::day);
    let m = parse_cell(manual).entries;
    let a: Vec<Entry> = parse_cell(auto)
        .entries
        .into_iter()
        .filter(|e| e.kind != EntryKind::FreeText)
        .collect();
    !a.is_empty()
        && a.iter()
            .all(|e| m.iter().any(|x| x.kind == e.kind && day(x) == day(e)))
}

/// A cell's lines: the secretariat's text when there is one, and below
/// it, in italics, what the site (`site`) now says when that differs (a
/// launch, a new deadline), so nothing is hidden and nothing overwritten.
/// A title the secretariat rewrote keeps its document's link.
fn cell_lines(col: Column, cell: &crate::store::CellText, site: Option<&str>) -> Vec<Vec<Span>> {
    let mut out = cell.shown().map(lines).unwrap_or_default();
    let (Some(manual), Some(auto)) = (cell.manual.as_deref(), cell.auto.as_deref()) else {
        return out;
    };
    if col == Column::Title {
        // A link the import lost (`#`) is no link.
        let has_link = out.iter().flatten().any(|s| {
            s.link
                .as_deref()
                .and_then(crate::escape::http_url)
                .is_some()
        });
        let site_link = spans(auto).into_iter().find_map(|s| s.link);
        if let (false, Some(link), Some(first)) = (has_link, site_link, out.first_mut()) {
            for s in first.iter_mut() {
                s.link = Some(link.clone());
            }
        }
        return out;
    }
    if !says_the_same(manual, auto) {
        let label = crate::sources::label(site);
        for mut line in lines(auto) {
            line.insert(0, Span::plain(" "));
            line.insert(
                0,
                Span {
                    text: format!("Fra {label}:"),
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
pub fn table(
    rows: &[OverviewRow],
    ctx: &MeetingContext<'_>,
    today: Date,
    opts: &ViewOptions,
) -> TableView {
    TableView {
        headings: opts.headings.clone(),
        rows: rows
            .iter()
            .map(|r| RowView {
                id: r.id,
                cells: Column::ALL
                    .into_iter()
                    .filter_map(|c| r.cells.get(&c).map(|t| (c, cell_lines(c, t, r.site_of(c)))))
                    .filter(|(_, l)| !l.is_empty())
                    .collect(),
                flags: flags(r, ctx, today, opts.secretariat),
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
    match ctx.next {
        Some(n) => s.push_str(&format!(" Neste møte: {} ({}).", n.id, format_date(n.date))),
        None => s.push_str(
            " Møtekalenderen har ikke neste møte, så fristene er ikke plassert mot et møte.",
        ),
    }
    vec![Span::plain(s)]
}

/// `overview render`: the table with a heading and its date line.
pub fn overview_doc(
    rows: &[OverviewRow],
    ctx: &MeetingContext<'_>,
    today: Date,
    opts: &ViewOptions,
) -> Doc {
    let title = "Oversikt meldinger og strategier".to_string();
    Doc {
        blocks: vec![
            Block::Heading(1, title.clone()),
            Block::Para(meeting_line(ctx, today)),
            Block::Table(table(rows, ctx, today, opts)),
        ],
        orientation: Orientation::Landscape,
        title,
    }
}
