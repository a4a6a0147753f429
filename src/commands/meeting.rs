//! `policywatch meeting add|list|remove`: the council's meetings, kept in
//! the database over the calendar `sources.toml` seeds.

use super::{Error, Exit, GlobalArgs};
use crate::cli::MeetingCommand;

pub fn run(g: &GlobalArgs, cmd: &MeetingCommand) -> super::Result<Exit> {
    let creates = matches!(cmd, MeetingCommand::Add { .. });
    let (config, store) = super::config_with_store(g, creates)?;
    let now = super::clock(g).now();
    match cmd {
        MeetingCommand::Add { id, date } => {
            if !crate::config::is_meeting_id(id) {
                return Err(Error::bad_input(format!(
                    "«{id}» er ikke et møte (som 4/2026)"
                )));
            }
            let date: jiff::civil::Date = date
                .parse()
                .map_err(|_| Error::bad_input(format!("«{date}» er ikke en dato (ÅÅÅÅ-MM-DD)")))?;
            let moved = config.meetings.iter().any(|m| &m.id == id);
            store.put_meeting(id, date, now)?;
            outln!(
                "Møte {id} {} {}.",
                if moved {
                    "er flyttet til"
                } else {
                    "er lagt til"
                },
                date.strftime("%d.%m.%Y")
            )?;
        }
        MeetingCommand::Remove { id } => {
            if !config.meetings.iter().any(|m| &m.id == id) {
                return Err(Error::bad_input(format!(
                    "møtet {id} står ikke i møtekalenderen (se `policywatch meeting list`)"
                )));
            }
            store.remove_meeting(id, now)?;
            outln!("Møte {id} er fjernet.")?;
        }
        MeetingCommand::List { json } => {
            if *json {
                let meetings: Vec<serde_json::Value> = config
                    .meetings
                    .iter()
                    .map(|m| serde_json::json!({"id": m.id, "date": m.date.to_string()}))
                    .collect();
                outln!(
                    "{}",
                    serde_json::json!({"schema": 1, "command": "meeting list", "meetings": meetings})
                )?;
            } else if config.meetings.is_empty() {
                outln!("Ingen møter. Legg til med `policywatch meeting add 4/2026 2026-10-01`.")?;
            } else {
                for m in &config.meetings {
                    outln!("{}  {}", m.id, m.date.strftime("%d.%m.%Y"))?;
                }
            }
        }
    }
    Ok(Exit::Ok)
}
