//! The set-up the alert tests share: a site with two relevant hearings and
//! a config with three members, the secretariat and a Teams channel.

use std::path::PathBuf;

use assert_cmd::Command;
use standin::DocKind;
use standin::{Site, SiteDoc, SiteServer};

pub fn pw() -> Command {
    let mut c = Command::cargo_bin("policywatch").unwrap();
    c.env("POLICYWATCH_LOG", "off");
    c
}

pub fn hearing(
    id: u64,
    title: &str,
    published: jiff::civil::Date,
    deadline: jiff::civil::Date,
) -> SiteDoc {
    SiteDoc {
        id,
        title: title.into(),
        kind: DocKind::Horing,
        language: "nb",
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published,
        summary: "Forslaget gjelder bruk av helsedata og kvalitetsregistre.".into(),
        deadline: Some(deadline),
        status_text: Some("På høring".into()),
        topics: vec![],
    }
}

/// Two relevant hearings (one about health data, one about the health
/// industry) and the unrelated ones of the shared test site.
pub fn site() -> Site {
    use jiff::civil::date;
    let mut site = super::test_site();
    site.docs.push(hearing(
        3_600_001,
        "Høring – endringer i helseregisterloven",
        date(2026, 9, 1),
        date(2026, 9, 20),
    ));
    site.docs.push(SiteDoc {
        summary: "Forslaget gjelder eksport av helseteknologi.".into(),
        ..hearing(
            3_600_002,
            "Høring – veikart for helsenæringen",
            date(2026, 9, 2),
            date(2026, 11, 30),
        )
    });
    site
}

pub struct Setup {
    pub _dir: tempfile::TempDir,
    pub cfg: PathBuf,
    pub root: PathBuf,
}

pub fn setup(server: &SiteServer, smtp_port: u16) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pw.db");
    let cfg = dir.path().join("sources.toml");
    let extra = format!(
        r#"
[[meeting]]
id = "3/2026"
date = "2026-06-04"

[[meeting]]
id = "4/2026"
date = "2026-10-01"

[[meeting]]
id = "5/2026"
date = "2026-12-01"

[alerts]
calendar = "ut/frister.ics"

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from = "HO21-sekretariatet <post@ho21.example>"
timeout_secs = 5

[[webhook]]
name = "teams"
url = "{origin}/hooks/teams"
format = "teams"

[[recipient]]
name = "Sekretariatet"
email = "sek@ho21.example"
secretariat = true

[[recipient]]
name = "Helsedata-medlem"
email = "data@ho21.example"
themes = ["H2", "A4"]
delivery = "instant"

[[recipient]]
name = "Næringsmedlem"
email = "naering@ho21.example"
themes = ["H5", "A2"]

[[recipient]]
name = "Rådets Teams-kanal"
webhook = "teams"
"#,
        origin = server.origin()
    );
    std::fs::write(&cfg, super::config_text(server, &db) + &extra).unwrap();
    Setup {
        root: dir.path().to_path_buf(),
        _dir: dir,
        cfg,
    }
}

pub fn at(s: &Setup, now: &str) -> Command {
    let mut c = pw();
    c.arg("--config").arg(&s.cfg).args(["--now", now]);
    c
}

pub fn posts(server: &SiteServer) -> Vec<serde_json::Value> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/hooks/teams")
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect()
}
