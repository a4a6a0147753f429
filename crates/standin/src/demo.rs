//! The demo site's content: hearings, NOUs, white papers and a strategy of
//! the kind the council follows, and some it does not. Dates are set
//! relative to the demo's "today", so the demo always looks current.

use jiff::civil::Date;

use super::{CommitteeHearing, DocKind, HearingCase, Parliament, Site, SiteDoc};

const HOD: &str = "Helse- og omsorgsdepartementet";

struct Spec {
    id: u64,
    kind: DocKind,
    language: &'static str,
    title: &'static str,
    departments: &'static [&'static str],
    /// Days before today it was published.
    published_ago: i64,
    /// Days from today to the deadline (negative: passed).
    deadline_in: Option<i64>,
    status: Option<&'static str>,
    summary: &'static str,
    topics: &'static [&'static str],
}

const SPECS: &[Spec] = &[
    Spec {
        id: 3_190_101,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring – veileder til ny helseforskningslov",
        departments: &[HOD],
        published_ago: 20,
        deadline_in: Some(12),
        status: Some("På høring"),
        summary: "Departementet sender på høring et utkast til veileder om medisinsk og helsefaglig forskning, forhåndsgodkjenning og bruk av helseopplysninger i forskning.",
        topics: &["Helse og omsorg", "Forskning"],
    },
    Spec {
        id: 3_190_102,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring - NOU 2026: 6 Den nye velferdskommunen",
        departments: &["Kommunal- og distriktsdepartementet", HOD],
        published_ago: 6,
        deadline_in: Some(75),
        status: Some("På høring"),
        summary: "Utvalget foreslår hvordan kommunene kan organisere helse- og omsorgstjenestene for en aldrende befolkning.",
        topics: &["Kommunale helse- og omsorgstjenester"],
    },
    Spec {
        id: 3_190_103,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring – forslag til endringer i forskrift om standarder og nasjonale e-helseløsninger",
        departments: &[HOD],
        published_ago: 3,
        deadline_in: Some(30),
        status: Some("På høring"),
        summary: "Forslaget gjelder krav til bruk av nasjonale e-helseløsninger og deling av helsedata mellom virksomheter.",
        topics: &["Digitalisering av helse- og omsorgstjenestene"],
    },
    Spec {
        id: 3_190_104,
        kind: DocKind::Horing,
        language: "nn",
        title: "Høyring – endringar i pasientjournallova om tilgang til helseopplysningar i behandlingsretta register",
        departments: &[HOD],
        published_ago: 35,
        deadline_in: Some(5),
        status: Some("På høyring"),
        summary: "Departementet sender på høyring framlegg om tilgang til helseopplysningar for kvalitetsforbetring og forsking.",
        topics: &["Helse og omsorg"],
    },
    Spec {
        id: 3_190_105,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring – forslag til endringer i bioteknologiloven (genetiske undersøkelser)",
        departments: &[HOD],
        published_ago: 120,
        deadline_in: Some(-20),
        status: Some("Under behandling"),
        summary: "Forslag om endringer i reglene om genetiske undersøkelser og persontilpasset medisin.",
        topics: &["Helse og omsorg"],
    },
    Spec {
        id: 3_190_106,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring – endringer i skatteforvaltningsforskriften om tredjepartsopplysninger",
        departments: &["Finansdepartementet"],
        published_ago: 2,
        deadline_in: Some(60),
        status: Some("På høring"),
        summary: "Forslaget presiserer plikten til å gi opplysninger til skattemyndighetene.",
        topics: &["Skatter og avgifter"],
    },
    Spec {
        id: 3_190_107,
        kind: DocKind::Horing,
        language: "nb",
        title: "Forslag til forskrift om auksjon av tillatelser til lakseoppdrett",
        departments: &["Nærings- og fiskeridepartementet"],
        published_ago: 9,
        deadline_in: Some(40),
        status: Some("På høring"),
        summary: "Departementet foreslår regler for auksjon av ny produksjonskapasitet i havbruk.",
        topics: &["Fiskeri og havbruk"],
    },
    Spec {
        id: 3_190_108,
        kind: DocKind::Horing,
        language: "nb",
        title: "Høring om endringer i forskrift om dyrehelse og smittebekjempelse hos dyr",
        departments: &["Landbruks- og matdepartementet"],
        published_ago: 14,
        deadline_in: Some(45),
        status: Some("På høring"),
        summary: "Forslaget gjelder tiltak mot smittsomme sykdommer hos dyr og dyrehelse i husdyrholdet.",
        topics: &["Mat, fiske og landbruk"],
    },
    Spec {
        id: 3_190_001,
        kind: DocKind::Nou,
        language: "nb",
        title: "NOU 2026: 6 Den nye velferdskommunen",
        departments: &["Kommunal- og distriktsdepartementet"],
        published_ago: 60,
        deadline_in: None,
        status: None,
        summary: "Innovasjons- og samskapingsutvalget har vurdert kommunenes oppgaver innen helse, omsorg og velferd fram mot 2040.",
        topics: &["Kommuner og regioner", "Helse og omsorg"],
    },
    Spec {
        id: 3_190_002,
        kind: DocKind::Nou,
        language: "nb",
        title: "NOU 2026: 8 Samarbeid og informasjonsdeling for å forebygge kriminalitet",
        departments: &["Justis- og beredskapsdepartementet"],
        published_ago: 45,
        deadline_in: None,
        status: None,
        summary: "Utvalget foreslår bedre samarbeid mellom politi, kommuner og andre etater.",
        topics: &["Justis og beredskap"],
    },
    Spec {
        id: 3_190_201,
        kind: DocKind::MeldSt,
        language: "nb",
        title: "Meld. St. 7 (2026–2027) Helseberedskap – trygghet i en urolig tid",
        departments: &[HOD],
        published_ago: 11,
        deadline_in: None,
        status: None,
        summary: "Meldingen legger fram regjeringens politikk for helseberedskap, forsyningssikkerhet og legemiddelproduksjon.",
        topics: &["Helse og omsorg", "Samfunnssikkerhet og beredskap"],
    },
    Spec {
        id: 3_190_202,
        kind: DocKind::MeldSt,
        language: "nb",
        title: "Meld. St. 9 (2023–2024) Nasjonal helse- og samhandlingsplan 2024–2027",
        departments: &[HOD],
        published_ago: 1000,
        deadline_in: None,
        status: None,
        summary: "Vår felles helsetjeneste.",
        topics: &["Helse og omsorg"],
    },
    Spec {
        id: 3_190_301,
        kind: DocKind::Strategi,
        language: "nb",
        title: "Hjernehelsestrategi 2026–2030",
        departments: &[HOD],
        published_ago: 8,
        deadline_in: None,
        status: None,
        summary: "Strategien skal styrke forebygging, behandling og forskning på hjernehelse.",
        topics: &["Helse og omsorg", "Folkehelse"],
    },
];

/// The demo site as it stands on `today`.
pub fn demo_site(today: Date) -> Site {
    let day = |n: i64| today.saturating_sub(jiff::Span::new().days(n));
    let docs = SPECS
        .iter()
        .map(|s| SiteDoc {
            id: s.id,
            title: s.title.to_string(),
            kind: s.kind,
            language: s.language,
            departments: s.departments.iter().map(|d| d.to_string()).collect(),
            published: day(s.published_ago),
            summary: s.summary.to_string(),
            deadline: s.deadline_in.map(|n| day(-n)),
            status_text: s.status.map(str::to_string),
            topics: s.topics.iter().map(|t| t.to_string()).collect(),
        })
        .collect();
    Site {
        parliament: parliament(today),
        ..Site::with_docs(docs)
    }
}

/// Stortinget in the demo: the health committee's written hearing on the
/// white paper, and an oral hearing the council does not follow.
fn parliament(today: Date) -> Parliament {
    let later = |n: i64| today.saturating_add(jiff::Span::new().days(n));
    let year = today.year();
    let first = if today.month() >= 10 { year } else { year - 1 };
    Parliament {
        session: format!("{first}-{}", first + 1),
        next_listed: false,
        version: "1.6".into(),
        hearings: vec![
            CommitteeHearing {
                id: 10_501,
                status: "Planlagt".into(),
                written: true,
                start: None,
                deadline: Some(later(40)),
                request_deadline: None,
                committee: "Helse- og omsorgskomiteen".into(),
                cases: vec![HearingCase {
                    id: 101_234,
                    short_title: "Helseberedskap – trygghet i en urolig tid".into(),
                    title: "Melding til Stortinget om helseberedskap – trygghet i en urolig tid"
                        .into(),
                    reference: "Meld. St. 7 (2026-2027)".into(),
                }],
            },
            CommitteeHearing {
                id: 10_502,
                status: "Planlagt".into(),
                written: false,
                start: Some(later(30)),
                deadline: None,
                request_deadline: Some(later(20)),
                committee: "Transport- og kommunikasjonskomiteen".into(),
                cases: vec![HearingCase {
                    id: 101_301,
                    short_title: "Endringer i vegtrafikkloven (automatisert trafikkontroll)".into(),
                    title: "Endringer i vegtrafikkloven (automatisert trafikkontroll)".into(),
                    reference: "Prop. 14 L (2026–2027)".into(),
                }],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_today() {
        let site = demo_site(jiff::civil::date(2026, 11, 25));
        let first = &site.docs[0];
        assert_eq!(first.published, jiff::civil::date(2026, 11, 5));
        assert_eq!(first.deadline, Some(jiff::civil::date(2026, 12, 7)));
        let mut ids: Vec<u64> = site.docs.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), site.docs.len(), "ids are unique");
    }
}
