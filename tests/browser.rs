//! The page as a person uses it, in a real headless Chromium driven over
//! WebDriver: log in, take a hearing from «Nye treff» into the table, edit
//! a cell, download the case as Word and find the edit in it; a title with
//! a script shows as text; a POST without the CSRF token is refused.
//!
//! Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them
//! and sets POLICYWATCH_REQUIRE_BROWSER=1, so CI fails rather than skips).
//! `UPDATE_SCREENSHOTS=1` writes the README's screenshots.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser(downloads: &Path, profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let client = loop {
        let mut b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        b.capabilities(caps.clone());
        match b.connect(&url).await {
            Ok(c) => break c,
            Err(e) if started.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session: {e}"),
        }
    };
    (driver, client)
}

async fn wait_for_file(dir: &Path, ext: &str) -> PathBuf {
    let started = Instant::now();
    loop {
        if let Some(p) = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == ext))
        {
            return p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no download in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml
}

async fn screenshot(c: &Client, width: u32, height: u32, name: &str) {
    c.set_window_size(width, height).await.unwrap();
    let png = c.screenshot().await.unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/images")
        .join(name);
    std::fs::write(&path, png).unwrap();
}

#[test]
fn a_secretariat_member_takes_in_a_hearing_edits_it_and_gets_the_case() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("POLICYWATCH_REQUIRE_BROWSER").is_none(),
            "chromium and chromium-driver are required here"
        );
        println!("SKIPPED: install Debian's chromium and chromium-driver for the browser test");
        return;
    }
    let web = common::web::start(false);
    let tmp = tempfile::tempdir().unwrap();
    let downloads = tmp.path().join("nedlastet");
    std::fs::create_dir_all(&downloads).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (_driver, c) = browser(&downloads, &tmp.path().join("profil")).await;
        let base = &web.base;

        // Log in.
        c.goto(&format!("{base}/oversikt")).await.unwrap();
        assert!(c.current_url().await.unwrap().path().ends_with("/login"));
        c.find(Locator::Id("username")).await.unwrap().send_keys(common::web::USER).await.unwrap();
        c.find(Locator::Id("password")).await.unwrap().send_keys(common::web::PASSWORD).await.unwrap();
        c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css("table")).await.unwrap();
        assert_eq!(c.current_url().await.unwrap().path(), "/oversikt");

        // Take the closed hearing from «Nye treff» into the table.
        c.goto(&format!("{base}/nye")).await.unwrap();
        c.find(Locator::XPath(
            "//div[contains(@class,'card')][contains(., 'kliniske studier')]//button[.='Ta inn i tabellen']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
        let note = c
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(note, "Dokumentet er tatt inn i tabellen.");

        // Edit its follow-up cell in place.
        c.goto(&format!("{base}/oversikt")).await.unwrap();
        let row = c
            .find(Locator::XPath("//tr[contains(., 'kliniske studier')]"))
            .await
            .unwrap();
        let cell = row.find(Locator::XPath("./td[5]")).await.unwrap();
        cell.find(Locator::Css("summary")).await.unwrap().click().await.unwrap();
        cell.find(Locator::Css("textarea"))
            .await
            .unwrap()
            .send_keys("Innspill sendt 1.10.2026 fra nettleseren")
            .await
            .unwrap();
        cell.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css("p.notice")).await.unwrap();
        let page = c.source().await.unwrap();
        assert!(page.contains("Innspill sendt 1.10.2026 fra nettleseren"));

        if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
            screenshot(&c, 1400, 1000, "web-oversikt-1400.png").await;
            screenshot(&c, 420, 900, "web-oversikt-420.png").await;
            c.set_window_size(1400, 1000).await.unwrap();
            c.goto(&format!("{base}/nye")).await.unwrap();
            screenshot(&c, 1400, 1000, "web-nye-treff-1400.png").await;
            c.goto(&format!("{base}/oversikt")).await.unwrap();
        }

        // Download the case as Word: the edit is in it.
        c.goto(&format!("{base}/saken")).await.unwrap();
        c.find(Locator::LinkText("Word")).await.unwrap().click().await.unwrap();
        let file = wait_for_file(&downloads, "docx").await;
        assert!(file.file_name().unwrap().to_string_lossy().starts_with("sak-"));
        assert!(docx_text(&file).contains("Innspill sendt 1.10.2026 fra nettleseren"));

        // A title with a script is text, and no script ran.
        c.goto(&format!("{base}/dokumenter")).await.unwrap();
        let link = c
            .find(Locator::XPath("//a[contains(., 'alert(1)')]"))
            .await
            .unwrap();
        assert_eq!(
            link.text().await.unwrap(),
            "<script>alert(1)</script> Høring om helsedata"
        );
        assert!(c.get_alert_text().await.is_err(), "no alert was raised");

        // A POST with the browser's session but without the CSRF token.
        let cookie = c.get_named_cookie("pw_okt").await.unwrap();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let status = reqwest::Client::new()
            .post(format!("{base}/rad/1/celle"))
            .header("cookie", format!("pw_okt={}", cookie.value()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("kolonne=followup&tekst=hacked")
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 403);
        c.close().await.unwrap();
    });
}
