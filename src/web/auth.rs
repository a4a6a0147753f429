//! Accounts, sessions and CSRF. A password is checked against its Argon2
//! hash; a session is a random token in an `HttpOnly`, `SameSite=Strict`
//! cookie (`Secure` over TLS), stored only as its SHA-256; every form
//! carries the session's CSRF token, the login form a token of its own
//! (in a cookie and the form); a few failed logins in a row slow the next.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::store::{Session, Store};

/// The session cookie.
pub const SESSION_COOKIE: &str = "pw_okt";
/// The login form's own CSRF cookie.
pub const LOGIN_COOKIE: &str = "pw_innlogging";

/// The Argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("kunne ikke lage passordhash: {e}"))
}

/// Whether `password` matches a stored hash (a hash that does not parse
/// matches nothing).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// 32 random bytes, hex: a session token or a CSRF token.
pub fn random_token() -> anyhow::Result<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("ingen tilfeldighet fra systemet: {e}"))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// How a token is kept in the store.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Whether the page came over TLS (a proxy in front says so), or the
/// configuration says to mark cookies secure anyway.
pub fn secure(headers: &HeaderMap, configured: bool) -> bool {
    configured
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
    secure: bool,
) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The live session of a request, if any.
pub fn session(
    store: &Store,
    headers: &HeaderMap,
    now: jiff::Timestamp,
) -> anyhow::Result<Option<(String, Session)>> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    Ok(store.session(&hash, now)?.map(|s| (hash, s)))
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Failed logins by account name: how many in a row, and when the last.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: HashMap<String, (u32, Instant)>,
}

impl Throttle {
    /// How long to wait before checking a password for `name`: nothing for
    /// the first three failures in a row, then 1, 2, 4 … up to 16 s. A
    /// quiet quarter of an hour forgets them.
    pub fn delay(&mut self, name: &str) -> Duration {
        let key = name.to_lowercase();
        match self.failures.get(&key) {
            Some((_, at)) if at.elapsed() > Duration::from_secs(15 * 60) => {
                self.failures.remove(&key);
                Duration::ZERO
            }
            Some((n, _)) if *n >= 3 => Duration::from_secs(1 << (n - 3).min(4)),
            _ => Duration::ZERO,
        }
    }

    pub fn failed(&mut self, name: &str) {
        let e = self
            .failures
            .entry(name.to_lowercase())
            .or_insert((0, Instant::now()));
        e.0 += 1;
        e.1 = Instant::now();
    }

    pub fn succeeded(&mut self, name: &str) {
        self.failures.remove(&name.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_only() {
        let h = hash_password("korrekt hest batteri").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("korrekt hest batteri", &h));
        assert!(!verify_password("feil", &h));
        assert!(!verify_password("x", "ikke en hash"));
    }

    #[test]
    fn the_stand_in_hash_for_unknown_names_is_a_real_one() {
        // Checked at full cost, so an unknown name answers as slowly as a
        // known one.
        assert!(PasswordHash::new(super::super::DUMMY_HASH).is_ok());
        assert!(!verify_password("x", super::super::DUMMY_HASH));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap());
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &a[..63]));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn failures_in_a_row_slow_the_next_logins() {
        let mut t = Throttle::default();
        for _ in 0..3 {
            assert_eq!(t.delay("Kari"), Duration::ZERO);
            t.failed("kari");
        }
        assert_eq!(t.delay("KARI"), Duration::from_secs(1));
        t.failed("kari");
        assert_eq!(t.delay("kari"), Duration::from_secs(2));
        for _ in 0..10 {
            t.failed("kari");
        }
        assert_eq!(t.delay("kari"), Duration::from_secs(16), "capped");
        t.succeeded("kari");
        assert_eq!(t.delay("kari"), Duration::ZERO);
    }

    #[test]
    fn cookies_are_read_and_written_strictly() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; pw_okt=abc ; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        let c = set_cookie(SESSION_COOKIE, "t", "/", Some(60), true);
        assert_eq!(
            c,
            "pw_okt=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(secure(&h, false));
    }
}
