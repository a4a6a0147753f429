//! The standing case ("saksfremlegg") around the table, in the form of the
//! council's papers (Sak 28/3/2026): the header fields, Bakgrunn, Hvorfor
//! saken fremmes, Hovedpunkter with a paragraph under each item that needs
//! the council's attention, Forslag til vedtak, and the table as Vedlegg 1
//! on pages of its own.

use std::collections::HashMap;

use jiff::civil::Date;

use super::model::{Column, Span};
use super::view::{Block, Doc, Flag, Orientation, RowView, ViewOptions, deadlines, table};
pub use crate::config::CaseHeader;
use crate::meetings::{MeetingContext, act_now_words, decide_words};
use crate::norsk::format_date;
use crate::store::{OverviewRow, RowId};

/// Why an item is in Hovedpunkter; each row is there once, under the first
/// that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    ActNow,
    Launched,
    NewHearing,
    Decide,
    OtherNew,
}

impl Section {
    fn heading(self, ctx: &MeetingContext<'_>) -> String {
        let m = ctx.meeting.map(|m| m.id.as_str()).unwrap_or("");
        match self {
            Section::ActNow => format!("Høringsfrister før møte {m}"),
            Section::Launched => "Lansert siden forrige møte".into(),
            Section::NewHearing => "Nye høringer".into(),
            Section::Decide => match ctx.next {
                Some(n) => format!(
                    "Høringsfrister før møte {} ({}): rådet tar stilling nå",
                    n.id,
                    format_date(n.date)
                ),
                None => "Høringsfrister før neste møte".into(),
            },
            Section::OtherNew => "Andre nye saker i oversikten".into(),
        }
    }

    fn empty(self) -> Option<&'static str> {
        match self {
            Section::ActNow => Some("Ingen høringsfrister faller før møtet."),
            Section::Launched => {
                Some("Ingen dokumenter i oversikten er lansert siden forrige møte.")
            }
            Section::NewHearing => Some("Ingen nye høringer siden forrige møte."),
            Section::Decide => Some("Ingen andre høringsfrister faller før neste møte."),
            Section::OtherNew => None,
        }
    }
}

/// The first line of a row's title cell.
fn title_spans(row: &RowView) -> Vec<Span> {
    row.cells
        .get(&Column::Title)
        .and_then(|l| l.first().cloned())
        .unwrap_or_else(|| vec![Span::plain("(uten tittel)")])
}

/// Where a row belongs in Hovedpunkter, and the sentence that says why.
fn place(view: &RowView, row: &OverviewRow) -> Option<(Section, String)> {
    let f = &view.flags;
    let deadline = deadlines(row).into_iter().max();
    for flag in f {
        if let Flag::ActBeforeMeeting { deadline, meeting } = flag {
            return Some((
                Section::ActNow,
                format!(
                    "Høringsfrist {}: {}.",
                    format_date(*deadline),
                    act_now_words(meeting)
                ),
            ));
        }
    }
    let decide = f.iter().find_map(|flag| match flag {
        Flag::DecideAtMeeting {
            deadline, meeting, ..
        } => Some(format!(
            "Høringsfrist {}: {}.",
            format_date(*deadline),
            decide_words(meeting)
        )),
        _ => None,
    });
    let new = f.contains(&Flag::New);
    let launched = f.iter().find_map(|flag| match flag {
        Flag::Launched { date } => Some(*date),
        _ => None,
    });
    if let Some(date) = launched {
        return Some((Section::Launched, format!("Lansert {}.", format_date(date))));
    }
    if new && let Some(dl) = deadline {
        let sentence = decide.unwrap_or_else(|| format!("Høringsfrist {}.", format_date(dl)));
        return Some((Section::NewHearing, sentence));
    }
    if let Some(sentence) = decide {
        return Some((Section::Decide, sentence));
    }
    if new {
        // A new document with a launch date: a launch since the last meeting.
        let launch = row
            .cells
            .get(&Column::Launch)
            .and_then(|c| c.shown())
            .map(super::cells::plain_text);
        return Some(match launch {
            Some(l) if !l.trim().is_empty() => (Section::Launched, format!("{}.", l.trim())),
            _ => (Section::OtherNew, "Ny i oversikten.".into()),
        });
    }
    f.iter().find_map(|flag| match flag {
        Flag::SeenAfterDeadline { deadline } => Some((
            Section::OtherNew,
            format!(
                "Ny i oversikten, men først sett etter høringsfristen {}.",
                format_date(*deadline)
            ),
        )),
        _ => None,
    })
}

/// "Innspill og høringssvar sendt siden forrige møte": what the council
/// sent, each with its date, the item's title and the link (the list the
/// Orienteringer case repeats).
pub fn sent_section(
    rows: &[OverviewRow],
    sent: &[(RowId, crate::store::Sent)],
    ctx: &MeetingContext<'_>,
) -> Vec<Block> {
    let since = match ctx.previous {
        Some(p) => format!(" siden forrige møte ({})", p.id),
        None => String::new(),
    };
    let mut out = vec![Block::Heading(
        4,
        format!("Innspill og høringssvar sendt{since}"),
    )];
    if sent.is_empty() {
        out.push(Block::Para(vec![Span::plain("Ingen.")]));
        return out;
    }
    let items = sent
        .iter()
        .map(|(row, s)| {
            let title = rows
                .iter()
                .find(|r| r.id == *row)
                .and_then(|r| r.cells.get(&Column::Title))
                .and_then(|c| c.shown())
                .map(super::cells::plain_text)
                .or_else(|| s.text.clone())
                .unwrap_or_default();
            let words = format!("{} til {title}, {}", s.kind.words(), format_date(s.date));
            vec![match s.url.as_deref().and_then(crate::escape::http_url) {
                Some(u) => Span::link(words, u),
                None => Span::plain(words),
            }]
        })
        .collect();
    out.push(Block::Bullets(items));
    out
}

/// The case document for a meeting. `texts` holds, per row, the paragraph
/// printed under it: the secretariat's note, else the document's summary;
/// `sent`, what the council sent since the previous meeting.
pub fn case_doc(
    rows: &[OverviewRow],
    ctx: &MeetingContext<'_>,
    today: Date,
    opts: &ViewOptions,
    header: &CaseHeader,
    texts: &HashMap<RowId, String>,
    sent: &[(RowId, crate::store::Sent)],
) -> Doc {
    let t = table(rows, ctx, today, opts);
    let (number, meeting) = match ctx.meeting {
        Some(m) => (
            format!(
                "Sak {}/{}",
                header.number.map_or("XX".into(), |n| n.to_string()),
                m.id
            ),
            format!("rådsmøte {} ({})", m.id, format_date(m.date)),
        ),
        None => ("Sak".into(), "neste rådsmøte".into()),
    };
    let mut fields = vec![
        ("Til".to_string(), header.to.clone()),
        ("Saksbehandler".to_string(), header.officer.clone()),
        ("Vedlegg".to_string(), header.attachment.clone()),
    ];
    if let Some(from) = &header.from {
        fields.push(("Fra".to_string(), from.clone()));
    }
    let mut blocks = vec![
        Block::Heading(1, number),
        Block::Heading(2, header.title.clone()),
        Block::Fields(fields),
        Block::Para(vec![Span::plain(format!(
            "Gjelder {meeting}. Oversikten er oppdatert per {}.",
            format_date(today)
        ))]),
        Block::Heading(3, "Bakgrunn".into()),
        Block::Para(vec![Span::plain(
            "Rådet har bedt om at en oversikt over kjente og kommende meldinger, strategier og NOU-er legges frem på hvert møte for å bidra til forutsigbarhet og planlegging av rådets arbeid knyttet til slike, blant annet med tanke på utarbeidelse av høringsinnspill. Oversikten (vedlegg 1) bør sees i sammenheng med rådets handlingsplan.",
        )]),
        Block::Heading(3, "Hvorfor saken fremmes til dette møtet".into()),
        Block::Para(vec![Span::plain(
            "Dette er en sak som legges frem på hvert rådsmøte for at rådet skal ta stilling til om rådet skal følge opp spesifikke meldinger, utredninger eller strategier.",
        )]),
        Block::Heading(3, "Hovedpunkter".into()),
    ];
    blocks.push(Block::Para(vec![Span::plain(match ctx.previous {
        Some(p) => format!(
            "Oversikten blir for hver gang oppdatert med de innspillene som kom på forrige møte og eventuelle nye høringer, strategier og utvalgsarbeid. Dette er nytt siden forrige møte ({}, {}), og dette må rådet ta stilling til:",
            p.id,
            format_date(p.date)
        ),
        None => "Oversikten blir for hver gang oppdatert med de innspillene som kom på forrige møte og eventuelle nye høringer, strategier og utvalgsarbeid.".into(),
    })]));

    let mut placed: Vec<(Section, &RowView, String)> = rows
        .iter()
        .zip(&t.rows)
        .filter_map(|(row, view)| place(view, row).map(|(s, why)| (s, view, why)))
        .collect();
    placed.sort_by_key(|(s, _, _)| *s);
    for section in [
        Section::ActNow,
        Section::Launched,
        Section::NewHearing,
        Section::Decide,
        Section::OtherNew,
    ] {
        let items: Vec<&(Section, &RowView, String)> =
            placed.iter().filter(|(s, _, _)| *s == section).collect();
        if items.is_empty() && section.empty().is_none() {
            continue;
        }
        blocks.push(Block::Heading(4, section.heading(ctx)));
        if items.is_empty() {
            if let Some(text) = section.empty() {
                blocks.push(Block::Para(vec![Span::plain(text)]));
            }
            continue;
        }
        for (_, view, why) in items {
            // The item's title, why it is here (linked to its document),
            // and the secretariat's paragraph or the site's summary.
            let title: String = title_spans(view).into_iter().map(|s| s.text).collect();
            blocks.push(Block::Heading(5, title));
            let mut para = vec![match view.link() {
                Some(url) => Span::link(why.clone(), url),
                None => Span::plain(why.clone()),
            }];
            if let Some(text) = texts.get(&view.id).filter(|t| !t.trim().is_empty()) {
                para.push(Span::plain(" "));
                para.extend(super::cells::spans(text));
            }
            blocks.push(Block::Para(para));
        }
    }
    blocks.extend(sent_section(rows, sent, ctx));
    blocks.push(Block::Para(vec![Span::plain(
        "Rådet bes spille inn relevante meldinger, strategier og rapporter innenfor rådets ansvarsfelt som mangler, og diskutere om noen kan strykes fra listen eller trenger spesifikk oppfølging.",
    )]));
    blocks.push(Block::Heading(3, "Forslag til vedtak".into()));
    blocks.push(Block::Para(vec![Span::plain(
        "Rådet ber sekretariatet om å følge opp saken i tråd med de innspillene som kommer i møtet.",
    )]));
    blocks.push(Block::Section(Orientation::Landscape));
    blocks.push(Block::Heading(
        2,
        "Vedlegg 1. Oversikt meldinger og strategier".into(),
    ));
    blocks.push(Block::Table(t));
    Doc {
        title: header.title.clone(),
        orientation: Orientation::Portrait,
        blocks,
    }
}
