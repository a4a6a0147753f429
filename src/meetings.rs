//! The council's meetings as the case papers and the alerts see them: the
//! meeting being prepared, the one before it and the one after, and what a
//! hearing deadline means for them. One vocabulary, used by the table's
//! flags, the case and the alerts alike.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Meeting;
use crate::norsk::format_date;

/// The meeting a table or a case is made for, with its neighbours. Any of
/// them may be missing when the configured calendar runs out.
#[derive(Debug, Clone, Copy)]
pub struct MeetingContext<'a> {
    pub meeting: Option<&'a Meeting>,
    pub previous: Option<&'a Meeting>,
    pub next: Option<&'a Meeting>,
}

/// A meeting the context lacks, for the message that says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MissingMeeting {
    #[error("ingen kommende rådsmøte står i møtekalenderen")]
    Upcoming,
    #[error("møtet før {0} står ikke i møtekalenderen")]
    Previous(String),
    #[error("møtet etter {0} står ikke i møtekalenderen")]
    Next(String),
}

impl<'a> MeetingContext<'a> {
    /// The context for `meeting`, or for the next meeting on or after
    /// `today` when none is named.
    pub fn around(meetings: &'a [Meeting], meeting: Option<&'a Meeting>, today: Date) -> Self {
        let meeting = meeting.or_else(|| meetings.iter().find(|m| m.date >= today));
        match meeting {
            Some(m) => MeetingContext {
                meeting: Some(m),
                previous: meetings.iter().rfind(|o| o.date < m.date),
                next: meetings.iter().find(|o| o.date > m.date),
            },
            None => MeetingContext {
                meeting: None,
                previous: meetings.iter().rfind(|o| o.date < today),
                next: None,
            },
        }
    }

    /// Whether everything the case needs is known: the meeting, the one
    /// before (what is new) and the one after (which deadlines the council
    /// can still treat). Without them the case would state false things.
    pub fn complete(&self) -> Result<(), MissingMeeting> {
        let m = self.meeting.ok_or(MissingMeeting::Upcoming)?;
        if self.previous.is_none() {
            return Err(MissingMeeting::Previous(m.id.clone()));
        }
        if self.next.is_none() {
            return Err(MissingMeeting::Next(m.id.clone()));
        }
        Ok(())
    }
}

/// What a hearing deadline means for the meeting being prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum DeadlineClass {
    /// Already passed.
    Passed,
    /// Before the meeting being prepared: the council cannot treat it in a
    /// meeting; the chair or a working group must act now.
    BeforeMeeting { meeting: String, meeting_date: Date },
    /// Between the meeting being prepared and the next: the council decides
    /// at this meeting.
    BeforeNext {
        meeting: String,
        next: String,
        next_date: Date,
    },
    /// After the next meeting: later.
    Later,
    /// Not passed, but the calendar has no meeting to place it against.
    Unplaced,
}

/// Places a deadline against the meetings.
pub fn classify(deadline: Date, today: Date, ctx: &MeetingContext<'_>) -> DeadlineClass {
    if deadline < today {
        return DeadlineClass::Passed;
    }
    let Some(m) = ctx.meeting else {
        return DeadlineClass::Unplaced;
    };
    if deadline < m.date {
        return DeadlineClass::BeforeMeeting {
            meeting: m.id.clone(),
            meeting_date: m.date,
        };
    }
    match ctx.next {
        Some(n) if deadline < n.date => DeadlineClass::BeforeNext {
            meeting: m.id.clone(),
            next: n.id.clone(),
            next_date: n.date,
        },
        Some(_) => DeadlineClass::Later,
        None => DeadlineClass::Unplaced,
    }
}

/// "Frist 01.12.2026, før møte 3/2026": the deadline and the meeting it
/// falls before, the same words everywhere.
pub fn before_meeting_words(deadline: Date, meeting: &str) -> String {
    format!("Frist {}, før møte {meeting}", format_date(deadline))
}

/// What the secretariat must do about a deadline before the meeting.
pub fn act_now_words(meeting: &str) -> String {
    format!(
        "rådet kan ikke behandle høringen i møte {meeting}; rådsleder eller en arbeidsgruppe må følge opp før fristen"
    )
}

/// What the council must do about a deadline before the next meeting.
pub fn decide_words(meeting: &str) -> String {
    format!("rådet må ta stilling i møte {meeting}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn m(id: &str, d: Date) -> Meeting {
        Meeting {
            id: id.into(),
            date: d,
        }
    }

    #[test]
    fn deadlines_fall_before_this_meeting_or_before_the_next() {
        let cal = [
            m("2/2026", date(2026, 10, 27)),
            m("3/2026", date(2026, 12, 10)),
            m("4/2026", date(2027, 1, 25)),
        ];
        let today = date(2026, 11, 26);
        let ctx = MeetingContext::around(&cal, None, today);
        assert_eq!(ctx.meeting.unwrap().id, "3/2026");
        assert!(ctx.complete().is_ok());
        assert_eq!(
            classify(date(2026, 11, 1), today, &ctx),
            DeadlineClass::Passed
        );
        assert!(matches!(
            classify(date(2026, 12, 1), today, &ctx),
            DeadlineClass::BeforeMeeting { meeting, .. } if meeting == "3/2026"
        ));
        assert!(matches!(
            classify(date(2026, 12, 26), today, &ctx),
            DeadlineClass::BeforeNext { next, .. } if next == "4/2026"
        ));
        assert_eq!(
            classify(date(2027, 2, 1), today, &ctx),
            DeadlineClass::Later
        );
    }

    #[test]
    fn a_calendar_that_runs_out_is_said_not_guessed() {
        let cal = [m("3/2026", date(2026, 6, 4))];
        let today = date(2026, 11, 26);
        let ctx = MeetingContext::around(&cal, None, today);
        assert_eq!(ctx.complete(), Err(MissingMeeting::Upcoming));
        assert_eq!(ctx.previous.unwrap().id, "3/2026");
        assert_eq!(
            classify(date(2026, 12, 1), today, &ctx),
            DeadlineClass::Unplaced
        );
        let ctx = MeetingContext::around(&cal, Some(&cal[0]), date(2026, 5, 1));
        assert_eq!(
            ctx.complete(),
            Err(MissingMeeting::Previous("3/2026".into()))
        );
    }
}
