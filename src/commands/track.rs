//! `policywatch overview decide` and `overview sent`: the council's track
//! on a row.

use super::{Error, ErrorKind};
use crate::store::{Decision, SentKind, Store};

/// Bad input to these commands: exit 3, nothing changed.
fn refused(message: String) -> Error {
    Error::new(ErrorKind::Config, message)
}

fn require_row(store: &Store, row: i64) -> super::Result<()> {
    match store.overview_row(row)? {
        Some(_) => Ok(()),
        None => Err(refused(format!(
            "raden {row} finnes ikke (se `policywatch overview list --all`)"
        ))),
    }
}

pub fn decide(
    store: &Store,
    row: i64,
    decision: &str,
    meeting: Option<&str>,
    text: Option<&str>,
    now: jiff::Timestamp,
) -> super::Result<String> {
    require_row(store, row)?;
    let d = Decision::parse(decision).ok_or_else(|| {
        refused(format!(
            "«{decision}»: bruk answer, no-input, inform, not-relevant eller open"
        ))
    })?;
    if let Some(m) = meeting
        && !crate::config::is_meeting_id(m)
    {
        return Err(refused(format!("«{m}» er ikke et møte (som 3/2026)")));
    }
    if let Some(t) = text {
        crate::overview::ops::check_length(t)?;
    }
    store.set_decision(row, d, meeting, text, now)?;
    Ok(format!(
        "Rad {row}: {}.",
        d.words().unwrap_or("ikke avgjort")
    ))
}

pub fn sent(
    store: &Store,
    row: i64,
    date: &str,
    kind: &str,
    url: Option<&str>,
    text: Option<&str>,
    now: jiff::Timestamp,
) -> super::Result<String> {
    require_row(store, row)?;
    let date: jiff::civil::Date = date
        .parse()
        .map_err(|_| refused(format!("«{date}» er ikke en dato (ÅÅÅÅ-MM-DD)")))?;
    let kind = SentKind::parse(kind)
        .ok_or_else(|| refused(format!("«{kind}»: bruk input, response eller letter")))?;
    if let Some(u) = url
        && crate::escape::http_url(u).is_none()
    {
        return Err(refused(format!("«{u}» er ikke en http(s)-adresse")));
    }
    if let Some(t) = text {
        crate::overview::ops::check_length(t)?;
    }
    store.add_sent(row, date, kind, url, text, now)?;
    Ok(format!(
        "Rad {row}: {} {} er registrert.",
        kind.words(),
        date.strftime("%d.%m.%Y")
    ))
}
