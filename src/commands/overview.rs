//! `policywatch overview …` and `policywatch case`.

use std::io::Write;

use super::{Exit, GlobalArgs, config_and_store};
use crate::cli::{AddRowArgs, CaseArgs, OverviewCommand, RenderArgs};
use crate::config::Config;
use crate::overview::Column;
use crate::overview::cells::plain_text;
use crate::overview::ops;
use crate::overview::papers;
use crate::overview::view::Doc;
use crate::store::{Actor, OverviewRow, RowState, Store};

pub fn run(g: &GlobalArgs, cmd: &OverviewCommand) -> super::Result<Exit> {
    let creates = matches!(
        cmd,
        OverviewCommand::Import { .. } | OverviewCommand::Add(_)
    );
    let (config, mut store) = super::config_with_store(g, creates)?;
    let now = super::clock(g).now();
    let row_exists = |store: &Store, id: i64| -> super::Result<OverviewRow> {
        store.overview_row(id)?.ok_or_else(|| {
            super::Error::not_found(format!(
                "raden {id} finnes ikke (se `policywatch overview list --all`)"
            ))
        })
    };
    match cmd {
        OverviewCommand::List { all, json } => {
            let rows = store.overview_rows(!all)?;
            if *json {
                super::json::print("overview list", &super::json::Rows::of(rows, &store)?)?;
            } else if rows.is_empty() {
                outln!(
                    "Oversikten er tom. `policywatch overview import` henter rådets tabell fra møte 3/2026."
                )?;
            } else {
                for r in &rows {
                    let title = r
                        .cells
                        .get(&Column::Title)
                        .and_then(|c| c.shown())
                        .map(plain_text)
                        .unwrap_or_default();
                    let state = match r.state {
                        RowState::Active => String::new(),
                        s => format!(" [{}]", s.as_str()),
                    };
                    let doc = r.doc_id.map(|d| format!(" (dok. {d})")).unwrap_or_default();
                    let edited =
                        if r.origin == "crawler" && r.cells.values().any(|c| c.manual.is_some()) {
                            " [redigert av sekretariatet]"
                        } else {
                            ""
                        };
                    outln!("{:>4}  {title}{doc}{state}{edited}", r.id)?;
                }
                let proposals = store.overview_proposals()?;
                if !proposals.is_empty() {
                    outln!()?;
                    outln!(
                        "Foreslåtte koblinger (godta: `policywatch overview link RAD DOK`; avvis: `… --reject`):"
                    )?;
                    for p in proposals {
                        let row_title = rows
                            .iter()
                            .find(|r| r.id == p.row_id)
                            .and_then(|r| r.cells.get(&Column::Title))
                            .and_then(|c| c.shown())
                            .map(plain_text)
                            .unwrap_or_default();
                        let doc_title = store
                            .document(p.doc_id)?
                            .map(|d| d.title)
                            .unwrap_or_default();
                        outln!(
                            "  rad {} «{row_title}» ↔ dokument {} «{doc_title}»: {}",
                            p.row_id,
                            p.doc_id,
                            p.reason
                        )?;
                    }
                }
            }
        }
        OverviewCommand::Show { row } => {
            let r = row_exists(&store, *row)?;
            outln!("Rad {} ({}, {})", r.id, r.origin, r.state.as_str())?;
            if let Some(d) = r.doc_id {
                outln!("  dokument: {d}")?;
            }
            if let Some(d) = r.hearing_doc_id {
                outln!("  høring: {d}")?;
            }
            for col in Column::ALL {
                let c = r.cells.get(&col).cloned().unwrap_or_default();
                outln!("  {}:", col.heading())?;
                if let Some(m) = &c.manual {
                    outln!("    sekretariatet: {m}")?;
                }
                if let Some(a) = &c.auto {
                    let note = if c.manual.is_some() {
                        " (vises ikke)"
                    } else {
                        ""
                    };
                    let site = crate::sources::label(r.site_of(col));
                    outln!("    fra {site}{note}: {a}")?;
                }
            }
            if let Some(t) = store.track(r.id)? {
                outln!(
                    "  Rådets vedtak: {}{}{}",
                    t.decision.words().unwrap_or("ikke avgjort"),
                    t.meeting
                        .map(|m| format!(" (møte {m})"))
                        .unwrap_or_default(),
                    t.text.map(|x| format!(": «{x}»")).unwrap_or_default()
                )?;
                for s in &t.sent {
                    outln!(
                        "  Sendt: {}, {}{}",
                        s.kind.words(),
                        s.date.strftime("%d.%m.%Y"),
                        s.url
                            .as_deref()
                            .map(|u| format!(" <{u}>"))
                            .unwrap_or_default()
                    )?;
                }
            }
            outln!("  Historikk:")?;
            for e in store.overview_log(r.id)? {
                let col = e.column.map(|c| format!(" {c}")).unwrap_or_default();
                let change = match (&e.old_value, &e.new_value) {
                    (Some(o), Some(n)) => format!(": {o} → {n}"),
                    (None, Some(n)) => format!(": {n}"),
                    (Some(o), None) => format!(": {o} → (tom)"),
                    (None, None) => String::new(),
                };
                let who = match &e.account {
                    Some(a) => format!("{} ({a})", e.actor),
                    None => e.actor.clone(),
                };
                outln!("    {} {who} {}{col}{change}", e.at, e.action)?;
            }
        }
        OverviewCommand::Decide {
            row,
            decision,
            meeting,
            text,
        } => {
            let said = super::track::decide(
                &mut store,
                *row,
                decision,
                meeting.as_deref(),
                text.as_deref(),
                now,
            )?;
            // The table shows the track at once.
            sync_now(&mut store, g, &config, now)?;
            outln!("{said}")?;
        }
        OverviewCommand::Sent {
            row,
            date,
            kind,
            url,
            text,
        } => {
            let said = super::track::sent(
                &mut store,
                *row,
                date,
                kind,
                url.as_deref(),
                text.as_deref(),
                now,
            )?;
            // The table shows the track at once.
            sync_now(&mut store, g, &config, now)?;
            outln!("{said}")?;
        }
        OverviewCommand::Add(args) => {
            let id = add_row(&mut store, args, now)?;
            outln!("La til rad {id}.")?;
        }
        OverviewCommand::Edit {
            row,
            column,
            text,
            clear,
        } => {
            let Some(col) = Column::parse(column) else {
                return Err(super::Error::usage(format!(
                    "ukjent kolonne «{column}» (title, input, launch, hearing, followup)"
                )));
            };
            row_exists(&store, *row)?;
            let text = if *clear {
                None
            } else {
                text.as_deref().map(|t| t.replace("\\n", "\n"))
            };
            let changed = ops::edit_cell(&mut store, *row, col, text.as_deref(), now)?;
            outln!(
                "Rad {row}, {}: {}",
                col.heading(),
                if changed { "oppdatert" } else { "uendret" }
            )?;
        }
        OverviewCommand::Link {
            row,
            doc,
            hearing,
            reject,
        } => {
            row_exists(&store, *row)?;
            let found = super::require_doc(&store, doc)?;
            let doc = found.id;
            if *reject {
                if !store.overview_reject_proposal(*row, doc)? {
                    return Err(super::Error::not_found(format!(
                        "ingen åpent forslag om å koble rad {row} til dokument {doc}"
                    )));
                }
                outln!(
                    "Forslaget om å koble rad {row} til dokument {doc} er avvist; det kommer ikke igjen."
                )?;
                return Ok(Exit::Ok);
            }
            match ops::link(&mut store, *row, doc, *hearing, now)? {
                Ok(Some(other)) => outln!(
                    "Rad {other}, som policywatch la til for dokumentet, er tatt ut av oversikten."
                )?,
                Ok(None) => {}
                Err(refused) => return Err(super::Error::refused(refused)),
            }
            sync_now(&mut store, g, &config, now)?;
            outln!("Rad {row} er koblet til dokument {doc}.")?;
        }
        OverviewCommand::Archive { row } => {
            return set_state(&mut store, *row, RowState::Archived, now);
        }
        OverviewCommand::Dismiss { row } => {
            return set_state(&mut store, *row, RowState::Dismissed, now);
        }
        OverviewCommand::Restore { row } => {
            return set_state(&mut store, *row, RowState::Active, now);
        }
        OverviewCommand::Import { file } => {
            let (text, name) = match file {
                Some(f) => (
                    std::fs::read_to_string(f)
                        .map_err(|e| anyhow::anyhow!("kan ikke lese {}: {e}", f.display()))?,
                    f.display().to_string(),
                ),
                None => (
                    ops::DEFAULT_TABLE.to_string(),
                    "rådets tabell fra møte 3/2026".to_string(),
                ),
            };
            let (added, skipped) = match ops::import_table(&mut store, &text, now) {
                Ok(result) => result?,
                Err(e) => return Err(super::Error::usage(format!("{name}: {e}"))),
            };
            outln!("Importerte {added} rader fra {name}; {skipped} fantes fra før.")?;
        }
        OverviewCommand::Render(args) => return render(g, &config, &store, args),
        OverviewCommand::Note { row, text, clear } => {
            row_exists(&store, *row)?;
            let text = if *clear {
                None
            } else {
                text.as_deref().map(|t| t.replace("\\n", "\n"))
            };
            let changed = ops::set_note(&mut store, *row, text.as_deref(), now)?;
            outln!(
                "Rad {row}, teksten i saken: {}",
                if changed { "oppdatert" } else { "uendret" }
            )?;
        }
    }
    Ok(Exit::Ok)
}

fn set_state(
    store: &mut Store,
    row: i64,
    state: RowState,
    now: jiff::Timestamp,
) -> super::Result<Exit> {
    if store.overview_row(row)?.is_none() {
        return Err(super::Error::not_found(format!("raden {row} finnes ikke")));
    }
    let changed = store.overview_set_state(row, state, Actor::Secretariat, now)?;
    let what = match state {
        RowState::Active => "tilbake i oversikten",
        RowState::Archived => "arkivert",
        RowState::Dismissed => "avvist",
    };
    outln!(
        "Rad {row} {}{what}.",
        if changed { "er " } else { "var allerede " }
    )?;
    Ok(Exit::Ok)
}

pub(crate) fn add_row(
    store: &mut Store,
    a: &AddRowArgs,
    now: jiff::Timestamp,
) -> anyhow::Result<i64> {
    let cells = [
        (Column::Input, &a.input),
        (Column::Launch, &a.launch),
        (Column::Hearing, &a.hearing),
        (Column::Followup, &a.followup),
    ]
    .into_iter()
    .filter_map(|(c, v)| v.as_ref().map(|v| (c, v.replace("\\n", "\n"))))
    .collect();
    ops::add_row(
        store,
        &ops::ManualRow {
            title: a.title.clone(),
            url: a.url.clone(),
            cells,
        },
        now,
    )
}

/// The meeting context the council's papers are made for, or the exit
/// that says why they cannot be: a meeting the calendar does not have, or
/// a calendar without the meeting before or after (the case would state
/// false things about what is new and which deadlines the council can
/// treat).
pub(crate) fn papers_context<'a>(
    g: &GlobalArgs,
    config: &'a Config,
    meeting: Option<&str>,
) -> super::Result<crate::meetings::MeetingContext<'a>> {
    papers::ready_context(config, meeting, super::clock(g).today())
        .map_err(|e| super::Error::config(format!("{}: {e}", config.path.display())))
}

pub(crate) fn write_output(doc: &Doc, args: &RenderArgs) -> anyhow::Result<()> {
    let bytes = args.format.renderer().render(doc)?;
    match &args.output {
        Some(path) => {
            super::write_atomic(path, &bytes)?;
            eprintln!("Skrev {}", path.display());
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

fn render(
    g: &GlobalArgs,
    config: &Config,
    store: &Store,
    args: &RenderArgs,
) -> super::Result<Exit> {
    let ctx = papers_context(g, config, args.meeting.as_deref())?;
    let doc = papers::table_doc(store, &ctx, super::clock(g).today(), false)?;
    write_output(&doc, args)?;
    Ok(Exit::Ok)
}

pub fn case(g: &GlobalArgs, args: &CaseArgs) -> super::Result<Exit> {
    let (config, store) = config_and_store(g)?;
    if matches!(
        args.render.format,
        crate::config::Format::Csv | crate::config::Format::Xlsx
    ) {
        return Err(super::Error::usage(
            "saksfremlegget finnes som md, html og docx (csv og xlsx gjelder bare tabellen: `overview render`)",
        ));
    }
    let ctx = papers_context(g, &config, args.render.meeting.as_deref())?;
    let header = crate::config::CaseHeader {
        number: args.sak,
        ..config.case.clone()
    };
    let doc = papers::case(&store, &ctx, super::clock(g).today(), &header)?;
    write_output(&doc, &args.render)?;
    Ok(Exit::Ok)
}

/// Brings the table up to date after a change (as a run would).
fn sync_now(
    store: &mut Store,
    g: &GlobalArgs,
    config: &Config,
    now: jiff::Timestamp,
) -> super::Result<()> {
    crate::overview::sync::sync_overview(
        store,
        super::clock(g).today(),
        now,
        config.new_row_max_age_days,
    )?;
    Ok(())
}
