//! The deadline calendar: RFC 5545, one all-day VEVENT per open deadline,
//! a stable UID per document, SEQUENCE raised each time the deadline moves,
//! and an alarm. Written by each run to a path a web server publishes, so
//! members subscribe to it.

use jiff::Timestamp;
use jiff::civil::Date;

/// One deadline in the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub doc_id: u64,
    pub title: String,
    pub url: String,
    pub departments: Vec<String>,
    /// (id, name) of the matched themes.
    pub themes: Vec<(String, String)>,
    pub deadline: Date,
    /// How many times the deadline has moved.
    pub sequence: u32,
}

/// Europe/Oslo, as a VTIMEZONE.
const OSLO: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Oslo",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Deadlines stay in the calendar this many days after they pass, so a
/// subscribed calendar does not drop them the moment they do.
pub const KEEP_PASSED_DAYS: i64 = 30;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

pub fn render_ics(
    entries: &[CalendarEntry],
    now: Timestamp,
    alarm_days: i64,
    name: &str,
) -> String {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//HelseOmsorg21//policywatch//NO",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!("X-WR-CALNAME:{}", text(name)),
        "X-WR-TIMEZONE:Europe/Oslo",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
    ] {
        out.push_str(&fold(l));
    }
    // A calendar holds at least one component (RFC 5545 §3.4): the time
    // zone is always there, so a calendar with no deadline is still valid.
    for l in OSLO {
        out.push_str(&fold(l));
    }
    for e in entries {
        let next_day = e.deadline.saturating_add(jiff::Span::new().days(1));
        let mut desc = String::new();
        if !e.departments.is_empty() {
            desc.push_str(&format!("{}\n", e.departments.join(", ")));
        }
        if !e.themes.is_empty() {
            let t: Vec<String> = e.themes.iter().map(|(id, n)| format!("{id} {n}")).collect();
            desc.push_str(&format!("Tema: {}\n", t.join("; ")));
        }
        let url = crate::escape::http_url(&e.url);
        if let Some(u) = url {
            desc.push_str(u);
        }
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@policywatch.helseomsorg21", e.doc_id),
            format!("DTSTAMP:{stamp}"),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTART;VALUE=DATE:{}", ymd(e.deadline)),
            format!("DTEND;VALUE=DATE:{}", ymd(next_day)),
            format!("SUMMARY:{}", text(&format!("Høringsfrist: {}", e.title))),
            format!("DESCRIPTION:{}", text(desc.trim_end())),
            url.map(|u| format!("URL:{u}")).unwrap_or_default(),
            "TRANSP:TRANSPARENT".to_string(),
            "BEGIN:VALARM".to_string(),
            "ACTION:DISPLAY".to_string(),
            format!(
                "DESCRIPTION:{}",
                text(&format!("Høringsfrist om {alarm_days} dager: {}", e.title))
            ),
            format!("TRIGGER:-P{alarm_days}D"),
            "END:VALARM".to_string(),
            "END:VEVENT".to_string(),
        ] {
            if !l.is_empty() {
                out.push_str(&fold(&l));
            }
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// The calendar's entries: the relevant deadlines from
/// [`KEEP_PASSED_DAYS`] ago on (a hearing closed before its deadline
/// leaves it), optionally only those of one theme.
pub fn entries(
    store: &crate::store::Store,
    today: Date,
    theme: Option<&str>,
) -> anyhow::Result<Vec<CalendarEntry>> {
    let mut out = Vec::new();
    for doc in store.relevant_documents()? {
        let Some(deadline) = doc.deadline else {
            continue;
        };
        let kept_from = today.saturating_sub(jiff::Span::new().days(KEEP_PASSED_DAYS));
        if deadline < kept_from || (doc.status == crate::model::Status::Closed && deadline >= today)
        {
            continue;
        }
        let themes: Vec<(String, String)> = store.relevance(doc.id)?.matched_themes();
        if let Some(t) = theme
            && !themes.iter().any(|(id, _)| id == t)
        {
            continue;
        }
        let sequence = store
            .history(doc.id)?
            .iter()
            .filter(|e| e.kind == crate::model::EventKind::DeadlineChanged)
            .count() as u32;
        out.push(CalendarEntry {
            doc_id: doc.id.0,
            title: doc.title,
            url: doc.url,
            departments: doc.departments,
            themes,
            deadline,
            sequence,
        });
    }
    out.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.doc_id.cmp(&b.doc_id)));
    Ok(out)
}

/// The deadline calendar as iCalendar text, for every follower or for one
/// theme's.
pub fn calendar_text(
    config: &crate::config::Config,
    store: &crate::store::Store,
    clock: &dyn crate::clock::Clock,
    theme: Option<&str>,
) -> anyhow::Result<String> {
    let list = entries(store, clock.today(), theme)?;
    let name = match theme {
        Some(t) => format!("Høringsfrister HO21 ({t})"),
        None => "Høringsfrister HO21".to_string(),
    };
    Ok(render_ics(
        &list,
        clock.now(),
        config.alerts.calendar_alarm_days,
        &name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(deadline: Date, url: &str) -> CalendarEntry {
        CalendarEntry {
            doc_id: 5,
            title: "Høring; om, noe".into(),
            url: url.into(),
            departments: vec![],
            themes: vec![],
            deadline,
            sequence: 0,
        }
    }

    fn parse(ics: &str) -> ical::parser::ical::component::IcalCalendar {
        ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
            .next()
            .expect("one calendar")
            .expect("it parses")
    }

    #[test]
    fn an_empty_calendar_is_a_valid_calendar() {
        let now: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let ics = render_ics(&[], now, 7, "Høringsfrister HO21");
        let cal = parse(&ics);
        assert!(cal.events.is_empty());
        assert_eq!(
            cal.timezones.len(),
            1,
            "one component, so the file is valid"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn only_http_links_reach_the_calendar() {
        let now: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let d = jiff::civil::date(2026, 12, 1);
        let ics = render_ics(&[entry(d, "javascript:alert(1)")], now, 7, "x");
        assert!(!ics.contains("javascript"), "{ics}");
        assert!(!ics.contains("\r\nURL:"), "{ics}");
        let ics = render_ics(&[entry(d, "https://www.regjeringen.no/id5/")], now, 7, "x");
        assert_eq!(parse(&ics).events.len(), 1);
        assert!(ics.contains("URL:https://www.regjeringen.no/id5/"));
    }

    #[test]
    fn escapes_and_folds() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = "SUMMARY:".to_string() + &"æ".repeat(60);
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
