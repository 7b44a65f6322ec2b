//! Email delivery: real SMTP to a real server on loopback, and an outbox that survives a
//! restart without sending anything twice.

mod support;

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};
use support::*;

/// A real SMTP server (aiosmtpd, `support/smtp_sink.py`) that prints every message it accepts
/// and refuses addresses starting with "bounce" for good.
struct SmtpSink {
    child: Child,
    port: u16,
    received: Arc<Mutex<String>>,
}

impl SmtpSink {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("python3")
            .args([
                "-u",
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py"),
                &port.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup.sh installs it)");
        let received = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let sink = received.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self {
                    child,
                    port,
                    received,
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start");
    }

    async fn wait_for(&self, needle: &str) -> String {
        for _ in 0..200 {
            let all = self.received.lock().unwrap().clone();
            if all.contains(needle) {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "SMTP server never received {needle:?}; got {}",
            self.received.lock().unwrap()
        );
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An address the receiving server refuses for good (550) is not retried: the inviter sees
/// "Delivery failed" with the server's reason, and may invite the address again, which
/// replaces the failed invitation (issue 11; seed 002: only a pending one blocks).
#[tokio::test]
async fn an_address_the_mail_server_refuses_shows_delivery_failed_and_can_be_invited_again() {
    let smtp = SmtpSink::start();
    let app = spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
    })
    .await;
    let ada = ada_with_a_project(&app, &smtp).await;
    let mut live = ada.events("/events/p/acme-web").await;
    invite(&ada, "bounce@example.com", "developer").await;
    invite(&ada, "grace@example.com", "member").await;
    smtp.wait_for("To: grace@example.com").await;

    // The failure is a live event (the open Members page updates without a reload) and a line
    // of the history.
    loop {
        let ev = live.next().await.expect("the stream stays open");
        if ev.event == "change" && EventStream::kind(&ev) == "delivery_failed" {
            break;
        }
    }
    let status = |page: &serde_json::Value, email: &str| pending(page, email)["status"].clone();
    let page = members(&ada).await;
    // Not necessarily the newest line: Grace's invitation may be logged after it.
    let failure = page["activity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "delivery_failed");
    assert!(
        failure.is_some_and(|a| a["subject"] == "bounce@example.com"
            && a["new_value"].as_str().is_some_and(|r| r.contains("550"))),
        "{page}"
    );
    let failed = status(&page, "bounce@example.com");
    let reason = failed["DeliveryFailed"].as_str().unwrap_or_default();
    assert!(reason.contains("550"), "{page}");
    assert!(reason.contains("No such user"), "{page}");
    assert_eq!(status(&page, "grace@example.com"), "Awaiting");
    assert_eq!(
        app.count("SELECT attempts FROM outbox WHERE recipient = 'bounce@example.com'")
            .await,
        1,
        "a permanent refusal is not retried"
    );

    // A delivered, live invitation still blocks a second one; the failed one is replaced.
    let again = invite(&ada, "grace@example.com", "member").await;
    assert!(again[0]["error"].is_string(), "{again}");
    let again = invite(&ada, "bounce@example.com", "accountant").await;
    assert!(again[0]["error"].is_null(), "{again}");
    let page = members(&ada).await;
    let bounce: Vec<_> = page["pending"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["email"] == "bounce@example.com")
        .collect();
    assert_eq!(bounce.len(), 1, "{page}");
    assert_eq!(bounce[0]["role"], "accountant");
}

/// Ada signs up with the app mailing through `smtp` (her confirmation goes there too; signing
/// in works before confirming) and creates Acme Web.
async fn ada_with_a_project<'a>(app: &'a TestApp, smtp: &SmtpSink) -> Browser<'a> {
    let ada = app.browser();
    ada.sign_up_unconfirmed("Ada", "ada@example.com").await;
    smtp.wait_for("Subject: Confirm your email address for Roster")
        .await;
    ada.ok(
        "sign_in",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;
    ada
}

#[tokio::test]
async fn invitations_are_delivered_over_smtp() {
    let smtp = SmtpSink::start();
    let app = spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail_from = "Roster <roster@example.net>".into();
    })
    .await;
    let ada = ada_with_a_project(&app, &smtp).await;
    ada.ok(
        "invite",
        &[
            ("slug", "acme-web"),
            ("emails", "grace@example.com"),
            ("role", "developer"),
        ],
    )
    .await;

    let received = smtp
        .wait_for("Subject: Ada invited you to Acme Web on Roster")
        .await;
    assert!(received.contains("To: grace@example.com"), "{received}");
    assert!(
        received.contains("From: Roster <roster@example.net>"),
        "{received}"
    );
    for _ in 0..100 {
        if app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await
            == 2
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the outbox rows were never marked sent");
}

#[tokio::test]
async fn the_outbox_survives_a_restart_and_sends_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = support::TestDatabase::fresh(dir.path()).await;
    let db_url = database.url.clone();
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();

    // First life: SMTP is down, so the invitation waits in the outbox with a failed attempt.
    let mut config = server::config::Config::for_tests(&db_url, dir.path().join("mail"));
    config.smtp_url = Some(format!("smtp://127.0.0.1:{dead_port}"));
    let first = server::Application::build(config).await.unwrap();
    let state = first.state().clone();
    let base = format!("http://{}", first.local_addr());
    let stop = Arc::new(tokio::sync::Notify::new());
    let stopped = stop.clone();
    let running = tokio::spawn(first.run_until(async move { stopped.notified().await }));
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let call = |path: &str, form: &[(&str, &str)]| {
        http.post(format!("{base}/api/{path}"))
            .header("Sec-Fetch-Site", "same-origin")
            .header("Accept", "application/json")
            .form(form)
            .send()
    };
    // Ada signs up (her confirmation waits in the outbox too) and signs in with her password.
    assert!(call(
        "sign_up",
        &[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORD)
        ]
    )
    .await
    .unwrap()
    .status()
    .is_success());
    assert!(call(
        "sign_in",
        &[("email", "ada@example.com"), ("password", PASSWORD)]
    )
    .await
    .unwrap()
    .status()
    .is_success());
    assert!(call(
        "invite",
        &[
            ("slug", "ada-s-project"),
            ("emails", "grace@example.com"),
            ("role", "member")
        ]
    )
    .await
    .unwrap()
    .status()
    .is_success());
    // The attempt counts when the row is claimed; its failure is recorded when SMTP refuses.
    let mut failed: Option<(i64, Option<String>)> = None;
    for _ in 0..200 {
        let (attempts, error): (i64, Option<String>) = sqlx::query_as(
            "SELECT attempts, last_error FROM outbox WHERE recipient = 'grace@example.com'",
        )
        .fetch_one(&state.db)
        .await
        .unwrap();
        if error.is_some() {
            failed = Some((attempts, error));
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let (attempts, _) = failed.expect("the failed attempt is recorded");
    assert_eq!(attempts, 1, "one failed attempt, retry scheduled");
    let sent: Option<i64> =
        sqlx::query_scalar("SELECT sent_at FROM outbox WHERE recipient = 'grace@example.com'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    assert!(sent.is_none());
    stop.notify_one();
    running.await.unwrap().unwrap();

    // Second life on the same database, with mail working and the retry due: delivered once.
    let config = server::config::Config::for_tests(&db_url, dir.path().join("mail"));
    let clock = config.clock.clone().unwrap();
    clock.advance(31_000);
    let second = server::Application::build(config).await.unwrap();
    let state = second.state().clone();
    tokio::spawn(second.run_until(std::future::pending()));
    let mut sent = 0;
    for _ in 0..200 {
        sent =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND recipient = 'grace@example.com'")
                .fetch_one(&state.db)
                .await
                .unwrap();
        if sent == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(sent, 1);
    // Later polls find nothing more to send.
    clock.advance(3_600_000);
    state.mail_wake.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let to_grace = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .filter(|f| {
            parse_mail(&std::fs::read(f.as_ref().unwrap().path()).unwrap())
                .to
                .contains("grace@example.com")
        })
        .count();
    assert_eq!(to_grace, 1, "delivered exactly once");
}

#[tokio::test]
async fn a_delivered_email_leaves_no_link_at_rest() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let token = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    // The row is marked sent just after the file is written.
    let mut left = i64::MAX;
    for _ in 0..100 {
        left = app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL OR body_text <> '' OR body_html <> ''")
            .await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(left, 0, "every delivered body is dropped");
    let holding: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE body_text LIKE $1 OR body_html LIKE $1 OR subject LIKE $1",
    )
    .bind(format!("%{token}%"))
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(holding, 0);
    // What the limits count stays: who got what, when.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'grace@example.com'")
            .await,
        1
    );
}

/// The server binary is killed (SIGKILL) while it writes a burst of invitation emails, then
/// started again on the same database and mail directory: every invitation it acknowledged is
/// delivered, and no message is written twice (issue 13, item 5). A repeat after such a crash
/// keeps its row's file name and Message-ID, so it replaces the first copy.
#[tokio::test]
async fn a_worker_killed_in_a_burst_loses_no_email_and_writes_none_twice() {
    use futures::StreamExt;
    use support::replica::Replica;

    let dir = tempfile::tempdir().unwrap();
    let database = support::TestDatabase::fresh(dir.path()).await;
    let mail_dir = dir.path().join("mail");
    let replica = Replica::start(&database.url, None, &mail_dir).await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let call = move |base: String, path: &'static str, form: Vec<(&'static str, String)>| {
        let http = http.clone();
        async move {
            http.post(format!("{base}/api/{path}"))
                .header("Sec-Fetch-Site", "same-origin")
                .header("Accept", "application/json")
                .form(&form)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    };
    let ada = "ada@example.com".to_owned();
    assert!(
        call(
            replica.base.clone(),
            "sign_up",
            vec![
                ("name", "Ada".into()),
                ("email", ada.clone()),
                ("password", PASSWORD.into())
            ]
        )
        .await
    );
    let mut confirmation = None;
    for _ in 0..400 {
        confirmation = mails_in(&mail_dir)
            .into_iter()
            .find(|m| m.to.contains(&ada));
        if confirmation.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let token = link_token(&confirmation.expect("confirmation email"), "/confirm/");
    assert!(
        call(
            replica.base.clone(),
            "confirm_email",
            vec![("token", token), ("password", PASSWORD.into())]
        )
        .await
    );

    // 150 invitations, 6 at a time; the server dies once 20 of their emails are written.
    let base = replica.base.clone();
    let burst = futures::stream::iter(0..150)
        .map(move |n| {
            let email = format!("guest{n}@example.com");
            let done = call(
                base.clone(),
                "invite",
                vec![
                    ("slug", "ada-s-project".into()),
                    ("emails", email.clone()),
                    ("role", "member".into()),
                ],
            );
            async move { done.await.then_some(email) }
        })
        .buffer_unordered(6)
        .filter_map(|acknowledged| async move { acknowledged })
        .collect::<Vec<String>>();
    let burst = tokio::spawn(burst);
    let mut written = 0;
    for _ in 0..2000 {
        written = mails_in(&mail_dir).len();
        if written > 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(written > 20, "the burst's emails are being written");
    drop(replica); // SIGKILL
    let acknowledged = burst.await.unwrap();
    assert!(
        !acknowledged.is_empty() && acknowledged.len() < 150,
        "the server died mid-burst ({} acknowledged)",
        acknowledged.len()
    );

    // Second life: everything owed goes out, once.
    let _replica = Replica::start(&database.url, None, &mail_dir).await;
    let db = app::ssr::database::connect(&database.url).await.unwrap();
    let mut unsent = i64::MAX;
    for _ in 0..1200 {
        unsent = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&db)
            .await
            .unwrap();
        if unsent == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(unsent, 0, "the outbox drains after the restart");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&db)
        .await
        .unwrap();
    let mails = mails_in(&mail_dir);
    assert_eq!(mails.len() as i64, rows, "one file per outbox row");
    let mut ids: Vec<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        mails.len(),
        "every message has its own Message-ID"
    );
    for email in &acknowledged {
        let copies = mails
            .iter()
            .filter(|m| m.to.contains(email.as_str()))
            .count();
        assert_eq!(
            copies, 1,
            "{email}: an acknowledged invitation is delivered once"
        );
    }
    for m in &mails {
        let copies = mails.iter().filter(|o| o.to == m.to).count();
        assert_eq!(copies, 1, "{} got {copies} emails", m.to);
    }
}
