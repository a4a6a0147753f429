//! Why a fetch failed, and its kind for reports and scripts.

/// Why a fetch failed, after any retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("«{0}» er ingen http(s)-adresse med vert; den hentes ikke")]
    NotHttp(String),
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
    #[error("svaret fra {url} er avkortet ({why})")]
    CutShort { url: String, why: &'static str },
    #[error("svaret fra {url} kan ikke leses som tekst ({why}); siden brukes ikke")]
    Garbled { url: String, why: String },
    #[error("for mange omdirigeringer fra {0}")]
    Redirects(String),
    #[error("{from} omdirigerer til en annen vert ({to}); siden brukes ikke")]
    ForeignRedirect { from: String, to: String },
    #[error("{url} ba om å vente {secs} s (Retry-After), mer enn grensen på {limit} s")]
    RetryAfterTooLong { url: String, secs: u64, limit: u64 },
    #[error("nettverksfeil mot {url}: {message}")]
    Network { url: String, message: String },
    #[error(
        "{host} svarer ikke ({failures} henting(er) på rad feilet); resten av kjøringen hopper over verten"
    )]
    HostDown { host: String, failures: u32 },
    #[error("tidsbudsjettet for kjøringen er brukt opp; {0} hentes ved neste kjøring")]
    OutOfTime(String),
    #[error(
        "{host} har svart 429 (for mange forespørsler) {answers} ganger på rad; resten av kjøringen lar verten være"
    )]
    HostThrottled { host: String, answers: u32 },
}

/// What kind of fetch failed, for reports and scripts (`--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchErrorKind {
    NotHttp,
    Disallowed,
    RobotsUnavailable,
    HttpStatus,
    Timeout,
    TooLarge,
    CutShort,
    Garbled,
    Redirects,
    ForeignRedirect,
    RetryAfterTooLong,
    Network,
    HostDown,
    OutOfTime,
    HostThrottled,
}

impl FetchError {
    /// The server said the page is not there (404, 410): a withdrawn
    /// document, not a broken site.
    pub fn is_gone(&self) -> bool {
        matches!(self, FetchError::Status { status, .. } if *status == 404 || *status == 410)
    }

    pub fn kind(&self) -> FetchErrorKind {
        match self {
            FetchError::NotHttp(_) => FetchErrorKind::NotHttp,
            FetchError::Disallowed(_) => FetchErrorKind::Disallowed,
            FetchError::RobotsUnavailable(..) => FetchErrorKind::RobotsUnavailable,
            FetchError::Status { .. } => FetchErrorKind::HttpStatus,
            FetchError::Timeout(_) => FetchErrorKind::Timeout,
            FetchError::TooLarge { .. } => FetchErrorKind::TooLarge,
            FetchError::CutShort { .. } => FetchErrorKind::CutShort,
            FetchError::Garbled { .. } => FetchErrorKind::Garbled,
            FetchError::Redirects(_) => FetchErrorKind::Redirects,
            FetchError::ForeignRedirect { .. } => FetchErrorKind::ForeignRedirect,
            FetchError::RetryAfterTooLong { .. } => FetchErrorKind::RetryAfterTooLong,
            FetchError::Network { .. } => FetchErrorKind::Network,
            FetchError::HostDown { .. } => FetchErrorKind::HostDown,
            FetchError::OutOfTime(_) => FetchErrorKind::OutOfTime,
            FetchError::HostThrottled { .. } => FetchErrorKind::HostThrottled,
        }
    }
}
