//! `policywatch history ID`: a document and every change seen to it.

use super::{Exit, GlobalArgs, open_store};
use crate::cli::HistoryArgs;
use crate::model::EventKind;

pub fn run(g: &GlobalArgs, args: &HistoryArgs) -> super::Result<Exit> {
    let store = open_store(g, false)?;
    let doc = super::require_doc(&store, &args.id)?;
    let events = store.history(doc.id)?;
    if args.json {
        super::json::print(
            "history",
            &super::json::History {
                document: (&doc).into(),
                events: events.iter().map(Into::into).collect(),
            },
        )?;
        return Ok(Exit::Ok);
    }
    outln!("{}  {}", doc.key, doc.title)?;
    outln!("  {}", doc.url)?;
    for e in &events {
        let what = e.kind.label();
        let what = if e.correction {
            format!("{what} (rettet etter en side som ikke var til å stole på)")
        } else {
            what.to_string()
        };
        match (&e.old_value, &e.new_value) {
            (Some(old), Some(new)) => outln!("  {}  {what}: {old} → {new}", e.at),
            (None, Some(new)) if e.kind != EventKind::New => outln!("  {}  {what}: → {new}", e.at),
            _ => outln!("  {}  {what}", e.at),
        }?;
    }
    Ok(Exit::Ok)
}
