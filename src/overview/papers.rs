//! The council's papers for a meeting, from the store: the table and the
//! case, with the table's own headings, the secretariat's paragraphs and
//! the documents' summaries. What `overview render`, `case`, `run` and the
//! demo write.

use std::collections::HashMap;

use jiff::civil::Date;

use super::case::case_doc;
use super::view::{Doc, Headings, ViewOptions, overview_doc};
use crate::config::{CaseHeader, Config};
use crate::meetings::MeetingContext;
use crate::store::{RowId, Store};

/// The meta key the imported table's headings are kept under.
pub const HEADINGS_KEY: &str = "overview.headings";

/// A meeting asked for that the calendar does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("møtet {id} står ikke i møtekalenderen ([[meeting]]); kjente møter: {known}")]
pub struct UnknownMeeting {
    pub id: String,
    pub known: String,
}

/// The context for `--meeting ID`, or for the next meeting from today.
pub fn meeting_context<'a>(
    config: &'a Config,
    meeting: Option<&str>,
    today: Date,
) -> Result<MeetingContext<'a>, UnknownMeeting> {
    let m = match meeting {
        Some(id) => Some(config.meeting(id).ok_or_else(|| {
            UnknownMeeting {
                id: id.to_string(),
                known: config
                    .meetings
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })?),
        None => None,
    };
    Ok(MeetingContext::around(&config.meetings, m, today))
}

/// Why the council's papers for a meeting cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    #[error(transparent)]
    Unknown(#[from] UnknownMeeting),
    /// The calendar lacks the meeting before or after: the papers would
    /// state false things about what is new and which deadlines the
    /// council can reach.
    #[error(
        "{0}. Legg inn rådsmøtene under [[meeting]] (id og dato); uten dem kan ikke saken si hva som er nytt siden forrige møte eller hvilke frister rådet rekker."
    )]
    Incomplete(crate::meetings::MissingMeeting),
}

/// The context for `--meeting ID` (or the next meeting), when the calendar
/// has the meetings around it.
pub fn ready_context<'a>(
    config: &'a Config,
    meeting: Option<&str>,
    today: Date,
) -> Result<MeetingContext<'a>, NotReady> {
    let ctx = meeting_context(config, meeting, today)?;
    ctx.complete().map_err(NotReady::Incomplete)?;
    Ok(ctx)
}

/// The headings of the table the secretariat imported (or the council's
/// current wording).
pub fn headings(store: &Store) -> anyhow::Result<Headings> {
    Ok(store
        .meta(HEADINGS_KEY)?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// The paragraph under each row in the case: the secretariat's note, else
/// the summary of the row's document (or of its hearing).
pub fn row_texts(store: &Store) -> anyhow::Result<HashMap<RowId, String>> {
    let mut out = HashMap::new();
    for row in store.overview_rows(true)? {
        let text = match row.note.clone() {
            Some(note) => Some(note),
            None => {
                let mut summary = None;
                for id in [row.doc_id, row.hearing_doc_id].into_iter().flatten() {
                    if let Some(doc) = store.document(id)?
                        && doc.summary.is_some()
                    {
                        summary = doc.summary.map(|s| super::cells::escape_markup(&s));
                        break;
                    }
                }
                summary
            }
        };
        if let Some(t) = text {
            out.insert(row.id, t);
        }
    }
    Ok(out)
}

/// The table for a meeting, for the council (`secretariat`: with the
/// secretariat's own marks).
pub fn table_doc(
    store: &Store,
    ctx: &MeetingContext<'_>,
    today: Date,
    secretariat: bool,
) -> anyhow::Result<Doc> {
    let opts = ViewOptions {
        headings: headings(store)?,
        secretariat,
    };
    Ok(overview_doc(&store.overview_rows(true)?, ctx, today, &opts))
}

/// The case for a meeting.
pub fn case(
    store: &Store,
    ctx: &MeetingContext<'_>,
    today: Date,
    header: &CaseHeader,
) -> anyhow::Result<Doc> {
    let opts = ViewOptions {
        headings: headings(store)?,
        secretariat: false,
    };
    let sent = match ctx.meeting {
        Some(m) => store.sent_between(ctx.previous.map(|p| p.date), m.date)?,
        None => Vec::new(),
    };
    Ok(case_doc(
        &store.overview_rows(true)?,
        ctx,
        today,
        &opts,
        header,
        &row_texts(store)?,
        &sent,
    ))
}
