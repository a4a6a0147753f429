//! How fast the secretariat's page answers with 10,000 documents in the
//! store (goal: every page under 50 ms): a store filled through the store
//! API (10,000 documents, a quarter about health, matched; 300 rows in the
//! table), the page served in-process, and each page asked for 30 times
//! over HTTP by a signed-in client. Prints the median and the slowest.
//!
//! Run: `cargo bench --bench web` (release build; about a minute).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::date;
use policywatch::clock::FixedClock;
use policywatch::config::Config;
use policywatch::matching::Matcher;
use policywatch::model::{DocInfo, DocKey, DocKind, Status};
use policywatch::store::{Changes, Store};
use policywatch::web::App;

const N: usize = 10_000;
const NOW: &str = "2026-09-10T08:00:00Z";

const TOPICS: [&str; 4] = [
    "helsedata og kvalitetsregistre",
    "skatteforvaltning",
    "fiskerireguleringer",
    "kommunal planlegging",
];

fn fill(store: &mut Store, config: &Config) {
    let now: jiff::Timestamp = NOW.parse().unwrap();
    for i in 0..N {
        let topic = TOPICS[i % TOPICS.len()];
        let published = date(2026, 9, 1).saturating_sub(jiff::Span::new().days((i / 3) as i64));
        let open = i < 60;
        let info = DocInfo::new(
            DocKey::new("regjeringen", (5_000_000 + i).to_string()),
            format!(
                "https://www.regjeringen.no/no/dokumenter/h/id{}/",
                5_000_000 + i
            ),
            format!("Høring – forslag nummer {i} om {topic}"),
            Some(published),
            DocKind::Horing,
            "Høring".into(),
            vec!["Helse- og omsorgsdepartementet".into()],
            Some(format!("Departementet foreslår endringer om {topic}.")),
            Some(published.saturating_add(jiff::Span::new().days(60))),
            if open { Status::Open } else { Status::Closed },
            Some(
                if open {
                    "På høring"
                } else {
                    "Under behandling"
                }
                .into(),
            ),
        );
        store
            .apply_list_item(&info, "horinger", now, None, Changes::Store)
            .unwrap();
    }
    policywatch::job::match_stale(store, &Matcher::new(config.themes.clone()), now).unwrap();
    let today = policywatch::clock::oslo_date(now);
    policywatch::overview::sync::sync_overview(store, today, now, config.new_row_max_age_days)
        .unwrap();
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[global]
user_agent = "policywatch-bench (+mailto:bench@example.invalid)"
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"

[[meeting]]
id = "4/2026"
date = "2026-06-04"

[[meeting]]
id = "5/2026"
date = "2026-10-01"

[[meeting]]
id = "6/2026"
date = "2026-12-03"

[overview]
new_row_max_age_days = 100
"#,
            db = dir.path().join("pw.db").display()
        ),
    )
    .unwrap();
    let config = Config::load(&cfg).unwrap();
    let mut store = Store::open(&config.database).unwrap();
    let started = Instant::now();
    fill(&mut store, &config);
    let rows = store.overview_rows(true).unwrap().len();
    eprintln!(
        "filled: {} documents, {rows} rows, in {:.1} s",
        store.document_count().unwrap(),
        started.elapsed().as_secs_f64()
    );
    let hash = policywatch::web::hash_password("korrekt hest batteri stift").unwrap();
    store.add_user("kari", &hash, NOW.parse().unwrap()).unwrap();
    let app = Arc::new(App::new(
        config,
        store,
        Box::new(FixedClock(NOW.parse().unwrap())),
    ));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(async { tokio::net::TcpListener::from_std(listener.into_std().unwrap()) })
            .unwrap();
        rt.block_on(policywatch::web::serve_on(
            app,
            listener,
            policywatch::web::Limits::default(),
        ))
        .unwrap();
    });
    let _ = server;
    rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // Sign in.
        let login = http.get(format!("{base}/login")).send().await.unwrap();
        let cookie = login.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let body = login.text().await.unwrap();
        let at = body.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = &body[at..at + 64];
        let r = http
            .post(format!("{base}/login"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={csrf}&username=kari&password=korrekt+hest+batteri+stift"
            ))
            .send()
            .await
            .unwrap();
        let session = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|v| v.starts_with("pw_okt="))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        println!("| page | median | slowest | bytes |");
        println!("|---|---|---|---|");
        for page in [
            "/oversikt",
            "/nye",
            "/dokumenter",
            "/dokumenter?apne=1",
            "/dokumenter?q=helsedata+kvalitetsregistre",
            "/dokumenter?tema=A4&relevante=1",
            "/dokumenter?side=150",
            "/dokument/regjeringen/5000042",
            "/status",
            "/saken",
        ] {
            let mut times = Vec::new();
            let mut bytes = 0;
            for _ in 0..30 {
                let t = Instant::now();
                let r = http
                    .get(format!("{base}{page}"))
                    .header("cookie", &session)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{page}");
                bytes = r.bytes().await.unwrap().len();
                times.push(t.elapsed());
            }
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "| `{page}` | {:.1} ms | {:.1} ms | {} KB |",
                ms(times[times.len() / 2]),
                ms(*times.last().unwrap()),
                bytes / 1024
            );
        }
    });
}
