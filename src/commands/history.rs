//! `policywatch history ID`: a document and every change seen to it.

use super::{Exit, GlobalArgs, open_store, print_json};
use crate::cli::HistoryArgs;
use crate::model::DocId;

pub fn run(g: &GlobalArgs, args: &HistoryArgs) -> anyhow::Result<Exit> {
    let store = match open_store(g)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let id = DocId(args.id);
    let Some(doc) = super::require_doc(&store, id)? else {
        return Ok(Exit::Failure);
    };
    let events = store.history(id)?;
    if args.json {
        print_json(&serde_json::json!({ "document": doc, "events": events }))?;
        return Ok(Exit::Ok);
    }
    outln!("{}  {}", doc.id, doc.title)?;
    outln!("  {}", doc.url)?;
    for e in &events {
        let what = match e.kind.as_str() {
            "new" => "ny".to_string(),
            "deadline_changed" => "høringsfrist endret".to_string(),
            "status_changed" => "status endret".to_string(),
            "title_changed" => "tittel endret".to_string(),
            other => other.to_string(),
        };
        match (&e.old_value, &e.new_value) {
            (Some(old), Some(new)) => outln!("  {}  {what}: {old} → {new}", e.at),
            (None, Some(new)) if e.kind != "new" => outln!("  {}  {what}: → {new}", e.at),
            _ => outln!("  {}  {what}", e.at),
        }?;
    }
    Ok(Exit::Ok)
}
