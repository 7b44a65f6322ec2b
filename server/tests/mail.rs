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

/// aiosmtpd's debugging server: a real SMTP server that prints every message it receives.
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
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
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

#[tokio::test]
async fn invitations_are_delivered_over_smtp() {
    let smtp = SmtpSink::start();
    let app = spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail_from = "Roster <roster@example.net>".into();
    })
    .await;
    let ada = app.browser();
    // Her confirmation goes to the SMTP server too; signing in works before confirming.
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
