//! The web tests' set-up: a stand-in site crawled by a real `run`, an
//! account, and the page served in-process on a free port.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::date;
use policywatch::clock::FixedClock;
use policywatch::config::Config;
use policywatch::store::Store;
use policywatch::web::App;
use standin::{DocKind, Site, SiteDoc, SiteServer};

pub const NOW: &str = "2026-09-10T08:00:00Z";
pub const USER: &str = "kari";
pub const PASSWORD: &str = "korrekt hest batteri stift";

fn doc(id: u64, title: &str, summary: &str, deadline: jiff::civil::Date, open: bool) -> SiteDoc {
    SiteDoc {
        id,
        title: title.into(),
        kind: DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published: date(2026, 8, 20),
        summary: summary.into(),
        deadline: Some(deadline),
        status_text: Some(
            if open {
                "På høring"
            } else {
                "Under behandling"
            }
            .into(),
        ),
        topics: vec!["Helse og omsorg".into()],
    }
}

/// An open hearing (which gets its row by itself), a relevant hearing
/// that closed (which waits in «Nye treff»), and one whose title carries a
/// script.
pub fn site() -> Site {
    Site::with_docs(vec![
        doc(
            3_700_001,
            "Høring – endringer i helseregisterloven",
            "Forslaget gjelder helsedata, helseregistre og forskning.",
            date(2026, 10, 20),
            true,
        ),
        doc(
            3_700_002,
            "Høring – kliniske studier og helsedata i spesialisthelsetjenesten",
            "Forslaget gjelder kliniske studier og bruk av helsedata i forskning.",
            date(2026, 9, 1),
            false,
        ),
        doc(
            3_700_003,
            "<script>alert(1)</script> Høring om helsedata",
            "Forslaget gjelder helsedata og forskning.",
            date(2026, 9, 2),
            false,
        ),
    ])
}

pub struct Web {
    pub site: SiteServer,
    pub dir: tempfile::TempDir,
    pub cfg: PathBuf,
    pub base: String,
}

pub fn config_text(origin: &str, db: &std::path::Path, public: bool) -> String {
    format!(
        r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
timeout_secs = 2
max_retries = 0
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{origin}/no/dokument/hoyringar/id1763/"

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
new_row_max_age_days = 0

[web]
public = {public}
"#,
        db = db.display()
    )
}

/// Crawls the site with a real `run`, adds the account, and serves the
/// page on a free port.
pub fn start(public: bool) -> Web {
    let site = SiteServer::start(&site()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(
        &cfg,
        config_text(site.origin(), &dir.path().join("pw.db"), public),
    )
    .unwrap();
    let pw = || {
        let mut c = assert_cmd::Command::cargo_bin("policywatch").unwrap();
        c.env("POLICYWATCH_LOG", "off")
            .arg("--config")
            .arg(&cfg)
            .args(["--now", NOW]);
        c
    };
    pw().args(["run", "--no-notify"]).assert().success();
    pw().args(["user", "add", USER, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    let config = Config::load(&cfg).unwrap();
    let store = Store::open(&config.database).unwrap();
    let app = Arc::new(App::new(
        config,
        store,
        Box::new(FixedClock(NOW.parse().unwrap())),
    ));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            policywatch::web::serve_on(app, listener).await.unwrap();
        });
    });
    Web {
        site,
        dir,
        cfg,
        base,
    }
}
