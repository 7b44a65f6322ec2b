//! Services and Invoices page throughput (issue 10): the server-rendered Services page of a
//! project with 500 services and its Invoices page with 1,000 invoices, each next to a plain
//! axum handler that runs the same queries and returns the same rows as JSON, measured in this
//! one run (16 connections, release build). Budget: each page reaches at least 50% of its
//! baseline's requests per second.
//!
//! Run: `cargo bench -p server --bench billing_pages` (prints figures; asserts nothing).

#[path = "support/load.rs"]
mod load;

use app::domain::{ServiceKind, ServiceStatus, Slug};
use app::ssr::{
    session::{hash_token, new_token},
    state::AppState,
    store::{invoices, projects, services, sessions},
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

const SERVICES: usize = 500;
const INVOICES: usize = 1_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let bench = Bench::start(&url, dir.path().join("mail"), |state| {
        Router::new()
            .route("/services/{slug}", get(services_json))
            .route("/invoices/{slug}", get(invoices_json))
            .with_state(state)
    })
    .await;
    let token = seed(&bench.state).await;
    let (base, baseline_base) = (&bench.base, &bench.baseline_base);
    let cookie = format!("roster_session={token}");
    println!(
        "SQLite, {CONNECTIONS} connections, {}s each:",
        MEASURE.as_secs()
    );
    for (what, page, json, needle) in [
        (
            format!("Services page, {SERVICES} services"),
            format!("{base}/p/bench/services"),
            format!("{baseline_base}/services/bench"),
            "service-499",
        ),
        (
            format!("Invoices page, {INVOICES} invoices"),
            format!("{base}/p/bench/invoices"),
            format!("{baseline_base}/invoices/bench"),
            "B-0999",
        ),
    ] {
        let page_bytes = check(&page, &cookie, needle).await;
        let json_bytes = check(&json, &cookie, needle).await;
        println!("\n{what}: page {page_bytes} bytes, JSON {json_bytes} bytes");
        compare(&what, &page, &json, &cookie).await;
    }
    bench.stop().await;
}

/// One owner, a project "bench" with 500 services and 1,000 invoices of 3 lines; returns the
/// owner's session token.
async fn seed(state: &AppState) -> String {
    let db = &state.db;
    let now = state.clock.now_ms();
    sqlx::query("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('owner', 'owner@example.com', 'Owner', 'x', $1)")
        .bind(now)
        .execute(db)
        .await
        .unwrap();
    let name = app::domain::ProjectName::parse("Bench").unwrap();
    let slug = Slug::parse("bench").unwrap();
    assert!(projects::create(db, &name, &slug, "owner", now)
        .await
        .unwrap());
    let project = projects::id_by_slug(db, &slug).await.unwrap().unwrap();
    let mut tx = db.begin().await.unwrap();
    projects::set_payment_method(&mut tx, &project, Some("card •••• 4242"))
        .await
        .unwrap();
    let kinds = ServiceKind::ALL;
    for i in 0..SERVICES {
        let name = format!("service-{i:03}");
        services::insert(
            &mut tx,
            &project,
            &services::ServiceFields {
                kind: kinds[i % kinds.len()],
                name: &name,
                plan: "VPS 4 GB",
                region: "Amsterdam 2",
                status: ServiceStatus::Running,
            },
            now + i as i64,
        )
        .await
        .unwrap();
    }
    let day = 24 * 3600 * 1000;
    let lines = vec![
        ("web-1".to_owned(), "VPS 4 GB".to_owned(), 2_400),
        ("backup".to_owned(), "Backups 50 GB".to_owned(), 350),
        ("ssl".to_owned(), "SSL DV".to_owned(), 299),
    ];
    for i in 0..INVOICES {
        let number = format!("B-{i:04}");
        let issued_on = now - (INVOICES - i) as i64 * day;
        invoices::insert(
            &mut tx,
            &project,
            &invoices::NewInvoice {
                number: &number,
                issued_on,
                period_start: issued_on - 30 * day,
                period_end: issued_on - day,
                due_on: issued_on + 14 * day,
                currency: "EUR",
                total_minor: 3_049,
                lines: &lines,
            },
            now,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (token, token_hash) = new_token();
    sessions::create(db, &token_hash, "owner", now)
        .await
        .unwrap();
    token
}

/// Session and membership, as every project server function starts.
async fn member(state: &AppState, slug: &str, headers: &HeaderMap) -> projects::Membership {
    let token = headers
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(app::ssr::session::token_from_cookie_header)
        .unwrap();
    let user = sessions::resolve(&state.db, &hash_token(&token), state.clock.now_ms())
        .await
        .unwrap()
        .unwrap();
    projects::membership(&state.db, &Slug::parse(slug).unwrap(), &user.user_id)
        .await
        .unwrap()
        .unwrap()
}

async fn services_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let project = member(&state, &slug, &headers).await;
    let list = services::list(&state.db, &project.project_id)
        .await
        .unwrap();
    Json(ServicesJson {
        role: project.actor.role,
        services: &list,
    })
    .into_response()
}

async fn invoices_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let project = member(&state, &slug, &headers).await;
    let method = projects::payment_method(&state.db, &project.project_id)
        .await
        .unwrap();
    let list = invoices::list(&state.db, &project.project_id, state.clock.now_ms())
        .await
        .unwrap();
    Json(InvoicesJson {
        role: project.actor.role,
        payment_method: &method,
        invoices: &list,
    })
    .into_response()
}

// The baselines' JSON, typed and borrowed from the rows, as a handler that serves a list of
// this size is written (through a `serde_json::Value` tree it would spend part of its time
// building and dropping maps, flattering the pages' ratios).
#[derive(Serialize)]
struct ServicesJson<'a, L> {
    role: app::domain::Role,
    services: &'a L,
}

#[derive(Serialize)]
struct InvoicesJson<'a, M, L> {
    role: app::domain::Role,
    payment_method: &'a M,
    invoices: &'a L,
}
