//! `policywatch extract PATH_OR_URL [--json]`: what the parsers see in one
//! page, for debugging a page and for tests.

use serde::Serialize;
use url::Url;

use super::{Exit, GlobalArgs};
use crate::cli::ExtractArgs;
use crate::config::{Config, FetchSettings};
use crate::fetch::{Fetcher, Outcome, RobotsCache, Validators};
use crate::model::DocumentPage;
use crate::norsk::format_date;
use crate::sources::{Found, Index, PageKind, SITES};

pub fn run(g: &GlobalArgs, args: &ExtractArgs) -> super::Result<Exit> {
    let (text, fetched_from) =
        if args.path_or_url.starts_with("http://") || args.path_or_url.starts_with("https://") {
            let url = Url::parse(&args.path_or_url)?;
            // Fetch as politely as a poll: the configured User-Agent when a
            // config is at hand, robots.txt always.
            let settings = Config::load(&g.config)
                .map(|c| c.fetch)
                .unwrap_or_else(|_| FetchSettings::default());
            let robots = RobotsCache::new(&settings.user_agent);
            let mut fetcher = Fetcher::new(settings, robots)?;
            let (result, _) = super::runtime()?.block_on(fetcher.get(&url, &Validators::default()));
            match result? {
                Outcome::Fetched(page) => (page.text().to_string(), Some(page.url)),
                Outcome::NotModified => {
                    return Err(super::Error::failed(format!(
                        "{url} svarte 304 uten at noe var spurt betinget"
                    )));
                }
            }
        } else {
            let body = std::fs::read(&args.path_or_url)
                .map_err(|e| anyhow::anyhow!("kan ikke lese {}: {e}", args.path_or_url))?;
            (crate::fetch::decode(&body, None), args.base.clone())
        };
    // A saved page without an address: each site reads it as its own.
    let base_for = |site: &dyn crate::sources::Site| {
        fetched_from
            .clone()
            .or_else(|| Url::parse(site.home()).ok())
    };
    let Some((site, kind, base)) = SITES.iter().find_map(|s| {
        let base = base_for(*s)?;
        s.sniff(&text, &base).map(|k| (*s, k, base))
    }) else {
        return Err(super::Error::failed(format!(
            "{} er ingen side policywatch kjenner igjen (en liste, en strøm eller et dokument fra {})",
            args.path_or_url,
            SITES
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    match kind {
        PageKind::Index(kind) => {
            let index = site.read_index(kind, &text, &base)?;
            if args.json {
                super::json::print(
                    "extract",
                    &IndexJson {
                        kind: "index",
                        site: site.id(),
                        source_kind: kind,
                        total: index.total,
                        next: index.next.as_ref().map(Url::as_str),
                        follow: index.follow.iter().map(Url::as_str).collect(),
                        items: &index.items,
                        warnings: &index.warnings,
                    },
                )?;
            } else {
                print_index(site.label(), kind, &index)?;
            }
        }
        PageKind::Document => {
            let doc = site.read_document(&text, &base)?;
            if args.json {
                super::json::print(
                    "extract",
                    &DocumentJson {
                        kind: "document",
                        inner: &doc,
                    },
                )?;
            } else {
                print_document(&doc)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// `extract --json` of an index page.
#[derive(Serialize)]
struct IndexJson<'a> {
    kind: &'static str,
    site: &'static str,
    source_kind: &'static str,
    total: Option<u64>,
    next: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    follow: Vec<&'a str>,
    items: &'a [Found],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// `extract --json` of a document page.
#[derive(Serialize)]
struct DocumentJson<'a> {
    kind: &'static str,
    #[serde(flatten)]
    inner: &'a DocumentPage,
}

fn date_or_dash(d: Option<jiff::civil::Date>) -> String {
    d.map(format_date).unwrap_or_else(|| "–".into())
}

fn print_index(label: &str, kind: &str, index: &Index) -> std::io::Result<()> {
    let total = index.total.map(|t| format!(" av {t}")).unwrap_or_default();
    outln!("{label} ({kind}): {} treff{total}", index.items.len())?;
    if let Some(next) = &index.next {
        outln!("Neste side: {next}")?;
    }
    for f in &index.follow {
        outln!("Leses også: {f}")?;
    }
    for item in &index.items {
        outln!()?;
        match item {
            Found::Info(d) => {
                outln!("{}  {}", d.key, d.title)?;
                outln!(
                    "  {} · {} · {}",
                    date_or_dash(d.published),
                    d.doc_type_text,
                    d.departments.join(", ")
                )?;
                if let Some(r) = &d.refers_to {
                    outln!("  Gjelder: {r}")?;
                }
                if d.deadline.is_some() || d.status_text.is_some() {
                    outln!(
                        "  Høringsfrist: {} · Status: {}",
                        date_or_dash(d.deadline),
                        d.status_text.as_deref().unwrap_or("–")
                    )?;
                }
            }
            Found::Stub {
                key,
                title,
                published,
                ..
            } => {
                outln!("{key}  {}  {title}", date_or_dash(*published))?;
            }
        }
    }
    for w in &index.warnings {
        outln!("Advarsel: {w}")?;
    }
    Ok(())
}

fn print_document(page: &DocumentPage) -> std::io::Result<()> {
    let d = &page.info;
    outln!("{}  {}", d.key, d.title)?;
    outln!("  {}", d.url)?;
    outln!(
        "  {} · {} · {}",
        date_or_dash(d.published),
        d.doc_type_text,
        d.departments.join(", ")
    )?;
    if let Some(id) = &d.identifier {
        outln!("  Referanse: {id}")?;
    }
    if let Some(id) = &d.refers_to {
        outln!("  Gjelder: {id}")?;
    }
    outln!(
        "  Høringsfrist: {} · Status: {}",
        date_or_dash(d.deadline),
        d.status_text.as_deref().unwrap_or("–")
    )?;
    if !page.topics.is_empty() {
        outln!("  Tema: {}", page.topics.join(", "))?;
    }
    if let Some(s) = &d.summary {
        outln!("  {s}")?;
    }
    for a in &page.attachments {
        outln!("  Vedlegg ({}): {} <{}>", a.role, a.title, a.url)?;
    }
    if !page.consultees.is_empty() {
        outln!("  Høringsinstanser: {}", page.consultees.len())?;
    }
    if let Some(u) = &page.response_url {
        outln!("  Send inn høringssvar: {u}")?;
    }
    for w in &page.warnings {
        outln!("Advarsel: {w}")?;
    }
    Ok(())
}
