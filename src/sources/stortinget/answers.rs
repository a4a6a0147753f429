//! Stortinget's open data answers (data.stortinget.no, XML): the sessions
//! and a session's committee hearings. Tolerant of what the API is known
//! to do (year-one "no date", both dashes in identifiers, volatile
//! `respons_dato_tid`/`versjon` on every entity, which are never read),
//! strict about what makes an answer an answer.

use jiff::civil::Date;
use url::Url;

use super::{SITE, hearing_url};
use crate::model::{DocInfo, DocKey, DocKind, Status};
use crate::norsk::Identifier;
use crate::sources::xml::{self, Element};
use crate::sources::{Found, Index, ParseError, ParseErrorKind, clip};

/// The sessions answer: the current session and the one after it, when
/// the API already lists it.
pub fn read_sessions(root: &Element, url: &Url) -> Result<Index, ParseError> {
    let current = root
        .at(&["innevaerende_sesjon"])
        .and_then(|s| s.text_of("id"))
        .ok_or_else(|| ParseError::layout("svaret på sesjoner mangler innevaerende_sesjon/id"))?;
    let (a, b) = session_years(&current).ok_or_else(|| {
        ParseError::layout(format!(
            "innevaerende_sesjon «{}» er ingen sesjon (som 2026-2027)",
            clip(&current)
        ))
    })?;
    let listed_ids: Vec<String> = root
        .child("sesjoner_liste")
        .into_iter()
        .flat_map(|l| l.children_named("sesjon"))
        .filter_map(|s| s.text_of("id"))
        .collect();
    let mut warnings = Vec::new();
    // A session runs from 1 October to 30 September. An answer that names
    // a session already over at the time it was made (its own
    // respons_dato_tid) has gone backwards: said, and the session of that
    // date is read instead when the answer lists it.
    let (mut a, mut b) = (a, b);
    let answered = root
        .text_of("respons_dato_tid")
        .and_then(|t| api_date(&t).ok().flatten());
    if let Some(day) = answered {
        let start = if day.month() >= 10 {
            day.year()
        } else {
            day.year() - 1
        };
        if i32::from(b) <= i32::from(start) {
            let expected = format!("{}-{}", start, start + 1);
            warnings.push(format!(
                "innevaerende_sesjon «{current}» var over før svaret ble gitt ({day}); {}",
                if listed_ids.contains(&expected) {
                    format!("leser {expected} i stedet")
                } else {
                    "leser den likevel, men ingen av dens høringer meldes som nye".into()
                }
            ));
            if listed_ids.contains(&expected) {
                (a, b) = (start as u16, start as u16 + 1);
            }
        }
    }
    let current = format!("{a}-{b}");
    let next = format!("{}-{}", a + 1, b + 1);
    let mut follow = vec![session_url(url, &current)?];
    if listed_ids.contains(&next) {
        follow.push(session_url(url, &next)?);
    }
    Ok(Index {
        follow,
        warnings,
        ..Index::default()
    })
}

fn session_url(sessions: &Url, session: &str) -> Result<Url, ParseError> {
    let mut u = sessions
        .join("horinger")
        .map_err(|e| ParseError::broken(format!("adressen til høringene: {e}")))?;
    u.set_query(Some(&format!("sesjonid={session}")));
    Ok(u)
}

/// `2026-2027` → (2026, 2027), for consecutive years only.
fn session_years(id: &str) -> Option<(u16, u16)> {
    let (a, b) = id.split_once(['-', '–'])?;
    let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b == a + 1).then_some((a, b))
}

/// An API date: local Oslo time without an offset (`2027-01-12T12:00:00`),
/// or a JSON-style `/Date(ms+0200)/`. Year one means "no date".
pub fn api_date(text: &str) -> Result<Option<Date>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(ms) = t.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) {
        let digits: String = ms
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let ms: i64 = digits.parse().map_err(|_| format!("«{}»", clip(t)))?;
        let ts = jiff::Timestamp::from_millisecond(ms).map_err(|e| e.to_string())?;
        let date = crate::clock::oslo_date(ts);
        return Ok((date.year() > 1).then_some(date));
    }
    let date: Date = t
        .get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| format!("«{}» er ingen dato", clip(t)))?;
    Ok((date.year() > 1).then_some(date))
}

/// A session's committee hearings.
pub fn read_hearings(root: &Element) -> Result<Index, ParseError> {
    let Some(list) = root.child("horinger_liste") else {
        return Err(ParseError::layout(
            "svaret på horinger mangler horinger_liste",
        ));
    };
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let mut unreadable = Vec::new();
    let hearings: Vec<&Element> = list.children_named("horing").collect();
    for (i, h) in hearings.iter().enumerate() {
        match hearing(h, &mut warnings) {
            Ok(info) => items.push(Found::Info(info)),
            Err(e) => unreadable.push(format!("høring {}: {e}", i + 1)),
        }
    }
    // One odd record is skipped and said; an answer where half or more
    // cannot be read is a broken answer, not a short one.
    if !hearings.is_empty() && unreadable.len() * 2 >= hearings.len() {
        return Err(ParseError::broken(format!(
            "svaret er ødelagt: {} av {} høringer kunne ikke leses ({})",
            unreadable.len(),
            hearings.len(),
            unreadable.join("; ")
        )));
    }
    warnings.extend(unreadable.into_iter().map(|w| format!("{w}; hoppet over")));
    Ok(Index {
        total: Some(hearings.len() as u64),
        items,
        warnings,
        ..Index::default()
    })
}

fn hearing(h: &Element, warnings: &mut Vec<String>) -> Result<DocInfo, String> {
    let id = h.text_of("id").ok_or("mangler id")?;
    if id.is_empty() || id.len() > 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("id «{}» er ikke et tall", clip(&id)));
    }
    let cases: Vec<&Element> = h
        .child("horing_sak_info_liste")
        .into_iter()
        .flat_map(|l| l.children_named("horing_sak_info"))
        .collect();
    // The hearing has no title of its own: its cases' short titles.
    let titles: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            c.text_of("sak_korttittel")
                .or_else(|| c.text_of("sak_tittel"))
        })
        .collect();
    if titles.is_empty() {
        return Err(format!("høring {id} har ingen sak med tittel"));
    }
    let summary: Vec<String> = cases
        .iter()
        .filter_map(|c| c.text_of("sak_tittel"))
        .collect();
    let refers_to = cases
        .iter()
        .filter_map(|c| c.text_of("sak_henvisning"))
        .find_map(|h| Identifier::find(&h));
    let mut date = |field: &str| -> Option<Date> {
        let text = h.text_of(field)?;
        match api_date(&text) {
            Ok(d) => d,
            Err(e) => {
                warnings.push(format!("høring {id}, {field}: {e}"));
                None
            }
        }
    };
    let start = date("start_dato");
    let written_deadline = date("innspillsfrist");
    let status_text = h.text_of("horing_status");
    let status = match status_text
        .as_deref()
        .map(crate::norsk::fold_label)
        .as_deref()
    {
        Some("planlagt" | "planlagt med forbehold" | "pabegynt" | "pagar" | "apen") => Status::Open,
        Some("avholdt" | "avlyst" | "avsluttet" | "gjennomfort") => Status::Closed,
        Some("ukjent") => Status::Unknown,
        Some(other) => {
            warnings.push(format!("høring {id}: ukjent status «{}»", clip(other)));
            Status::Unknown
        }
        None => Status::Unknown,
    };
    let committee = h
        .child("komite")
        .and_then(|k| k.text_of("navn"))
        .into_iter()
        .collect();
    let mut info = DocInfo::new(
        DocKey::new(SITE, id.clone()),
        hearing_url(&id),
        titles.join("; "),
        start,
        DocKind::Horing,
        "Høring i Stortinget".into(),
        committee,
        (!summary.is_empty()).then(|| summary.join("; ")),
        // Written input has a deadline; an oral hearing alone has none.
        written_deadline,
        status,
        status_text,
    );
    info.refers_to = refers_to.or(info.refers_to);
    Ok(info)
}

/// What an answer is, from its root element.
pub fn read(text: &str, url: &Url) -> Result<Index, ParseError> {
    let root = xml::parse(text).map_err(|e| ParseError::broken(format!("svaret: {e}")))?;
    match root.name.as_str() {
        "sesjoner_oversikt" => read_sessions(&root, url),
        "horinger_oversikt" => read_hearings(&root),
        other => Err(ParseError::new(
            ParseErrorKind::Layout,
            format!(
                "et svar fra data.stortinget.no med rotelementet «{}», ikke sesjoner eller horinger",
                clip(other)
            ),
        )),
    }
}
