//! What the fetcher remembers of each host during one run: when it may be
//! asked again, and whether it has stopped answering or keeps saying 429.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use url::Url;

/// After this many fetches in a row to one host fail without an answer,
/// the rest of the run does not try that host: a site that is down costs
/// one run a few timeouts, not one per document.
pub const DOWN_AFTER: u32 = 3;

/// After this many answers in a row of 429 (Too Many Requests) from one
/// host, the rest of the run leaves it alone.
pub const THROTTLED_AFTER: u32 = 5;

/// The longest `Crawl-delay` obeyed as asked; a longer one is cut to this
/// (and said), so that one line in a robots.txt cannot stall the job.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(120);

/// A host as the politeness rules see it: its name, whatever the scheme
/// (http and https of one host share a delay).
pub fn key(url: &Url) -> String {
    url.host_str().unwrap_or("").to_ascii_lowercase()
}

#[derive(Debug, Default)]
struct HostState {
    /// Not before this instant (the minimum delay, or a 429's wait).
    not_before: Option<Instant>,
    unreachable: u32,
    throttled: u32,
    crawl_delay: Option<Duration>,
}

/// Every host's state for one run.
#[derive(Debug, Default)]
pub struct Hosts {
    map: HashMap<String, HostState>,
}

/// Why a host is not asked any more in this run.
pub enum Closed {
    Down(u32),
    Throttled(u32),
}

impl Hosts {
    fn get(&mut self, url: &Url) -> &mut HostState {
        self.map.entry(key(url)).or_default()
    }

    /// Whether the rest of the run leaves this host alone, and why.
    pub fn closed(&self, url: &Url) -> Option<Closed> {
        let s = self.map.get(&key(url))?;
        if s.unreachable >= DOWN_AFTER {
            Some(Closed::Down(s.unreachable))
        } else if s.throttled >= THROTTLED_AFTER {
            Some(Closed::Throttled(s.throttled))
        } else {
            None
        }
    }

    /// How long to wait before asking the host, given the configured
    /// minimum delay; and books the request.
    pub fn wait(&mut self, url: &Url, min_delay: Duration) -> Duration {
        let s = self.get(url);
        let gap = min_delay.max(s.crawl_delay.unwrap_or_default());
        let now = Instant::now();
        let wait = s
            .not_before
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now));
        s.not_before = Some(now + wait + gap);
        wait
    }

    /// The host asked for a pause (429 or 503 with a wait): every request
    /// to it waits, not only the one that was answered so.
    pub fn pause(&mut self, url: &Url, wait: Duration) {
        let s = self.get(url);
        let until = Instant::now() + wait;
        s.not_before = Some(s.not_before.map_or(until, |t| t.max(until)));
    }

    pub fn set_crawl_delay(&mut self, url: &Url, delay: Duration) {
        self.get(url).crawl_delay = Some(delay.min(MAX_CRAWL_DELAY));
    }

    /// An answer of 429.
    pub fn throttled(&mut self, url: &Url) {
        self.get(url).throttled += 1;
    }

    /// Any other answer from the host.
    pub fn answered(&mut self, url: &Url) {
        let s = self.get(url);
        s.throttled = 0;
        s.unreachable = 0;
    }

    /// A fetch that ended with no answer at all, after its retries.
    pub fn unreachable(&mut self, url: &Url) {
        self.get(url).unreachable += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_holds_every_url_of_the_host() {
        let mut h = Hosts::default();
        let a = Url::parse("https://www.regjeringen.no/a").unwrap();
        let b = Url::parse("http://www.regjeringen.no/b").unwrap();
        assert_eq!(h.wait(&a, Duration::ZERO), Duration::ZERO);
        h.pause(&a, Duration::from_secs(30));
        assert!(h.wait(&b, Duration::ZERO) > Duration::from_secs(29));
        let other = Url::parse("https://data.stortinget.no/x").unwrap();
        assert_eq!(h.wait(&other, Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn throttling_and_silence_close_the_host() {
        let mut h = Hosts::default();
        let a = Url::parse("https://x.no/a").unwrap();
        for _ in 0..THROTTLED_AFTER - 1 {
            h.throttled(&a);
        }
        assert!(h.closed(&a).is_none());
        h.answered(&a);
        for _ in 0..THROTTLED_AFTER {
            h.throttled(&a);
        }
        assert!(matches!(h.closed(&a), Some(Closed::Throttled(_))));
        let b = Url::parse("https://y.no/a").unwrap();
        for _ in 0..DOWN_AFTER {
            h.unreachable(&b);
        }
        assert!(matches!(h.closed(&b), Some(Closed::Down(_))));
    }

    #[test]
    fn crawl_delay_is_obeyed_up_to_a_cap() {
        let mut h = Hosts::default();
        let a = Url::parse("https://x.no/a").unwrap();
        h.set_crawl_delay(&a, Duration::from_secs(3600));
        h.wait(&a, Duration::from_secs(2));
        let next = h.wait(&a, Duration::from_secs(2));
        assert!(next > Duration::from_secs(110) && next <= MAX_CRAWL_DELAY);
    }
}
