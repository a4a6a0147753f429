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
/// The session cookie over TLS: the `__Host-` prefix binds it to this
/// host, with `Path=/` and `Secure`, so no sibling domain can set it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-pw_okt";

/// The session cookie's name for a page served so.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
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
    let Some(token) =
        cookie(headers, SECURE_SESSION_COOKIE).or_else(|| cookie(headers, SESSION_COOKIE))
    else {
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

/// The longest account name there can be (`user add` refuses longer): a
/// longer one is a wrong guess without a check, and never kept.
pub const MAX_NAME: usize = 64;

/// How many names and addresses the throttle remembers at most; past that
/// the quietest are forgotten first, so a flood of names cannot fill the
/// memory.
const MAX_ENTRIES: usize = 4_096;

/// A quiet quarter of an hour forgets a name's or an address's failures.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    /// A check for it is under way: a second waits its turn elsewhere.
    busy: bool,
}

/// Failed logins by account name and by address. A login is counted as a
/// failure *before* its password is checked (and forgiven when it was
/// right), so parallel guesses see each other; only one check runs at a
/// time per name and per address; and after a few failures in a row each
/// check waits 1, 2, 4 … up to 16 s (a name), or up to 60 s (an address
/// that guesses at many names).
#[derive(Debug, Default)]
pub struct Throttle {
    names: HashMap<String, Entry>,
    addresses: HashMap<std::net::IpAddr, Entry>,
}

/// May a login go ahead, and after how long a wait?
#[derive(Debug, PartialEq, Eq)]
pub enum Gate {
    Go(Duration),
    /// A check for the same name or from the same address is under way:
    /// answered at once, without a check.
    Busy,
}

fn backoff(failures: u32, free: u32, max_shift: u32) -> Duration {
    if failures <= free {
        Duration::ZERO
    } else {
        Duration::from_secs(1 << (failures - free - 1).min(max_shift))
    }
}

impl Throttle {
    /// Starts a login for `name` from `address`: counts it as a failure
    /// until [`Throttle::finish`] says otherwise.
    pub fn begin(&mut self, name: &str, address: std::net::IpAddr) -> Gate {
        let now = Instant::now();
        self.forget(now);
        let key = name.to_lowercase();
        let fresh = Entry {
            failures: 0,
            last: now,
            busy: false,
        };
        let n = self.names.get(&key).copied().unwrap_or(fresh);
        let a = self.addresses.get(&address).copied().unwrap_or(fresh);
        if n.busy || a.busy {
            return Gate::Busy;
        }
        let wait = backoff(n.failures, 2, 4).max(backoff(a.failures, 10, 6));
        let counted = |e: Entry| Entry {
            failures: e.failures + 1,
            last: now,
            busy: true,
        };
        self.names.insert(key, counted(n));
        self.addresses.insert(address, counted(a));
        Gate::Go(wait)
    }

    /// Ends a login [`Throttle::begin`] let through: a right password
    /// forgives the name and this one failure of the address.
    pub fn finish(&mut self, name: &str, address: std::net::IpAddr, ok: bool) {
        if let Some(e) = self.names.get_mut(&name.to_lowercase()) {
            e.busy = false;
            if ok {
                e.failures = 0;
            }
        }
        if let Some(e) = self.addresses.get_mut(&address) {
            e.busy = false;
            if ok {
                e.failures = e.failures.saturating_sub(1);
            }
        }
    }

    /// How many names and addresses are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.names.len() + self.addresses.len()
    }

    fn forget(&mut self, now: Instant) {
        let quiet = |e: &Entry| e.busy || now.duration_since(e.last) < FORGET_AFTER;
        self.names.retain(|_, e| quiet(e));
        self.addresses.retain(|_, e| quiet(e));
        trim(&mut self.names);
        trim(&mut self.addresses);
    }
}

/// When a map reaches [`MAX_ENTRIES`] / 2, forgets its quieter half (so
/// the sort is paid once per thousands of logins, not per login).
fn trim<K: Clone + std::hash::Hash + Eq>(map: &mut HashMap<K, Entry>) {
    let max = MAX_ENTRIES / 2;
    if map.len() < max {
        return;
    }
    let mut by_age: Vec<(Instant, K)> = map
        .iter()
        .filter(|(_, e)| !e.busy)
        .map(|(k, e)| (e.last, k.clone()))
        .collect();
    by_age.sort_by_key(|(at, _)| *at);
    let excess = map.len() + 1 - max / 2;
    for (_, k) in by_age.into_iter().take(excess) {
        map.remove(&k);
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
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let mut t = Throttle::default();
        let fail = |t: &mut Throttle, name: &str| {
            let g = t.begin(name, ip);
            t.finish(name, ip, false);
            g
        };
        for _ in 0..3 {
            assert_eq!(fail(&mut t, "Kari"), Gate::Go(Duration::ZERO));
        }
        assert_eq!(fail(&mut t, "KARI"), Gate::Go(Duration::from_secs(1)));
        assert_eq!(fail(&mut t, "kari"), Gate::Go(Duration::from_secs(2)));
        for _ in 0..10 {
            fail(&mut t, "kari");
        }
        assert_eq!(
            t.begin("kari", ip),
            Gate::Go(Duration::from_secs(16)),
            "capped"
        );
        t.finish("kari", ip, true);
        let other: std::net::IpAddr = "192.0.2.2".parse().unwrap();
        assert_eq!(t.begin("kari", other), Gate::Go(Duration::ZERO));
    }

    #[test]
    fn a_check_under_way_is_counted_before_it_ends() {
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let mut t = Throttle::default();
        assert_eq!(t.begin("kari", ip), Gate::Go(Duration::ZERO));
        // Parallel: the second waits, it is not checked at once.
        assert_eq!(t.begin("kari", "192.0.2.9".parse().unwrap()), Gate::Busy);
        assert_eq!(
            t.begin("ola", ip),
            Gate::Busy,
            "one check at a time per address"
        );
    }

    #[test]
    fn many_names_from_one_address_are_slowed_and_the_table_is_bounded() {
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let mut t = Throttle::default();
        let mut last = Gate::Go(Duration::ZERO);
        for i in 0..12 {
            let name = format!("navn{i}");
            last = t.begin(&name, ip);
            t.finish(&name, ip, false);
        }
        assert_eq!(last, Gate::Go(Duration::from_secs(1)));
        for i in 0..10 * MAX_ENTRIES {
            let name = format!("x{i}");
            let ip = std::net::IpAddr::from([10, (i >> 16) as u8, (i >> 8) as u8, i as u8]);
            t.begin(&name, ip);
            t.finish(&name, ip, false);
        }
        assert!(t.len() <= MAX_ENTRIES, "{}", t.len());
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
