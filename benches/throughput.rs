//! Throughput of the pure stages on one core: parsing list and document
//! pages, and matching documents to the themes.
//!
//! Run: `cargo bench --bench throughput` (release build). Results and the
//! machine are recorded in BENCHMARKS.md.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use policywatch::matching::{DocText, Matcher, ThemeSet};
use policywatch::sources::regjeringen::{parse_document, parse_list};
use url::Url;

/// Runs `f` repeatedly for at least `min` and returns calls per second.
fn rate(min: Duration, mut f: impl FnMut()) -> f64 {
    // Warm up.
    for _ in 0..3 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < min {
        f();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn real_fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICYWATCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen")
        });
    dir.join("hearing-id3167072.html").is_file().then_some(dir)
}

fn main() {
    let min = Duration::from_secs(3);
    let base = Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();

    match real_fixtures() {
        Some(dir) => {
            let list =
                std::fs::read_to_string(dir.join("hoyringar-list-id1763-2026-07-04.html")).unwrap();
            let docs: Vec<String> = [
                "hearing-id3167072.html",
                "hearing-id3168423.html",
                "hearing-id3168525.html",
            ]
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
            .collect();
            let r = rate(min, || {
                black_box(parse_list(black_box(&list), &base).unwrap());
            });
            println!(
                "parse list page ({} KB, 20 items): {:.0} pages/s",
                list.len() / 1024,
                r
            );
            let mut i = 0;
            let avg = docs.iter().map(String::len).sum::<usize>() / docs.len() / 1024;
            let r = rate(min, || {
                black_box(parse_document(black_box(&docs[i % 3]), &base).unwrap());
                i += 1;
            });
            println!("parse document page (~{avg} KB): {r:.0} pages/s");
            if std::env::var_os("PW_BENCH_DETAIL").is_some() {
                html_only(&dir);
            }
        }
        None => println!(
            "parse: SKIPPED, the real captures are not beside the repo (set POLICYWATCH_FIXTURES)"
        ),
    }

    hostile_pages();

    // Matching: titles from the labelled sets, each with a summary of a
    // typical length (about 250 characters).
    let mut titles = Vec::new();
    for file in ["labelled.jsonl", "heldout.jsonl"] {
        let text =
            std::fs::read_to_string(format!("{}/tests/eval/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            titles.push(v["title"].as_str().unwrap().to_string());
        }
    }
    let summary = "Departementet sender med dette på høring forslag til endringer i forskriften. \
                   Forslaget gjelder krav til virksomhetene, rapportering og tilsyn, og skal gjøre \
                   regelverket enklere å forstå og bruke for kommunene og andre berørte.";
    let matcher = Matcher::new(ThemeSet::default_set());
    let deps = vec!["Helse- og omsorgsdepartementet".to_string()];
    let topics = vec!["Helse og omsorg".to_string()];
    let mut i = 0;
    let r = rate(min, || {
        let t = &titles[i % titles.len()];
        black_box(matcher.classify(&DocText {
            title: t,
            summary: Some(summary),
            departments: &deps,
            topics: &topics,
        }));
        i += 1;
    });
    println!(
        "match title + summary ({} themes): {r:.0} documents/s",
        matcher.themes().themes.len()
    );
    if std::env::var_os("PW_BENCH_DETAIL").is_some() {
        normalize_only(&titles, summary);
    }
}

#[allow(dead_code)]
fn html_only(dir: &std::path::Path) {
    let doc = std::fs::read_to_string(dir.join("hearing-id3167072.html")).unwrap();
    let r = rate(Duration::from_secs(2), || {
        black_box(scraper::Html::parse_document(black_box(&doc)));
    });
    println!("html5ever parse alone: {r:.0} pages/s");
}

#[allow(dead_code)]
fn normalize_only(titles: &[String], summary: &str) {
    let mut i = 0;
    let r = rate(Duration::from_secs(2), || {
        black_box(policywatch::matching::text::normalize(black_box(
            &titles[i % titles.len()],
        )));
        black_box(policywatch::matching::text::normalize(black_box(summary)));
        i += 1;
    });
    println!("normalize title + summary alone: {r:.0} documents/s");
}

/// Two 5 MB document pages: one of text, one of 49,113 `/contentassets/`
/// links (a page built to make link handling quadratic). Each is parsed
/// once here, and read by `policywatch extract` as a process, by this build
/// and by `POLICYWATCH_COMPARE` when set (the landed release).
fn hostile_pages() {
    let site = standin::Site::with_docs(vec![standin::SiteDoc {
        id: 3_000_001,
        title: "Høring om vedlegg".into(),
        kind: standin::DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: jiff::civil::date(2026, 6, 1),
        summary: "Sammendrag.".into(),
        deadline: Some(jiff::civil::date(2026, 9, 1)),
        status_text: Some("På høring".into()),
        topics: vec![],
    }]);
    let origin = "https://www.regjeringen.no";
    let doc = &site.docs[0];
    let page = site.resources(origin)[&doc.path()].body.clone();
    let url = Url::parse(&format!("{origin}{}", doc.path())).unwrap();
    let marker = "<div class=\"article-body\">";
    let at = page.find(marker).unwrap() + marker.len();
    let links: String = (0..49_113)
        .map(|i| {
            format!(
                "<a href=\"/contentassets/{i:032x}/vedlegg-{i}.pdf\">Vedlegg {i} til høringen</a>\n"
            )
        })
        .collect();
    let sentence = "Høringsnotatet drøfter forslaget og konsekvensene for kommunene. ";
    let text = sentence.repeat(links.len() / sentence.len());
    let dir = tempfile::tempdir().unwrap();
    let mut builds = vec![(
        "this".to_string(),
        PathBuf::from(env!("CARGO_BIN_EXE_policywatch")),
    )];
    if let Some(other) = std::env::var_os("POLICYWATCH_COMPARE") {
        builds.push(("landed".into(), PathBuf::from(other)));
    }
    for (label, body) in [("text", text), ("49,113 /contentassets/ links", links)] {
        let html = format!("{}{}{}", &page[..at], body, &page[at..]);
        let start = Instant::now();
        let parsed = parse_document(black_box(&html), &url).unwrap();
        println!(
            "parse a {:.1} MB document page of {label}: {:.0} ms ({} attachments kept)",
            html.len() as f64 / 1e6,
            start.elapsed().as_secs_f64() * 1000.0,
            parsed.attachments.len()
        );
        let file = dir.path().join("page.html");
        std::fs::write(&file, &html).unwrap();
        for (build, bin) in &builds {
            let start = Instant::now();
            let out = std::process::Command::new(bin)
                .arg("extract")
                .arg(&file)
                .args(["--base", url.as_str()])
                .env("POLICYWATCH_LOG", "error")
                .output()
                .unwrap();
            println!(
                "  `extract` of it, {build} build: {:.0} ms (exit {})",
                start.elapsed().as_secs_f64() * 1000.0,
                out.status.code().unwrap_or(-1)
            );
        }
    }
}
