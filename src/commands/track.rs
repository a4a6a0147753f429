//! `policywatch overview decide` and `overview sent`: the council's track
//! on a row.

use super::Error;
use crate::store::{Decision, SentKind, Store};

fn require_row(store: &Store, row: i64) -> super::Result<()> {
    match store.overview_row(row)? {
        Some(_) => Ok(()),
        None => Err(Error::bad_input(format!(
            "raden {row} finnes ikke (se `policywatch overview list --all`)"
        ))),
    }
}

pub fn decide(
    store: &mut Store,
    row: i64,
    decision: &str,
    meeting: Option<&str>,
    text: Option<&str>,
    now: jiff::Timestamp,
) -> super::Result<String> {
    require_row(store, row)?;
    let d = Decision::parse(decision).ok_or_else(|| {
        Error::bad_input(format!(
            "«{decision}»: bruk answer, no-input, inform, not-relevant eller open"
        ))
    })?;
    if let Some(m) = meeting
        && !crate::config::is_meeting_id(m)
    {
        return Err(Error::bad_input(format!(
            "«{m}» er ikke et møte (som 3/2026)"
        )));
    }
    if let Some(t) = text {
        crate::overview::ops::check_length(t).map_err(Error::bad_input)?;
    }
    store.set_decision(row, d, meeting, text, now)?;
    Ok(format!(
        "Rad {row}: {}.",
        d.words().unwrap_or("ikke avgjort")
    ))
}

pub fn sent(
    store: &mut Store,
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
        .map_err(|_| Error::bad_input(format!("«{date}» er ikke en dato (ÅÅÅÅ-MM-DD)")))?;
    let kind = SentKind::parse(kind)
        .ok_or_else(|| Error::bad_input(format!("«{kind}»: bruk input, response eller letter")))?;
    if let Some(u) = url
        && crate::escape::http_url(u).is_none()
    {
        return Err(Error::bad_input(format!(
            "«{u}» er ikke en http(s)-adresse"
        )));
    }
    if let Some(t) = text {
        crate::overview::ops::check_length(t).map_err(Error::bad_input)?;
    }
    store.add_sent(row, date, kind, url, text, now)?;
    Ok(format!(
        "Rad {row}: {} {} er registrert.",
        kind.words(),
        date.strftime("%d.%m.%Y")
    ))
}
