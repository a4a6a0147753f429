//! `policywatch extract PATH_OR_URL [--json]`: what the parsers see in one
//! page, for debugging a page and for tests.

use serde::Serialize;
use url::Url;

use super::{Exit, GlobalArgs, print_json};
use crate::cli::ExtractArgs;
use crate::config::{Config, FetchSettings};
use crate::fetch::{Fetcher, Outcome, RobotsCache, Validators};
use crate::model::{DocumentPage, ListPage};
use crate::norsk::format_date;
use crate::sources::regjeringen::{PageKind, page_kind, parse_document, parse_list};
use crate::sources::rss::{Feed, parse_feed};

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    kind: &'static str,
    #[serde(flatten)]
    inner: &'a T,
}

pub fn run(g: &GlobalArgs, args: &ExtractArgs) -> anyhow::Result<Exit> {
    let (body, base) =
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
                Outcome::Fetched(page) => (page.body, page.url),
                Outcome::NotModified => {
                    anyhow::bail!("{url} svarte 304 uten at noe var spurt betinget")
                }
            }
        } else {
            let body = std::fs::read(&args.path_or_url)
                .map_err(|e| anyhow::anyhow!("kan ikke lese {}: {e}", args.path_or_url))?;
            (body, args.base.clone())
        };

    let head = String::from_utf8_lossy(&body[..body.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_string();
    if head.starts_with("<?xml") || head.starts_with("<rss") {
        let feed = parse_feed(&body, &base)?;
        if args.json {
            print_json(&Tagged {
                kind: "rss",
                inner: &feed,
            })?;
        } else {
            print_feed(&feed)?;
        }
        return Ok(Exit::Ok);
    }
    let html = String::from_utf8_lossy(&body);
    match page_kind(&html) {
        PageKind::List => {
            let list = parse_list(&html, &base)?;
            if args.json {
                print_json(&Tagged {
                    kind: "list",
                    inner: &list,
                })?;
            } else {
                print_list(&list)?;
            }
        }
        PageKind::Document => {
            let doc = parse_document(&html, &base)?;
            if args.json {
                print_json(&Tagged {
                    kind: "document",
                    inner: &doc,
                })?;
            } else {
                print_document(&doc)?;
            }
        }
    }
    Ok(Exit::Ok)
}

fn date_or_dash(d: Option<jiff::civil::Date>) -> String {
    d.map(format_date).unwrap_or_else(|| "–".into())
}

fn print_list(list: &ListPage) -> std::io::Result<()> {
    let total = list.total.map(|t| format!(" av {t}")).unwrap_or_default();
    outln!("Listeside: {} treff{total}", list.items.len())?;
    if let Some(next) = &list.next {
        outln!("Neste side: {next}")?;
    }
    for item in &list.items {
        outln!()?;
        outln!("{}  {}", item.id, item.title)?;
        outln!(
            "  {} · {} · {}",
            date_or_dash(item.published),
            item.doc_type_text,
            item.departments.join(", ")
        )?;
        if item.deadline.is_some() || item.status_text.is_some() {
            outln!(
                "  Høringsfrist: {} · Status: {}",
                date_or_dash(item.deadline),
                item.status_text.as_deref().unwrap_or("–")
            )?;
        }
    }
    for w in &list.warnings {
        outln!("Advarsel: {w}")?;
    }
    Ok(())
}

fn print_document(page: &DocumentPage) -> std::io::Result<()> {
    let d = &page.info;
    outln!("{}  {}", d.id, d.title)?;
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

fn print_feed(feed: &Feed) -> std::io::Result<()> {
    outln!("RSS: {} ({} elementer)", feed.title, feed.items.len())?;
    for item in &feed.items {
        outln!(
            "  {}  {}  {}",
            item.id.map(|i| i.to_string()).unwrap_or_else(|| "–".into()),
            date_or_dash(item.published),
            item.title.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}
