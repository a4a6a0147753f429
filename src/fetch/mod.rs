//! Polite HTTP: robots.txt obeyed, one request at a time with a minimum
//! delay per host, conditional GET, gzip, retries with backoff that honour
//! `Retry-After`, and limits on size and redirects.
//!
//! The fetcher knows nothing of any site. Whether a 200 page is really an
//! error page is the site module's business.

mod retry;
mod robots;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use url::Url;

use crate::config::FetchSettings;
pub use retry::parse_retry_after;
pub use robots::RobotsCache;

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
    /// Where the body came from, after redirects.
    pub url: Url,
    pub status: u16,
    pub body: Vec<u8>,
    pub validators: Validators,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: what we stored is current.
    NotModified,
    Fetched(Page),
}

/// Why a fetch failed, after any retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("robots.txt forbyr {0}")]
    Disallowed(String),
    #[error(
        "robots.txt for {0} kunne ikke hentes ({1}); ingenting hentes fra verten i denne kjøringen"
    )]
    RobotsUnavailable(String, String),
    #[error("HTTP {status} fra {url}")]
    Status { url: String, status: u16 },
    #[error("tidsavbrudd mot {0}")]
    Timeout(String),
    #[error("svaret fra {url} er større enn {limit} byte")]
    TooLarge { url: String, limit: u64 },
    #[error("for mange omdirigeringer fra {0}")]
    Redirects(String),
    #[error("{url} ba om å vente {secs} s (Retry-After), mer enn grensen på {limit} s")]
    RetryAfterTooLong { url: String, secs: u64, limit: u64 },
    #[error("nettverksfeil mot {url}: {message}")]
    Network { url: String, message: String },
    #[error(
        "{host} svarer ikke ({failures} henting(er) på rad feilet); resten av kjøringen hopper over verten"
    )]
    HostDown { host: String, failures: u32 },
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
    /// HTTP requests sent, retries and robots.txt included.
    pub requests: u64,
    /// Requests that carried If-None-Match or If-Modified-Since.
    pub conditional: u64,
    pub not_modified: u64,
    pub bytes: u64,
}

pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    last_request: HashMap<String, Instant>,
    robots: RobotsCache,
    stats: FetchStats,
    /// Fetches in a row, per host, that failed with no answer (timeouts,
    /// refused connections) even after retries.
    unreachable: HashMap<String, u32>,
    /// Origins whose robots.txt could not be read in this run, and why.
    robots_failed: HashMap<String, String>,
}

/// After this many fetches in a row to one host fail without an answer,
/// the rest of the run does not try that host: a site that is down costs
/// one run a few timeouts, not one per document.
const HOST_DOWN_AFTER: u32 = 3;

fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
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
            .redirect(reqwest::redirect::Policy::limited(settings.max_redirects))
            .gzip(true)
            .build()?;
        Ok(Fetcher {
            client,
            settings,
            last_request: HashMap::new(),
            robots,
            stats: FetchStats::default(),
            unreachable: HashMap::new(),
            robots_failed: HashMap::new(),
        })
    }

    pub fn stats(&self) -> &FetchStats {
        &self.stats
    }

    /// The robots.txt files read in this run (to be stored for the next).
    pub fn robots(&self) -> &RobotsCache {
        &self.robots
    }

    /// Waits until the host may be asked again.
    async fn wait_for_host(&mut self, url: &Url) {
        let key = host_key(url);
        if let Some(last) = self.last_request.get(&key) {
            let ready = *last + self.settings.min_delay;
            let now = Instant::now();
            if ready > now {
                tokio::time::sleep(ready - now).await;
            }
        }
        self.last_request.insert(key, Instant::now());
    }

    /// Fetches `url` if robots.txt allows it, conditionally when validators
    /// are given. Returns the outcome and the record for the fetch log,
    /// which is filled in on failure too.
    pub async fn get(
        &mut self,
        url: &Url,
        validators: &Validators,
    ) -> (Result<Outcome, FetchError>, FetchRecord) {
        let started = Instant::now();
        let mut record = FetchRecord::new(url);
        let host = host_key(url);
        let down = self.unreachable.get(&host).copied().unwrap_or(0);
        let result = if down >= HOST_DOWN_AFTER {
            Err(FetchError::HostDown {
                host: url.host_str().unwrap_or("").to_string(),
                failures: down,
            })
        } else {
            match self.check_robots(url).await {
                Ok(()) => self.get_with_retries(url, validators, &mut record).await,
                Err(e) => Err(e),
            }
        };
        match &result {
            Err(
                FetchError::Timeout(_)
                | FetchError::Network { .. }
                | FetchError::RobotsUnavailable(..),
            ) => {
                *self.unreachable.entry(host).or_default() += 1;
            }
            Err(FetchError::HostDown { .. }) => {}
            _ => {
                self.unreachable.remove(&host);
            }
        }
        record.duration_ms = started.elapsed().as_millis() as u64;
        if let Err(e) = &result {
            record.error = Some(e.to_string());
        }
        (result, record)
    }

    async fn check_robots(&mut self, url: &Url) -> Result<(), FetchError> {
        let origin = robots::origin(url);
        // Asked once per run: a robots.txt that could not be read stops the
        // host for the rest of the run without asking again.
        if let Some(why) = self.robots_failed.get(&origin) {
            return Err(FetchError::RobotsUnavailable(origin, why.clone()));
        }
        if !self.robots.has(&origin) {
            let robots_url = Url::parse(&format!("{origin}/robots.txt")).expect("valid origin");
            let mut record = FetchRecord::new(&robots_url);
            match self
                .get_with_retries(&robots_url, &Validators::default(), &mut record)
                .await
            {
                Ok(Outcome::Fetched(page)) => self.robots.insert(&origin, &page.text()),
                // 4xx: no robots.txt, everything is allowed (RFC 9309 §2.3.1.3).
                Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                    self.robots.insert(&origin, "")
                }
                Ok(Outcome::NotModified) => self.robots.insert(&origin, ""),
                // Unreachable: assume everything is disallowed (§2.3.1.4).
                Err(e) => {
                    self.robots_failed.insert(origin.clone(), e.to_string());
                    return Err(FetchError::RobotsUnavailable(origin, e.to_string()));
                }
            }
        }
        if self.robots.allowed(&origin, url, &self.settings.user_agent) {
            Ok(())
        } else {
            Err(FetchError::Disallowed(url.to_string()))
        }
    }

    async fn get_with_retries(
        &mut self,
        url: &Url,
        validators: &Validators,
        record: &mut FetchRecord,
    ) -> Result<Outcome, FetchError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            record.attempts = attempt;
            let last_try = attempt > self.settings.max_retries;
            let backoff = self.settings.backoff_base * 2u32.saturating_pow(attempt - 1);
            match self.send_once(url, validators, record).await {
                Ok(outcome) => return Ok(outcome),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Retry(e, retry_after)) => {
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
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn send_once(
        &mut self,
        url: &Url,
        validators: &Validators,
        record: &mut FetchRecord,
    ) -> Result<Outcome, Attempt> {
        self.wait_for_host(url).await;
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
        if status == 304 {
            self.stats.not_modified += 1;
            record.not_modified = true;
            record.validators = validators.clone();
            return Ok(Outcome::NotModified);
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
        let limit = self.settings.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(Attempt::Fatal(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            }));
        }
        let final_url = resp.url().clone();
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
        record.validators = got.clone();
        Ok(Outcome::Fetched(Page {
            url: final_url,
            status,
            body,
            validators: got,
        }))
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
    } else if e.is_redirect() {
        Attempt::Fatal(FetchError::Redirects(url.to_string()))
    } else {
        // Connection refused or reset, a body cut short: worth a retry.
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
