//! Members page throughput (issue 3): the server-rendered page of a project with 200 members and
//! 50 pending invitations, next to a plain axum handler that runs the same queries and returns
//! the same rows as JSON — both measured in this one run, 16 concurrent connections, release
//! build. Budget: the page reaches at least 50% of the baseline's requests per second.
//!
//! Run: `cargo bench -p server --bench members_page` (prints figures; asserts nothing).

#[path = "support/load.rs"]
mod load;
#[path = "../tests/support/postgres.rs"]
mod postgres;

use app::ssr::{
    session::{hash_token, new_token},
    state::AppState,
    store::{activity, invitations, members, permissions, projects, services, sessions},
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use load::{check, compare, Bench, CONNECTIONS, MEASURE};
use serde::Serialize;

const MEMBERS: usize = 200;
const PENDING: usize = 50;

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
    let bench = Bench::start(url, dir.join(format!("mail-{label}")), |state| {
        Router::new()
            .route("/baseline/{slug}", get(baseline_handler))
            .with_state(state)
    })
    .await;
    let token = seed(&bench.state).await;
    let cookie = format!("roster_session={token}");
    let page = format!("{}/p/bench/members", bench.base);
    let json = format!("{}/baseline/bench", bench.baseline_base);
    let page_bytes = check(&page, &cookie, "Members with Pending Invitations").await;
    let json_bytes = check(&json, &cookie, "pending").await;
    println!("\n{label}: page {page_bytes} bytes, JSON {json_bytes} bytes");
    let p = compare("Members page", &page, &json, &cookie).await;
    bench.stop().await;
    p.rps
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
) -> Response {
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
    // The members' permission profiles and the services they name, as the page shows them.
    let mut conn = state.db.acquire().await.unwrap();
    let profiles = permissions::of_project(&mut conn, &project.project_id)
        .await
        .unwrap();
    drop(conn);
    let services = services::names(&state.db, &project.project_id)
        .await
        .unwrap();
    Json(Baseline {
        project: ProjectJson {
            slug: &project.slug,
            name: &project.name,
            role: project.actor.role,
            invite_expiry_days: project.invite_expiry_days,
            member_count: project.member_count,
        },
        members: rows
            .iter()
            .map(|m| MemberJson {
                user_id: &m.user_id,
                name: &m.name,
                email: &m.email,
                role: m.role,
                joined_at: m.joined_at,
                permissions: profiles.get(&m.user_id),
            })
            .collect(),
        services: &services,
        pending: pending
            .iter()
            .map(|i| PendingJson {
                id: &i.id,
                email: &i.email,
                role: i.role,
                invited_by: &i.inviter_name,
                sent_at: i.sent_at,
                expires_at: i.expires_at,
            })
            .collect(),
        activity: &log,
    })
    .into_response()
}

// The baseline's JSON, typed and borrowed from the rows, as a handler that serves a list of
// this size is written (a `serde_json::Value` tree would spend a seventh of its time building
// and dropping maps, flattering the page's ratio).
#[derive(Serialize)]
struct Baseline<'a> {
    project: ProjectJson<'a>,
    members: Vec<MemberJson<'a>>,
    services: &'a [(String, String)],
    pending: Vec<PendingJson<'a>>,
    activity: &'a [app::api::members::ActivityEntry],
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    slug: &'a str,
    name: &'a str,
    role: app::domain::Role,
    invite_expiry_days: i64,
    member_count: i64,
}

#[derive(Serialize)]
struct MemberJson<'a> {
    user_id: &'a str,
    name: &'a str,
    email: &'a str,
    role: app::domain::Role,
    joined_at: i64,
    permissions: Option<&'a app::access::Permissions>,
}

#[derive(Serialize)]
struct PendingJson<'a> {
    id: &'a str,
    email: &'a str,
    role: app::domain::Role,
    invited_by: &'a str,
    sent_at: i64,
    expires_at: i64,
}
