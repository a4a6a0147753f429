//! Finding documents for the web page: filtered, ordered and paged in SQL,
//! so a page answers as fast at 10,000 documents as at 100.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;

use super::reads::{DOC_COLUMNS, doc_from_row};
use super::{Store, StoredDocument, fmt_ts};
use crate::model::DocKind;

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFilter {
    /// Words in the title or summary (each must occur).
    pub text: Option<String>,
    pub site: Option<String>,
    pub kind: Option<DocKind>,
    /// A department or committee (part of its name).
    pub department: Option<String>,
    /// A theme the matcher found (`H2`).
    pub theme: Option<String>,
    /// Open hearings only, by deadline.
    pub open_only: bool,
    /// What the council follows only (matched or pinned, not dismissed).
    pub relevant_only: bool,
    /// First seen at or after.
    pub since: Option<Timestamp>,
    pub limit: u32,
    pub offset: u32,
}

impl Store {
    /// One page of the documents a filter finds, and how many it finds in
    /// all.
    pub fn search_documents(
        &self,
        f: &DocFilter,
        today: Date,
    ) -> anyhow::Result<(Vec<StoredDocument>, u64)> {
        let mut cond = vec!["1".to_string()];
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(text) = &f.text {
            for word in text.split_whitespace().take(8) {
                let p = arg(Value::Text(format!("%{}%", like_escape(word))));
                cond.push(format!(
                    "(title LIKE {p} ESCAPE '\\' OR summary LIKE {p} ESCAPE '\\')"
                ));
            }
        }
        if let Some(site) = &f.site {
            cond.push(format!("site = {}", arg(Value::Text(site.clone()))));
        }
        if let Some(kind) = f.kind {
            cond.push(format!(
                "doc_type = {}",
                arg(Value::Text(kind.as_str().into()))
            ));
        }
        if let Some(dep) = &f.department {
            cond.push(format!(
                "departments LIKE {} ESCAPE '\\'",
                arg(Value::Text(format!("%{}%", like_escape(dep))))
            ));
        }
        if let Some(theme) = &f.theme {
            cond.push(format!(
                "id IN (SELECT doc_id FROM matches WHERE themes LIKE {} ESCAPE '\\')",
                arg(Value::Text(format!("%,{},%", like_escape(theme))))
            ));
        }
        if f.open_only {
            cond.push(format!(
                "(status = 'open' OR (status = 'unknown' AND doc_type = 'horing' AND deadline >= {}))",
                arg(Value::Text(today.to_string()))
            ));
        }
        if f.relevant_only {
            cond.push(format!("({})", super::matches::RELEVANT));
        }
        if let Some(since) = f.since {
            cond.push(format!("first_seen >= {}", arg(Value::Text(fmt_ts(since)))));
        }
        let cond = cond.join(" AND ");
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM documents WHERE {cond}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let order = if f.open_only {
            "COALESCE(deadline, '9999') ASC, id ASC"
        } else {
            "COALESCE(published, substr(first_seen, 1, 10)) DESC, id DESC"
        };
        let limit = f.limit.clamp(1, 500);
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {}",
            f.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), doc_from_row)?;
        Ok((rows.collect::<Result<_, _>>()?, total as u64))
    }

    /// Documents first seen since `since` that the matcher found close to
    /// the themes without reaching them (score at least `min_score`), not
    /// decided by the secretariat: the borderline list.
    pub fn borderline_documents(
        &self,
        since: Timestamp,
        min_score: f64,
    ) -> anyhow::Result<Vec<StoredDocument>> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE first_seen >= ?1
               AND id IN (SELECT doc_id FROM matches WHERE relevant = 0 AND score >= ?2)
               AND id NOT IN (SELECT doc_id FROM overrides)
             ORDER BY first_seen DESC, id DESC LIMIT 100"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params![fmt_ts(since), min_score], doc_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The departments and committees the store knows, for a filter.
    pub fn departments(&self) -> anyhow::Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT j.value FROM documents, json_each(documents.departments) j ORDER BY j.value LIMIT 500",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A word for `LIKE … ESCAPE '\'`.
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
