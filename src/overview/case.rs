//! The standing case ("saksfremlegg") around the table, in the style of the
//! council's papers: Bakgrunn, Hvorfor saken fremmes, Hovedpunkter (what
//! changed since the last meeting), Forslag til vedtak, and the table as
//! Vedlegg 1.

use jiff::civil::Date;

use super::cells::parse_cell;
use super::model::{Column, EntryKind, Span, When};
use super::view::{Block, Doc, Flag, MeetingContext, RowView, table};
use crate::norsk::format_date;
use crate::store::OverviewRow;

fn title_spans(row: &RowView) -> Vec<Span> {
    row.cells
        .get(&Column::Title)
        .and_then(|l| l.first().cloned())
        .unwrap_or_else(|| vec![Span::plain("(uten tittel)")])
}

fn launched_between(row: &OverviewRow, after: Date, until: Date) -> Option<Date> {
    let text = row.cells.get(&Column::Launch)?.shown()?;
    parse_cell(text)
        .entries
        .into_iter()
        .filter(|e| e.kind == EntryKind::Launched)
        .filter_map(|e| e.when.and_then(When::day))
        .find(|d| *d > after && *d <= until)
}

/// The case document for a meeting.
pub fn case_doc(rows: &[OverviewRow], ctx: &MeetingContext<'_>, today: Date) -> Doc {
    let t = table(rows, ctx, today);
    let meeting = ctx
        .meeting
        .map(|m| format!("rådsmøte {} ({})", m.id, format_date(m.date)))
        .unwrap_or_else(|| "neste rådsmøte".into());
    let mut blocks = vec![
        Block::Heading(1, "Oversikt meldinger og strategier".into()),
        Block::Para(vec![Span::plain(format!(
            "Til: HelseOmsorg21-rådet. Saksbehandler: HO21-sekretariatet. Vedlegg: 1. Oversikt meldinger og strategier. Gjelder {meeting}; oppdatert per {}.",
            format_date(today)
        ))]),
        Block::Heading(2, "Bakgrunn".into()),
        Block::Para(vec![Span::plain(
            "Rådet har bedt om at en oversikt over kjente og kommende meldinger, strategier og NOU-er legges frem på hvert møte for å bidra til forutsigbarhet og planlegging av rådets arbeid knyttet til slike, blant annet med tanke på utarbeidelse av høringsinnspill. Oversikten (vedlegg 1) bør sees i sammenheng med rådets handlingsplan.",
        )]),
        Block::Heading(2, "Hvorfor saken fremmes til dette møtet".into()),
        Block::Para(vec![Span::plain(
            "Dette er en sak som legges frem på hvert rådsmøte for at rådet skal ta stilling til om rådet skal følge opp spesifikke meldinger, utredninger eller strategier.",
        )]),
        Block::Heading(2, "Hovedpunkter".into()),
    ];
    let since = ctx.previous.map(|p| p.date);
    blocks.push(Block::Para(vec![Span::plain(match ctx.previous {
        Some(p) => format!(
            "Oversikten blir for hver gang oppdatert med de innspillene som kom på forrige møte og eventuelle nye høringer, strategier og utvalgsarbeid. Siden forrige møte ({}, {}):",
            p.id,
            format_date(p.date)
        ),
        None => "Oversikten blir for hver gang oppdatert med de innspillene som kom på forrige møte og eventuelle nye høringer, strategier og utvalgsarbeid.".into(),
    })]));

    let mut new_hearings = Vec::new();
    let mut new_docs = Vec::new();
    let mut soon = Vec::new();
    let mut launched = Vec::new();
    for (row, view) in rows.iter().zip(&t.rows) {
        let mut line = title_spans(view);
        let any_deadline = super::view::deadlines(row).into_iter().max();
        if view.flags.contains(&Flag::New) {
            match any_deadline {
                Some(d) => {
                    line.push(Span::plain(format!(" – høringsfrist {}", format_date(d))));
                    new_hearings.push(line.clone());
                }
                None => new_docs.push(line.clone()),
            }
        }
        if let Some(Flag::DeadlineBeforeNextMeeting { deadline }) = view
            .flags
            .iter()
            .find(|f| matches!(f, Flag::DeadlineBeforeNextMeeting { .. }))
        {
            let mut l = title_spans(view);
            l.push(Span::plain(format!(
                " – frist {}: før neste møte, så rådet kan ikke behandle høringen i et møte før fristen. En arbeidsgruppe eller rådsleder må følge opp.",
                format_date(*deadline)
            )));
            soon.push(l);
        }
        if let Some(after) = since
            && let Some(d) = launched_between(row, after, today)
        {
            let mut l = title_spans(view);
            l.push(Span::plain(format!(" – lansert {}", format_date(d))));
            launched.push(l);
        }
    }
    let mut section = |heading: &str, items: Vec<Vec<Span>>, empty: &str| {
        blocks.push(Block::Heading(3, heading.into()));
        if items.is_empty() {
            blocks.push(Block::Para(vec![Span::plain(empty)]));
        } else {
            blocks.push(Block::Bullets(items));
        }
    };
    section(
        "Nye høringer",
        new_hearings,
        "Ingen nye høringer siden forrige møte.",
    );
    section(
        "Lansert siden forrige møte",
        launched,
        "Ingen dokumenter i oversikten er lansert siden forrige møte.",
    );
    let next = ctx
        .next
        .map(|n| format!("Frister før neste møte ({}, {})", n.id, format_date(n.date)))
        .unwrap_or_else(|| "Frister før neste møte".into());
    section(&next, soon, "Ingen høringsfrister faller før neste møte.");
    section(
        "Andre nye saker i oversikten",
        new_docs,
        "Ingen andre nye saker.",
    );
    blocks.push(Block::Para(vec![Span::plain(
        "Rådet bes spille inn relevante meldinger, strategier og rapporter innenfor rådets ansvarsfelt som mangler, og diskutere om noen kan strykes fra listen eller trenger spesifikk oppfølging.",
    )]));
    blocks.push(Block::Heading(2, "Forslag til vedtak".into()));
    blocks.push(Block::Para(vec![Span::plain(
        "Rådet ber sekretariatet om å følge opp saken i tråd med de innspillene som kommer i møtet.",
    )]));
    blocks.push(Block::Heading(
        2,
        "Vedlegg 1. Oversikt meldinger og strategier".into(),
    ));
    blocks.push(Block::Table(t));
    Doc {
        title: "Oversikt meldinger og strategier".into(),
        blocks,
    }
}
