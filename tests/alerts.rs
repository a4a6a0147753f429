//! Alerts end to end: a real SMTP server (aiosmtpd) and a local webhook
//! receiver; exactly once across runs, failures and a crash right after a
//! send; a moved deadline; the calendar parsed back by an iCalendar parser.

mod common;

use std::path::{Path, PathBuf};

use common::alerts::{at, posts, setup, site};
use common::{SmtpServer, body_text, subject};
use predicates::prelude::*;
use standin::SiteServer;

#[test]
fn each_member_gets_the_right_alerts_once() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();

    // Dry run: prints what would go, sends and records nothing.
    at(&s, "2026-09-03T06:05:00Z")
        .args(["notify", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "=== Til Sekretariatet (email sek@ho21.example)",
        ))
        .stdout(predicate::str::contains(
            "Frist før møte 4/2026 (01.10.2026)",
        ))
        .stdout(predicate::str::contains("ingenting er sendt"));
    assert!(smtp.messages().is_empty());
    assert!(posts(&server).is_empty());

    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    // The secretariat: one digest with everything, the most urgent first.
    let sek = smtp.messages_to("sek@ho21.example");
    assert_eq!(sek.len(), 1);
    assert_eq!(
        subject(&sek[0]),
        "HO21 policywatch: 2 saker, nærmeste frist 20.09.2026"
    );
    let body = body_text(&sek[0]);
    let first = body.find("Frist før møte 4/2026").unwrap();
    assert!(
        first
            < body
                .find("Ny høring: Høring – veikart for helsenæringen")
                .unwrap(),
        "{body}"
    );
    assert!(
        body.contains("Høringsfrist: 20.09.2026 (17 dager igjen)"),
        "{body}"
    );
    assert!(body.contains("Helse- og omsorgsdepartementet"));
    assert!(body.contains("/id3600001/"), "the link: {body}");
    assert!(
        body.contains("Tema: ")
            && body.contains("H2 Helse- og omsorgstjenestene er kunnskapsbaserte"),
        "{body}"
    );
    // The health-data member: instant, only the health-data hearing.
    let data = smtp.messages_to("data@ho21.example");
    assert_eq!(data.len(), 1, "{data:#?}");
    assert_eq!(
        subject(&data[0]),
        "Ny høring: Høring – endringer i helseregisterloven"
    );
    // The industry member: the industry hearing only.
    let naering = smtp.messages_to("naering@ho21.example");
    assert_eq!(naering.len(), 1);
    assert!(body_text(&naering[0]).contains("veikart for helsenæringen"));
    assert!(!body_text(&naering[0]).contains("helseregisterloven"));
    // The Teams channel: one MessageCard, no secretariat-only alert.
    let cards = posts(&server);
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["@type"], "MessageCard");
    assert_eq!(
        cards[0]["title"],
        "HO21 policywatch: 2 saker, nærmeste frist 20.09.2026"
    );
    assert!(
        !cards[0]["text"]
            .as_str()
            .unwrap()
            .contains("Frist før møte")
    );

    // The same run again: nothing new.
    at(&s, "2026-09-03T07:00:00Z")
        .arg("poll")
        .assert()
        .success();
    at(&s, "2026-09-03T07:00:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    assert_eq!(smtp.messages().len(), 3);
    assert_eq!(posts(&server).len(), 1);

    // Thirteen days before the first deadline nothing is due; at seven, the
    // reminder.
    at(&s, "2026-09-07T06:00:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    at(&s, "2026-09-13T06:00:00Z")
        .arg("notify")
        .assert()
        .success();
    let data = smtp.messages_to("data@ho21.example");
    assert_eq!(data.len(), 2);
    assert_eq!(
        subject(&data[1]),
        "Påminnelse, 7 dager igjen: Høring – endringer i helseregisterloven"
    );
}

#[test]
fn a_moved_deadline_sends_one_frist_endret_and_bumps_the_calendar() {
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
    let ics = s.root.join("frister.ics");
    at(&s, "2026-09-03T06:10:00Z")
        .args(["calendar", "-o"])
        .arg(&ics)
        .assert()
        .success();
    let before = parse_ics(&ics);
    assert_eq!(before.len(), 2);
    let (uid, seq, start, _) = &before[0];
    assert_eq!(uid, "3600001@policywatch.helseomsorg21");
    assert_eq!(seq, "0");
    assert_eq!(start, "20260920");

    site.doc_mut(3_600_001).unwrap().deadline = Some(jiff::civil::date(2026, 10, 15));
    server.set_site(&site);
    let sent_before = smtp.messages().len();
    at(&s, "2026-09-04T06:00:00Z")
        .arg("poll")
        .assert()
        .success();
    at(&s, "2026-09-04T06:10:00Z")
        .arg("notify")
        .assert()
        .success();
    let new: Vec<String> = smtp.messages()[sent_before..].to_vec();
    // The secretariat and the health-data member, once each.
    assert_eq!(new.len(), 2, "{new:#?}");
    for m in &new {
        assert!(
            body_text(m).contains("Frist endret (20.09.2026 → 15.10.2026)"),
            "{}",
            body_text(m)
        );
    }
    assert_eq!(
        subject(&smtp.messages_to("data@ho21.example")[1]),
        "Frist endret (20.09.2026 → 15.10.2026): Høring – endringer i helseregisterloven"
    );
    at(&s, "2026-09-04T06:10:00Z")
        .args(["calendar", "-o"])
        .arg(&ics)
        .assert()
        .success();
    let after = parse_ics(&ics);
    let moved = after
        .iter()
        .find(|e| e.0 == "3600001@policywatch.helseomsorg21")
        .unwrap();
    assert_eq!(moved.1, "1", "SEQUENCE raised");
    assert_eq!(moved.2, "20261015");
    // A second notify sends nothing more.
    at(&s, "2026-09-04T07:00:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
}

/// (UID, SEQUENCE, DTSTART, has an alarm) of each event, read by the
/// `ical` crate, an independent parser.
fn parse_ics(path: &Path) -> Vec<(String, String, String, bool)> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut cals = ical::IcalParser::new(file);
    let cal = cals.next().expect("one calendar").expect("it parses");
    assert!(cals.next().is_none());
    cal.events
        .iter()
        .map(|e| {
            let prop = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
                    .unwrap_or_else(|| panic!("{name} missing"))
            };
            let start = e.properties.iter().find(|p| p.name == "DTSTART").unwrap();
            let is_date = start.params.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()])
            });
            assert!(is_date, "an all-day event");
            assert!(prop("SUMMARY").starts_with("Høringsfrist: "));
            assert!(prop("DESCRIPTION").contains("Helse- og omsorgsdepartementet"));
            assert!(prop("URL").contains("/id"));
            (
                prop("UID"),
                prop("SEQUENCE"),
                prop("DTSTART"),
                !e.alarms.is_empty(),
            )
        })
        .inspect(|e| assert!(e.3, "VALARM"))
        .collect()
}

#[test]
fn a_failing_smtp_server_then_a_working_one_delivers_once() {
    let server = SiteServer::start(&site()).unwrap();
    let port = common::free_port();
    let s = setup(&server, port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    // No server on the port: every e-mail fails; the webhook still goes.
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("3 feilet"));
    assert_eq!(posts(&server).len(), 1);
    let Some(smtp) = SmtpServer::start_on(port) else {
        return;
    };
    at(&s, "2026-09-03T07:10:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("3 melding(er) sendt, 0 feilet"));
    at(&s, "2026-09-03T08:10:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    assert_eq!(smtp.messages().len(), 3);
    assert_eq!(posts(&server).len(), 1, "the webhook was not repeated");
}

#[test]
fn a_run_killed_right_after_sending_does_not_send_twice() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["poll", "--backfill", "3"])
        .assert()
        .success();
    // The first message goes out, then the process dies before recording.
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .env(policywatch::alerts::deliver::FAILPOINT_AFTER_SEND, "1")
        .assert()
        .code(137);
    assert_eq!(smtp.messages().len(), 1);
    let first = smtp.messages()[0].clone();
    // The next run sends the rest, not the one whose fate is unknown.
    at(&s, "2026-09-03T06:20:00Z")
        .arg("notify")
        .assert()
        .success()
        // The secretariat's digest (three alerts) is the one left alone.
        .stdout(predicate::str::contains(
            "3 varsel(er) med ukjent utfall holdt tilbake",
        ));
    let all = smtp.messages();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert_eq!(all.iter().filter(|m| **m == first).count(), 1);
    at(&s, "2026-09-03T06:30:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    assert_eq!(smtp.messages().len(), 3);
}

#[test]
fn test_message_and_missing_password_variable() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["notify", "--test", "test@ho21.example"])
        .assert()
        .success();
    let m = smtp.messages_to("test@ho21.example");
    assert_eq!(m.len(), 1);
    assert_eq!(subject(&m[0]), "Testmelding fra policywatch");
    // A config that names a password variable that is not set is refused
    // with the variable's name, and the password never appears.
    let text = std::fs::read_to_string(&s.cfg).unwrap().replace(
        "security = \"none\"",
        "security = \"none\"\nusername = \"ho21\"\npassword_env = \"PW_TEST_SMTP_PASSWORD_UNSET\"",
    );
    std::fs::write(&s.cfg, text).unwrap();
    at(&s, "2026-09-03T06:00:00Z")
        .args(["notify", "--test", "test@ho21.example"])
        .env_remove("PW_TEST_SMTP_PASSWORD_UNSET")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PW_TEST_SMTP_PASSWORD_UNSET"));
}

#[test]
fn an_unusable_mail_setup_fails_the_emails_only() {
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, common::free_port());
    let text = std::fs::read_to_string(&s.cfg).unwrap().replace(
        "security = \"none\"",
        "security = \"none\"\nusername = \"ho21\"\npassword_env = \"PW_TEST_SMTP_PASSWORD_UNSET\"",
    ) + "\n[outputs]\ndir = \"ut\"\nformats = [\"md\"]\n";
    std::fs::write(&s.cfg, text).unwrap();
    at(&s, "2026-09-03T06:00:00Z")
        .args(["run", "--backfill", "3"])
        .env_remove("PW_TEST_SMTP_PASSWORD_UNSET")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("PW_TEST_SMTP_PASSWORD_UNSET"));
    // The webhook went, and the outputs were written.
    assert_eq!(posts(&server).len(), 1);
    assert!(s.root.join("ut/oversikt.md").is_file());
    assert!(s.root.join("ut/frister.ics").is_file());
}

/// A CA and a server certificate for 127.0.0.1, made with the openssl
/// command; `None` (with a notice) where there is none.
fn make_certificates(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let run = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ok = run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=policywatch test CA",
    ]) && run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]) && run(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
    if !ok {
        println!("SKIPPED: the openssl command could not make test certificates");
        return None;
    }
    Some((dir.join("ca.pem"), dir.join("srv.pem"), dir.join("srv.key")))
}

#[test]
fn starttls_with_the_organisations_ca() {
    let certs = tempfile::tempdir().unwrap();
    let Some((ca, cert, key)) = make_certificates(certs.path()) else {
        return;
    };
    let Some(smtp) = SmtpServer::start_tls(&cert, &key) else {
        return;
    };
    let server = SiteServer::start(&site()).unwrap();
    let s = setup(&server, smtp.port);
    let plain = std::fs::read_to_string(&s.cfg).unwrap();
    // The server's certificate is not signed by a public CA: refused.
    std::fs::write(
        &s.cfg,
        plain.replace("security = \"none\"", "security = \"starttls\""),
    )
    .unwrap();
    at(&s, "2026-09-03T06:00:00Z")
        .args(["notify", "--test", "tls@ho21.example"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("testmeldingen kom ikke fram"));
    assert!(smtp.messages().is_empty());
    // With the CA named in smtp.ca_file, over STARTTLS.
    std::fs::write(
        &s.cfg,
        plain.replace(
            "security = \"none\"",
            &format!("security = \"starttls\"\nca_file = \"{}\"", ca.display()),
        ),
    )
    .unwrap();
    at(&s, "2026-09-03T06:00:00Z")
        .args(["notify", "--test", "tls@ho21.example"])
        .assert()
        .success();
    assert_eq!(smtp.messages_to("tls@ho21.example").len(), 1);
}

#[test]
fn a_baseline_silences_what_is_due_now_but_not_what_comes_next() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let mut site = site();
    let server = SiteServer::start(&site).unwrap();
    let s = setup(&server, smtp.port);
    at(&s, "2026-09-03T06:00:00Z")
        .args(["run", "--no-notify", "--backfill", "3"])
        .assert()
        .success();
    at(&s, "2026-09-03T06:05:00Z")
        .args(["notify", "--baseline"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "registrert som sendt uten å sendes",
        ));
    at(&s, "2026-09-03T06:10:00Z")
        .arg("notify")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 melding(er) sendt"));
    assert!(smtp.messages().is_empty());
    assert!(posts(&server).is_empty());
    // What happens after the baseline is told.
    site.doc_mut(3_600_002).unwrap().deadline = Some(jiff::civil::date(2026, 12, 15));
    server.set_site(&site);
    at(&s, "2026-09-04T06:00:00Z").arg("run").assert().success();
    let sek = smtp.messages_to("sek@ho21.example");
    assert_eq!(sek.len(), 1);
    assert!(
        subject(&sek[0]).starts_with("Frist endret (30.11.2026 → 15.12.2026)"),
        "{}",
        subject(&sek[0])
    );
}
