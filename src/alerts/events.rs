//! From stored documents and their change events to the alerts members
//! should get. Pure: the same state gives the same alerts with the same
//! keys, so the delivery ledger can tell what was sent.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::{AlertSettings, Meeting};
use crate::model::{DocKind, EventKind, Status};
use crate::store::{StoredDocument, StoredEvent};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertKind {
    /// A new relevant hearing, NOU, white paper or strategy.
    New,
    /// The deadline is this many days away (one of the configured offsets).
    Reminder { days: i64 },
    /// The høringsfrist moved.
    DeadlineMoved { from: Date, to: Date },
    /// The hearing closed; `council` says what the council did about it
    /// (none when it is not on the council's table).
    Closed {
        status_text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        council: Option<String>,
    },
    /// The deadline falls before the next council meeting: the council
    /// cannot treat it in a meeting. For the secretariat, at once.
    BeforeMeeting { meeting: String, meeting_date: Date },
    /// A source has failed this many times in a row (told once per outage).
    SourceBroken {
        source: String,
        failures: u32,
        error: String,
    },
    /// A source that was reported broken works again.
    SourceRecovered { source: String },
    /// The configured meeting calendar has no meeting to prepare for (or
    /// none after it): told once per calendar.
    CalendarEnds { missing: String },
    /// A run would have changed many documents of a source at once; the
    /// changes were held back (told once per streak).
    ChangesHeld { source: String, changes: u64 },
}

/// A relevant document and what the matcher said of it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocFacts {
    pub doc: StoredDocument,
    /// (id, name) of the themes it matched.
    pub themes: Vec<(String, String)>,
    /// The council's track on the row the document belongs to, if any.
    pub track: Option<crate::store::Track>,
}

/// One alert about one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Stable across runs: the ledger's key.
    pub key: String,
    pub kind: AlertKind,
    pub doc_id: u64,
    /// The document, as its site names it (none for an alert about a
    /// source or the calendar).
    pub doc_key: Option<crate::model::DocKey>,
    pub title: String,
    pub url: String,
    /// The document's kind (none for an alert about a source or the
    /// calendar).
    pub doc_type: Option<DocKind>,
    pub departments: Vec<String>,
    pub deadline: Option<Date>,
    pub days_left: Option<i64>,
    /// (id, name)
    pub themes: Vec<(String, String)>,
    /// Only the secretariat gets it.
    pub secretariat_only: bool,
    /// Keys of alerts this one tells as well, recorded with it when it is
    /// sent (a "Frist endret" covers the reminder due the same day and any
    /// earlier move not yet told).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// For a "Frist endret": every recent move of the deadline, oldest
    /// first, as (its alert's key, from, to), so that each recipient is
    /// told from the date they were last told (see `deliver::plan`).
    #[serde(skip)]
    pub moves: Vec<(String, Date, Date)>,
}

impl Alert {
    /// Most urgent first: the nearest deadline, then the kind.
    pub fn urgency(&self) -> (i64, u8) {
        let kind = match self.kind {
            AlertKind::SourceBroken { .. }
            | AlertKind::SourceRecovered { .. }
            | AlertKind::ChangesHeld { .. }
            | AlertKind::CalendarEnds { .. } => 0,
            AlertKind::BeforeMeeting { .. } => 0,
            AlertKind::Reminder { .. } => 1,
            AlertKind::DeadlineMoved { .. } => 2,
            AlertKind::New => 3,
            AlertKind::Closed { .. } => 4,
        };
        (self.days_left.unwrap_or(i64::MAX), kind)
    }
}

fn date(s: Option<&str>) -> Option<Date> {
    s.and_then(|d| d.get(..10)).and_then(|d| d.parse().ok())
}

/// Everything to alert about now. `events` are the store's change events
/// of the relevant documents.
pub fn derive_alerts(
    docs: &[DocFacts],
    events: &[StoredEvent],
    today: Date,
    next_meeting: Option<&Meeting>,
    settings: &AlertSettings,
) -> Vec<Alert> {
    let horizon = today.saturating_sub(jiff::Span::new().days(settings.max_age_days));
    let mut out = Vec::new();
    for f in docs {
        let d = &f.doc;
        let deadline = d.deadline;
        let days_left = deadline.map(|dl| i64::from((dl - today).get_days()));
        let base = |key: String, kind: AlertKind, secretariat_only: bool| Alert {
            key,
            kind,
            doc_id: d.id.0,
            doc_key: Some(d.key.clone()),
            title: d.title.clone(),
            url: d.url.clone(),
            doc_type: Some(d.doc_type),
            departments: d.departments.clone(),
            deadline,
            days_left,
            themes: f.themes.clone(),
            secretariat_only,
            covers: Vec::new(),
            moves: Vec::new(),
        };
        let first_seen = Some(crate::clock::oslo_date(d.first_seen));
        let published = d.published;
        // A hearing whose deadline has passed is never news, however it
        // was first seen (a past session read again, an old page found).
        let past = d.doc_type == DocKind::Horing
            && (deadline.is_some_and(|dl| dl < today)
                || (d.status == Status::Closed && published.is_some_and(|p| p < today)));
        let fresh = !past
            && first_seen.is_some_and(|s| s >= horizon)
            && published.is_none_or(|p| p >= horizon);
        if fresh {
            out.push(base(format!("new:{}", d.id), AlertKind::New, false));
        }
        let open = d.status == Status::Open
            || (d.status == Status::Unknown && d.doc_type == DocKind::Horing);
        // The council's track: reminders of the deadline only while it
        // means to answer (or has not decided), and not once it has.
        let decision = f.track.as_ref().map(|t| t.decision);
        // An answer counts for this hearing when sent once it was out
        // (published, or first seen if that was earlier).
        let opened = published.into_iter().chain(first_seen).min();
        let answered = f.track.as_ref().and_then(|t| t.answered(opened));
        let followed = decision.is_none_or(|d| d.may_answer()) && answered.is_none();
        if let (true, true, Some(dl), Some(left)) = (open, followed, deadline, days_left)
            && left >= 0
        {
            // The reminder for the nearest offset the deadline is within,
            // unless the "new" alert, sent inside that window, already told
            // it. (An old hearing seen for the first time gets the reminder:
            // it is not announced as new.)
            if let Some(&o) = settings.reminder_days.iter().filter(|&&o| left <= o).min() {
                let window_opened = dl.saturating_sub(jiff::Span::new().days(o));
                let told_as_new = fresh && first_seen.is_some_and(|s| s >= window_opened);
                if !told_as_new {
                    out.push(base(
                        format!("reminder:{}:{dl}:{o}", d.id),
                        AlertKind::Reminder { days: o },
                        false,
                    ));
                }
            }
            if let Some(m) = next_meeting
                && dl < m.date
            {
                out.push(base(
                    format!("before_meeting:{}:{dl}:{}", d.id, m.id),
                    AlertKind::BeforeMeeting {
                        meeting: m.id.clone(),
                        meeting_date: m.date,
                    },
                    true,
                ));
            }
        }
        // A correction puts back a value an untrusted page had put there:
        // history, never news.
        let recent = events
            .iter()
            .filter(|e| e.doc_id == d.id && !e.correction)
            .filter(|e| crate::clock::oslo_date(e.at) >= horizon);
        let mut moves = Vec::new();
        for e in recent {
            match e.kind {
                EventKind::DeadlineChanged => {
                    if let (Some(from), Some(to)) =
                        (date(e.old_value.as_deref()), date(e.new_value.as_deref()))
                    {
                        moves.push((e.id, from, to));
                    }
                }
                // The site's words for the new status are kept; whether it
                // closed is what the site's reader made of them.
                EventKind::StatusChanged => {
                    let new = e.new_value.clone().unwrap_or_default();
                    // Not told for an item the council decided to leave.
                    let left_alone = decision.is_some_and(|d| !d.may_answer());
                    if d.status == Status::Closed && !left_alone {
                        let council = f.track.as_ref().map(|_| match answered {
                            Some(s) => format!(
                                "Rådet sendte {} {}.",
                                s.kind.words().to_lowercase(),
                                s.date.strftime("%d.%m.%Y")
                            ),
                            None => "Rådet sendte ikke innspill eller høringssvar.".to_string(),
                        });
                        out.push(base(
                            format!("closed:{}", e.id),
                            AlertKind::Closed {
                                status_text: new,
                                council,
                            },
                            false,
                        ));
                    }
                }
                _ => {}
            }
        }
        // One "Frist endret" per hearing: the latest move, to the newest
        // date. It tells the earlier moves not yet sent and the reminder
        // due today (the planner leaves those out for whoever gets it), and
        // each recipient is told from the date they were last told. A move
        // to a date that has passed is not news.
        moves.sort_by_key(|m| m.0);
        if let Some(&(last_id, _, to)) = moves.last()
            && to >= today
        {
            let from = moves.first().map_or(to, |m| m.1);
            let mut covers: Vec<String> = moves
                .iter()
                .filter(|m| m.0 != last_id)
                .map(|m| format!("moved:{}", m.0))
                .collect();
            let reminder = format!("reminder:{}:", d.id);
            covers.extend(
                out.iter()
                    .filter(|a| a.key.starts_with(&reminder))
                    .map(|a| a.key.clone()),
            );
            let mut moved = base(
                format!("moved:{last_id}"),
                AlertKind::DeadlineMoved { from, to },
                false,
            );
            moved.covers = covers;
            moved.moves = moves
                .iter()
                .map(|&(id, from, to)| (format!("moved:{id}"), from, to))
                .collect();
            out.push(moved);
        }
    }
    out.sort_by(|a, b| a.urgency().cmp(&b.urgency()).then(a.key.cmp(&b.key)));
    out
}

/// The secretariat's alert that the meeting calendar runs out (once for
/// each last meeting the calendar has).
pub fn calendar_alert(
    ctx: &crate::meetings::MeetingContext<'_>,
    last: Option<&str>,
) -> Option<Alert> {
    let missing = ctx.complete().err()?;
    Some(Alert {
        key: format!("calendar_ends:{}", last.unwrap_or("-")),
        kind: AlertKind::CalendarEnds {
            missing: missing.to_string(),
        },
        doc_id: 0,
        doc_key: None,
        title: "Møtekalenderen".into(),
        url: String::new(),
        doc_type: None,
        departments: Vec::new(),
        deadline: None,
        days_left: None,
        themes: Vec::new(),
        secretariat_only: true,
        covers: Vec::new(),
        moves: Vec::new(),
    })
}

/// Alerts to the secretariat about sources: once when a source has failed
/// `threshold` times in a row, once when it works again.
pub fn source_alerts(
    states: &[crate::store::SourceState],
    urls: &dyn Fn(&str) -> String,
    threshold: u32,
) -> Vec<Alert> {
    let mut out = Vec::new();
    let base = |key: String, kind: AlertKind, name: &str| Alert {
        key,
        kind,
        doc_id: 0,
        doc_key: None,
        title: name.to_string(),
        url: urls(name),
        doc_type: None,
        departments: Vec::new(),
        deadline: None,
        days_left: None,
        themes: Vec::new(),
        secretariat_only: true,
        covers: Vec::new(),
        moves: Vec::new(),
    };
    for s in states {
        // The breaker held changes back: the secretariat hears at once
        // (the site may have broken, or really changed a lot).
        if let (Some(since), Some(changes)) = (&s.failing_since, s.held_changes) {
            out.push(base(
                format!("source_held:{}:{since}", s.name),
                AlertKind::ChangesHeld {
                    source: s.name.clone(),
                    changes,
                },
                &s.name,
            ));
        }
        if let Some(since) = &s.failing_since
            && s.consecutive_failures >= threshold
        {
            out.push(base(
                format!("source_broken:{}:{since}", s.name),
                AlertKind::SourceBroken {
                    source: s.name.clone(),
                    failures: s.consecutive_failures,
                    error: s.last_error.clone().unwrap_or_default(),
                },
                &s.name,
            ));
        }
        if let Some(from) = &s.recovered_from
            && s.failing_since.is_none()
            && s.streak_peak >= threshold
        {
            out.push(base(
                format!("source_recovered:{}:{from}", s.name),
                AlertKind::SourceRecovered {
                    source: s.name.clone(),
                },
                &s.name,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocId;
    use jiff::civil::date as d;

    fn doc(id: u64, first_seen: &str, deadline: Option<&str>, status: &str) -> DocFacts {
        DocFacts {
            doc: StoredDocument {
                id: DocId(id),
                key: crate::model::DocKey::new("test", id.to_string()),
                url: format!("https://x/id{id}/"),
                title: format!("Høring {id}"),
                doc_type: DocKind::Horing,
                doc_type_text: "Høring".into(),
                identifier: None,
                refers_to: None,
                departments: vec!["Helse- og omsorgsdepartementet".into()],
                summary: None,
                published: first_seen[..10].parse().ok(),
                deadline: deadline.and_then(|d| d.parse().ok()),
                status: Status::parse(status),
                status_text: None,
                topics: vec![],
                language: None,
                source: "s".into(),
                first_seen: first_seen.parse().unwrap(),
                last_seen: first_seen.parse().unwrap(),
                detail_fetched: None,
            },
            themes: vec![("H2".into(), "Kunnskapsbaserte tjenester".into())],
            track: None,
        }
    }

    fn keys(alerts: &[Alert]) -> Vec<&str> {
        alerts.iter().map(|a| a.key.as_str()).collect()
    }

    #[test]
    fn new_then_reminders_at_the_offsets() {
        let s = AlertSettings::default();
        let docs = [doc(1, "2026-09-01T08:00:00Z", Some("2026-10-15"), "open")];
        // Seen on 1 September: new. 44 days left, no reminder yet.
        assert_eq!(
            keys(&derive_alerts(&docs, &[], d(2026, 9, 1), None, &s)),
            ["new:1"]
        );
        // 24 September: 21 days left.
        assert_eq!(
            keys(&derive_alerts(&docs, &[], d(2026, 9, 24), None, &s)),
            ["reminder:1:2026-10-15:21", "new:1"]
        );
        // 10 October: 5 days left → the 7-day reminder, and no longer new.
        assert_eq!(
            keys(&derive_alerts(&docs, &[], d(2026, 10, 10), None, &s)),
            ["reminder:1:2026-10-15:7"]
        );
        // After the deadline: nothing.
        assert!(derive_alerts(&docs, &[], d(2026, 10, 16), None, &s).is_empty());
    }

    #[test]
    fn no_reminder_for_a_window_the_hearing_opened_inside() {
        let s = AlertSettings::default();
        // Seen 5 days before its deadline: the new alert says so; the 21-
        // and 7-day reminders would only repeat it. The 2-day one comes.
        let docs = [doc(2, "2026-10-10T08:00:00Z", Some("2026-10-15"), "open")];
        assert_eq!(
            keys(&derive_alerts(&docs, &[], d(2026, 10, 10), None, &s)),
            ["new:2"]
        );
        assert_eq!(
            keys(&derive_alerts(&docs, &[], d(2026, 10, 13), None, &s)),
            ["reminder:2:2026-10-15:2", "new:2"]
        );
    }

    #[test]
    fn an_old_hearing_seen_late_gets_its_reminder() {
        let s = AlertSettings::default();
        // Published in August, first seen by us on 10 October, 5 days
        // before its deadline: too old to be news, so the reminder tells it.
        let mut f = doc(5, "2026-10-10T08:00:00Z", Some("2026-10-15"), "open");
        f.doc.published = Some(d(2026, 8, 1));
        assert_eq!(
            keys(&derive_alerts(&[f], &[], d(2026, 10, 10), None, &s)),
            ["reminder:5:2026-10-15:7"]
        );
    }

    #[test]
    fn deadline_before_the_next_meeting_goes_to_the_secretariat() {
        let s = AlertSettings::default();
        let docs = [doc(3, "2026-09-01T08:00:00Z", Some("2026-09-20"), "open")];
        let m = Meeting {
            id: "4/2026".into(),
            date: d(2026, 10, 1),
        };
        let a = derive_alerts(&docs, &[], d(2026, 9, 1), Some(&m), &s);
        let before = a
            .iter()
            .find(|a| a.key.starts_with("before_meeting"))
            .unwrap();
        assert!(before.secretariat_only);
        assert_eq!(before.key, "before_meeting:3:2026-09-20:4/2026");
        assert_eq!(a[0].key, before.key, "most urgent first");
    }

    #[test]
    fn moved_and_closed_from_events_within_the_horizon() {
        let s = AlertSettings::default();
        let docs = [doc(4, "2026-01-01T08:00:00Z", Some("2026-11-01"), "closed")];
        let ev = |id, at: &str, kind: &str, old: &str, new: &str| StoredEvent {
            id,
            doc_id: DocId(4),
            at: at.parse().unwrap(),
            kind: EventKind::parse(kind).unwrap(),
            old_value: Some(old.into()),
            new_value: Some(new.into()),
            correction: false,
        };
        let events = [
            ev(
                10,
                "2026-01-05T08:00:00Z",
                "deadline_changed",
                "2026-09-01",
                "2026-10-01",
            ),
            ev(
                11,
                "2026-10-02T08:00:00Z",
                "deadline_changed",
                "2026-10-01",
                "2026-11-01",
            ),
            ev(
                12,
                "2026-10-03T08:00:00Z",
                "status_changed",
                "På høring",
                "Under behandling",
            ),
        ];
        let a = derive_alerts(&docs, &events, d(2026, 10, 3), None, &s);
        // The January move is older than max_age_days: not news any more.
        assert_eq!(keys(&a), ["moved:11", "closed:12"]);
        assert_eq!(
            a[0].kind,
            AlertKind::DeadlineMoved {
                from: d(2026, 10, 1),
                to: d(2026, 11, 1)
            }
        );
    }

    #[test]
    fn a_move_replaces_the_reminder_and_earlier_moves_and_a_passed_one_is_no_news() {
        let s = AlertSettings::default();
        let ev = |id, at: &str, old: &str, new: &str| StoredEvent {
            id,
            doc_id: DocId(6),
            at: at.parse().unwrap(),
            kind: EventKind::DeadlineChanged,
            old_value: Some(old.into()),
            new_value: Some(new.into()),
            correction: false,
        };
        // Moved twice in a week; today the new deadline is 7 days away.
        let docs = [doc(6, "2026-09-01T08:00:00Z", Some("2026-10-17"), "open")];
        let events = [
            ev(20, "2026-10-05T08:00:00Z", "2026-10-01", "2026-10-10"),
            ev(21, "2026-10-09T08:00:00Z", "2026-10-10", "2026-10-17"),
        ];
        let a = derive_alerts(&docs, &events, d(2026, 10, 10), None, &s);
        // The reminder stays beside the move; whoever gets the move gets
        // it instead (deliver::plan leaves covered alerts out).
        assert_eq!(keys(&a), ["reminder:6:2026-10-17:7", "moved:21"], "{a:#?}");
        assert_eq!(
            a[1].kind,
            AlertKind::DeadlineMoved {
                from: d(2026, 10, 1),
                to: d(2026, 10, 17)
            }
        );
        assert_eq!(a[1].covers, ["moved:20", "reminder:6:2026-10-17:7"]);
        assert_eq!(a[1].moves.len(), 2);
        // A move to a day that has passed is not announced.
        let late = [doc(7, "2026-09-01T08:00:00Z", Some("2026-10-02"), "open")];
        let events = [StoredEvent {
            doc_id: DocId(7),
            ..ev(30, "2026-10-09T08:00:00Z", "2026-09-20", "2026-10-02")
        }];
        assert!(derive_alerts(&late, &events, d(2026, 10, 10), None, &s).is_empty());
        // A correction is never news.
        let events = [StoredEvent {
            correction: true,
            ..ev(31, "2026-10-09T08:00:00Z", "2026-10-01", "2026-10-17")
        }];
        assert_eq!(
            keys(&derive_alerts(&docs, &events, d(2026, 10, 10), None, &s)),
            ["reminder:6:2026-10-17:7"]
        );
    }
}
