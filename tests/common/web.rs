//! The web tests' set-up: a stand-in site crawled by a real `run`, an
//! account, and the page served in-process on a free port.

use std::collections::HashMap;
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
    start_with(public, policywatch::web::Limits::default())
}

/// [`start`] with the server's limits given.
pub fn start_with(public: bool, limits: policywatch::web::Limits) -> Web {
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
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            policywatch::web::serve_on(app, listener, limits)
                .await
                .unwrap();
        });
    });
    Web {
        site,
        dir,
        cfg,
        base,
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: HashMap<String, String>,
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Client {
    pub fn new(web: &Web) -> Client {
        // reqwest is built without a TLS provider of its own (as the crawler is).
        let _ = rustls::crypto::ring::default_provider().install_default();
        Client {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: web.base.clone(),
            cookies: HashMap::new(),
        }
    }

    pub async fn send(&mut self, req: reqwest::RequestBuilder) -> Answer {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let req = if cookie.is_empty() {
            req
        } else {
            req.header("cookie", cookie.join("; "))
        };
        let r = req.send().await.unwrap();
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (kv, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        Answer {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }

    pub async fn login(&mut self, password: &str) -> Answer {
        self.login_as(USER, password, None).await
    }

    /// A login as `name`, through a proxy that says the client is `from`.
    pub async fn login_as(&mut self, name: &str, password: &str, from: Option<&str>) -> Answer {
        let page = self.get("/login").await;
        let csrf = csrf_in(&page.body);
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("username", name),
                ("password", password),
            ])
            .finish();
        let mut req = self
            .http
            .post(format!("{}/login", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(from) = from {
            req = req.header("x-forwarded-for", from);
        }
        self.send(req).await
    }
}

/// The first CSRF token in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[at..at + 64].to_string()
}

pub fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}
