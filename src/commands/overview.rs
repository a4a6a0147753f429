//! `policywatch overview …` and `policywatch case`.

use std::io::Write;

use super::{Exit, GlobalArgs, config_and_store, print_json};
use crate::cli::{AddRowArgs, CaseArgs, OverviewCommand, RenderArgs};
use crate::config::Config;
use crate::model::DocId;
use crate::overview::Column;
use crate::overview::case::case_doc;
use crate::overview::cells::plain_text;
use crate::overview::import::parse_table;
use crate::overview::ops;
use crate::overview::sync::identifier_in_title;
use crate::overview::view::{Doc, MeetingContext, overview_doc};
use crate::store::{Actor, OverviewRow, RowState, Store};

pub fn run(g: &GlobalArgs, cmd: &OverviewCommand) -> anyhow::Result<Exit> {
    let (config, mut store) = match config_and_store(g)? {
        Ok(x) => x,
        Err(exit) => return Ok(exit),
    };
    let now = super::clock(g).now();
    let row_exists = |store: &Store, id: i64| -> anyhow::Result<Option<OverviewRow>> {
        let row = store.overview_row(id)?;
        if row.is_none() {
            eprintln!("policywatch: raden {id} finnes ikke (se `policywatch overview list --all`)");
        }
        Ok(row)
    };
    match cmd {
        OverviewCommand::List { all, json } => {
            let rows = store.overview_rows(!all)?;
            if *json {
                print_json(&rows)?;
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
                    outln!("{:>4}  {title}{doc}{state}", r.id)?;
                }
            }
        }
        OverviewCommand::Show { row } => {
            let Some(r) = row_exists(&store, *row)? else {
                return Ok(Exit::Failure);
            };
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
                    outln!("    fra regjeringen.no{note}: {a}")?;
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
                outln!("    {} {} {}{col}{change}", e.at, e.actor, e.action)?;
            }
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
                eprintln!(
                    "policywatch: ukjent kolonne «{column}» (title, input, launch, hearing, followup)"
                );
                return Ok(Exit::Failure);
            };
            if row_exists(&store, *row)?.is_none() {
                return Ok(Exit::Failure);
            }
            let text = if *clear {
                None
            } else {
                text.as_deref().map(|t| t.replace("\\n", "\n"))
            };
            if col == Column::Title
                && let Some(id) = text.as_deref().and_then(identifier_in_title)
            {
                store.overview_set_identifier(*row, &id)?;
            }
            let changed =
                store.overview_set_cell(*row, col, text.as_deref(), Actor::Secretariat, now)?;
            outln!(
                "Rad {row}, {}: {}",
                col.heading(),
                if changed { "oppdatert" } else { "uendret" }
            )?;
        }
        OverviewCommand::Link { row, doc, hearing } => {
            if row_exists(&store, *row)?.is_none() {
                return Ok(Exit::Failure);
            }
            let doc = DocId(*doc);
            if super::require_doc(&store, doc)?.is_none() {
                return Ok(Exit::Failure);
            }
            if !hearing && let Some(other) = store.overview_row_of_doc(doc)? {
                eprintln!("policywatch: dokument {doc} hører allerede til rad {other}");
                return Ok(Exit::Failure);
            }
            store.overview_link(*row, doc, *hearing, Actor::Secretariat, now)?;
            crate::overview::sync::sync_overview(
                &mut store,
                super::clock(g).today(),
                now,
                config.new_row_max_age_days,
            )?;
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
            let rows = match parse_table(&text) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("policywatch: {name}: {e}");
                    return Ok(Exit::Failure);
                }
            };
            let (added, skipped) = ops::import_rows(&mut store, rows, now)?;
            outln!("Importerte {added} rader fra {name}; {skipped} fantes fra før.")?;
        }
        OverviewCommand::Render(args) => {
            let doc = render_doc(g, &config, &store, args, false)?;
            write_output(&doc, args)?;
        }
    }
    Ok(Exit::Ok)
}

fn set_state(
    store: &mut Store,
    row: i64,
    state: RowState,
    now: jiff::Timestamp,
) -> anyhow::Result<Exit> {
    if store.overview_row(row)?.is_none() {
        eprintln!("policywatch: raden {row} finnes ikke");
        return Ok(Exit::Failure);
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

/// The meeting context for `--meeting` (default: the next meeting).
pub(crate) fn context<'a>(
    config: &'a Config,
    meeting: Option<&str>,
    today: jiff::civil::Date,
) -> anyhow::Result<MeetingContext<'a>> {
    let m = match meeting {
        Some(id) => Some(config.meeting(id).ok_or_else(|| {
            anyhow::anyhow!(
                "møtet {id} står ikke i {} ([[meeting]]); kjente møter: {}",
                config.path.display(),
                config
                    .meetings
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?),
        None => config.next_meeting(today),
    };
    Ok(match m {
        Some(m) => {
            let (previous, next) = config.meetings_around(m);
            MeetingContext {
                meeting: Some(m),
                previous,
                next,
            }
        }
        None => MeetingContext {
            meeting: None,
            previous: config.meetings.iter().rfind(|m| m.date < today),
            next: None,
        },
    })
}

pub(crate) fn render_doc(
    g: &GlobalArgs,
    config: &Config,
    store: &Store,
    args: &RenderArgs,
    case: bool,
) -> anyhow::Result<Doc> {
    let today = super::clock(g).today();
    let ctx = context(config, args.meeting.as_deref(), today)?;
    let rows = store.overview_rows(true)?;
    Ok(if case {
        case_doc(&rows, &ctx, today)
    } else {
        overview_doc(&rows, &ctx, today)
    })
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

pub fn case(g: &GlobalArgs, args: &CaseArgs) -> anyhow::Result<Exit> {
    let (config, store) = match config_and_store(g)? {
        Ok(x) => x,
        Err(exit) => return Ok(exit),
    };
    if args.render.format == crate::overview::render::Format::Csv {
        eprintln!(
            "policywatch: saksfremlegget finnes som md, html og docx (csv gjelder bare tabellen)"
        );
        return Ok(Exit::Failure);
    }
    let doc = render_doc(g, &config, &store, &args.render, true)?;
    write_output(&doc, &args.render)?;
    Ok(Exit::Ok)
}
