//! The whole cron job against a local stand-in site of 1,000 and 10,000
//! documents, with the politeness delay at zero:
//!
//! - backfill: a first `run --backfill` that loads everything;
//! - steady state: a `run` an hour later, when nothing has changed;
//! - re-check: a `run` a day later, when the open hearings are due for a
//!   conditional re-check of their pages.
//!
//! Each run is a separate `policywatch` process: wall time measured here,
//! CPU time from wait4(2), peak memory from /proc/<pid>/status (VmHWM). Requests and bytes are counted by the
//! local server. Pages are padded to the real site's size (about 60 KB of
//! menus). Run: `cargo bench --bench site_run` (release build; about a
//! minute). Results and the machine are in BENCHMARKS.md.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use standin::DocKind;
use standin::{Site, SiteDoc, SiteServer};

const TOPICS: [&str; 8] = [
    "forskrift om dyrevelferd",
    "endringer i skatteloven",
    "helseregistre og kvalitetsregistre",
    "kommunal planlegging",
    "kliniske studier i spesialisthelsetjenesten",
    "fiskerireguleringer",
    "energiloven og nettleie",
    "politiregisterforskriften",
];

/// `n` documents: 90 % hearings (the newest 60 open), 5 % NOUs, 5 % white
/// papers; about a quarter of them about health.
fn synthetic_site(n: usize) -> Site {
    let start = jiff::civil::date(2026, 9, 1);
    let docs = (0..n)
        .map(|i| {
            let kind = match i % 20 {
                0 => DocKind::Nou,
                1 => DocKind::MeldSt,
                _ => DocKind::Horing,
            };
            // Newest last: i = n - 1 is published on 1 September 2026.
            let published = start.saturating_sub(jiff::Span::new().days(((n - 1 - i) / 3) as i64));
            let open = kind == DocKind::Horing && i + 60 >= n;
            let topic = TOPICS[i % TOPICS.len()];
            let title = match kind {
                DocKind::Nou => format!("NOU {}: {} Utredning om {topic}", 2000 + (i % 26), i % 40 + 1),
                DocKind::MeldSt => format!("Meld. St. {} ({}–{}) Melding om {topic}", i % 40 + 1, 2000 + i % 26, 2001 + i % 26),
                _ => format!("Høring – forslag nummer {i} om {topic}"),
            };
            SiteDoc {
                id: 4_000_000 + i as u64,
                title,
                kind,
                language: if i % 7 == 0 { "nn" } else { "nb" },
                departments: vec!["Helse- og omsorgsdepartementet".into()],
                published,
                summary: format!("Departementet sender på høring et forslag om {topic}. Forslaget gjelder virksomheter, kommuner og tilsyn."),
                deadline: (kind == DocKind::Horing).then(|| published.saturating_add(jiff::Span::new().days(90))),
                status_text: (kind == DocKind::Horing).then(|| if open { "På høring" } else { "Under behandling" }.to_string()),
                topics: vec!["Helse og omsorg".into()],
            }
        })
        .collect();
    Site {
        page_padding: 58_000,
        ..Site::with_docs(docs)
    }
}

struct Measured {
    wall_s: f64,
    cpu_s: f64,
    max_rss_mb: f64,
    requests: usize,
    conditional: usize,
    not_modified: usize,
    bytes: usize,
}

fn measure(server: &SiteServer, cfg: &Path, now: &str, extra: &[&str]) -> Measured {
    server.take_requests();
    let bin = env!("CARGO_BIN_EXE_policywatch");
    let started = Instant::now();
    // Reaped by wait4 below, not by Child::wait (which would lose rusage).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(bin)
        .arg("--config")
        .arg(cfg)
        .args(["--now", now, "run", "--no-notify"])
        .args(extra)
        .env("POLICYWATCH_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("policywatch runs");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // Peak memory is read from /proc while the process runs: VmHWM belongs
    // to the program's own address space, whereas wait4's ru_maxrss would
    // also count this (large) benchmark process it was forked from.
    let mut hwm_kb = 0u64;
    loop {
        if let Ok(st) = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            && let Some(kb) = st
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            hwm_kb = hwm_kb.max(kb);
        }
        // SAFETY: waits (without blocking) for our own child and fills a
        // zeroed rusage.
        let pid = unsafe { libc::wait4(child.id() as i32, &mut status, libc::WNOHANG, &mut usage) };
        if pid == child.id() as i32 {
            break;
        }
        assert_eq!(pid, 0, "wait4 failed");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let wall_s = started.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "run failed: {status}"
    );
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let reqs = server.take_requests();
    Measured {
        wall_s,
        cpu_s: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_mb: hwm_kb as f64 / 1024.0,
        requests: reqs.len(),
        conditional: reqs.iter().filter(|r| r.conditional).count(),
        not_modified: reqs.iter().filter(|r| r.status == 304).count(),
        bytes: reqs.iter().map(|r| r.bytes).sum(),
    }
}

fn row(label: &str, n: usize, m: &Measured, extra: &str) {
    println!(
        "| {n} | {label} | {} ({} conditional, {} × 304) | {:.1} MB | {:.2} s | {:.2} s | {:.1} MB | {extra} |",
        m.requests,
        m.conditional,
        m.not_modified,
        m.bytes as f64 / 1e6,
        m.wall_s,
        m.cpu_s,
        m.max_rss_mb,
    );
}

fn main() {
    println!("| documents | run | requests | transferred | wall | CPU | peak memory | |");
    println!("|---|---|---|---|---|---|---|---|");
    for n in [1_000usize, 10_000] {
        let site = synthetic_site(n);
        let server = SiteServer::start(&site).expect("site starts");
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bench.db");
        let cfg = dir.path().join("sources.toml");
        let hearing_pages = (n * 18 / 20).div_ceil(20) as u32;
        std::fs::write(
            &cfg,
            format!(
                r#"
[global]
user_agent = "policywatch-bench (+mailto:bench@example.invalid)"
min_delay_secs = 0
timeout_secs = 10
database = "{db}"

[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/hoyringar/id1763/"
max_pages = 2

[[source]]
name = "nou"
kind = "regjeringen_list"
url = "{o}/no/dokument/nou-ar/id1767/"
max_pages = 1

[[source]]
name = "meldinger"
kind = "regjeringen_list"
url = "{o}/no/dokument/meldst/id1754/"
max_pages = 1

[[source]]
name = "rss"
kind = "rss"
url = "{o}/no/rss/Rss/2581966/"
"#,
                db = db.display(),
                o = server.origin()
            ),
        )
        .unwrap();
        let backfill = hearing_pages.to_string();
        let m = measure(
            &server,
            &cfg,
            "2026-09-02T06:00:00Z",
            &["--backfill", &backfill],
        );
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(db.with_extension("db-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
        row(
            "backfill",
            n,
            &m,
            &format!(
                "{:.0} documents/s; database {:.1} KB per document",
                n as f64 / m.wall_s,
                size as f64 / n as f64 / 1024.0
            ),
        );
        let m = measure(&server, &cfg, "2026-09-02T07:00:00Z", &[]);
        row("steady state", n, &m, "nothing changed");
        let m = measure(&server, &cfg, "2026-09-03T07:00:00Z", &[]);
        row("re-check", n, &m, "open hearings due for a re-check");
    }
}
