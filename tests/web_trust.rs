//! The web page against a stranger: parallel guessing, huge forms, silent
//! and dribbling connections, and password checks that must not hold up
//! the pages of those signed in.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::web::{Client, PASSWORD, USER, run, start, start_with};
use policywatch::web::Limits;

/// 40 wrong guesses at one account sent at once are not all checked:
/// one check at a time per name, counted before it is made. The owner
/// still gets in soon after.
#[test]
fn parallel_guesses_at_one_name_are_checked_one_at_a_time() {
    let web = start(false);
    run(async {
        let mut tasks = Vec::new();
        for i in 0..40 {
            let mut c = Client::new(&web);
            let from = format!("198.51.100.{i}");
            tasks.push(tokio::spawn(async move {
                c.login_as(USER, "feil passord", Some(&from)).await.body
            }));
        }
        let mut checked = 0;
        for t in tasks {
            let body = t.await.unwrap();
            if body.contains("Feil brukernavn eller passord") {
                checked += 1;
            } else {
                assert!(body.contains("pågår for dette navnet"), "{body}");
            }
        }
        assert!(
            checked <= 8,
            "{checked} of 40 parallel guesses were checked"
        );
        let started = Instant::now();
        let mut owner = Client::new(&web);
        assert_eq!(
            owner
                .login_as(USER, PASSWORD, Some("203.0.113.5"))
                .await
                .status,
            303
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    });
}

/// Twelve names tried from one address: the address is slowed too.
#[test]
fn many_names_from_one_address_are_slowed() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        for i in 0..11 {
            let name = format!("navn{i}");
            c.login_as(&name, "feil", Some("198.51.100.7")).await;
        }
        let started = Instant::now();
        let a = c.login_as("navn11", "feil", Some("198.51.100.7")).await;
        assert_eq!(a.status, 401);
        assert!(started.elapsed() >= Duration::from_secs(1), "not slowed");
    });
}

/// A megabyte of name is a wrong guess at once, and a form past the cap
/// is refused before it is read.
#[test]
fn huge_names_and_forms_are_refused_cheaply() {
    let web = start(false);
    run(async {
        let c = Client::new(&web);
        let name = "x".repeat(1 << 20);
        let started = Instant::now();
        let body = format!("csrf=x&username={name}&password=feil");
        let sent = c
            .http
            .post(format!("{}/login", c.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        // Refused with 413, or the connection closed before it was all sent.
        if let Ok(r) = sent {
            assert_eq!(r.status().as_u16(), 413, "a form of a megabyte is refused");
        }
        // A fresh client: the server closed the connection it refused.
        let mut c = Client::new(&web);
        let name = "x".repeat(100);
        let a = c.login_as(&name, "feil", None).await;
        assert_eq!(a.status, 401);
        assert!(started.elapsed() < Duration::from_secs(5));
    });
}

/// Silent, dribbling and idle connections are closed; when they fill the
/// cap, the page answers again as soon as they are.
#[test]
fn silent_and_dribbling_connections_are_closed() {
    let limits = Limits {
        max_connections: 8,
        header_timeout: Duration::from_secs(1),
        connection_lifetime: Duration::from_secs(3),
    };
    let web = start_with(false, limits);
    let addr = web.base.trim_start_matches("http://").to_string();
    let closed_within = |mut s: std::net::TcpStream, within: Duration| {
        s.set_read_timeout(Some(within + Duration::from_secs(2)))
            .unwrap();
        let started = Instant::now();
        let mut buf = [0u8; 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("still open after {:?}: {e}", started.elapsed()),
            }
        }
        assert!(started.elapsed() <= within + Duration::from_secs(1));
    };
    // Silent.
    let silent = std::net::TcpStream::connect(&addr).unwrap();
    closed_within(silent, Duration::from_secs(1));
    // A head dribbled a byte at a time.
    let mut dribble = std::net::TcpStream::connect(&addr).unwrap();
    let started = Instant::now();
    for b in b"GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        if dribble.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        if started.elapsed() > Duration::from_secs(4) {
            panic!("a dribbled head kept the connection open");
        }
    }
    // The cap filled with silent clients: the page answers once they go.
    let hogs: Vec<_> = (0..8)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    let started = Instant::now();
    run(async {
        let mut c = Client::new(&web);
        assert_eq!(c.get("/login").await.status, 200);
    });
    assert!(started.elapsed() < Duration::from_secs(4));
    drop(hogs);
}

/// Failing logins from many clients do not hold up a signed-in page: the
/// password checks run beside the pages, a few at a time.
#[test]
fn password_checks_do_not_hold_up_the_pages() {
    let web = start(false);
    run(async {
        let mut me = Client::new(&web);
        assert_eq!(me.login(PASSWORD).await.status, 303);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for i in 0..24 {
            let mut c = Client::new(&web);
            let stop = stop.clone();
            tasks.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let name = format!("gjest{i}x{n}");
                    c.login_as(&name, "feil", Some(&format!("198.51.{i}.{n}")))
                        .await;
                    n += 1;
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut slowest = Duration::ZERO;
        for _ in 0..10 {
            let started = Instant::now();
            assert_eq!(me.get("/status").await.status, 200);
            slowest = slowest.max(started.elapsed());
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            t.await.unwrap();
        }
        assert!(
            slowest < Duration::from_millis(900),
            "a signed-in page waited {slowest:?} behind the password checks"
        );
    });
}

/// Over TLS (the proxy says so) the session cookie has the `__Host-`
/// prefix, `Secure` and `Path=/`, and works.
#[test]
fn the_session_cookie_is_host_bound_over_tls() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        let page = c.get("/login").await;
        let csrf = common::web::csrf_in(&page.body);
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("username", USER),
                ("password", PASSWORD),
            ])
            .finish();
        let req = c
            .http
            .post(format!("{}/login", c.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-proto", "https")
            .body(body);
        let a = c.send(req).await;
        assert_eq!(a.status, 303);
        let set: Vec<&str> = a
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        let session = set
            .iter()
            .find(|c| c.starts_with("__Host-pw_okt="))
            .unwrap_or_else(|| panic!("{set:?}"));
        assert!(
            session.contains("; Secure") && session.contains("Path=/;"),
            "{session}"
        );
        assert_eq!(
            c.get("/status").await.status,
            200,
            "the prefixed cookie works"
        );
    });
}

fn store(web: &common::web::Web) -> policywatch::store::Store {
    policywatch::store::Store::open(&web.dir.path().join("pw.db")).unwrap()
}

/// Every web change carries its account into the row's history; logins
/// and logouts are in the audit log.
#[test]
fn who_did_what_is_recorded() {
    let web = start(false);
    let row = store(&web).overview_rows(true).unwrap()[0].id;
    run(async {
        let mut c = Client::new(&web);
        assert_eq!(c.login(PASSWORD).await.status, 303);
        let csrf = common::web::csrf_in(&c.get("/oversikt").await.body);
        let a = c
            .post(
                &format!("/rad/{row}/celle"),
                &[
                    ("csrf", &csrf),
                    ("kolonne", "followup"),
                    ("tekst", "Kari skriver"),
                ],
            )
            .await;
        assert_eq!(a.status, 303);
        assert_eq!(c.post("/logg-ut", &[("csrf", &csrf)]).await.status, 303);
    });
    let s = store(&web);
    let log = s.overview_log(row).unwrap();
    let edit = log.iter().find(|e| e.action == "edited").unwrap();
    assert_eq!(edit.account.as_deref(), Some(USER));
    let audit: Vec<String> = s
        .audit_log(10)
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.account, e.action))
        .collect();
    assert!(audit.contains(&format!("{USER}:login")), "{audit:?}");
    assert!(audit.contains(&format!("{USER}:logout")), "{audit:?}");
}

/// Two people edit the same cell: the second save, made from the older
/// page, is a conflict that shows both texts and keeps what was typed.
#[test]
fn a_save_from_a_stale_page_is_a_conflict_not_an_overwrite() {
    let web = start(false);
    let row = store(&web).overview_rows(true).unwrap()[0].id;
    run(async {
        let mut a = Client::new(&web);
        let mut b = Client::new(&web);
        assert_eq!(a.login(PASSWORD).await.status, 303);
        assert_eq!(b.login(PASSWORD).await.status, 303);
        let page_a = a.get("/oversikt").await.body;
        let page_b = b.get("/oversikt").await.body;
        let version = |page: &str| {
            let at = page.find("name=\"versjon\" value=\"").unwrap() + 22;
            page[at..at + 16].to_string()
        };
        let (csrf_a, csrf_b) = (common::web::csrf_in(&page_a), common::web::csrf_in(&page_b));
        let (va, vb) = (version(&page_a), version(&page_b));
        let first = a
            .post(
                &format!("/rad/{row}/celle"),
                &[
                    ("csrf", &csrf_a),
                    ("kolonne", "input"),
                    ("versjon", &va),
                    ("tekst", "Innspill fra Anne"),
                ],
            )
            .await;
        assert_eq!(first.status, 303);
        let second = b
            .post(
                &format!("/rad/{row}/celle"),
                &[
                    ("csrf", &csrf_b),
                    ("kolonne", "input"),
                    ("versjon", &vb),
                    ("tekst", "Innspill fra Bjørn"),
                ],
            )
            .await;
        assert_eq!(second.status, 409, "{}", second.body);
        assert!(
            second.body.contains("Innspill fra Anne"),
            "both texts: {}",
            second.body
        );
        assert!(
            second.body.contains("Innspill fra Bjørn"),
            "both texts: {}",
            second.body
        );
        // Saved again from the conflict page, knowingly: it goes through.
        let again = version(&second.body);
        let third = b
            .post(
                &format!("/rad/{row}/celle"),
                &[
                    ("csrf", &csrf_b),
                    ("kolonne", "input"),
                    ("versjon", &again),
                    ("tekst", "Innspill fra Bjørn"),
                ],
            )
            .await;
        assert_eq!(third.status, 303);
    });
    let cell = store(&web).overview_row(row).unwrap().unwrap().cells
        [&policywatch::model::Column::Input]
        .clone();
    assert_eq!(cell.manual.as_deref(), Some("Innspill fra Bjørn"));
}

/// Each account can make its own calendar address, which a calendar
/// program subscribes to without a login, and take it back.
#[test]
fn a_secret_calendar_address_works_without_login_until_revoked() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        assert_eq!(c.login(PASSWORD).await.status, 303);
        let csrf = common::web::csrf_in(&c.get("/saken").await.body);
        assert_eq!(c.post("/kalender/ny", &[("csrf", &csrf)]).await.status, 303);
        let page = c.get("/saken").await.body;
        let at = page.find("/kalender/").unwrap();
        let path: String = page[at..].chars().take_while(|c| *c != '<').collect();
        assert!(path.ends_with(".ics"), "{path}");
        let mut stranger = Client::new(&web);
        let ics = stranger.get(&path).await;
        assert_eq!(ics.status, 200);
        assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{}", ics.body);
        let wrong = format!("/kalender/{}.ics", "0".repeat(64));
        assert_eq!(stranger.get(&wrong).await.status, 404);
        assert_eq!(
            c.post("/kalender/fjern", &[("csrf", &csrf)]).await.status,
            303
        );
        assert_eq!(stranger.get(&path).await.status, 404, "revoked");
    });
}

/// The Status page shows what the breaker held beside what is stored, and
/// accepting it is one click, recorded with the account.
#[test]
fn held_changes_are_shown_and_accepted_on_the_status_page() {
    let web = start(false);
    let mut s = store(&web);
    s.set_held_changes(
        "horinger",
        &[policywatch::store::HeldChange {
            doc_key: "regjeringen:3700001".into(),
            title: "Høring – endringer i helseregisterloven".into(),
            field: "frist".into(),
            stored: Some("2026-10-20".into()),
            new: Some("2027-01-01".into()),
        }],
        "2026-09-10T08:00:00Z".parse().unwrap(),
    )
    .unwrap();
    run(async {
        let mut c = Client::new(&web);
        assert_eq!(c.login(PASSWORD).await.status, 303);
        let page = c.get("/status").await.body;
        assert!(page.contains("Endringer holdt tilbake"), "{page}");
        assert!(page.contains("2026-10-20") && page.contains("2027-01-01"));
        let csrf = common::web::csrf_in(&page);
        let a = c
            .post(
                "/endringer",
                &[("csrf", &csrf), ("kilde", "horinger"), ("svar", "godta")],
            )
            .await;
        assert_eq!(a.status, 303);
        assert!(
            c.get("/status")
                .await
                .body
                .contains("lagres ved neste kjøring")
        );
        // Without the token, nothing.
        let a = c
            .post("/endringer", &[("kilde", "horinger"), ("svar", "avvis")])
            .await;
        assert_eq!(a.status, 403);
    });
    let s = store(&web);
    assert!(s.changes_accepted("horinger").unwrap());
    assert!(
        s.audit_log(10)
            .unwrap()
            .iter()
            .any(|e| e.account == USER && e.action == "accept_changes")
    );
}
