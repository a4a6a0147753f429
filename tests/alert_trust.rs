//! Alerts never hang the job, never leak, never surprise: a stalled mail
//! server, secret webhook URLs, renamed recipients, bad addresses, settling
//! an uncertain delivery, MIME headers, a calendar with nothing in it.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::alerts::{Setup, at, posts, setup, site};
use common::{SmtpServer, body_text, subject};
use predicates::prelude::*;
use standin::SiteServer;

/// An SMTP server that greets and then says nothing more, ever.
fn stalled_smtp() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let _ = s.write_all(b"220 stalled.example ESMTP\r\n");
                let mut buf = [0u8; 1024];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                }
            });
        }
    });
    port
}

fn edit(s: &Setup, from: &str, to: &str) {
    let text = std::fs::read_to_string(&s.cfg).unwrap();
    assert!(text.contains(from), "{from} not in the config");
    std::fs::write(&s.cfg, text.replace(from, to)).unwrap();
}

#[test]
fn a_stalled_mail_server_cannot_hang_the_run_and_the_outputs_come_first() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, stalled_smtp());
    edit(&s, "timeout_secs = 5", "timeout_secs = 1");
    let text = std::fs::read_to_string(&s.cfg).unwrap()
        + "\n[outputs]\ndir = \"ut\"\nformats = [\"md\"]\n";
    std::fs::write(&s.cfg, text).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policywatch"))
        .env("POLICYWATCH_LOG", "off")
        .arg("--config")
        .arg(&s.cfg)
        .args(["--now", "2026-09-03T06:00:00Z", "run", "--backfill", "3"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("run still hanging on the stalled mail server after 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(status.code(), Some(4), "{out}");
    assert!(out.contains("ingen svar innen 1 s"), "{out}");
    assert!(s.root.join("ut/oversikt.md").is_file());
    assert!(s.root.join("ut/frister.ics").is_file());
    // The webhook was not held up by the mail server either.
    assert_eq!(posts(&server).len(), 1);
}

#[test]
fn webhook_urls_never_reach_output_logs_or_the_database() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, common::free_port());
    let closed = common::free_port();
    let secret = "SECRET-TOKEN-1234";
    edit(
        &s,
        &format!("url = \"{}/hooks/teams\"", server.origin()),
        &format!(
            "url = \"http://127.0.0.1:{closed}/webhookb2/{secret}/IncomingWebhook?sig={secret}\""
        ),
    );
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    let mut outputs = Vec::new();
    for args in [
        &["notify", "--dry-run"][..],
        &["notify"],
        &["status"],
        &["status", "--json"],
        &["notify", "--test", "teams"],
    ] {
        let out = at(&s, "2026-09-03T06:10:00Z")
            .env("POLICYWATCH_LOG", "debug")
            .args(args)
            .output()
            .unwrap();
        outputs.push((
            args,
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        ));
    }
    for (args, stdout, stderr) in &outputs {
        assert!(!stdout.contains(secret), "{args:?} stdout: {stdout}");
        assert!(!stderr.contains(secret), "{args:?} stderr: {stderr}");
    }
    // What is shown instead: the webhook's name and host.
    let (_, notify_out, _) = &outputs[1];
    assert!(notify_out.contains("teams (127.0.0.1)"), "{notify_out}");
    let db = rusqlite::Connection::open(s.root.join("pw.db")).unwrap();
    let dump: Vec<String> = db
        .prepare("SELECT recipient || channel || COALESCE(last_error, '') FROM deliveries")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!dump.is_empty());
    assert!(dump.iter().all(|l| !l.contains(secret)), "{dump:#?}");
}

#[test]
fn renaming_a_recipient_or_a_webhook_sends_nothing_again() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let (mails, cards) = (smtp.messages().len(), posts(&server).len());
    assert_eq!((mails, cards), (3, 1));
    edit(
        &s,
        "name = \"Sekretariatet\"",
        "name = \"HO21-sekretariatet\"",
    );
    edit(&s, "name = \"Rådets Teams-kanal\"", "name = \"Teams\"");
    edit(&s, "name = \"teams\"", "name = \"kanalen\"");
    edit(&s, "webhook = \"teams\"", "webhook = \"kanalen\"");
    at(&s, "2026-09-03T07:00:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    assert_eq!(
        (smtp.messages().len(), posts(&server).len()),
        (mails, cards)
    );
}

#[test]
fn every_email_is_mime_and_every_test_message_has_its_own_id() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    for _ in 0..2 {
        at(&s, "2026-09-03T06:00:00Z")
            .args(["notify", "--test", "test@ho21.example"])
            .assert()
            .success();
    }
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let all = smtp.messages();
    assert_eq!(all.len(), 5);
    for m in &all {
        assert!(m.contains("MIME-Version: 1.0"), "{m}");
    }
    let id = |m: &str| {
        m.lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&all[0]), id(&all[1]));
}

#[test]
fn recipient_addresses_and_clear_text_passwords_are_checked_at_load() {
    let server = SiteServer::start(&site()).unwrap();
    for bad in [
        "a@ho21.example,b@ho21.example",
        "@",
        "kari@",
        "kari @ho21.example",
    ] {
        let s = setup(&server, common::free_port());
        edit(
            &s,
            "email = \"data@ho21.example\"",
            &format!("email = \"{bad}\""),
        );
        at(&s, "2026-09-03T06:00:00Z")
            .arg("status")
            .assert()
            .code(3)
            .stderr(predicate::str::contains(
                "recipient[1] (Helsedata-medlem).email",
            ));
    }
    let s = setup(&server, common::free_port());
    edit(
        &s,
        "host = \"127.0.0.1\"",
        "host = \"smtp.ho21.example\"\nusername = \"ho21\"\npassword_env = \"PW_X\"",
    );
    at(&s, "2026-09-03T06:00:00Z")
        .arg("status")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("smtp.security"))
        .stderr(predicate::str::contains("klartekst"));
}

#[test]
fn an_uncertain_delivery_is_listed_by_title_and_settled_by_the_secretariat() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .env(policywatch::alerts::deliver::FAILPOINT_AFTER_SEND, "1")
        .assert()
        .code(137);
    assert_eq!(smtp.messages().len(), 1);
    let status = at(&s, "2026-09-03T06:20:00Z")
        .arg("status")
        .output()
        .unwrap();
    let text = String::from_utf8(status.stdout).unwrap();
    assert!(text.contains("Varsler med ukjent utfall (3)"), "{text}");
    assert!(
        text.contains("Høring – endringer i helseregisterloven — til Sekretariatet (email)"),
        "{text}"
    );
    // The secretariat checked: the digest came through, except that it
    // wants the health-register one sent again.
    for key in ["before_meeting:3600001:2026-09-20:4/2026", "new:3600002"] {
        at(&s, "2026-09-03T06:25:00Z")
            .args(["notify", "--settle", key, "sent"])
            .assert()
            .success();
    }
    at(&s, "2026-09-03T06:25:00Z")
        .args(["notify", "--settle", "new:3600001", "resend"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sendes på nytt"));
    at(&s, "2026-09-03T06:25:00Z")
        .args(["notify", "--settle", "new:999", "sent"])
        .assert()
        .code(1);
    at(&s, "2026-09-03T06:30:00Z")
        .arg("notify")
        .assert()
        .success();
    let sek = smtp.messages_to("sek@ho21.example");
    assert_eq!(
        sek.len(),
        2,
        "the digest, then the one settled for resending"
    );
    let again = body_text(&sek[1]);
    assert!(
        again.contains("helseregisterloven") && !again.contains("helsenæringen"),
        "{again}"
    );
    let status = at(&s, "2026-09-03T06:40:00Z")
        .arg("status")
        .output()
        .unwrap();
    let text = String::from_utf8(status.stdout).unwrap();
    assert!(!text.contains("ukjent utfall"), "{text}");
}

#[test]
fn the_calendar_keeps_a_passed_deadline_for_a_month_and_is_valid_empty() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, common::free_port());
    let ics = |now: &str| {
        let out = at(&s, now).arg("calendar").output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // A database with nothing in it yet (a missing one is refused).
    policywatch::store::Store::open(&s.root.join("pw.db")).unwrap();
    let empty = ics("2026-09-01T06:00:00Z");
    assert!(!empty.contains("BEGIN:VEVENT"));
    assert!(empty.contains("BEGIN:VTIMEZONE"), "one component: {empty}");
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    // The health-register hearing's deadline is 20 September.
    assert!(ics("2026-09-25T06:00:00Z").contains("UID:3600001@"));
    assert!(ics("2026-10-19T06:00:00Z").contains("UID:3600001@"));
    assert!(!ics("2026-10-21T06:00:00Z").contains("UID:3600001@"));
}

#[test]
fn changes_held_by_the_breaker_are_told_to_the_secretariat_once() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut site = site();
    let server = SiteServer::start(&site).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let before = smtp.messages().len();
    for d in site
        .docs
        .iter_mut()
        .filter(|d| d.id % 3 == 0 && d.deadline.is_some())
    {
        d.deadline = Some(jiff::civil::date(2026, 12, 24));
    }
    server.set_site(&site);
    for hour in ["05", "09"] {
        at(&s, &format!("2026-09-04T{hour}:00:00Z"))
            .arg("run")
            .assert()
            .code(4)
            .stdout(predicate::str::contains("--accept-changes"));
    }
    let new = &smtp.messages()[before..];
    assert_eq!(new.len(), 1, "one alert, to the secretariat: {new:#?}");
    assert!(new[0].contains("X-RcptTo: sek@ho21.example"));
    assert!(body_text(&new[0]).contains("endringer på én gang er holdt tilbake"));
    at(&s, "2026-09-04T10:00:00Z")
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "horinger: ENDRINGER HOLDT TILBAKE",
        ));
}

/// "Frist endret" names the date the recipient was last told: after two
/// moves the second says 18.09 → 25.09 to one told 18.09; a move back to
/// what they were told sends nothing.
#[test]
fn frist_endret_starts_from_what_the_recipient_was_told() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut site = site();
    let server = SiteServer::start(&site).unwrap();
    let s = setup(&server, smtp.port);
    let moved_to = |site: &mut standin::Site, d: jiff::civil::Date| {
        site.doc_mut(3_600_001).unwrap().deadline = Some(d);
        server.set_site(site);
    };
    let step = |now: &str| {
        at(&s, now).arg("poll").assert().success();
        at(&s, now).arg("notify").assert().success();
    };
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let to_member = || -> Vec<String> {
        smtp.messages_to("data@ho21.example")
            .iter()
            .map(|m| subject(m))
            .filter(|s| s.starts_with("Frist endret"))
            .collect()
    };
    // 20.09 → 18.09: told.
    moved_to(&mut site, jiff::civil::date(2026, 9, 18));
    step("2026-09-04T06:00:00Z");
    assert_eq!(to_member().len(), 1, "{:?}", to_member());
    assert!(
        to_member()[0].contains("(20.09.2026 → 18.09.2026)"),
        "{:?}",
        to_member()
    );
    // 18.09 → 25.09: from what they were told, not from 20.09.
    moved_to(&mut site, jiff::civil::date(2026, 9, 25));
    step("2026-09-05T06:00:00Z");
    assert_eq!(to_member().len(), 2, "{:?}", to_member());
    assert!(
        to_member()[1].contains("(18.09.2026 → 25.09.2026)"),
        "{:?}",
        to_member()
    );
    // 25.09 → 30.09 and back to 25.09 between two runs of notify: they
    // were told 25.09, so nothing is said.
    moved_to(&mut site, jiff::civil::date(2026, 9, 30));
    at(&s, "2026-09-06T06:00:00Z")
        .arg("poll")
        .assert()
        .success();
    moved_to(&mut site, jiff::civil::date(2026, 9, 25));
    step("2026-09-06T08:00:00Z");
    assert_eq!(to_member().len(), 2, "{:?}", to_member());
    for m in smtp.messages() {
        let subj = subject(&m);
        if let Some(rest) = subj.strip_prefix("Frist endret (") {
            let (a, b) = rest.split_once(" → ").unwrap();
            assert_ne!(a, &b[..10], "{subj}");
        }
    }
}

/// An SMTP server that takes the whole message after DATA and then drops
/// the connection without its final reply. Counts the messages it got.
fn smtp_dropping_after_data() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::BufRead;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(s) = stream else { continue };
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut w = s.try_clone().unwrap();
                let mut r = std::io::BufReader::new(s);
                let _ = w.write_all(b"220 drop.example ESMTP\r\n");
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let answer: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-drop.example\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n");
                        return;
                    } else if cmd.starts_with("DATA") {
                        let _ = w.write_all(b"354 go ahead\r\n");
                        loop {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                                break;
                            }
                        }
                        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        // Taken, and gone without a word.
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(answer);
                }
            });
        }
    });
    (port, got)
}

/// A lost confirmation is an uncertain delivery, for every channel: the
/// mail server that drops after DATA and the webhook that answers late
/// are not sent to again by the next run; `status` lists them to settle.
#[test]
fn a_lost_confirmation_is_uncertain_and_never_sent_twice() {
    let server = SiteServer::start(&site()).unwrap();
    let (port, got) = smtp_dropping_after_data();
    let s = setup(&server, port);
    let slow = SiteServer::start(&standin::Site::with_docs(vec![])).unwrap();
    slow.set_delay(Duration::from_secs(3));
    edit(
        &s,
        &format!(
            "url = \"{}/hooks/teams\"\nformat = \"teams\"",
            server.origin()
        ),
        &format!(
            "url = \"{}/hooks/teams\"\nformat = \"teams\"\ntimeout_secs = 1",
            slow.origin()
        ),
    );
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .code(4);
    let mails = got.load(std::sync::atomic::Ordering::SeqCst);
    // The slow receiver logs a request when it answers, after its delay.
    std::thread::sleep(Duration::from_secs(3));
    let hooks = slow
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert!(
        mails >= 2,
        "every member's mail reached the server: {mails}"
    );
    assert_eq!(hooks, 1);
    // The next run sends none of them again.
    at(&s, "2026-09-03T12:00:00Z")
        .arg("notify")
        .assert()
        .success();
    assert_eq!(
        got.load(std::sync::atomic::Ordering::SeqCst),
        mails,
        "mail sent twice"
    );
    assert_eq!(
        slow.requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1,
        "webhook posted twice"
    );
    let status = at(&s, "2026-09-03T12:05:00Z")
        .args(["status", "--json"])
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let open = status["open_deliveries"].as_array().unwrap();
    assert!(open.iter().any(|d| d["channel"] == "webhook"), "{open:#?}");
    assert!(open.iter().any(|d| d["channel"] == "email"), "{open:#?}");
}
