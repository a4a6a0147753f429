//! Polite HTTP: robots.txt obeyed on every host asked, one request at a
//! time with a minimum delay per host (longer if robots.txt asks), a host
//! that says 429 paused as a whole, conditional GET, gzip, retries with
//! backoff that honour `Retry-After`, limits on size, and redirects
//! followed by hand and only within the host that was asked.
//!
//! The fetcher knows nothing of any site. Whether a 200 page is really an
//! error page is the site module's business.

mod body;
mod error;
mod hosts;
mod retry;
mod robots;
mod save;

use std::time::{Duration, Instant};

use url::Url;

use crate::config::FetchSettings;
pub use body::{cut_short, decode, read_text};
pub use error::{FetchError, FetchErrorKind};
use hosts::{Closed, Hosts};
pub use retry::parse_retry_after;
pub use robots::{RobotsCache, origin};
pub use save::PageSaver;

/// The validators stored from an earlier fetch of the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful response body.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where the body came from, after redirects (always on the host that
    /// was asked).
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    /// The body as text, decoded once by its declared charset (see
    /// [`read_text`]).
    text: String,
    pub validators: Validators,
}

impl Page {
    /// The body as text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: what we stored is current.
    NotModified,
    Fetched(Page),
}

/// One line of the fetch log: what a fetch cost and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    /// The final HTTP status, if a response came at all.
    pub status: Option<u16>,
    pub not_modified: bool,
    pub validators: Validators,
    pub bytes: u64,
    pub duration_ms: u64,
    pub attempts: u32,
    pub error: Option<String>,
}

impl FetchRecord {
    fn new(url: &Url) -> FetchRecord {
        FetchRecord {
            url: url.to_string(),
            status: None,
            not_modified: false,
            validators: Validators::default(),
            bytes: 0,
            duration_ms: 0,
            attempts: 0,
            error: None,
        }
    }
}

/// Counters over a whole run, for reports and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchStats {
    /// HTTP requests sent, retries, redirects and robots.txt included.
    pub requests: u64,
    /// Requests that carried If-None-Match or If-Modified-Since.
    pub conditional: u64,
    pub not_modified: u64,
    pub bytes: u64,
}

pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    hosts: Hosts,
    robots: RobotsCache,
    stats: FetchStats,
    /// Origins whose robots.txt could not be read in this run, and why.
    robots_failed: std::collections::HashMap<String, String>,
    /// Where to save what is fetched (`poll --save-pages`), if anywhere.
    saver: Option<PageSaver>,
}

/// One answer: a body, a 304, or a redirect to follow.
enum Step {
    Done(Outcome),
    Redirect(Url),
}

/// Whether a redirect from `from` to `to` may be followed for a page: the
/// same host (and port), http→https of it, never back to http.
fn same_site(from: &Url, to: &Url) -> bool {
    let host = |u: &Url| u.host_str().map(str::to_ascii_lowercase);
    let scheme_ok =
        to.scheme() == from.scheme() || (from.scheme() == "http" && to.scheme() == "https");
    let port_ok = to.port() == from.port() || from.scheme() != to.scheme();
    matches!(to.scheme(), "http" | "https") && scheme_ok && port_ok && host(from) == host(to)
}

/// Only http(s) URLs with a host are ever asked for.
pub fn is_fetchable(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
}

impl Fetcher {
    pub fn new(settings: FetchSettings, robots: RobotsCache) -> anyhow::Result<Fetcher> {
        // reqwest is built without a default crypto provider; install ring
        // once per process (a second call is a harmless no-op).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            // Redirects are followed by hand, hop by hop, so each hop is
            // checked against the host rule and robots.txt.
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .build()?;
        Ok(Fetcher {
            client,
            settings,
            hosts: Hosts::default(),
            robots,
            stats: FetchStats::default(),
            robots_failed: Default::default(),
            saver: None,
        })
    }

    /// Saves every page fetched from now on (`poll --save-pages`).
    pub fn save_pages(&mut self, saver: PageSaver) {
        self.saver = Some(saver);
    }

    pub fn stats(&self) -> &FetchStats {
        &self.stats
    }

    /// The robots.txt files read in this run (to be stored for the next).
    pub fn robots(&self) -> &RobotsCache {
        &self.robots
    }

    /// Fetches `url` if robots.txt allows it, conditionally when validators
    /// are given, following redirects within its host. Returns the outcome
    /// and the record for the fetch log, which is filled in on failure too.
    pub async fn get(
        &mut self,
        url: &Url,
        validators: &Validators,
    ) -> (Result<Outcome, FetchError>, FetchRecord) {
        let started = Instant::now();
        let mut record = FetchRecord::new(url);
        let result = self.get_following(url, validators, &mut record).await;
        if let Err(
            FetchError::Timeout(_) | FetchError::Network { .. } | FetchError::RobotsUnavailable(..),
        ) = &result
        {
            self.hosts.unreachable(url);
        }
        record.duration_ms = started.elapsed().as_millis() as u64;
        if let Err(e) = &result {
            record.error = Some(e.to_string());
        }
        (result, record)
    }

    async fn get_following(
        &mut self,
        url: &Url,
        validators: &Validators,
        record: &mut FetchRecord,
    ) -> Result<Outcome, FetchError> {
        if !is_fetchable(url) {
            return Err(FetchError::NotHttp(url.to_string()));
        }
        let mut current = url.clone();
        let mut hops = 0usize;
        loop {
            self.check_open(&current)?;
            self.check_robots(&current).await?;
            match self.get_with_retries(&current, validators, record).await? {
                Step::Done(outcome) => return Ok(outcome),
                Step::Redirect(next) => {
                    if !same_site(&current, &next) {
                        return Err(FetchError::ForeignRedirect {
                            from: url.to_string(),
                            to: next.to_string(),
                        });
                    }
                    hops += 1;
                    if hops > self.settings.max_redirects {
                        return Err(FetchError::Redirects(url.to_string()));
                    }
                    tracing::debug!(from = %current, to = %next, "omdirigering");
                    current = next;
                }
            }
        }
    }

    /// A host the run has given up on is not asked again.
    fn check_open(&self, url: &Url) -> Result<(), FetchError> {
        let host = || url.host_str().unwrap_or("").to_string();
        match self.hosts.closed(url) {
            None => Ok(()),
            Some(Closed::Down(failures)) => Err(FetchError::HostDown {
                host: host(),
                failures,
            }),
            Some(Closed::Throttled(answers)) => Err(FetchError::HostThrottled {
                host: host(),
                answers,
            }),
        }
    }

    async fn check_robots(&mut self, url: &Url) -> Result<(), FetchError> {
        let Some(origin) = origin(url) else {
            return Err(FetchError::NotHttp(url.to_string()));
        };
        // Asked once per run: a robots.txt that could not be read stops the
        // host for the rest of the run without asking again.
        if let Some(why) = self.robots_failed.get(&origin) {
            return Err(FetchError::RobotsUnavailable(origin, why.clone()));
        }
        if !self.robots.has(&origin) {
            match self.fetch_robots(&origin).await {
                Ok(body) => self.robots.insert(&origin, &body),
                // Unreachable: assume everything is disallowed (RFC 9309 §2.3.1.4).
                Err(e) => {
                    self.robots_failed.insert(origin.clone(), e.to_string());
                    return Err(FetchError::RobotsUnavailable(origin, e.to_string()));
                }
            }
        }
        if let Some(delay) = self.robots.crawl_delay(&origin)
            && delay > self.settings.min_delay
        {
            if delay > hosts::MAX_CRAWL_DELAY {
                tracing::warn!(%origin, secs = delay.as_secs(), "Crawl-delay er urimelig lang; bruker {} s", hosts::MAX_CRAWL_DELAY.as_secs());
            }
            self.hosts.set_crawl_delay(url, delay);
        }
        if self.robots.allowed(&origin, url) {
            Ok(())
        } else {
            Err(FetchError::Disallowed(url.to_string()))
        }
    }

    /// robots.txt of an origin: its body, or `""` when there is none (4xx:
    /// everything is allowed, RFC 9309 §2.3.1.3). Redirects are followed,
    /// up to five, even to another host (§2.3.1.2).
    async fn fetch_robots(&mut self, origin: &str) -> Result<String, FetchError> {
        let mut url = Url::parse(&format!("{origin}/robots.txt"))
            .map_err(|_| FetchError::NotHttp(origin.to_string()))?;
        let mut record = FetchRecord::new(&url);
        for _ in 0..=5 {
            match self
                .get_with_retries(&url, &Validators::default(), &mut record)
                .await
            {
                Ok(Step::Done(Outcome::Fetched(page))) => return Ok(page.text),
                Ok(Step::Done(Outcome::NotModified)) => return Ok(String::new()),
                Ok(Step::Redirect(next)) if is_fetchable(&next) => url = next,
                Ok(Step::Redirect(_)) => return Ok(String::new()),
                Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                    return Ok(String::new());
                }
                Err(e) => return Err(e),
            }
        }
        Err(FetchError::Redirects(url.to_string()))
    }

    async fn get_with_retries(
        &mut self,
        url: &Url,
        validators: &Validators,
        record: &mut FetchRecord,
    ) -> Result<Step, FetchError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            record.attempts += 1;
            let last_try = attempt > self.settings.max_retries;
            let backoff = self.settings.backoff_base * 2u32.saturating_pow(attempt - 1);
            match self.send_once(url, validators, record).await {
                Ok(step) => return Ok(step),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Retry(e, retry_after)) => {
                    self.check_open(url)?;
                    if last_try {
                        return Err(e);
                    }
                    let wait = match retry_after {
                        Some(ra) if ra > self.settings.max_retry_after => {
                            return Err(FetchError::RetryAfterTooLong {
                                url: url.to_string(),
                                secs: ra.as_secs(),
                                limit: self.settings.max_retry_after.as_secs(),
                            });
                        }
                        Some(ra) => ra.max(backoff.min(self.settings.max_retry_after)),
                        None => backoff,
                    };
                    tracing::warn!(%url, error = %e, wait_secs = wait.as_secs_f64(), attempt, "prøver igjen");
                    // The whole host waits, not only this URL.
                    self.hosts.pause(url, wait);
                }
            }
        }
    }

    async fn send_once(
        &mut self,
        url: &Url,
        validators: &Validators,
        record: &mut FetchRecord,
    ) -> Result<Step, Attempt> {
        let wait = self.hosts.wait(url, self.settings.min_delay);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let mut req = self.client.get(url.clone()).header(
            reqwest::header::ACCEPT_LANGUAGE,
            "nb-NO,nb;q=0.9,nn;q=0.8,no;q=0.7",
        );
        if let Some(etag) = &validators.etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
        self.stats.requests += 1;
        if !validators.is_empty() {
            self.stats.conditional += 1;
        }
        let mut resp = req.send().await.map_err(|e| classify(url, e))?;
        let status = resp.status().as_u16();
        record.status = Some(status);
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if status == 429 {
            self.hosts.throttled(url);
        } else {
            self.hosts.answered(url);
        }
        if status == 304 {
            self.stats.not_modified += 1;
            record.not_modified = true;
            record.validators = validators.clone();
            return Ok(Step::Done(Outcome::NotModified));
        }
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let location = header(reqwest::header::LOCATION).ok_or_else(|| {
                Attempt::Fatal(FetchError::Status {
                    url: url.to_string(),
                    status,
                })
            })?;
            let next = url.join(location.trim()).map_err(|_| {
                Attempt::Fatal(FetchError::ForeignRedirect {
                    from: url.to_string(),
                    to: location.clone(),
                })
            })?;
            return Ok(Step::Redirect(next));
        }
        if status == 429 || status >= 500 {
            let retry_after = header(reqwest::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(&v, jiff::Timestamp::now()));
            return Err(Attempt::Retry(
                FetchError::Status {
                    url: url.to_string(),
                    status,
                },
                retry_after,
            ));
        }
        if !(200..300).contains(&status) {
            return Err(Attempt::Fatal(FetchError::Status {
                url: url.to_string(),
                status,
            }));
        }
        let got = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let limit = self.settings.max_body_bytes;
        let declared_length = resp.content_length();
        if declared_length.is_some_and(|n| n > limit) {
            return Err(Attempt::Fatal(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            }));
        }
        let resp_headers = resp.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(url, e))? {
            body.extend_from_slice(&chunk);
            if body.len() as u64 > limit {
                return Err(Attempt::Fatal(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                }));
            }
        }
        self.stats.bytes += body.len() as u64;
        record.bytes = body.len() as u64;
        // A body that ended with the connection, with no length promised,
        // may be cut short: a page without its end is never read.
        if declared_length.is_none()
            && let Some(why) = cut_short(&body, content_type.as_deref())
        {
            return Err(Attempt::Retry(
                FetchError::CutShort {
                    url: url.to_string(),
                    why,
                },
                None,
            ));
        }
        // Text that cannot be read as what it says it is would store
        // mojibake, and its repair would be another change: refused.
        let text = if status == 200 {
            read_text(&body, content_type.as_deref()).map_err(|why| {
                Attempt::Fatal(FetchError::Garbled {
                    url: url.to_string(),
                    why,
                })
            })?
        } else {
            decode(&body, content_type.as_deref())
        };
        if let Some(saver) = &mut self.saver {
            let headers: Vec<(String, String)> = resp_headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            saver.save(url, status, &headers, &body);
        }
        record.validators = got.clone();
        Ok(Step::Done(Outcome::Fetched(Page {
            url: url.clone(),
            status,
            content_type,
            text,
            validators: got,
        })))
    }
}

enum Attempt {
    /// Worth another try, after at least the given `Retry-After`.
    Retry(FetchError, Option<Duration>),
    Fatal(FetchError),
}

fn classify(url: &Url, e: reqwest::Error) -> Attempt {
    if e.is_timeout() {
        Attempt::Retry(FetchError::Timeout(url.to_string()), None)
    } else {
        // Connection refused or reset, a body cut short: worth a retry.
        let e = e.without_url();
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        Attempt::Retry(
            FetchError::Network {
                url: url.to_string(),
                message,
            },
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_host() {
        let u = |s: &str| Url::parse(s).unwrap();
        let from = u("https://www.regjeringen.no/no/dokumenter/x/id1/");
        assert!(same_site(
            &from,
            &u("https://www.regjeringen.no/no/dokumenter/y/id1/")
        ));
        assert!(same_site(&from, &u("https://WWW.regjeringen.no/id1/")));
        assert!(!same_site(&from, &u("https://evil.example/id1/")));
        assert!(!same_site(&from, &u("https://regjeringen.no/id1/")));
        assert!(
            !same_site(&from, &u("http://www.regjeringen.no/id1/")),
            "no downgrade"
        );
        assert!(!same_site(&from, &u("data:text/html,x")));
        let plain = u("http://www.regjeringen.no/a");
        assert!(
            same_site(&plain, &u("https://www.regjeringen.no/a")),
            "upgrade"
        );
        let local = u("http://127.0.0.1:8080/a");
        assert!(
            !same_site(&local, &u("http://127.0.0.1:9090/a")),
            "another port"
        );
    }
}
