//! The case papers as the council reads them: never a false statement,
//! every item once and complete, Word that can be pasted, Excel that opens
//! as a table, Markdown without dead links, and the council's real 3/2024
//! table made into a case.

mod common;

use std::collections::BTreeMap;

use common::office::{docx_table, has_part, part};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use policywatch::config::{CaseHeader, Config};
use policywatch::meetings::MeetingContext;
use policywatch::model::{DocId, DocInfo, DocKind, Status};
use policywatch::overview::ops::{DEFAULT_TABLE, ManualRow, add_row, import_table};
use policywatch::overview::render::Format;
use policywatch::overview::sync::sync_overview;
use policywatch::overview::{Column, papers};
use policywatch::store::{Actor, Changes, OverrideKind, Store};

const CALENDAR: &str = r#"
[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"

[[meeting]]
id = "2/2026"
date = "2026-10-27"

[[meeting]]
id = "3/2026"
date = "2026-12-10"

[[meeting]]
id = "4/2026"
date = "2027-01-25"

[case]
from = "Ole Johan Borge"
"#;

fn config() -> Config {
    Config::parse(CALENDAR, std::path::Path::new("t.toml")).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-26T09:00:00Z";

fn today() -> Date {
    date(2026, 11, 26)
}

struct Doc {
    id: u64,
    kind: DocKind,
    title: &'static str,
    published: Date,
    deadline: Option<Date>,
    summary: &'static str,
}

/// What the crawler found: a strategy the secretariat expects by name, the
/// NOU its "Utredning fra …utvalget" row stands for, four hearings (before
/// the meeting, between the meetings, one seen only after its deadline)
/// and a white paper.
fn found() -> Vec<Doc> {
    vec![
        Doc {
            id: 1,
            kind: DocKind::Strategi,
            title: "Hjernehelsestrategi 2026–2030",
            published: date(2026, 11, 17),
            deadline: None,
            summary: "Strategien skal styrke forebygging, behandling og forskning på hjernehelse.",
        },
        Doc {
            id: 2,
            kind: DocKind::Nou,
            title: "NOU 2026: 6 Den nye velferdskommunen",
            published: date(2026, 9, 27),
            deadline: None,
            summary: "Innovasjons- og samskapingsutvalget har vurdert kommunenes oppgaver.",
        },
        Doc {
            id: 3,
            kind: DocKind::Horing,
            title: "Høring – veileder til ny helseforskningslov",
            published: date(2026, 11, 10),
            deadline: Some(date(2026, 12, 1)),
            summary: "Veilederen skal gjøre loven lettere å bruke.",
        },
        Doc {
            id: 4,
            kind: DocKind::Horing,
            title: "Høring – standarder for e-helseløsninger",
            published: date(2026, 11, 12),
            deadline: Some(date(2026, 12, 26)),
            summary: "Forslaget gjelder standarder.",
        },
        Doc {
            id: 5,
            kind: DocKind::Horing,
            title: "Høring – bioteknologiloven",
            published: date(2026, 9, 1),
            deadline: Some(date(2026, 11, 5)),
            summary: "Forslaget gjelder genetiske undersøkelser.",
        },
        Doc {
            id: 6,
            kind: DocKind::MeldSt,
            title: "Meld. St. 7 (2026–2027) Helseberedskap",
            published: date(2026, 11, 15),
            deadline: None,
            summary: "Meldingen gjelder helseberedskap.",
        },
    ]
}

/// The council's 3/2026 table, imported in January, and what the crawler
/// found, synced today.
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import_table(&mut store, DEFAULT_TABLE, ts("2026-01-10T09:00:00Z"))
        .unwrap()
        .unwrap();
    for d in found() {
        let info = DocInfo::new(
            policywatch::sources::regjeringen::key(d.id),
            format!("https://www.regjeringen.no/no/dokumenter/d/id{}/", d.id),
            d.title.into(),
            Some(d.published),
            d.kind,
            String::new(),
            vec!["Helse- og omsorgsdepartementet".into()],
            Some(d.summary.into()),
            d.deadline,
            if d.deadline.is_some() {
                Status::Open
            } else {
                Status::Unknown
            },
            d.deadline.map(|_| "På høring".into()),
        );
        store
            .apply_list_item(&info, "horinger", ts(TODAY), None, Changes::Store)
            .unwrap();
        store
            .set_override(DocId(d.id), OverrideKind::Pin, None, ts(TODAY))
            .unwrap();
    }
    sync_overview(&mut store, today(), ts(TODAY), 120).unwrap();
    store
}

fn case_markdown(store: &Store, header: &CaseHeader) -> String {
    let config = config();
    let ctx = MeetingContext::around(&config.meetings, None, today());
    let doc = papers::case(store, &ctx, today(), header).unwrap();
    String::from_utf8(Format::Markdown.renderer().render(&doc).unwrap()).unwrap()
}

/// The text between a heading and the next heading of its level or above.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no «{heading}» in\n{md}"));
    let level = heading.chars().take_while(|c| *c == '#').count();
    let rest = &md[start + heading.len()..];
    let end = rest
        .match_indices("\n#")
        .find(|(i, _)| rest[i + 1..].chars().take_while(|c| *c == '#').count() <= level)
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

#[test]
fn the_case_names_each_item_once_under_the_right_meeting() {
    let store = store();
    let md = case_markdown(&store, &config().case);
    let hovedpunkter = section(&md, "### Hovedpunkter");
    // Before the meeting being prepared (3/2026, 10 December): act now.
    let act = section(hovedpunkter, "#### Høringsfrister før møte 3/2026");
    assert!(
        act.contains("##### Høring – veileder til ny helseforskningslov"),
        "{act}"
    );
    assert!(act.contains("rådsleder eller en arbeidsgruppe må følge opp før fristen"));
    // Between 3/2026 and 4/2026: the council takes a stand at 3/2026.
    let new = section(hovedpunkter, "#### Nye høringer");
    assert!(
        new.contains("##### Høring – standarder for e-helseløsninger"),
        "{new}"
    );
    assert!(new.contains("Høringsfrist 26.12.2026: rådet må ta stilling i møte 3/2026."));
    // Launches since the last meeting, the one the crawler found for the
    // secretariat's own "Hjernehelsestrategi" row included, with its link.
    let launched = section(hovedpunkter, "#### Lansert siden forrige møte");
    assert!(
        launched.contains("##### Hjernehelsestrategi\n"),
        "{launched}"
    );
    assert!(
        launched.contains("[Lansert 17.11.2026.](https://www.regjeringen.no/no/dokumenter/d/id1/)"),
        "{launched}"
    );
    assert!(launched.contains("##### Meld. St. 7 (2026–2027) Helseberedskap"));
    // Each item once in the case.
    for title in [
        "Meld. St. 7 (2026–2027) Helseberedskap",
        "Høring – veileder til ny helseforskningslov",
        "Høring – standarder for e-helseløsninger",
        "Hjernehelsestrategi",
    ] {
        let n = hovedpunkter.matches(&format!("##### {title}\n")).count();
        assert_eq!(n, 1, "{title} appears {n} times:\n{hovedpunkter}");
    }
    // A hearing first seen after its deadline is said to be so, not news.
    assert!(
        hovedpunkter.contains("først sett etter høringsfristen 05.11.2026"),
        "{hovedpunkter}"
    );
    assert!(!new.contains("bioteknologiloven"));
    // The table's flags use the same words and meetings.
    let table = section(&md, "## Vedlegg 1. Oversikt meldinger og strategier");
    let row = |needle: &str| {
        table
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
            .to_string()
    };
    assert!(
        row("veileder til ny helseforskningslov")
            .contains("Frist 01.12.2026, før møte 3/2026: følg opp før møtet")
    );
    assert!(
        row("standarder for e-helseløsninger")
            .contains("Frist 26.12.2026, før møte 4/2026: ta stilling i møte 3/2026")
    );
    let bio = row("bioteknologiloven");
    assert!(
        bio.contains("Sett først etter fristen (05.11.2026)") && !bio.contains("**NY**"),
        "{bio}"
    );
    assert!(row("Hjernehelsestrategi").contains("**Lansert 17.11.2026**"));
}

#[test]
fn the_case_header_is_the_councils() {
    let store = store();
    let header = CaseHeader {
        number: Some(28),
        ..config().case
    };
    let md = case_markdown(&store, &header);
    assert!(
        md.starts_with("# Sak 28/3/2026\n\n## Oppfølging av meldinger og strategier\n"),
        "{md}"
    );
    for field in [
        "**Til:** HelseOmsorg21-rådet",
        "**Saksbehandler:** HO21-sekretariatet",
        "**Vedlegg:** 1. Oversikt meldinger og strategier",
        "**Fra:** Ole Johan Borge",
    ] {
        assert!(md.contains(field), "{field}");
    }
}

#[test]
fn the_secretariats_paragraph_or_the_summary_stands_under_each_item() {
    let mut store = store();
    let md = case_markdown(&store, &config().case);
    assert!(
        md.contains("Veilederen skal gjøre loven lettere å bruke."),
        "the site's summary"
    );
    let row = store
        .overview_rows(true)
        .unwrap()
        .into_iter()
        .find(|r| r.doc_id == Some(DocId(3)))
        .unwrap();
    store
        .overview_set_note(
            row.id,
            Some("Arbeidsgruppen (Diaz, Tangen) skriver et utkast; se [høringen](https://www.regjeringen.no/id3/)."),
            ts(TODAY),
        )
        .unwrap();
    let md = case_markdown(&store, &config().case);
    let act = section(&md, "#### Høringsfrister før møte 3/2026");
    assert!(act.contains("Arbeidsgruppen (Diaz, Tangen) skriver et utkast; se [høringen](https://www.regjeringen.no/id3/)."), "{act}");
    assert!(
        !act.contains("lettere å bruke"),
        "the note replaces the summary"
    );
}

#[test]
fn a_hand_row_and_its_document_are_linked_or_proposed_not_doubled() {
    let mut store = store();
    let rows = store.overview_rows(true).unwrap();
    let title = |r: &policywatch::store::OverviewRow| {
        r.cells
            .get(&Column::Title)
            .and_then(|c| c.shown())
            .map(policywatch::overview::cells::plain_text)
            .unwrap_or_default()
    };
    // Same name: linked, no second row.
    assert_eq!(
        rows.iter()
            .filter(|r| title(r).starts_with("Hjernehelsestrategi"))
            .count(),
        1
    );
    // Not sure: proposed.
    let proposals = store.overview_proposals().unwrap();
    assert_eq!(proposals.len(), 1, "{proposals:#?}");
    let hand = rows
        .iter()
        .find(|r| title(r) == "Utredning fra Innovasjon- og samskapingsutvalget")
        .unwrap();
    assert_eq!(
        (proposals[0].row_id, proposals[0].doc_id),
        (hand.id, DocId(2))
    );
    // Accepted: the document moves to the secretariat's row.
    let crawler_row = rows.iter().find(|r| r.doc_id == Some(DocId(2))).unwrap().id;
    store
        .overview_release_doc(crawler_row, DocId(2), Actor::Secretariat, ts(TODAY))
        .unwrap();
    store
        .overview_link(hand.id, DocId(2), false, Actor::Secretariat, ts(TODAY))
        .unwrap();
    store.overview_close_proposals(DocId(2)).unwrap();
    sync_overview(&mut store, today(), ts(TODAY), 120).unwrap();
    let rows = store.overview_rows(true).unwrap();
    assert!(!rows.iter().any(|r| r.id == crawler_row));
    assert!(store.overview_proposals().unwrap().is_empty());
    let md = case_markdown(&store, &config().case);
    let table = section(&md, "## Vedlegg 1. Oversikt meldinger og strategier");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("samskapingsutvalget"))
        .collect();
    assert_eq!(rows.len(), 1, "{table}");
    assert!(
        rows[0].starts_with("| [Utredning fra Innovasjon- og samskapingsutvalget](https://www.regjeringen.no/no/dokumenter/d/id2/)"),
        "the secretariat's title, linked to the NOU: {}",
        rows[0]
    );
}

#[test]
fn hand_cells_links_and_markup_characters_come_through() {
    let mut store = store();
    // The secretariat writes the site's date in its own words: no
    // "Fra regjeringen.no" line beneath.
    let row = store
        .overview_rows(true)
        .unwrap()
        .into_iter()
        .find(|r| r.doc_id == Some(DocId(4)))
        .unwrap();
    store
        .overview_set_cell(
            row.id,
            Column::Hearing,
            Some("Frist høring 26.12.2026"),
            Actor::Secretariat,
            ts(TODAY),
        )
        .unwrap();
    // Retitled: keeps its link.
    store
        .overview_set_cell(
            row.id,
            Column::Title,
            Some("E-helsestandarder"),
            Actor::Secretariat,
            ts(TODAY),
        )
        .unwrap();
    // By hand, with a URL that has parentheses and a title with brackets and stars.
    add_row(
        &mut store,
        &ManualRow {
            title: "Plan [utkast] for *alle*".into(),
            url: Some("https://no.wikipedia.org/wiki/Plan_(politikk)".into()),
            cells: vec![],
        },
        ts(TODAY),
    )
    .unwrap();
    let config = config();
    let ctx = MeetingContext::around(&config.meetings, None, today());
    let doc = papers::table_doc(&store, &ctx, today(), false).unwrap();
    let md = String::from_utf8(Format::Markdown.renderer().render(&doc).unwrap()).unwrap();
    let line = md
        .lines()
        .find(|l| l.contains("E-helsestandarder"))
        .unwrap();
    assert!(!line.contains("Fra regjeringen.no"), "{line}");
    assert!(
        line.contains("[E-helsestandarder](https://www.regjeringen.no/no/dokumenter/d/id4/)"),
        "{line}"
    );
    // No dead links: the imported table's lost links are plain text.
    assert!(!md.contains("](#)"), "{md}");
    let html = String::from_utf8(Format::Html.renderer().render(&doc).unwrap()).unwrap();
    assert!(
        html.contains("href=\"https://no.wikipedia.org/wiki/Plan_%28politikk%29\""),
        "{html}"
    );
    assert!(html.contains(">Plan [utkast] for *alle*</a>"), "{html}");
    // The table's own headings, as imported (2026's wording).
    assert!(md.contains("| Melding/strategi/NOU | Innspill | Lansering | Høring | Forslag videre oppfølging fra HO21-rådet |"));
}

#[test]
fn word_is_paste_ready() {
    let store = store();
    let config = config();
    let ctx = MeetingContext::around(&config.meetings, None, today());
    let doc = papers::case(&store, &ctx, today(), &config.case).unwrap();
    let bytes = Format::Docx.renderer().render(&doc).unwrap();
    let xml = part(&bytes, "word/document.xml");
    // Two sections: the case in portrait, Vedlegg 1 in landscape.
    let sections: Vec<&str> = xml
        .match_indices("<w:sectPr")
        .map(|(i, _)| &xml[i..])
        .collect();
    assert_eq!(sections.len(), 2, "{xml}");
    assert!(
        sections[0].contains(r#"w:w="11906" w:h="16838""#),
        "portrait first"
    );
    assert!(
        sections[1].contains(r#"w:w="16838" w:h="11906""#)
            && sections[1].contains(r#"w:orient="landscape""#)
    );
    let vedlegg = xml.find("Vedlegg 1. Oversikt").unwrap();
    assert!(
        xml.find("<w:sectPr").unwrap() < vedlegg,
        "Vedlegg 1 starts a new section"
    );
    // The table within the landscape text width (16838 − 2 × 1134).
    let grid: Vec<u32> = xml
        .match_indices("<w:gridCol w:w=\"")
        .map(|(i, m)| {
            let rest = &xml[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(grid.len(), 5);
    assert!(grid.iter().sum::<u32>() <= 16838 - 2 * 1134, "{grid:?}");
    // Header row repeated, rows kept whole.
    assert_eq!(xml.matches("<w:tblHeader").count(), 1);
    let rows = docx_table(&bytes);
    assert_eq!(xml.matches("<w:cantSplit").count(), rows.len());
    // Real default font and size, real lists, styled flags, live links.
    let styles = part(&bytes, "word/styles.xml");
    assert!(
        styles.contains("<w:docDefaults>") && styles.contains(r#"w:ascii="Calibri""#),
        "{styles}"
    );
    assert!(styles.contains(r#"<w:sz w:val="22" />"#) || styles.contains(r#"<w:sz w:val="22"/>"#));
    for level in 1..=5 {
        assert!(styles.contains(&format!(r#"w:styleId="Heading{level}""#)));
    }
    assert!(has_part(&bytes, "word/numbering.xml"));
    assert!(
        xml.contains(r#"w:fill="FFC9A3""#),
        "the before-the-meeting flag is shaded"
    );
    let rels = part(&bytes, "word/_rels/document.xml.rels");
    assert!(
        rels.contains("https://www.regjeringen.no/no/dokumenter/d/id3/"),
        "{rels}"
    );
    assert!(
        !xml.contains("[NY]") && !xml.contains("• "),
        "no typed flags or bullets"
    );
}

#[test]
fn excel_opens_as_a_table() {
    let store = store();
    let config = config();
    let ctx = MeetingContext::around(&config.meetings, None, today());
    let doc = papers::table_doc(&store, &ctx, today(), false).unwrap();
    let bytes = Format::Xlsx.renderer().render(&doc).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<cols>") && sheet.contains("customWidth=\"1\""));
    assert!(sheet.contains("<hyperlinks>"));
    assert!(sheet.contains("<autoFilter"));
    let rows = store.overview_rows(true).unwrap().len();
    assert_eq!(
        sheet.matches("<row ").count(),
        rows + 1,
        "every row and the header"
    );
    let shared = part(&bytes, "xl/sharedStrings.xml");
    assert!(shared.contains("Forslag videre oppfølging fra HO21-rådet"));
    assert!(shared.contains("Frist 01.12.2026, før møte 3/2026: følg opp før møtet"));
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("FFFFC9A3") && styles.contains(r#"wrapText="1""#),
        "{styles}"
    );
    let rels = part(&bytes, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(rels.contains("https://www.regjeringen.no/no/dokumenter/d/id3/"));
}

/// The council's real table from meeting 3/2024 (seed 004), imported and
/// made into the case for 3/2024 (9 October 2024), with that year's
/// meetings: a Word file that opens, fits the page, and names the right
/// launches and deadlines.
#[test]
fn the_real_3_2024_table_makes_a_right_case() {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/seeds.md");
    let Ok(seeds) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: {} is not beside the repo", path.display());
        return;
    };
    let start = seeds.find("### 1.1 Instance A").unwrap();
    let block = seeds[start..].find("```text\n").unwrap() + start + 8;
    let end = seeds[block..].find("```").unwrap() + block;
    let mut store = Store::open_in_memory().unwrap();
    let (added, _) = import_table(&mut store, &seeds[block..end], ts("2024-06-20T09:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(added, 26);
    let config = Config::parse(
        r#"
[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"
[[meeting]]
id = "2/2024"
date = "2024-06-04"
[[meeting]]
id = "3/2024"
date = "2024-10-09"
[[meeting]]
id = "4/2024"
date = "2024-12-11"
"#,
        std::path::Path::new("t.toml"),
    )
    .unwrap();
    let today = date(2024, 10, 1);
    let ctx = MeetingContext::around(&config.meetings, config.meeting("3/2024"), today);
    let header = CaseHeader {
        number: Some(35),
        ..CaseHeader::default()
    };
    let doc = papers::case(&store, &ctx, today, &header).unwrap();
    let bytes = Format::Docx.renderer().render(&doc).unwrap();
    // It opens: every part is well-formed XML.
    for name in ["word/document.xml", "word/styles.xml", "word/numbering.xml"] {
        let xml = part(&bytes, name);
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
    let rows = docx_table(&bytes);
    assert_eq!(rows.len(), 27, "the header and 26 rows");
    assert_eq!(rows[0][1], "Innspill fra rådet", "2024's own headings");
    let md = String::from_utf8(Format::Markdown.renderer().render(&doc).unwrap()).unwrap();
    assert!(md.starts_with("# Sak 35/3/2024"));
    let launched = section(&md, "#### Lansert siden forrige møte");
    let mut named: BTreeMap<&str, &str> = BTreeMap::new();
    for (title, day) in [
        (
            "Oppdragsrapport: Anbefaling for norsk legemiddelproduksjon og norsk helsekatapult",
            "27.06.2024",
        ),
        ("Nasjonal digitaliseringsstrategi", "26.09.2024"),
        ("NOU 2024: 18 En universell tannhelsetjeneste", "26.09.2024"),
    ] {
        assert!(launched.contains(title), "{title} in\n{launched}");
        named.insert(title, day);
    }
    assert!(
        !launched.contains("Profesjonsmeldingen"),
        "launched before the last meeting"
    );
    // The hearings in November fall between 3/2024 and 4/2024: decided now.
    let decide = section(&md, "#### Høringsfrister før møte 4/2024");
    assert!(
        decide.contains("forbud mot markedsføring av visse næringsmidler"),
        "{decide}"
    );
    assert!(decide.contains("Høringsfrist 22.11.2024: rådet må ta stilling i møte 3/2024."));
    assert!(decide.contains("Høringsfrist 15.11.2024"));
    // January 2025 is after 4/2024: not this meeting's business.
    assert!(!md[..md.find("## Vedlegg 1").unwrap()].contains("taushetsplikt"));
}

#[test]
fn papers_are_refused_when_the_calendar_runs_out_and_run_says_so_once() {
    let server = standin::SiteServer::start(&common::test_site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    // The shipped calendar: it ends at 3/2026 (4 June).
    let text = common::config_text(&server, &db)
        + "\n[[meeting]]\nid = \"2/2026\"\ndate = \"2026-03-04\"\n[[meeting]]\nid = \"3/2026\"\ndate = \"2026-06-04\"\n[outputs]\ndir = \"ut\"\nformats = [\"md\"]\n";
    std::fs::write(&cfg, text).unwrap();
    policywatch::store::Store::open(&db).unwrap();
    let pw = |now: &str| {
        let mut c = assert_cmd::Command::cargo_bin("policywatch").unwrap();
        c.env("POLICYWATCH_LOG", "off")
            .arg("--config")
            .arg(&cfg)
            .args(["--now", now]);
        c
    };
    for args in [
        &["case"][..],
        &["overview", "render"],
        &["case", "--meeting", "3/2026"],
    ] {
        pw("2026-07-04T08:00:00Z")
            .args(args)
            .assert()
            .code(3)
            .stderr(predicates::str::contains("[[meeting]]"));
    }
    pw("2026-07-04T08:00:00Z")
        .args(["case", "--meeting", "3/2026"])
        .assert()
        .stderr(predicates::str::contains("møtet etter 3/2026"));
    // run still writes the table, and plans one alert that says so.
    pw("2026-07-04T08:00:00Z")
        .args(["run", "--backfill", "3", "--no-notify"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("ut/oversikt.md")).unwrap();
    assert!(md.contains("Møtekalenderen har ikke neste møte"), "{md}");
    let secretariat = "\n[smtp]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\nfrom = \"a@ho21.example\"\n[[recipient]]\nname = \"Sekretariatet\"\nemail = \"sek@ho21.example\"\nsecretariat = true\n";
    std::fs::write(&cfg, std::fs::read_to_string(&cfg).unwrap() + secretariat).unwrap();
    let out = pw("2026-07-04T09:00:00Z")
        .args(["notify", "--dry-run"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let messages: Vec<&str> = out.lines().filter(|l| l.starts_with("=== Til")).collect();
    assert_eq!(messages.len(), 1, "{out}");
    assert!(messages[0].contains("Møtekalenderen går ut"), "{out}");
}
