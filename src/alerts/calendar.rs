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
        desc.push_str(&e.url);
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@policywatch.helseomsorg21", e.doc_id),
            format!("DTSTAMP:{stamp}"),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTART;VALUE=DATE:{}", ymd(e.deadline)),
            format!("DTEND;VALUE=DATE:{}", ymd(next_day)),
            format!("SUMMARY:{}", text(&format!("Høringsfrist: {}", e.title))),
            format!("DESCRIPTION:{}", text(&desc)),
            format!("URL:{}", e.url),
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
            out.push_str(&fold(&l));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// The calendar's entries: open, relevant deadlines from today on,
/// optionally only those of one theme.
pub fn entries(
    store: &crate::store::Store,
    today: Date,
    theme: Option<&str>,
) -> anyhow::Result<Vec<CalendarEntry>> {
    let mut out = Vec::new();
    for doc in store.relevant_documents()? {
        let Some(deadline) = doc.deadline.as_deref().and_then(|d| d.parse::<Date>().ok()) else {
            continue;
        };
        if deadline < today || doc.status == "closed" {
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
            .filter(|e| e.kind == "deadline_changed")
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

#[cfg(test)]
mod tests {
    use super::*;

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
