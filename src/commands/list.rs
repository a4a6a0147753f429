//! `policywatch list [--open] [--json]`.

use super::{Exit, GlobalArgs, open_store, print_json};
use crate::cli::ListArgs;
use crate::norsk::{format_date, parse_date};

/// An ISO date from the store, the Norwegian way.
pub(crate) fn show_date(iso: Option<&str>) -> String {
    iso.and_then(|d| parse_date(d).ok())
        .map(format_date)
        .unwrap_or_else(|| "–".into())
}

/// The site's own word for the kind ("Høring", "NOU"), or the normalised one.
pub(crate) fn kind_label(d: &crate::store::StoredDocument) -> &str {
    if d.doc_type_text.is_empty() {
        &d.doc_type
    } else {
        &d.doc_type_text
    }
}

pub fn run(g: &GlobalArgs, args: &ListArgs) -> anyhow::Result<Exit> {
    let store = match open_store(g)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let docs = if args.relevant {
        let mut docs = store.relevant_documents()?;
        if args.open {
            docs.retain(|d| d.status == "open");
            docs.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.id.cmp(&b.id)));
        }
        docs
    } else {
        store.documents(args.open)?
    };
    if args.json {
        print_json(&docs)?;
        return Ok(Exit::Ok);
    }
    if docs.is_empty() {
        outln!(
            "Ingen dokumenter{}.",
            if args.open { " på høring" } else { "" }
        )?;
        return Ok(Exit::Ok);
    }
    for d in &docs {
        let deadline = match &d.deadline {
            Some(_) => format!("  frist {}", show_date(d.deadline.as_deref())),
            None => String::new(),
        };
        outln!(
            "{:>8}  {}  {:<8} {}{}",
            d.id.to_string(),
            show_date(d.published.as_deref()),
            kind_label(d),
            d.title,
            deadline
        )?;
    }
    Ok(Exit::Ok)
}
