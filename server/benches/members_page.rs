//! Members page throughput (issue 3): the server-rendered page of a project with 200 members and
//! 50 pending invitations, next to a plain axum handler that runs the same queries and returns
//! the same rows as JSON — both measured in this one run, 16 concurrent connections, release
//! build. Budget: the page reaches at least 50% of the baseline's requests per second.
//!
//! Run: `cargo bench -p server --bench members_page` (prints figures; asserts nothing).

#[path = "../tests/support/postgres.rs"]
mod postgres;

use app::ssr::{
    session::{hash_token, new_token},
    state::AppState,
    store::{activity, invitations, members, projects, sessions},
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    routing::get,
    Json, Router,
};
use server::{config::Config, Application};
use std::time::{Duration, Instant};

const MEMBERS: usize = 200;
const PENDING: usize = 50;
const CONNECTIONS: usize = 16;
const WARMUP: Duration = Duration::from_secs(2);
const MEASURE: Duration = Duration::from_secs(8);

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("Members page of a project with {MEMBERS} members and {PENDING} pending invitations, {CONNECTIONS} connections, {}s each:", MEASURE.as_secs());
    let sqlite = run(
        "SQLite",
        &format!("sqlite://{}/bench.db", dir.path().display()),
        dir.path(),
    )
    .await;
    let pg = postgres::server();
    match postgres::create(&pg, "roster_bench").await {
        Ok((url, name)) => {
            let postgres = run("PostgreSQL", &url, dir.path()).await;
            println!(
                "\nMembers page on PostgreSQL / on SQLite: {:.0}%",
                postgres / sqlite * 100.0
            );
            postgres::drop(&pg, &name).await;
        }
        Err(e) => println!("\n!! PostgreSQL SKIPPED: nothing usable at {pg} ({e})"),
    }
}

/// Seeds one database, measures the baseline and the page on it; returns the page's req/s.
async fn run(label: &str, url: &str, dir: &std::path::Path) -> f64 {
    let app = Application::build(Config::for_tests(url, dir.join(format!("mail-{label}"))))
        .await
        .unwrap();
    let state = app.state().clone();
    let base = format!("http://{}", app.local_addr());
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let stopped = stop.clone();
    let server = tokio::spawn(app.run_until(async move { stopped.notified().await }));
    let token = seed(&state).await;

    let baseline = Router::new()
        .route("/baseline/{slug}", get(baseline_handler))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let baseline_base = format!("http://{}", listener.local_addr().unwrap());
    let baseline_server = tokio::spawn(async move { axum::serve(listener, baseline).await });

    let cookie = format!("roster_session={token}");
    let page = format!("{base}/p/bench/members");
    let json = format!("{baseline_base}/baseline/bench");
    let page_bytes = check(&page, &cookie, "Members with Pending Invitations").await;
    let json_bytes = check(&json, &cookie, "pending").await;

    println!("\n{label}: page {page_bytes} bytes, JSON {json_bytes} bytes");
    let b = load(&json, &cookie).await;
    b.print("baseline: axum handler, same queries, JSON");
    let p = load(&page, &cookie).await;
    p.print("Members page, server-rendered (Leptos)");
    let ratio = p.rps / b.rps * 100.0;
    println!(
        "  page / baseline throughput: {ratio:.0}% (budget ≥ 50%: {})",
        if ratio >= 50.0 { "met" } else { "NOT met" }
    );
    baseline_server.abort();
    stop.notify_one();
    let _ = server.await;
    p.rps
}

/// Checks the answer and returns its size in bytes.
async fn check(url: &str, cookie: &str, needle: &str) -> usize {
    let body = reqwest::Client::new()
        .get(url)
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(needle), "{url} did not answer as expected");
    if std::env::var_os("DUMP_PAGE").is_some() {
        std::fs::write(format!("/tmp/bench-{}.out", body.len()), &body).unwrap();
    }
    body.len()
}

/// Inserts the owner, 199 more members and 50 pending invitations; returns the owner's token.
async fn seed(state: &AppState) -> String {
    let db = &state.db;
    let now = state.clock.now_ms();
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    for i in 0..MEMBERS {
        sqlx::query("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(format!("user-{i}"))
            .bind(format!("member{i}@example.com"))
            .bind(format!("Member {i:03}"))
            .bind(hash)
            .bind(now)
            .execute(db)
            .await
            .unwrap();
    }
    let name = app::domain::ProjectName::parse("Bench").unwrap();
    let slug = app::domain::Slug::parse("bench").unwrap();
    assert!(projects::create(db, &name, &slug, "user-0", now)
        .await
        .unwrap());
    let project = projects::membership(db, &slug, "user-0")
        .await
        .unwrap()
        .unwrap();
    let roles = ["admin", "member", "developer", "accountant"];
    let mut tx = members::begin_change(db, &project.project_id)
        .await
        .unwrap();
    for i in 1..MEMBERS {
        let role = app::domain::Role::parse(roles[i % roles.len()]).unwrap();
        members::add(
            &mut tx,
            &project.project_id,
            &format!("user-{i}"),
            role,
            now + i as i64,
        )
        .await
        .unwrap();
    }
    for i in 0..PENDING {
        let email = app::domain::Email::parse(&format!("pending{i}@example.com")).unwrap();
        let (_, token_hash) = new_token();
        invitations::insert(
            &mut tx,
            invitations::NewInvitation {
                project_id: &project.project_id,
                email: &email,
                role: app::domain::Role::Member,
                token_hash: &token_hash,
                invited_by: "user-0",
                now,
                expires_at: now + 7 * 24 * 3600 * 1000,
                // No email row: the page's join to the outbox still runs, and finds nothing.
                outbox_id: &format!("outbox-{i}"),
            },
        )
        .await
        .unwrap();
        activity::record(
            &mut tx,
            activity::Entry {
                project_id: &project.project_id,
                kind: activity::Kind::Invited,
                actor_id: Some("user-0"),
                actor_name: "Member 000",
                subject: activity::Subject::address(email.as_str()),
                old_value: None,
                new_value: Some("member"),
                now,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (token, token_hash) = new_token();
    sessions::create(db, &token_hash, "user-0", now)
        .await
        .unwrap();
    token
}

/// The same work as the page's data, without Leptos: session, membership, members, pending
/// invitations and the first page of activity, as JSON.
async fn baseline_handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Json<serde_json::Value> {
    let token = headers
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(app::ssr::session::token_from_cookie_header)
        .unwrap();
    let now = state.clock.now_ms();
    let user = sessions::resolve(&state.db, &hash_token(&token), now)
        .await
        .unwrap()
        .unwrap();
    let project = projects::membership(
        &state.db,
        &app::domain::Slug::parse(&slug).unwrap(),
        &user.user_id,
    )
    .await
    .unwrap()
    .unwrap();
    let rows = members::list(&state.db, &project.project_id).await.unwrap();
    let pending = invitations::pending_for_project(&state.db, &project.project_id)
        .await
        .unwrap();
    let log = activity::page(&state.db, &project.project_id, None, 20)
        .await
        .unwrap();
    Json(serde_json::json!({
        "project": { "slug": project.slug, "name": project.name, "role": project.role, "invite_expiry_days": project.invite_expiry_days, "member_count": project.member_count },
        "members": rows.iter().map(|m| serde_json::json!({
            "user_id": m.user_id, "name": m.name, "email": m.email, "role": m.role, "joined_at": m.joined_at
        })).collect::<Vec<_>>(),
        "pending": pending.iter().map(|i| serde_json::json!({
            "id": i.id, "email": i.email, "role": i.role, "invited_by": i.inviter_name, "sent_at": i.sent_at, "expires_at": i.expires_at
        })).collect::<Vec<_>>(),
        "activity": log,
    }))
}

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
    requests: usize,
}

impl Figures {
    fn print(&self, label: &str) {
        println!(
            "  {label:<45} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests)",
            self.rps,
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.requests
        );
    }
}

/// Loads `url` with CONNECTIONS connections: with wrk (a separate, lean process, so the
/// figures are the server's rather than this process's HTTP client's) when it is installed,
/// otherwise with an in-process client.
async fn load(url: &str, cookie: &str) -> Figures {
    match wrk(url, cookie).await {
        Some(f) => f,
        None => {
            println!("  (wrk not found: loading from this process; `apt-get install wrk` for steadier figures)");
            load_in_process(url, cookie).await
        }
    }
}

async fn wrk(url: &str, cookie: &str) -> Option<Figures> {
    // The server runs in this process: wait for wrk off the runtime's threads.
    let run = |secs: u64| {
        let (url, cookie) = (url.to_owned(), cookie.to_owned());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("wrk")
                .args([
                    "-t",
                    "1",
                    "-c",
                    &CONNECTIONS.to_string(),
                    "-d",
                    &format!("{secs}s"),
                ])
                .args(["--latency", "-H", &format!("Cookie: {cookie}"), &url])
                .output()
        })
    };
    run(WARMUP.as_secs()).await.ok()?.ok()?;
    let out = run(MEASURE.as_secs()).await.ok()?.ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "{text}");
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    let ms = |v: String| -> Duration {
        let (n, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
        let n: f64 = n.parse().unwrap_or(0.0);
        Duration::from_secs_f64(match unit {
            "us" => n / 1e6,
            "ms" => n / 1e3,
            "s" => n,
            _ => n,
        })
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())?;
    Some(Figures {
        rps: field("Requests/sec:")?.parse().ok()?,
        p50: ms(field("50%")?),
        p99: ms(field("99%")?),
        requests,
    })
}

/// CONNECTIONS workers each send requests back to back; bounded by time, stops by itself.
async fn load_in_process(url: &str, cookie: &str) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let run = |until: Instant| {
        let mut workers = Vec::new();
        for _ in 0..CONNECTIONS {
            let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.to_owned());
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < until {
                    let start = Instant::now();
                    let res = client
                        .get(&url)
                        .header("Cookie", &cookie)
                        .send()
                        .await
                        .unwrap();
                    assert!(res.status().is_success());
                    res.bytes().await.unwrap();
                    latencies.push(start.elapsed());
                }
                latencies
            }));
        }
        workers
    };
    for w in run(Instant::now() + WARMUP) {
        w.await.unwrap();
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for w in run(started + MEASURE) {
        all.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Figures {
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        requests: all.len(),
    }
}
