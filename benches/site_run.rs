//! The whole cron job against a local stand-in site, with the politeness
//! delay at zero, pages as heavy as the real ones (menus, a 12 KB head, 8
//! KB of article text) and the outputs written (table in four formats and
//! the calendar):
//!
//! - a synthetic site of 1,000 and 10,000 documents (a quarter about
//!   health): a first `run --backfill` that loads everything, a `run` an
//!   hour later when nothing has changed, and a `run` a day later when the
//!   open hearings are due for a re-check;
//! - the hearing archive (6,960 hearings, 8 % from the health ministry,
//!   about a third with some word the themes know): the first load, the
//!   requests it makes and what that costs at the real delay of 2 s per
//!   request, and the relevant documents found, after the first load and
//!   once every page worth reading has been read.
//!
//! Each run is a separate `policywatch` process: wall time measured here,
//! CPU time from wait4(2), peak memory from /proc/<pid>/status (VmHWM);
//! requests and bytes counted by the local server.
//!
//! Run: `cargo bench --bench site_run` (release build; a few minutes). Set
//! `POLICYWATCH_COMPARE=/path/to/policywatch` to run every scenario with
//! another build too (the landed release, for BENCHMARKS.md).

use std::path::{Path, PathBuf};
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
    Site::with_docs(docs).as_heavy_as_the_real_one()
}

/// What hearings are about, by ministry: the health ministry's (8 %), and
/// the others', some with a word the themes know (as a third of the real
/// list's items have).
const HEALTH: [&str; 6] = [
    "endringer i helseregisterloven",
    "kliniske studier på legemidler",
    "tilgang til helseopplysninger i pasientjournal",
    "organisering av spesialisthelsetjenesten",
    "nasjonal folkehelse og forebygging",
    "kompetansekrav for helsepersonell",
];
const OTHER: [(&str, &str, &str); 10] = [
    (
        "Finansdepartementet",
        "opplysningsplikt overfor skattestyresmaktene",
        "Skatter og avgifter",
    ),
    (
        "Klima- og miljødepartementet",
        "forbud mot eksport av varer fra avskoging",
        "Klima og miljø",
    ),
    (
        "Nærings- og fiskeridepartementet",
        "auksjon av tillatelser til lakseoppdrett",
        "Fiske og havbruk",
    ),
    (
        "Barne- og familiedepartementet",
        "forskrift om fosterhjem og digital oppfølging",
        "Familie og barn",
    ),
    (
        "Kommunal- og distriktsdepartementet",
        "behandling av personopplysninger i Husbanken",
        "Bolig og bygg",
    ),
    (
        "Energidepartementet",
        "endring i forskrift om elsertifikater",
        "Energi",
    ),
    (
        "Justis- og beredskapsdepartementet",
        "forenklet forelegg ved mindre mengder narkotika",
        "Justis",
    ),
    (
        "Kunnskapsdepartementet",
        "kvalitet i høyere utdanning",
        "Utdanning",
    ),
    (
        "Arbeids- og inkluderingsdepartementet",
        "sykepenger og arbeidsrettet oppfølging",
        "Arbeidsliv",
    ),
    (
        "Digitaliseringsdepartementet",
        "deling av data mellom offentlige virksomheter",
        "Digitalisering",
    ),
];

/// The hearing archive: 6,960 hearings over ten years, newest 60 open.
fn hearing_archive() -> Site {
    let n = 6_960usize;
    let newest = jiff::civil::date(2026, 9, 1);
    let docs = (0..n)
        .map(|i| {
            let published = newest.saturating_sub(jiff::Span::new().days(((n - 1 - i) / 2) as i64));
            let open = i + 60 >= n;
            let (department, about, topic) = if i % 25 < 2 {
                (
                    "Helse- og omsorgsdepartementet",
                    HEALTH[i % HEALTH.len()],
                    "Helse og omsorg",
                )
            } else {
                OTHER[i % OTHER.len()]
            };
            SiteDoc {
                id: 5_000_000 + i as u64,
                title: format!("Høring – forslag nummer {i} om {about}"),
                kind: DocKind::Horing,
                language: if i % 7 == 0 { "nn" } else { "nb" },
                departments: vec![department.into()],
                published,
                summary: format!("{department} sender på høring et forslag om {about}."),
                deadline: Some(published.saturating_add(jiff::Span::new().days(90))),
                status_text: Some(
                    if open {
                        "På høring"
                    } else {
                        "Under behandling"
                    }
                    .into(),
                ),
                topics: vec![topic.into()],
            }
        })
        .collect();
    Site::with_docs(docs).as_heavy_as_the_real_one()
}

/// A build of policywatch to run: this one, or another to compare with.
struct Build {
    label: String,
    path: PathBuf,
    /// It knows this release's keys (`backlog_pages_per_run`, xlsx).
    current: bool,
}

fn builds() -> Vec<Build> {
    let mut out = vec![Build {
        label: "this".into(),
        path: PathBuf::from(env!("CARGO_BIN_EXE_policywatch")),
        current: true,
    }];
    if let Some(other) = std::env::var_os("POLICYWATCH_COMPARE") {
        out.push(Build {
            label: "landed".into(),
            path: PathBuf::from(other),
            current: false,
        });
    }
    out
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

fn measure(build: &Build, server: &SiteServer, cfg: &Path, now: &str, extra: &[&str]) -> Measured {
    server.take_requests();
    let started = Instant::now();
    // Reaped by wait4 below, not by Child::wait (which would lose rusage).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(&build.path)
        .arg("--config")
        .arg(cfg)
        .args(["--now", now, "run", "--no-notify"])
        .args(extra)
        .env("POLICYWATCH_LOG", "error")
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

fn row(build: &Build, label: &str, n: usize, m: &Measured, extra: &str) {
    println!(
        "| {} | {n} | {label} | {} ({} conditional, {} × 304) | {:.1} MB | {:.2} s | {:.2} s | {:.1} MB | {extra} |",
        build.label,
        m.requests,
        m.conditional,
        m.not_modified,
        m.bytes as f64 / 1e6,
        m.wall_s,
        m.cpu_s,
        m.max_rss_mb,
    );
}

/// The documents a build finds relevant (`list --relevant --json`).
fn relevant(build: &Build, cfg: &Path) -> usize {
    let out = Command::new(&build.path)
        .arg("--config")
        .arg(cfg)
        .args(["list", "--relevant", "--json"])
        .env("POLICYWATCH_LOG", "error")
        .output()
        .expect("policywatch lists");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // This release: {"documents": [...]}; the landed one: [...].
    v.get("documents")
        .unwrap_or(&v)
        .as_array()
        .map_or(0, Vec::len)
}

fn config(build: &Build, dir: &Path, sources: &str, backlog: Option<u32>) -> PathBuf {
    config_with(build, dir, sources, backlog, 120)
}

fn config_with(
    build: &Build,
    dir: &Path,
    sources: &str,
    backlog: Option<u32>,
    new_row_days: i64,
) -> PathBuf {
    let cfg = dir.join(format!("{}-{}.toml", build.label, backlog.unwrap_or(0)));
    let backlog = match (build.current, backlog) {
        (true, Some(b)) => format!("backlog_pages_per_run = {b}\n"),
        _ => String::new(),
    };
    let formats = if let Ok(f) = std::env::var("PW_BENCH_FORMATS") {
        f
    } else if build.current {
        r#"["html", "docx", "xlsx", "md", "csv"]"#.to_string()
    } else {
        r#"["html", "docx", "md", "csv"]"#.to_string()
    };
    std::fs::write(
        &cfg,
        format!(
            r#"
[global]
user_agent = "policywatch-bench (+mailto:bench@example.invalid)"
min_delay_secs = 0
timeout_secs = 10
database = "{db}"
{backlog}
{sources}

[[meeting]]
id = "3/2026"
date = "2026-06-04"

[[meeting]]
id = "4/2026"
date = "2026-09-10"

[[meeting]]
id = "5/2026"
date = "2026-12-03"

[overview]
new_row_max_age_days = {new_row_days}

[outputs]
dir = "{out}"
formats = {formats}
"#,
            db = dir.join(format!("{}.db", build.label)).display(),
            out = dir.join(format!("ut-{}", build.label)).display(),
        ),
    )
    .unwrap();
    cfg
}

fn whole_runs(build: &Build) {
    for n in [1_000usize, 10_000] {
        let server = SiteServer::start(&synthetic_site(n)).expect("site starts");
        let dir = tempfile::tempdir().unwrap();
        let o = server.origin();
        let sources = format!(
            r#"
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
"#
        );
        // Everything is read at once, as the landed release does, so the
        // two builds do the same work.
        let cfg = config(build, dir.path(), &sources, Some(10_000));
        let hearing_pages = (n * 18 / 20).div_ceil(20).to_string();
        let m = measure(
            build,
            &server,
            &cfg,
            "2026-09-02T06:00:00Z",
            &["--backfill", &hearing_pages],
        );
        let db = dir.path().join(format!("{}.db", build.label));
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(db.with_extension("db-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
        row(
            build,
            "backfill",
            n,
            &m,
            &format!(
                "{:.0} documents/s; database {:.1} KB per document",
                n as f64 / m.wall_s,
                size as f64 / n as f64 / 1024.0
            ),
        );
        let m = measure(build, &server, &cfg, "2026-09-02T07:00:00Z", &[]);
        row(build, "steady state", n, &m, "nothing changed");
        let m = measure(build, &server, &cfg, "2026-09-03T07:00:00Z", &[]);
        row(build, "re-check", n, &m, "open hearings due for a re-check");
    }
}

fn first_load(build: &Build, server: &SiteServer) {
    let dir = tempfile::tempdir().unwrap();
    let sources = format!(
        r#"
[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{}/no/dokument/hoyringar/id1763/"
max_pages = 2
"#,
        server.origin()
    );
    let n = 6_960usize;
    let cfg = config(build, dir.path(), &sources, None);
    let pages = n.div_ceil(20).to_string();
    let m = measure(
        build,
        server,
        &cfg,
        "2026-09-02T06:00:00Z",
        &["--backfill", &pages],
    );
    let at_2s = m.requests as f64 * 2.0 / 60.0;
    let found = relevant(build, &cfg);
    row(
        build,
        "first load",
        n,
        &m,
        &format!("{at_2s:.0} min at 2 s per request; {found} relevant"),
    );
    if build.current {
        // What the later runs read, all at once: the relevant documents
        // once every page that could matter has been read.
        let drain = config(build, dir.path(), &sources, Some(10_000));
        let m = measure(build, server, &drain, "2026-09-02T08:00:00Z", &[]);
        let found = relevant(build, &drain);
        row(
            build,
            "backlog read",
            n,
            &m,
            &format!(
                "the pages that can wait ({} requests, {:.0} min at 2 s); {found} relevant",
                m.requests,
                m.requests as f64 * 2.0 / 60.0
            ),
        );
    }
}

/// `n` relevant hearings, every one new enough for a row of its own: the
/// overview grows by `n` rows in one run, then a quiet run.
fn rows(build: &Build, n: usize) {
    let newest = jiff::civil::date(2026, 9, 1);
    let docs = (0..n)
        .map(|i| {
            let published = newest.saturating_sub(jiff::Span::new().days(((n - 1 - i) / 3) as i64));
            let about = HEALTH[i % HEALTH.len()];
            SiteDoc {
                id: 6_000_000 + i as u64,
                title: format!("Høring – forslag nummer {i} om {about}"),
                kind: DocKind::Horing,
                language: "nb",
                departments: vec!["Helse- og omsorgsdepartementet".into()],
                published,
                summary: format!("Departementet sender på høring et forslag om {about}."),
                deadline: Some(published.saturating_add(jiff::Span::new().days(90))),
                status_text: Some("Under behandling".into()),
                topics: vec!["Helse og omsorg".into()],
            }
        })
        .collect();
    let server =
        SiteServer::start(&Site::with_docs(docs).as_heavy_as_the_real_one()).expect("site starts");
    let dir = tempfile::tempdir().unwrap();
    let sources = format!(
        r#"
[[source]]
name = "horinger"
kind = "regjeringen_list"
url = "{}/no/dokument/hoyringar/id1763/"
max_pages = 2
"#,
        server.origin()
    );
    let cfg = config_with(build, dir.path(), &sources, Some(10_000), 3_650);
    let pages = n.div_ceil(20).to_string();
    let m = measure(
        build,
        &server,
        &cfg,
        "2026-09-02T06:00:00Z",
        &["--backfill", &pages],
    );
    row(
        build,
        "backfill, a row each",
        n,
        &m,
        &format!(
            "{:.2} ms per document and row",
            m.wall_s * 1000.0 / n as f64
        ),
    );
    let m = measure(build, &server, &cfg, "2026-09-02T07:00:00Z", &[]);
    row(
        build,
        "steady state",
        n,
        &m,
        &format!("{n} rows in the table; outputs written"),
    );
}

fn main() {
    let builds = builds();
    println!("| build | documents | run | requests | transferred | wall | CPU | peak memory | |");
    println!("|---|---|---|---|---|---|---|---|---|");
    // PW_BENCH_ROWS=N: only the row scenario, with N rows (for profiling).
    if let Some(n) = std::env::var("PW_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        rows(&builds[0], n);
        return;
    }
    let archive = SiteServer::start(&hearing_archive()).expect("site starts");
    for b in &builds {
        first_load(b, &archive);
    }
    for b in &builds {
        whole_runs(b);
    }
    for b in &builds {
        // The landed release adds rows in quadratic time: 2,000 rows only.
        let sizes: &[usize] = if b.current {
            &[2_000, 10_000]
        } else {
            &[2_000]
        };
        for &n in sizes {
            rows(b, n);
        }
    }
}
