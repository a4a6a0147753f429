//! A stand-in for Stortinget's open data API (data.stortinget.no), on the
//! model of what is documented of it: the sessions, and a session's
//! committee hearings, in XML, stamped afresh on every request.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::esc;

/// Paths the stand-in answers, below the origin.
pub const SESSIONS: &str = "/eksport/sesjoner";

/// The path of a session's hearings.
pub fn hearings_path(session: &str) -> String {
    format!("/eksport/horinger?sesjonid={session}")
}

/// Replaced on every request by a fresh time (`respons_dato_tid`).
pub const VOLATILE: &str = "%%RESPONS_DATO_TID%%";

/// A case a hearing is about.
#[derive(Debug, Clone, PartialEq)]
pub struct HearingCase {
    pub id: u64,
    pub short_title: String,
    pub title: String,
    /// `Meld. St. 7 (2026–2027)`, as the API writes it (either dash).
    pub reference: String,
}

/// A committee hearing.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitteeHearing {
    pub id: u64,
    /// `Planlagt`, `Avholdt`, …
    pub status: String,
    /// Written input only (no oral hearing).
    pub written: bool,
    pub start: Option<Date>,
    /// Deadline for written input; `None` is written as year one.
    pub deadline: Option<Date>,
    /// Deadline to ask to speak at an oral hearing.
    pub request_deadline: Option<Date>,
    pub committee: String,
    pub cases: Vec<HearingCase>,
}

/// Stortinget's part of the stand-in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parliament {
    /// The current session, `2026-2027`.
    pub session: String,
    /// Whether the API already lists the next session.
    pub next_listed: bool,
    pub hearings: Vec<CommitteeHearing>,
    /// The `versjon` the answers carry.
    pub version: String,
}

fn api_date(d: Option<Date>, time: &str) -> String {
    match d {
        Some(d) => format!("{d}T{time}"),
        None => "0001-01-01T00:00:00".into(),
    }
}

fn stamp(version: &str) -> String {
    format!("<respons_dato_tid>{VOLATILE}</respons_dato_tid><versjon>{version}</versjon>")
}

fn next_session(session: &str) -> Option<String> {
    let (a, b) = session.split_once('-')?;
    Some(format!(
        "{}-{}",
        a.parse::<u16>().ok()? + 1,
        b.parse::<u16>().ok()? + 1
    ))
}

/// `/eksport/sesjoner`.
pub fn sessions(p: &Parliament) -> String {
    let v = &p.version;
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sesjoner_oversikt xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://data.stortinget.no\">{s}\n\
<innevaerende_sesjon>{s}<fra>{a}-10-01T00:00:00</fra><id>{id}</id><til>{b}-09-30T23:59:59</til></innevaerende_sesjon>\n<sesjoner_liste>\n",
        s = stamp(v),
        id = p.session,
        a = p.session.get(..4).unwrap_or("2026"),
        b = p.session.get(5..9).unwrap_or("2027"),
    );
    let mut ids = vec![p.session.clone()];
    if p.next_listed
        && let Some(n) = next_session(&p.session)
    {
        ids.push(n);
    }
    for id in ids {
        let _ = writeln!(
            x,
            "<sesjon>{}<fra>{}-10-01T00:00:00</fra><id>{id}</id><til>{}-09-30T23:59:59</til></sesjon>",
            stamp(v),
            id.get(..4).unwrap_or(""),
            id.get(5..9).unwrap_or("")
        );
    }
    x.push_str("</sesjoner_liste>\n</sesjoner_oversikt>\n");
    x
}

/// `/eksport/horinger?sesjonid=…`: the hearings of `session`.
pub fn hearings(p: &Parliament, session: &str) -> String {
    let v = &p.version;
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<horinger_oversikt xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://data.stortinget.no\">{}\n<horinger_liste>\n",
        stamp(v)
    );
    if session == p.session {
        for h in &p.hearings {
            let _ = write!(
                x,
                "<horing>{s}\n<anmodningsfrist_dato_tid>{anm}</anmodningsfrist_dato_tid>\n<horing_sak_info_liste>\n",
                s = stamp(v),
                anm = api_date(h.request_deadline, "12:00:00"),
            );
            for c in &h.cases {
                let _ = writeln!(
                    x,
                    "<horing_sak_info>{s}<sak_henvisning>{r}</sak_henvisning><sak_id>{id}</sak_id><sak_korttittel>{k}</sak_korttittel>\
<sak_publikasjon>https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p={id}</sak_publikasjon><sak_tittel>{t}</sak_tittel></horing_sak_info>",
                    s = stamp(v),
                    r = esc(&c.reference),
                    id = c.id,
                    k = esc(&c.short_title),
                    t = esc(&c.title),
                );
            }
            let _ = write!(
                x,
                "</horing_sak_info_liste>\n<horing_status>{st}</horing_status>\n<horingstidspunkt_liste><horingstidspunkt>{s}<sted>Stortinget</sted><tidspunkt>{start}</tidspunkt></horingstidspunkt></horingstidspunkt_liste>\n\
<id>{id}</id>\n<innspillsfrist>{frist}</innspillsfrist>\n<komite>{s}<id>KOM{id}</id><navn>{kom}</navn></komite>\n<skriftlig>{w}</skriftlig>\n\
<soknadfrist_dato>0001-01-01T00:00:00</soknadfrist_dato>\n<start_dato>{start}</start_dato>\n<status>1</status>\n<status_info_tekst>{st}</status_info_tekst>\n<type>{ty}</type>\n</horing>\n",
                s = stamp(v),
                st = esc(&h.status),
                start = api_date(h.start, "10:00:00"),
                id = h.id,
                frist = api_date(h.deadline, "12:00:00"),
                kom = esc(&h.committee),
                w = h.written,
                ty = if h.written { 2 } else { 1 },
            );
        }
    }
    x.push_str("</horinger_liste>\n<sesjon_id>");
    x.push_str(session);
    x.push_str("</sesjon_id>\n</horinger_oversikt>\n");
    x
}
