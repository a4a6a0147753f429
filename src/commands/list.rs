//! `policywatch list [--open] [--json]`.

use super::report::{kind_label, show_date};
use super::{Exit, GlobalArgs, open_store};
use crate::cli::ListArgs;

pub fn run(g: &GlobalArgs, args: &ListArgs) -> super::Result<Exit> {
    let store = open_store(g, false)?;
    let docs = if args.relevant {
        let mut docs = store.relevant_documents()?;
        if args.open {
            docs.retain(|d| d.status == crate::model::Status::Open);
            docs.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.id.cmp(&b.id)));
        }
        docs
    } else {
        store.documents(args.open)?
    };
    if args.json {
        super::json::print(
            "list",
            &super::json::List {
                documents: docs.iter().map(Into::into).collect(),
            },
        )?;
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
            Some(_) => format!("  frist {}", show_date(d.deadline)),
            None => String::new(),
        };
        outln!(
            "{:>20}  {}  {:<8} {}{}",
            d.key.to_string(),
            show_date(d.published),
            kind_label(d),
            d.title,
            deadline
        )?;
    }
    Ok(Exit::Ok)
}
