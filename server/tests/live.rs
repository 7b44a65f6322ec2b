//! Live updates over server-sent events against the real server: who may follow a project,
//! what arrives, resuming with `Last-Event-ID`, and streams closing when access ends.

mod support;

use reqwest::StatusCode;
use std::time::Duration;
use support::{replica::Replica, *};

async fn next_change(stream: &mut EventStream) -> (String, Option<String>) {
    let ev = stream.next().await.expect("an event");
    assert_eq!(ev.event, "change", "{ev:?}");
    (EventStream::kind(&ev), ev.id)
}

#[tokio::test]
async fn members_see_each_change_as_it_commits() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    let mut stream = bob.events("/events/p/acme-web").await;

    invite(&ada, "carol@example.com", "developer").await;
    let (kind, id) = next_change(&mut stream).await;
    assert_eq!(kind, "invited");
    let invited_seq: i64 = id.expect("project events carry their seq").parse().unwrap();

    let page = members(&ada).await;
    ada.ok(
        "change_invitation_role",
        &[
            ("slug", "acme-web"),
            ("invitation_id", &pending_id(&page, "carol@example.com")),
            ("role", "accountant"),
        ],
    )
    .await;
    let (kind, id) = next_change(&mut stream).await;
    assert_eq!(kind, "pending_role_changed");
    assert_eq!(id, Some((invited_seq + 1).to_string()));
    // A refused change writes nothing, so nothing is sent.
    let refused = invite(&ada, "bob@example.com", "member").await;
    assert!(!refused[0]["error"].is_null(), "{refused}");
    stream.quiet_for(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn only_members_may_follow_a_project() {
    let app = spawn().await;
    let _ada = project_with_owner(&app).await;
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    let url = format!("{}/events/p/acme-web", app.base);
    let res = EventStream::open(&eve.http, &url, None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = EventStream::open(&eve.http, &format!("{}/events/p/nowhere", app.base), None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let stranger = app.browser();
    let res = EventStream::open(&stranger.http, &url, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = EventStream::open(&stranger.http, &format!("{}/events/me", app.base), None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_reconnecting_client_gets_what_it_missed_or_a_reload() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    for who in ["a", "b", "c"] {
        invite(&ada, &format!("{who}@example.com"), "member").await;
    }
    let url = format!("{}/events/p/acme-web", app.base);
    // Seen the first entry: the next two are replayed, in order, with their ids.
    let mut stream = EventStream::new(EventStream::open(&ada.http, &url, Some("1")).await).await;
    assert_eq!(
        next_change(&mut stream).await,
        ("invited".into(), Some("2".into()))
    );
    assert_eq!(
        next_change(&mut stream).await,
        ("invited".into(), Some("3".into()))
    );
    stream.quiet_for(Duration::from_millis(200)).await;
    // Up to date: nothing to replay.
    let mut stream = EventStream::new(EventStream::open(&ada.http, &url, Some("3")).await).await;
    stream.quiet_for(Duration::from_millis(200)).await;
    // Forged positions (not a number, negative, ahead of the log) are answered with a reload.
    for forged in [
        "abc",
        "-5",
        "999999",
        "1; DROP TABLE activity",
        "99999999999999999999",
    ] {
        let mut stream =
            EventStream::new(EventStream::open(&ada.http, &url, Some(forged)).await).await;
        let ev = stream.next().await.unwrap();
        assert_eq!(ev.event, "reload", "Last-Event-ID {forged:?}");
        // The stream goes on from the present.
        invite(&ada, &unique_email("later"), "member").await;
        assert_eq!(next_change(&mut stream).await.0, "invited");
    }
}

#[tokio::test]
async fn a_removed_member_is_told_and_their_stream_closes() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "member").await;
    let mut stream = bob.events("/events/p/acme-web").await;
    let mut own_projects = bob.events("/events/me").await;
    let bob_id = user_id(&members(&ada).await, "Bob");
    ada.ok(
        "remove_member",
        &[("slug", "acme-web"), ("user_id", &bob_id)],
    )
    .await;
    // The `removed` change comes first when the hub's nudge wins; the stream's periodic access
    // check can win under load and revoke before it. Either way the stream says why it ends,
    // and ends.
    let mut ev = stream.next().await.unwrap();
    if ev.event == "change" {
        assert_eq!(EventStream::kind(&ev), "removed", "{ev:?}");
        ev = stream.next().await.unwrap();
    }
    assert_eq!(ev.event, "revoked", "{ev:?}");
    assert!(ev.data.contains("removed"), "{ev:?}");
    assert_eq!(stream.next().await, None, "the stream ends");
    // Their Projects page hears of it too, and a new stream is refused. Bob's own joining
    // committed just before that stream opened, and the hub may still be delivering it: a
    // person's stream passes on late news rather than risk missing what came between the page
    // and the stream.
    let mut kind = next_change(&mut own_projects).await.0;
    if kind == "accepted" {
        kind = next_change(&mut own_projects).await.0;
    }
    assert_eq!(kind, "removed");
    let res = EventStream::open(&bob.http, &format!("{}/events/p/acme-web", app.base), None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn signing_out_closes_the_sessions_streams() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let mut project = ada.events("/events/p/acme-web").await;
    let mut mine = ada.events("/events/me").await;
    ada.ok("sign_out", &[]).await;
    for stream in [&mut project, &mut mine] {
        let ev = stream.next().await.unwrap();
        assert_eq!(ev.event, "revoked");
        assert!(ev.data.contains("signed-out"), "{ev:?}");
        assert_eq!(stream.next().await, None);
    }
}

#[tokio::test]
async fn a_stream_ends_when_its_session_expires_though_nobody_says_so() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let mut project = ada.events("/events/p/acme-web").await;
    let mut mine = ada.events("/events/me").await;
    // A week without a request: the session is over, and no sign-out announced it.
    app.state.clock.advance(7 * 24 * 3600 * 1000 + 1);
    for stream in [&mut project, &mut mine] {
        let ev = stream.next().await.unwrap();
        assert_eq!(ev.event, "revoked", "{ev:?}");
        assert!(ev.data.contains("signed-out"), "{ev:?}");
        assert_eq!(stream.next().await, None);
    }
}

#[tokio::test]
async fn a_removal_the_stream_never_heard_of_still_ends_it() {
    // A lagging stream (or one whose nudge was lost) can miss the `removed` entry; access is
    // read again from the table all the same.
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "member").await;
    let mut stream = bob.events("/events/p/acme-web").await;
    sqlx::query("DELETE FROM members WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.com')")
        .execute(&app.state.db)
        .await
        .unwrap();
    let ev = stream.next().await.unwrap();
    assert_eq!(ev.event, "revoked", "{ev:?}");
    assert!(ev.data.contains("removed"), "{ev:?}");
    assert_eq!(stream.next().await, None);
}

#[tokio::test]
async fn one_session_holds_a_bounded_number_of_streams() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let mut open = Vec::new();
    for _ in 0..app::ssr::live::STREAMS_PER_SESSION {
        open.push(ada.events("/events/me").await);
    }
    let refused =
        EventStream::open(&ada.http, &format!("{}/events/p/acme-web", app.base), None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    // Another session is not affected, and closing one frees a place.
    let other = app.browser();
    other
        .ok(
            "sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    other.events("/events/me").await;
    drop(open.pop());
    let mut reopened = None;
    for _ in 0..50 {
        let res = EventStream::open(&ada.http, &format!("{}/events/me", app.base), None).await;
        if res.status() == StatusCode::OK {
            reopened = Some(EventStream::new(res).await);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "a closed stream gives its place back");
}

#[tokio::test]
async fn the_projects_page_hears_of_invitations_to_its_person() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let dan = app.browser();
    dan.sign_up("Dan", "dan@example.com").await;
    let mut stream = dan.events("/events/me").await;
    // Someone else's invitation is not Dan's business.
    invite(&ada, "someone@example.com", "member").await;
    invite(&ada, "dan@example.com", "developer").await;
    assert_eq!(next_change(&mut stream).await, ("invited".into(), None));
    let page = members(&ada).await;
    ada.ok(
        "cancel_invitation",
        &[
            ("slug", "acme-web"),
            ("invitation_id", &pending_id(&page, "dan@example.com")),
        ],
    )
    .await;
    assert_eq!(next_change(&mut stream).await.0, "cancelled");
    // Reconnecting (with any Last-Event-ID) starts with a reload.
    let res = EventStream::open(&dan.http, &format!("{}/events/me", app.base), Some("7")).await;
    let mut again = EventStream::new(res).await;
    assert_eq!(again.next().await.unwrap().event, "reload");
}

/// PostgreSQL only: the cross-replica path (LISTEN/NOTIFY) does not exist on SQLite. Such tests
/// are ignored by default (so a SQLite run counts them as ignored, not passed); the PostgreSQL
/// run of `scripts/test.sh` includes them, and they refuse to run on anything else.
fn require_postgres(app: &TestApp) {
    assert!(
        app.database.is_postgres(),
        "this test needs PostgreSQL: set ROSTER_TEST_POSTGRES"
    );
}

#[tokio::test]
#[ignore = "PostgreSQL only: scripts/test.sh runs it with ROSTER_TEST_POSTGRES and --include-ignored"]
async fn the_listener_survives_its_connection_being_killed_and_catches_up() {
    let app = spawn().await;
    require_postgres(&app);
    let ada = project_with_owner(&app).await;
    let mut stream = ada.events("/events/p/acme-web").await;
    // Kill every server connection to this database: the pool's and the LISTEN one.
    let name = app.database.url.rsplit('/').next().unwrap().to_owned();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&name)
    .fetch_all(&sqlx::PgPool::connect(&app.database.url).await.unwrap())
    .await
    .unwrap();
    assert!(!killed.is_empty());
    // A change made while the listener is reconnecting still arrives.
    let mut outcome = serde_json::Value::Null;
    for _ in 0..50 {
        let res = ada
            .call(
                "invite",
                &[
                    ("slug", "acme-web"),
                    ("emails", "late@example.com"),
                    ("role", "member"),
                ],
            )
            .await;
        if res.status() == StatusCode::OK {
            outcome = res.json().await.unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(outcome[0]["error"].is_null(), "{outcome}");
    assert_eq!(next_change(&mut stream).await.0, "invited");
}

#[tokio::test]
#[ignore = "PostgreSQL only: scripts/test.sh runs it with ROSTER_TEST_POSTGRES and --include-ignored"]
async fn a_change_through_one_replica_reaches_a_stream_on_the_other() {
    let app = spawn().await;
    require_postgres(&app);
    let dir = tempfile::tempdir().unwrap();
    // Behind a load balancer both replicas answer for one public address.
    let public = "http://roster.test";
    let a = Replica::start(&app.database.url, Some(public), dir.path()).await;
    let b = Replica::start(&app.database.url, Some(public), dir.path()).await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let call = |base: &str, endpoint: &str, form: &[(&str, &str)]| {
        http.post(format!("{base}/api/{endpoint}"))
            .header("Origin", public)
            .header("Accept", "application/json")
            .form(form)
            .send()
    };
    // The session made on A is good on B: sessions live in the database.
    let res = call(
        &a.base,
        "sign_up",
        &[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = call(
        &a.base,
        "sign_in",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut on_b = EventStream::new(
        EventStream::open(&http, &format!("{}/events/p/ada-s-project", b.base), None).await,
    )
    .await;
    let res = call(
        &a.base,
        "invite",
        &[
            ("slug", "ada-s-project"),
            ("emails", "grace@example.com"),
            ("role", "member"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        next_change(&mut on_b).await,
        ("invited".into(), Some("1".into()))
    );
    // The invitation email is sent once, though both replicas run a mail worker.
    let mut sent = 0;
    for _ in 0..100 {
        sent = app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND recipient = 'grace@example.com'")
            .await;
        if sent == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sent, 1);
    // Three workers share this database: the two replicas' and the test server's.
    let eml = |d: &std::path::Path| std::fs::read_dir(d).map_or(0, |f| f.count());
    // Ada's confirmation and Grace's invitation: each written once.
    let mut all_sent = 0;
    for _ in 0..100 {
        all_sent = app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await;
        if all_sent == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(all_sent, 2);
    assert_eq!(
        eml(dir.path()) + eml(&app.mail_dir()),
        2,
        "one .eml per email"
    );
}
