//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod alerts;
pub mod office;
pub mod web;

use std::path::PathBuf;

/// The folder of real regjeringen.no captures (`../shared/fixtures/regjeringen`
/// beside the repo, or `POLICYWATCH_FIXTURES`). They are third-party pages and
/// never committed; when absent the tests that need them say so and pass.
pub fn real_fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICYWATCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen")
        });
    if dir.join("hoyringar-list-id1763-2026-07-04.html").is_file() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: the real regjeringen.no captures are not at {} (set POLICYWATCH_FIXTURES)",
            dir.display()
        );
        None
    }
}

/// A hand-written fixture in `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

use jiff::Timestamp;
use jiff::civil::{Date, date};
use policywatch::clock::FixedClock;
use policywatch::config::Config;
use policywatch::crawl::{Crawler, PollOptions, PollReport};
use policywatch::store::Store;
use standin::DocKind;
use standin::{Site, SiteDoc, SiteServer};

pub const T0: &str = "2026-07-04T08:00:00Z";

pub fn t0() -> Timestamp {
    T0.parse().unwrap()
}

fn doc(id: u64, kind: DocKind, title: String, published: Date, deadline: Option<Date>) -> SiteDoc {
    SiteDoc {
        id,
        title,
        kind,
        language: if id.is_multiple_of(5) { "nn" } else { "nb" },
        departments: vec!["Helse- og omsorgsdepartementet".into()],
        published,
        summary: format!("Sammendrag av dokument {id}."),
        deadline,
        status_text: deadline.map(|_| {
            if id.is_multiple_of(5) {
                "På høyring"
            } else {
                "På høring"
            }
            .to_string()
        }),
        topics: vec!["Helse og omsorg".into()],
    }
}

/// 25 open hearings (three pages of ten), two NOUs and one white paper.
pub fn test_site() -> Site {
    let mut docs = Vec::new();
    for i in 0..25u64 {
        let published = date(2026, 6, 1) + jiff::Span::new().days(i as i64);
        docs.push(doc(
            3_100_000 + i,
            DocKind::Horing,
            format!("Høring om forslag nummer {i}"),
            published,
            Some(date(2026, 9, 1) + jiff::Span::new().days(i as i64)),
        ));
    }
    docs.push(doc(
        3_200_001,
        DocKind::Nou,
        "NOU 2026: 6 Helsepersonell".into(),
        date(2026, 5, 12),
        None,
    ));
    docs.push(doc(
        3_200_002,
        DocKind::Nou,
        "NOU 2026: 7 Helsedata".into(),
        date(2026, 5, 20),
        None,
    ));
    docs.push(doc(
        3_200_003,
        DocKind::MeldSt,
        "Meld. St. 9 (2025–2026) Helseberedskap".into(),
        date(2026, 4, 2),
        None,
    ));
    Site {
        per_page: 10,
        ..Site::with_docs(docs)
    }
}

/// A config for polling `server`: no politeness delay, quick retries.
pub fn config_text(server: &SiteServer, db: &std::path::Path) -> String {
    format!(
        r#"
[global]
user_agent = "policywatch-test (+mailto:test@example.no)"
min_delay_secs = 0
timeout_secs = 2
max_retries = 2
backoff_base_secs = 0.01
max_retry_after_secs = 5
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/hoyringar/id1763/"
max_pages = 5

[[source]]
name = "nou"
kind = "regjeringen_list"
url = "{o}/no/dokument/nou-ar/id1767/"

[[source]]
name = "meldinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/meldst/id1754/"

[[source]]
name = "rss"
kind = "rss"
url = "{o}/no/rss/Rss/2581966/"
"#,
        o = server.origin(),
        db = db.display()
    )
}

pub fn config_for(server: &SiteServer, db: &std::path::Path) -> Config {
    Config::parse(&config_text(server, db), std::path::Path::new("test.toml")).unwrap()
}

/// One poll in-process, with the clock at `now`.
pub fn poll_at(
    config: &Config,
    store: &mut Store,
    now: Timestamp,
    opts: &PollOptions,
) -> PollReport {
    let clock = FixedClock(now);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let run = store.begin_run("poll", now).unwrap();
    let crawler = Crawler::new(config, store, &clock, Some(run)).unwrap();
    rt.block_on(crawler.poll(opts)).unwrap()
}

/// A real SMTP server (Python's aiosmtpd) on 127.0.0.1, delivering into a
/// maildir the test reads. `None`, with a notice, when aiosmtpd is not
/// installed, unless POLICYWATCH_REQUIRE_SMTP is set (as .ci/run does).
pub struct SmtpServer {
    child: std::process::Child,
    pub port: u16,
    maildir: tempfile::TempDir,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    pub fn start() -> Option<SmtpServer> {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Option<SmtpServer> {
        Self::start_with(port, &[])
    }

    /// An SMTP server that requires STARTTLS with this certificate and key.
    pub fn start_tls(cert: &std::path::Path, key: &std::path::Path) -> Option<SmtpServer> {
        let (cert, key) = (cert.display().to_string(), key.display().to_string());
        Self::start_with(free_port(), &["--tlscert", &cert, "--tlskey", &key])
    }

    /// An SMTP server that speaks TLS from the first byte (SMTPS).
    pub fn start_smtps(cert: &std::path::Path, key: &std::path::Path) -> Option<SmtpServer> {
        let (cert, key) = (cert.display().to_string(), key.display().to_string());
        Self::start_with(free_port(), &["--smtpscert", &cert, "--smtpskey", &key])
    }

    fn start_with(port: u16, extra: &[&str]) -> Option<SmtpServer> {
        let available = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            assert!(
                std::env::var_os("POLICYWATCH_REQUIRE_SMTP").is_none(),
                "aiosmtpd is required (pip install aiosmtpd)"
            );
            println!("SKIPPED: Python's aiosmtpd is not installed (pip install aiosmtpd)");
            return None;
        }
        let maildir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(extra)
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("md"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Some(SmtpServer {
            child,
            port,
            maildir,
        })
    }

    /// Every message received so far, as raw text, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let dir = self.maildir.path().join("md/new");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The messages to one address.
    pub fn messages_to(&self, to: &str) -> Vec<String> {
        self.messages()
            .into_iter()
            .filter(|m| m.contains(&format!("X-RcptTo: {to}")))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes a message body's quoted-printable or base64 text enough to
/// search it: lettre sends UTF-8 text as quoted-printable or base64.
pub fn body_text(raw: &str) -> String {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    if head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        let cleaned: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let mut out = Vec::new();
        base64_decode(&cleaned, &mut out);
        return String::from_utf8_lossy(&out).to_string();
    }
    if head.to_ascii_lowercase().contains("quoted-printable") {
        let joined = body.replace("=\r\n", "").replace("=\n", "");
        let mut bytes = Vec::new();
        let b = joined.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'='
                && i + 2 < b.len()
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit()
            {
                bytes.push(
                    u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
                );
                i += 3;
            } else {
                bytes.push(b[i]);
                i += 1;
            }
        }
        return String::from_utf8_lossy(&bytes).to_string();
    }
    body.to_string()
}

fn base64_decode(s: &str, out: &mut Vec<u8>) {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = T.iter().position(|&t| t == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
}

/// The Subject header, decoded from RFC 2047 when needed.
pub fn subject(raw: &str) -> String {
    let line = raw
        .lines()
        .skip_while(|l| !l.starts_with("Subject:"))
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with(' ') || l.starts_with('\t'))
        .map(|(i, l)| {
            if i == 0 {
                l.trim_start_matches("Subject:").trim_start().to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("");
    let word = regex::Regex::new(r"=\?([^?]+)\?([bBqQ])\?([^?]*)\?=").unwrap();
    // Whitespace between two encoded words is not part of the text.
    let between = regex::Regex::new(r"\?=\s+=\?").unwrap();
    let line = between.replace_all(&line, "?==?");
    word.replace_all(&line, |c: &regex::Captures<'_>| {
        let mut bytes = Vec::new();
        if c[2].eq_ignore_ascii_case("b") {
            base64_decode(&c[3], &mut bytes);
        } else {
            let q = c[3].replace('_', " ");
            let b = q.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'=' && i + 2 < b.len() {
                    bytes.push(
                        u8::from_str_radix(
                            std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("3F"),
                            16,
                        )
                        .unwrap_or(b'?'),
                    );
                    i += 3;
                } else {
                    bytes.push(b[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&bytes).to_string()
    })
    .to_string()
}
