//! robots.txt, read once per host and kept for a day.

use std::collections::HashMap;

use url::Url;

/// The scheme, host and port of a URL, as robots.txt is scoped.
pub fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// robots.txt bodies by origin. Loaded from the store at the start of a
/// run (when fresh) so that a steady-state run does not ask for it again.
#[derive(Debug, Clone, Default)]
pub struct RobotsCache {
    bodies: HashMap<String, String>,
    /// Origins whose robots.txt was fetched in this run.
    fetched: Vec<String>,
}

impl RobotsCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Preloads a body stored by an earlier run.
    pub fn preload(&mut self, origin: &str, body: &str) {
        self.bodies.insert(origin.to_string(), body.to_string());
    }

    pub fn has(&self, origin: &str) -> bool {
        self.bodies.contains_key(origin)
    }

    pub(super) fn insert(&mut self, origin: &str, body: &str) {
        self.bodies.insert(origin.to_string(), body.to_string());
        self.fetched.push(origin.to_string());
    }

    /// (origin, body) of every robots.txt fetched in this run.
    pub fn fetched(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fetched
            .iter()
            .filter_map(|o| self.bodies.get(o).map(|b| (o.as_str(), b.as_str())))
    }

    /// Whether `url` may be fetched. A robots.txt that cannot be parsed
    /// allows nothing.
    pub fn allowed(&self, origin: &str, url: &Url, user_agent: &str) -> bool {
        let Some(body) = self.bodies.get(origin) else {
            return false;
        };
        if body.trim().is_empty() {
            return true;
        }
        // Match on the product token, not the whole User-Agent header.
        let agent = user_agent.split(['/', ' ']).next().unwrap_or(user_agent);
        match texting_robots::Robot::new(agent, body.as_bytes()) {
            Ok(robot) => robot.allowed(url.as_str()),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "User-agent: *\nDisallow: /*/?ownerid\nDisallow: /*/?documenttype\nDisallow: /api/*\nDisallow: /no/dokumentarkiv/*\n";

    #[test]
    fn page_is_allowed_filters_are_not() {
        let mut c = RobotsCache::new();
        c.preload("https://www.regjeringen.no", ROBOTS);
        let ok = |u: &str| {
            c.allowed(
                "https://www.regjeringen.no",
                &Url::parse(u).unwrap(),
                "policywatch/0.1 (+x)",
            )
        };
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
    }

    #[test]
    fn unknown_origin_is_not_allowed() {
        let c = RobotsCache::new();
        assert!(!c.allowed("https://x", &Url::parse("https://x/a").unwrap(), "pw"));
    }
}
