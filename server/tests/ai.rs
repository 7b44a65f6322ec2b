//! AI settings and "Draft with AI" (issue 12; seed 004's AI Settings), against real HTTP servers
//! on loopback that answer as OpenAI's and Anthropic's APIs do (never the internet): the key is
//! sealed at rest and never sent back, every failure is said in words, drafts use the services
//! the caller may see, and other roles and projects are refused.

mod support;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode as AxumStatus},
    routing::post,
    Json, Router,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use support::*;

const SLUG: &str = "acme-web";
const KEY: &str = "sk-test-secret-1234";

/// What the fake provider saw and should answer.
#[derive(Clone, Default)]
struct Fake {
    seen: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
    /// The model's text.
    answer: Arc<Mutex<String>>,
}

async fn openai(
    State(f): State<Fake>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (AxumStatus, Json<Value>) {
    f.seen.lock().unwrap().push((headers.clone(), body.clone()));
    if body["model"] == "slow" {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}"))
    {
        return (
            AxumStatus::UNAUTHORIZED,
            Json(
                json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}),
            ),
        );
    }
    let text = f.answer.lock().unwrap().clone();
    (
        AxumStatus::OK,
        Json(json!({"choices": [{"message": {"role": "assistant", "content": text}}]})),
    )
}

async fn anthropic(
    State(f): State<Fake>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (AxumStatus, Json<Value>) {
    f.seen.lock().unwrap().push((headers.clone(), body.clone()));
    let versioned = headers.get("anthropic-version").is_some();
    if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(KEY) || !versioned {
        return (
            AxumStatus::UNAUTHORIZED,
            Json(
                json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
            ),
        );
    }
    let text = f.answer.lock().unwrap().clone();
    (
        AxumStatus::OK,
        Json(json!({"content": [{"type": "text", "text": text}]})),
    )
}

/// Starts both fakes on one loopback port; returns its base address.
async fn fake_provider(fake: Fake) -> String {
    let app = Router::new()
        .route("/v1/chat/completions", post(openai))
        .route("/v1/messages", post(anthropic))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn save(b: &Browser<'_>, form: &[(&str, &str)]) -> (StatusCode, Value) {
    save_in(b, SLUG, form).await
}

async fn save_in(b: &Browser<'_>, slug: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut all = vec![("slug", slug)];
    all.extend_from_slice(form);
    let res = b.call("save_ai_settings", &all).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Saves a provider set-up that parses; panics if refused.
async fn configure(b: &Browser<'_>, provider: &str, model: &str, base_url: &str, api_key: &str) {
    configure_in(b, SLUG, provider, model, base_url, api_key).await;
}

/// The same in project `slug`.
async fn configure_in(
    b: &Browser<'_>,
    slug: &str,
    provider: &str,
    model: &str,
    base_url: &str,
    api_key: &str,
) {
    let (status, body) = save_in(
        b,
        slug,
        &[
            ("provider", provider),
            ("model", model),
            ("base_url", base_url),
            ("api_key", api_key),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn sealed(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT key_sealed FROM project_ai")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_key_is_sealed_at_rest_and_never_sent_back() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let base = format!("{}/v1", fake_provider(Fake::default()).await);

    // Refused, each naming its field, and nothing stored.
    for (form, field) in [
        (
            vec![
                ("provider", "skynet"),
                ("model", "x"),
                ("base_url", ""),
                ("api_key", ""),
            ],
            "provider",
        ),
        (
            vec![
                ("provider", "openai"),
                ("model", ""),
                ("base_url", ""),
                ("api_key", ""),
            ],
            "model",
        ),
        (
            vec![
                ("provider", "ollama"),
                ("model", "llama3"),
                ("base_url", ""),
                ("api_key", ""),
            ],
            "base_url",
        ),
        (
            vec![
                ("provider", "custom"),
                ("model", "m"),
                ("base_url", "ftp://llm.example.com"),
                ("api_key", ""),
            ],
            "base_url",
        ),
        (
            vec![
                ("provider", "custom"),
                ("model", "m"),
                ("base_url", "http://user:pw@llm.example.com"),
                ("api_key", ""),
            ],
            "base_url",
        ),
        (
            vec![
                ("provider", "openai"),
                ("model", "gpt-4o"),
                ("base_url", ""),
                ("api_key", "sk-1\nX-Injected: 1"),
            ],
            "api_key",
        ),
    ] {
        let (status, err) = save(&ada, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}: {err}");
        assert!(field_message(&err, field).is_some(), "{field}: {err}");
    }
    let (status, _) = save(
        &grace,
        &[
            ("provider", "openai"),
            ("model", "gpt-4o"),
            ("base_url", ""),
            ("api_key", KEY),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a Team Member does not edit settings"
    );
    grace
        .fails("ai_settings", &[("slug", SLUG)], StatusCode::FORBIDDEN)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM project_ai").await, 0);

    configure(&ada, "openai", "gpt-4o", &base, KEY).await;
    let shown = ada.ok("ai_settings", &[("slug", SLUG)]).await;
    assert_eq!(shown["provider"], "OpenAi");
    assert_eq!(shown["model"], "gpt-4o");
    assert!(
        shown["key"].as_str().unwrap().starts_with("…1234, set "),
        "{shown}"
    );
    assert!(
        !shown.to_string().contains("secret"),
        "the key never leaves: {shown}"
    );
    let first = sealed(&app).await;
    assert!(!first.contains("secret") && !first.contains(KEY));
    // The same key again: sealed anew (a fresh nonce).
    configure(&ada, "openai", "gpt-4o", &base, KEY).await;
    assert_ne!(sealed(&app).await, first);
    // An empty key field keeps the key.
    configure(&ada, "openai", "gpt-4o-mini", &base, "").await;
    assert_eq!(
        ada.ok("ai_settings", &[("slug", SLUG)]).await["key"],
        shown["key"]
    );
    // The log says who replaced the key, never the key.
    let log = members(&ada).await;
    let text = log["activity"].to_string();
    assert!(
        log["activity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "ai_key_replaced"),
        "{log}"
    );
    assert!(!text.contains("1234") && !text.contains("secret"), "{text}");
    // Cleared: gone, and logged.
    save(
        &ada,
        &[
            ("provider", "openai"),
            ("model", "gpt-4o"),
            ("base_url", &base),
            ("api_key", ""),
            ("clear_key", "1"),
        ],
    )
    .await;
    assert!(ada.ok("ai_settings", &[("slug", SLUG)]).await["key"].is_null());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM project_ai WHERE key_sealed IS NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE kind = 'ai_key_cleared'")
            .await,
        1
    );
}

/// A burst of drafts and connection tests: one project's calls share a limit (each spends the
/// customer's credit), counted only once access is checked, so an outsider's or a refused
/// caller's burst spends none of it; another project has its own.
#[tokio::test]
async fn ai_calls_are_limited_per_project_once_access_is_checked() {
    let app = spawn_with(|c| c.rate_limits.ai_calls_per_project = 3).await;
    let ada = project_with_owner(&app).await;
    let fake = Fake::default();
    *fake.answer.lock().unwrap() = "{\"subject\": \"Down\", \"body\": \"It is down.\"}".into();
    let base = format!("{}/v1", fake_provider(fake.clone()).await);
    configure(&ada, "openai", "gpt-4o", &base, KEY).await;
    let draft = [("slug", SLUG), ("description", "web-1 is down")];

    // Outsiders and empty descriptions are refused before the limit is asked.
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    for _ in 0..5 {
        eve.fails("draft_ticket", &draft, StatusCode::NOT_FOUND)
            .await;
        eve.fails(
            "test_ai_connection",
            &[("slug", SLUG)],
            StatusCode::NOT_FOUND,
        )
        .await;
        ada.fails(
            "draft_ticket",
            &[("slug", SLUG), ("description", " ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    ada.ok("draft_ticket", &draft).await;
    ada.ok("test_ai_connection", &[("slug", SLUG)]).await;
    ada.ok("draft_ticket", &draft).await;
    let calls = fake.seen.lock().unwrap().len();
    let err = ada
        .fails("draft_ticket", &draft, StatusCode::TOO_MANY_REQUESTS)
        .await;
    assert!(err.to_string().contains("Too many AI requests"), "{err}");
    ada.fails(
        "test_ai_connection",
        &[("slug", SLUG)],
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    assert_eq!(
        fake.seen.lock().unwrap().len(),
        calls,
        "a refused call never reaches the provider"
    );

    // Another project of the same owner has its own calls.
    ada.ok("create_project", &[("name", "Other"), ("slug", "other")])
        .await;
    let other = [("slug", "other"), ("description", "web-1 is down")];
    configure_in(&ada, "other", "openai", "gpt-4o", &base, KEY).await;
    ada.ok("draft_ticket", &other).await;
}

#[tokio::test]
async fn test_connection_reports_success_or_the_providers_words() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let fake = Fake::default();
    *fake.answer.lock().unwrap() = "OK".into();
    let base = format!("{}/v1", fake_provider(fake.clone()).await);

    let err = ada
        .fails(
            "test_ai_connection",
            &[("slug", SLUG)],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("Settings → AI"), "{err}");

    configure(&ada, "openai", "gpt-4o", &base, KEY).await;
    let said = ada.ok("test_ai_connection", &[("slug", SLUG)]).await;
    assert_eq!(said, "Connected: OpenAI (gpt-4o) answered “OK”.");
    let (headers, body) = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(body["model"], "gpt-4o");

    // A wrong key: the provider's own words; one that does not answer in time; nothing
    // listening. Each a 502 that says what happened.
    for (model, base_url, key, says) in [
        (
            "gpt-4o",
            base.as_str(),
            "sk-wrong",
            "OpenAI refused the request (401): Incorrect API key provided.",
        ),
        (
            "slow",
            base.as_str(),
            KEY,
            "did not answer within 2 seconds",
        ),
        (
            "gpt-4o",
            "http://127.0.0.1:9/v1",
            KEY,
            "Could not reach OpenAI",
        ),
    ] {
        configure(&ada, "openai", model, base_url, key).await;
        let err = ada
            .fails(
                "test_ai_connection",
                &[("slug", SLUG)],
                StatusCode::BAD_GATEWAY,
            )
            .await;
        assert!(err.to_string().contains(says), "{says}: {err}");
    }
}

#[tokio::test]
async fn a_sealed_key_copied_into_another_project_does_not_open() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let fake = Fake::default();
    let base = format!("{}/v1", fake_provider(fake.clone()).await);
    configure(&ada, "openai", "gpt-4o", &base, KEY).await;
    ada.ok("create_project", &[("name", "Second"), ("slug", "")])
        .await;
    // Someone with the database copies the sealed key into the other project's row.
    sqlx::query(
        "INSERT INTO project_ai (project_id, provider, model, base_url, key_sealed, key_last4, key_set_at, updated_at)
         SELECT p.id, a.provider, a.model, a.base_url, a.key_sealed, a.key_last4, a.key_set_at, a.updated_at
         FROM project_ai a, projects p WHERE p.slug = 'second'",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let err = ada
        .fails(
            "test_ai_connection",
            &[("slug", "second")],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("cannot be read"), "{err}");
    assert!(
        fake.seen.lock().unwrap().is_empty(),
        "the provider was never called"
    );
}

#[tokio::test]
async fn a_draft_uses_the_services_the_caller_may_see() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, SLUG, vps("web-1", "stopped")).await;
    add_service(&app, SLUG, vps("db-1", "running")).await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let fake = Fake::default();
    *fake.answer.lock().unwrap() =
        "```json\n{\"subject\": \"web-1 is down\", \"body\": \"Our VPS web-1 stopped at 9:00.\"}\n```".into();
    let base = fake_provider(fake.clone()).await;

    // Off until configured.
    dennis
        .fails(
            "draft_ticket",
            &[("slug", SLUG), ("description", "web-1 down")],
            StatusCode::CONFLICT,
        )
        .await;
    configure(&ada, "anthropic", "claude-sonnet-4-6", &base, KEY).await;
    let project = dennis.ok("project", &[("slug", SLUG)]).await;
    assert_eq!(project["ai"], true);

    // Dennis reaches only web-1.
    let dennis_id = user_id(&members(&ada).await, "Dennis");
    let res = ada
        .call(
            "set_member_permissions",
            &[
                ("slug", SLUG),
                ("user_id", &dennis_id),
                ("switches[]", "view_services"),
                ("services", "only"),
                ("service_ids[]", &web),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let draft = dennis
        .ok(
            "draft_ticket",
            &[
                ("slug", SLUG),
                ("description", "web-1 has been down since 9:00"),
            ],
        )
        .await;
    assert_eq!(draft["subject"], "web-1 is down");
    assert_eq!(draft["body"], "Our VPS web-1 stopped at 9:00.");
    let (headers, body) = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(headers["x-api-key"], KEY);
    assert_eq!(body["model"], "claude-sonnet-4-6");
    let prompt = body["messages"][0]["content"].as_str().unwrap();
    assert!(
        prompt.contains("web-1 (VPS, VPS 4 GB, Stopped)"),
        "{prompt}"
    );
    assert!(prompt.contains("down since 9:00"), "{prompt}");
    assert!(
        !prompt.contains("db-1"),
        "a service he cannot see is not sent: {prompt}"
    );
    // Nothing was opened: the person edits and sends it.
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);

    // An empty description; an outsider; a junk answer from the model.
    dennis
        .fails(
            "draft_ticket",
            &[("slug", SLUG), ("description", " ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.fails(
        "draft_ticket",
        &[("slug", SLUG), ("description", "x")],
        StatusCode::NOT_FOUND,
    )
    .await;
    *fake.answer.lock().unwrap() = "   ".into();
    let err = dennis
        .fails(
            "draft_ticket",
            &[("slug", SLUG), ("description", "web-1 down")],
            StatusCode::BAD_GATEWAY,
        )
        .await;
    assert!(err.to_string().contains("no usable subject"), "{err}");
}
