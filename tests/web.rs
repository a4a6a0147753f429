//! The secretariat's page over HTTP: no page without a session, no POST
//! without the session's CSRF token, the login slowed after failures, the
//! headers that keep scripts out, every untrusted text escaped, and the
//! edits landing in the store by the commands' rules.

mod common;

use common::web::{Client, PASSWORD, USER, csrf_in, run, start};
use policywatch::model::Column;
use policywatch::store::Store;

#[test]
fn no_page_without_a_session_no_post_without_its_token() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        for page in [
            "/oversikt",
            "/nye",
            "/dokumenter",
            "/status",
            "/saken",
            "/frister.ics",
        ] {
            let a = c.get(page).await;
            assert_eq!(a.status, 303, "{page}");
            assert_eq!(a.headers["location"], "/login", "{page}");
        }
        let a = c
            .post("/rad/1/celle", &[("kolonne", "followup"), ("tekst", "x")])
            .await;
        assert_eq!(a.status, 403, "a POST without a session");

        // The login form without its token is refused.
        let a = c
            .post("/login", &[("username", USER), ("password", PASSWORD)])
            .await;
        assert_eq!(a.status, 403);
        let a = c.login("feil passord").await;
        assert_eq!(a.status, 401);
        assert!(!c.cookies.contains_key("pw_okt"));

        let a = c.login(PASSWORD).await;
        assert_eq!(
            (a.status, &a.headers["location"]),
            (303, &"/oversikt".parse().unwrap())
        );
        let set: Vec<&str> = a
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        let session = set.iter().find(|c| c.starts_with("pw_okt=")).unwrap();
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Strict"),
            "{session}"
        );
        assert!(!session.contains("Secure"), "plain http on 127.0.0.1");

        let page = c.get("/oversikt").await;
        assert_eq!(page.status, 200);
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(!page.body.contains("<script"), "no script on the page");
        assert!(
            !page.body.contains("style="),
            "no inline style (the CSP forbids it)"
        );

        // A POST with another token, or none, is refused and changes nothing.
        for form in [
            vec![("kolonne", "followup"), ("tekst", "x")],
            vec![("csrf", "0000"), ("kolonne", "followup"), ("tekst", "x")],
        ] {
            let a = c.post("/rad/1/celle", &form).await;
            assert_eq!(a.status, 403);
        }
        let store = Store::open(&web.dir.path().join("pw.db")).unwrap();
        assert!(
            store
                .overview_row(1)
                .unwrap()
                .unwrap()
                .cells
                .get(&Column::Followup)
                .is_none_or(|c| c.manual.is_none())
        );
    });
}

#[test]
fn the_login_slows_after_failures_and_a_session_ends_at_logout() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        for _ in 0..3 {
            assert_eq!(c.login("feil").await.status, 401);
        }
        let started = std::time::Instant::now();
        assert_eq!(c.login("feil").await.status, 401);
        assert!(
            started.elapsed() >= std::time::Duration::from_secs(1),
            "slowed"
        );
        // The right password still works, after the wait.
        assert_eq!(c.login(PASSWORD).await.status, 303);
        let page = c.get("/status").await;
        let csrf = csrf_in(&page.body);
        assert_eq!(c.post("/logg-ut", &[("csrf", &csrf)]).await.status, 303);
        assert_eq!(c.get("/status").await.status, 303, "the session is over");
    });
}

#[test]
fn untrusted_text_is_escaped_and_edits_follow_the_commands_rules() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        c.login(PASSWORD).await;
        // A title with a script shows as text, in every list.
        for page in ["/dokumenter", "/nye", "/dokument/regjeringen/3700003"] {
            let a = c.get(page).await;
            assert_eq!(a.status, 200, "{page}");
            assert!(
                a.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{page}"
            );
            assert!(!a.body.contains("<script>"), "{page}");
        }
        // Take the closed relevant hearing into the table.
        let triage = c.get("/nye").await;
        assert!(triage.body.contains("kliniske studier"), "{}", triage.body);
        let csrf = csrf_in(&triage.body);
        let a = c
            .post(
                "/dokument/ta-inn",
                &[("csrf", &csrf), ("dokument", "3700002")],
            )
            .await;
        assert_eq!(a.status, 303);
        let store = Store::open(&web.dir.path().join("pw.db")).unwrap();
        let row = store
            .overview_rows(true)
            .unwrap()
            .into_iter()
            .find(|r| r.doc_id.is_some_and(|d| d.0 == 3_700_002))
            .expect("a row for the hearing");
        assert!(
            row.cells[&Column::Title]
                .auto
                .as_deref()
                .unwrap()
                .contains("kliniske studier"),
            "the crawler's cells follow at once"
        );
        // The secretariat writes in it; the crawler's text stays beneath.
        let a = c
            .post(
                &format!("/rad/{}/celle", row.id),
                &[
                    ("csrf", &csrf),
                    ("kolonne", "followup"),
                    ("tekst", "Arbeidsgruppe skriver svar"),
                ],
            )
            .await;
        assert_eq!(a.status, 303);
        let cell = store.overview_row(row.id).unwrap().unwrap().cells[&Column::Followup].clone();
        assert_eq!(cell.manual.as_deref(), Some("Arbeidsgruppe skriver svar"));
        let page = c.get("/oversikt").await;
        assert!(page.body.contains("Arbeidsgruppe skriver svar"));
        // A way back that is not one of our paths is not followed.
        let a = c
            .post(
                "/dokument/vurdering",
                &[
                    ("csrf", &csrf),
                    ("dokument", "3700003"),
                    ("vurdering", "pin"),
                    ("tilbake", "/dokument/x\r\nSet-Cookie: pw_okt=x"),
                ],
            )
            .await;
        assert_eq!(
            (a.status, &a.headers["location"]),
            (303, &"/nye?ok=folg".parse().unwrap())
        );
        // A row that does not exist is said, not a crash.
        let a = c
            .post(
                "/rad/9999/celle",
                &[("csrf", &csrf), ("kolonne", "followup"), ("tekst", "x")],
            )
            .await;
        assert_eq!(a.status, 400);
        // The case downloads as Word.
        let a = c.get("/saken/fil?format=docx&hva=sak").await;
        assert_eq!(a.status, 200);
        assert!(
            a.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("sak-5-2026.docx")
        );
    });
}

#[test]
fn the_public_page_is_there_only_when_configured() {
    let closed = start(false);
    let open = start(true);
    run(async {
        let mut c = Client::new(&closed);
        assert_eq!(c.get("/offentlig").await.status, 404);
        assert_eq!(c.get("/offentlig/frister.ics").await.status, 404);
        let mut c = Client::new(&open);
        let a = c.get("/offentlig").await;
        assert_eq!(a.status, 200);
        assert!(a.body.contains("helseregisterloven"));
        assert!(!a.body.contains("<form"), "read-only");
        let ics = c.get("/offentlig/frister.ics").await;
        assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{}", ics.body);
    });
}

#[test]
fn an_edit_made_while_a_run_runs_is_kept_and_does_not_wait_for_it() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        c.login(PASSWORD).await;
        let page = c.get("/oversikt").await;
        let csrf = csrf_in(&page.body);
        // A slow site: each request of the run takes 1.5 s.
        web.site.set_delay(std::time::Duration::from_millis(1500));
        let mut job = std::process::Command::new(assert_cmd::cargo::cargo_bin("policywatch"))
            .env("POLICYWATCH_LOG", "off")
            .arg("--config")
            .arg(&web.cfg)
            .args(["--now", "2026-09-10T12:00:00Z", "run", "--no-notify"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let started = std::time::Instant::now();
        let a = c
            .post(
                "/rad/1/celle",
                &[
                    ("csrf", &csrf),
                    ("kolonne", "followup"),
                    ("tekst", "Skrevet mens kjøringen gikk"),
                ],
            )
            .await;
        assert_eq!(a.status, 303);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "the edit waited {:?}",
            started.elapsed()
        );
        assert!(
            job.try_wait().unwrap().is_none(),
            "the run was still going when the edit was saved"
        );
        let status = job.wait().unwrap();
        assert!(status.success(), "the run finished: {status}");
    });
    let store = Store::open(&web.dir.path().join("pw.db")).unwrap();
    assert_eq!(
        store.overview_row(1).unwrap().unwrap().cells[&Column::Followup]
            .manual
            .as_deref(),
        Some("Skrevet mens kjøringen gikk"),
        "the edit survived the run"
    );
    let runs = store.recent_runs(5).unwrap();
    assert_eq!(
        runs.iter()
            .filter(|r| r.command == "run" && r.outcome.as_deref() == Some("ok"))
            .count(),
        2
    );
}

#[test]
fn a_text_too_long_for_a_cell_is_refused_and_changes_nothing() {
    let web = start(false);
    run(async {
        let mut c = Client::new(&web);
        c.login(PASSWORD).await;
        let csrf = csrf_in(&c.get("/oversikt").await.body);
        let long = "x".repeat(policywatch::overview::ops::MAX_TEXT + 1);
        for (path, form) in [
            (
                "/rad/1/celle",
                vec![("kolonne", "followup"), ("tekst", long.as_str())],
            ),
            ("/rad/1/notat", vec![("tekst", long.as_str())]),
            ("/rad/ny", vec![("tittel", long.as_str())]),
        ] {
            let mut form = form;
            form.push(("csrf", &csrf));
            let a = c.post(path, &form).await;
            assert_eq!(a.status, 400, "{path}");
            assert!(a.body.contains("høyst 5000 tegn"), "{path}");
        }
    });
    let store = Store::open(&web.dir.path().join("pw.db")).unwrap();
    let row = store.overview_row(1).unwrap().unwrap();
    assert!(row.note.is_none());
    assert_eq!(store.overview_rows(false).unwrap().len(), 1);
}
