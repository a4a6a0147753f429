//! The overview table: import of both seed tables and a render that keeps
//! every cell; golden files for every format; the Word file read back by a
//! zip and XML reader; HTML that stays valid with hostile titles.

mod common;

use std::path::PathBuf;

use common::office::docx_table;
use jiff::Timestamp;
use policywatch::config::Config;
use policywatch::meetings::MeetingContext;
use policywatch::overview::cells::plain_text;
use policywatch::overview::import::parse_table;
use policywatch::overview::ops::{DEFAULT_TABLE, ManualRow, add_row, import_rows, import_table};
use policywatch::overview::render::Format;
use policywatch::overview::view::{ViewOptions, overview_doc};
use policywatch::overview::{Column, papers};
use policywatch::store::Store;

const MEETINGS: &str = r#"
[[source]]
name = "x"
kind = "rss"
url = "https://www.regjeringen.no/no/rss/Rss/2581966/"

[[meeting]]
id = "2/2026"
date = "2026-03-04"

[[meeting]]
id = "3/2026"
date = "2026-06-04"

[[meeting]]
id = "4/2026"
date = "2026-10-01"
"#;

fn config() -> Config {
    Config::parse(MEETINGS, std::path::Path::new("t.toml")).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The shipped 3/2026 table (imported in January) and two rows the
/// secretariat added in May, one with a title full of markup characters.
fn sample_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import_table(&mut store, DEFAULT_TABLE, ts("2026-01-10T09:00:00Z"))
        .unwrap()
        .unwrap();
    add_row(
        &mut store,
        &ManualRow {
            title: "Høring <script>alert('x')</script> & «sitat» \"q\" </td>".into(),
            url: Some("https://www.regjeringen.no/no/dokumenter/x/id1/?a=1&b=<2>".into()),
            cells: vec![
                (Column::Hearing, "Frist høring 01.06.2026".into()),
                (
                    Column::Followup,
                    "Arbeidsgruppe: A | B\nUtkast innen 20. mai".into(),
                ),
            ],
        },
        ts("2026-05-02T09:00:00Z"),
    )
    .unwrap();
    add_row(
        &mut store,
        &ManualRow {
            title: "Veileder om kliniske studier i kommunene".into(),
            url: None,
            cells: vec![(Column::Hearing, "Frist høring 15.08.2026".into())],
        },
        ts("2026-05-03T09:00:00Z"),
    )
    .unwrap();
    store
}

fn render(format: Format, case: bool) -> Vec<u8> {
    let config = config();
    let store = sample_store();
    let today = jiff::civil::date(2026, 5, 20);
    let ctx = MeetingContext::around(&config.meetings, config.meeting("3/2026"), today);
    let doc = if case {
        papers::case(&store, &ctx, today, &config.case).unwrap()
    } else {
        papers::table_doc(&store, &ctx, today, false).unwrap()
    };
    format.renderer().render(&doc).unwrap()
}

/// Compares with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, got: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        want == got,
        "{} differs; got:\n{}",
        path.display(),
        String::from_utf8_lossy(got)
    );
}

#[test]
fn golden_markdown() {
    golden("overview-3-2026.md", &render(Format::Markdown, false));
}

#[test]
fn golden_html() {
    golden("overview-3-2026.html", &render(Format::Html, false));
}

#[test]
fn golden_csv() {
    golden("overview-3-2026.csv", &render(Format::Csv, false));
}

#[test]
fn golden_case() {
    golden("case-3-2026.md", &render(Format::Markdown, true));
}

#[test]
fn marks_new_rows_and_deadlines_before_the_next_meeting() {
    let md = String::from_utf8(render(Format::Markdown, false)).unwrap();
    let line = |needle: &str| {
        md.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}\n{md}"))
            .to_string()
    };
    // Added in May, after meeting 2/2026: new. Its deadline (1 June) falls
    // before meeting 3/2026 (4 June): it must be acted on before it.
    let hostile = line("alert");
    assert!(hostile.contains("**NY**"), "{hostile}");
    assert!(
        hostile.contains("Frist 01.06.2026, før møte 3/2026: følg opp før møtet"),
        "{hostile}"
    );
    // 15 August falls between 3/2026 and 4/2026 (1 October): the council
    // takes a stand at 3/2026.
    let kliniske = line("Veileder om kliniske studier");
    assert!(
        kliniske.contains("Frist 15.08.2026, før møte 4/2026: ta stilling i møte 3/2026"),
        "{kliniske}"
    );
    // Imported rows were in the table before: not new.
    assert!(!line("Demensplan 2030").contains("NY"));
    assert!(md.contains(
        "Rådsmøte 3/2026 (04.06.2026). Oppdatert per 20.05.2026. Neste møte: 4/2026 (01.10.2026)."
    ));
}

#[test]
fn html_stays_valid_with_hostile_titles() {
    let html = String::from_utf8(render(Format::Html, false)).unwrap();
    assert!(!html.contains("<script>"), "markup in a title is escaped");
    assert!(html.contains(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; «sitat» &quot;q&quot; &lt;/td&gt;"
    ));
    assert!(
        html.contains(
            "href=\"https://www.regjeringen.no/no/dokumenter/x/id1/?a=1&amp;b=&lt;2&gt;\""
        )
    );
    // A conforming HTML5 parser reads it without a single error, and the
    // table has the six rows' worth of cells it should.
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let rows = doc
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .count();
    assert_eq!(rows, 10);
    let first_cell: String = doc
        .select(&scraper::Selector::parse("tbody tr:nth-child(9) td").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(
        first_cell.starts_with("Høring <script>alert('x')</script> & «sitat» \"q\" </td>"),
        "{first_cell}"
    );
}

#[test]
fn word_file_has_a_real_table_that_reads_back() {
    let bytes = render(Format::Docx, false);
    assert_eq!(&bytes[..2], b"PK", "a zip container");
    let rows = docx_table(&bytes);
    assert_eq!(rows.len(), 11, "a heading row and ten rows: {rows:#?}");
    // The table's own headings, as imported (the 2026 wording).
    assert_eq!(
        rows[0],
        [
            "Melding/strategi/NOU",
            "Innspill",
            "Lansering",
            "Høring",
            "Forslag videre oppfølging fra HO21-rådet"
        ]
    );
    assert!(rows[2][0].starts_with("Nasjonal handlingsplan for kliniske studier 2021-2025"));
    assert_eq!(rows[2][1], "Innspill , 14.10.2024");
    assert_eq!(rows[2][2], "Lansert 23.03.2026");
    let hostile = &rows[9];
    assert!(
        hostile[0].starts_with("Høring <script>alert('x')</script> & «sitat» \"q\" </td>"),
        "{hostile:?}"
    );
    assert!(hostile[0].lines().any(|l| l.trim() == "NY"), "{hostile:?}");
    assert!(hostile[0].contains("Frist 01.06.2026, før møte 3/2026: følg opp før møtet"));
    assert_eq!(hostile[4], "Arbeidsgruppe: A | B\nUtkast innen 20. mai");
}

/// The two tables of the council's papers (3/2024 and 3/2026), from the
/// seeds beside the repo: every non-empty cell comes through an import and
/// a render, in every format.
#[test]
fn both_seed_tables_import_and_render_every_cell() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/seeds.md");
    let Ok(seeds) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: {} is not beside the repo", path.display());
        return;
    };
    let link = regex::Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap();
    for (heading, expected_rows) in [("### 1.1 Instance A", 26), ("### 1.2 Instance B", 8)] {
        let start = seeds.find(heading).unwrap();
        let block_start = seeds[start..].find("```text\n").unwrap() + start + 8;
        let block_end = seeds[block_start..].find("```").unwrap() + block_start;
        let table = &seeds[block_start..block_end];
        let imported = parse_table(table).unwrap();
        assert_eq!(imported.len(), expected_rows, "{heading}");
        let mut store = Store::open_in_memory().unwrap();
        import_rows(&mut store, imported.clone(), ts("2026-01-10T09:00:00Z")).unwrap();
        let rows = store.overview_rows(true).unwrap();
        assert_eq!(rows.len(), expected_rows);
        let ctx = MeetingContext {
            meeting: None,
            previous: None,
            next: None,
        };
        let doc = overview_doc(
            &rows,
            &ctx,
            jiff::civil::date(2026, 6, 1),
            &ViewOptions::default(),
        );
        let md = String::from_utf8(Format::Markdown.renderer().render(&doc).unwrap()).unwrap();
        let html = String::from_utf8(Format::Html.renderer().render(&doc).unwrap()).unwrap();
        let csv = String::from_utf8(Format::Csv.renderer().render(&doc).unwrap()).unwrap();
        let word = docx_table(&Format::Docx.renderer().render(&doc).unwrap());
        // The Markdown as a reader sees it: links as their text, escapes
        // undone.
        let md_plain = link.replace_all(&md, "$1").replace(['\\', '*'], "");
        for row in &imported {
            for (col, text) in &row.cells {
                let plain = plain_text(text);
                let plain = plain.trim();
                assert!(
                    csv.contains(plain),
                    "{heading} {col}: «{plain}» missing from the CSV"
                );
                let html_text = scraper::Html::parse_document(&html)
                    .root_element()
                    .text()
                    .collect::<String>();
                assert!(
                    html_text.contains(plain),
                    "{heading} {col}: «{plain}» missing from the HTML"
                );
                assert!(
                    word.iter().flatten().any(|c| c.contains(plain)),
                    "{heading} {col}: «{plain}» missing from Word"
                );
                assert!(
                    md_plain.contains(plain),
                    "{heading} {col}: «{plain}» missing from Markdown"
                );
            }
        }
    }
}

#[test]
fn expected_items_not_seen_by_their_date_are_marked() {
    let store = sample_store();
    let rows = store.overview_rows(true).unwrap();
    let ctx = MeetingContext {
        meeting: None,
        previous: None,
        next: None,
    };
    let doc = overview_doc(
        &rows,
        &ctx,
        jiff::civil::date(2026, 11, 25),
        &ViewOptions::default(),
    );
    let md = String::from_utf8(Format::Markdown.renderer().render(&doc).unwrap()).unwrap();
    let line = |needle: &str| md.lines().find(|l| l.contains(needle)).unwrap().to_string();
    assert!(line("Demensplan 2030").contains("Ventet innen 30.06.2026, ikke sett lansert"));
    assert!(line("Helsereformutvalget").contains("Ventet innen 01.11.2026, ikke sett lansert"));
    // Launched, or not yet due: not marked.
    assert!(!line("kliniske studier 2021-2025").contains("Ventet"));
    assert!(!line("Pasient- og brukerrettighetslovutvalget").contains("Ventet"));
}

#[test]
fn case_renders_as_html_and_word() {
    let html = String::from_utf8(render(Format::Html, true)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    for heading in [
        "Bakgrunn",
        "Hvorfor saken fremmes til dette møtet",
        "Hovedpunkter",
        "Forslag til vedtak",
    ] {
        assert!(html.contains(&format!(">{heading}</h3>")), "{heading}");
    }
    assert!(html.contains(">Vedlegg 1. Oversikt meldinger og strategier</h2>"));
    let word = render(Format::Docx, true);
    let rows = docx_table(&word);
    assert_eq!(rows.len(), 11, "the table is Vedlegg 1");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(word)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("Forslag til vedtak"));
    assert!(xml.contains("Rådet ber sekretariatet om å følge opp saken"));
    // The sections are Word headings, with their styles defined.
    assert!(
        xml.contains(r#"<w:pStyle w:val="Heading2" />"#)
            || xml.contains(r#"<w:pStyle w:val="Heading2"/>"#),
        "heading style used"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/styles.xml").unwrap(), &mut styles)
        .unwrap();
    assert!(styles.contains(r#"w:styleId="Heading2""#));
}
