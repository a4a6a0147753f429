//! robots.txt: read once per origin and run, parsed once, kept for a day.

use std::collections::HashMap;
use std::time::Duration;

use robotxt::Robots;
use url::Url;

/// The scheme, host and port of a URL, as robots.txt is scoped. `None`
/// for URLs without a host (`data:`, `mailto:`), which are never fetched.
pub fn origin(url: &Url) -> Option<String> {
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// The product token robots.txt groups are matched against: `policywatch`
/// of `policywatch/0.1 (…)`.
pub fn product_token(user_agent: &str) -> &str {
    user_agent
        .split(['/', ' '])
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or(user_agent)
}

/// robots.txt rules by origin, each parsed once. Loaded from the store at
/// the start of a run (when fresh) so that a steady-state run does not ask
/// for them again.
#[derive(Debug, Clone, Default)]
pub struct RobotsCache {
    agent: String,
    rules: HashMap<String, Robots>,
    /// (origin, body) of the files fetched in this run, to be stored.
    fetched: Vec<(String, String)>,
}

impl RobotsCache {
    /// A cache that answers for the crawler named by `user_agent`.
    pub fn new(user_agent: &str) -> Self {
        RobotsCache {
            agent: product_token(user_agent).to_ascii_lowercase(),
            ..RobotsCache::default()
        }
    }

    fn parse(&self, body: &str) -> Robots {
        Robots::parse(body.as_bytes(), self.agent.as_str())
    }

    /// Preloads a body stored by an earlier run.
    pub fn preload(&mut self, origin: &str, body: &str) {
        let robots = self.parse(body);
        self.rules.insert(origin.to_string(), robots);
    }

    pub fn has(&self, origin: &str) -> bool {
        self.rules.contains_key(origin)
    }

    /// A body fetched in this run (empty: no robots.txt, everything allowed).
    pub(super) fn insert(&mut self, origin: &str, body: &str) {
        let robots = self.parse(body);
        self.rules.insert(origin.to_string(), robots);
        self.fetched.push((origin.to_string(), body.to_string()));
    }

    /// (origin, body) of every robots.txt fetched in this run.
    pub fn fetched(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fetched.iter().map(|(o, b)| (o.as_str(), b.as_str()))
    }

    /// Whether `url` may be fetched. An origin whose robots.txt is not known
    /// allows nothing.
    pub fn allowed(&self, origin: &str, url: &Url) -> bool {
        self.rules
            .get(origin)
            .is_some_and(|r| r.is_url_allowed(url))
    }

    /// The `Crawl-delay` the origin asks of this crawler, if any.
    pub fn crawl_delay(&self, origin: &str) -> Option<Duration> {
        self.rules.get(origin).and_then(Robots::crawl_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "User-agent: *\nDisallow: /*/?ownerid\nDisallow: /*/?documenttype\nDisallow: /api/*\nDisallow: /no/dokumentarkiv/*\n\nUser-agent: policywatch\nCrawl-delay: 7\nDisallow: /*/?ownerid\nDisallow: /api/*\nDisallow: /no/dokumentarkiv/*\n";

    #[test]
    fn page_is_allowed_filters_are_not() {
        let mut c = RobotsCache::new("policywatch/0.1 (+x)");
        c.preload("https://www.regjeringen.no", ROBOTS);
        let ok = |u: &str| c.allowed("https://www.regjeringen.no", &Url::parse(u).unwrap());
        assert!(ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2"
        ));
        assert!(ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"
        ));
        assert!(!ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?ownerid=421"
        ));
        assert!(!ok("https://www.regjeringen.no/api/x"));
        assert!(!ok(
            "https://www.regjeringen.no/no/dokumentarkiv/regjeringen-solberg/id1/"
        ));
        // Our own group applies: its Crawl-delay is ours.
        assert_eq!(
            c.crawl_delay("https://www.regjeringen.no"),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn unknown_origin_is_not_allowed_and_odd_urls_have_no_origin() {
        let c = RobotsCache::new("pw");
        assert!(!c.allowed("https://x", &Url::parse("https://x/a").unwrap()));
        assert_eq!(origin(&Url::parse("data:text/html,x/id5/").unwrap()), None);
        assert_eq!(origin(&Url::parse("mailto:a@b.no").unwrap()), None);
        assert_eq!(
            origin(&Url::parse("https://www.regjeringen.no/a").unwrap()).as_deref(),
            Some("https://www.regjeringen.no")
        );
    }

    #[test]
    fn the_real_robots_txt_reads_as_the_reference_says() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/regjeringen/robots-2026-07-04.txt");
        let Ok(body) = std::fs::read_to_string(&path) else {
            println!("SKIPPED: no real robots.txt at {}", path.display());
            return;
        };
        let mut c = RobotsCache::new("policywatch/0.1");
        c.preload("https://www.regjeringen.no", &body);
        let ok = |u: &str| c.allowed("https://www.regjeringen.no", &Url::parse(u).unwrap());
        assert!(ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=3"
        ));
        assert!(ok("https://www.regjeringen.no/no/dokumenter/x/id3167072/"));
        assert!(ok("https://www.regjeringen.no/no/rss/Rss/2581966/"));
        assert!(!ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?ownerid=421"
        ));
        assert!(!ok(
            "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?term=x"
        ));
        assert!(!ok("https://www.regjeringen.no/no/dokumentarkiv/x/id1/"));
        assert!(!ok(
            "https://www.regjeringen.no/no/dokumenter/x/id2791196/?uid=8c3d"
        ));
    }
}
