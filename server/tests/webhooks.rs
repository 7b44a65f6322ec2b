//! Webhooks (issue 10): what members ask of the back office reaches it as a signed POST, once
//! per event, retried with backoff when the receiver fails, and never for the staff's own
//! writes. The receiver is a real HTTP server on loopback.

mod support;

use axum::{extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use server::config::WebhookTarget;
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use support::*;

const SECRET: &str = "webhook-secret-for-tests-0123456789abcdef";

#[derive(Clone, Default)]
struct Receiver {
    /// (headers, body) of every request, and how many to refuse first.
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    refuse: Arc<Mutex<usize>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    r.got.lock().unwrap().push((headers, body));
    let mut refuse = r.refuse.lock().unwrap();
    if *refuse > 0 {
        *refuse -= 1;
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn receiver() -> (Receiver, String) {
    let r = Receiver::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

impl Receiver {
    /// Waits until `n` requests arrived (the worker wakes on every committed change, and polls).
    async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, String)> {
        for _ in 0..200 {
            let got = self.got.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "{n} webhooks did not arrive: {:?}",
            self.got.lock().unwrap()
        );
    }
}

/// Checks the signature as a receiver would, independently of Roster's code.
fn verify(headers: &HeaderMap, body: &str) -> Value {
    let sig = headers["roster-signature"].to_str().unwrap();
    let (t, v1) = sig
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("signature format: {sig}"));
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "the signature verifies");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (now - t.parse::<i64>().unwrap()).abs() < 600,
        "a fresh timestamp"
    );
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn operations_payments_and_tickets_reach_the_back_office_signed() {
    let (receiver, url) = receiver().await;
    let app = spawn_with(|c| {
        c.operator_tokens = vec![TOKEN.to_owned()];
        c.webhook = Some(WebhookTarget {
            url: url.parse().unwrap(),
            secret: SECRET.to_owned(),
        });
    })
    .await;
    let ada = project_with_owner(&app).await;
    let (_, created) = operator(
        &app,
        Method::POST,
        "/projects/acme-web/services",
        Some(TOKEN),
        Some(json!({"kind": "vps", "name": "web-1", "plan": "S", "region": "AMS", "status": "running"})),
    )
    .await;
    let service = created["id"].as_str().unwrap().to_owned();
    ada.ok(
        "request_operation",
        &[
            ("slug", "acme-web"),
            ("id", &service),
            ("action", "soft_restart"),
        ],
    )
    .await;
    let got = receiver.wait_for(1).await;
    let (headers, body) = &got[0];
    assert_eq!(headers["roster-event"], "operation.requested");
    assert_eq!(headers["content-type"], "application/json");
    let event = verify(headers, body);
    assert_eq!(event["type"], "operation.requested");
    assert_eq!(event["project"], "acme-web");
    assert_eq!(event["id"], headers["roster-delivery"].to_str().unwrap());
    assert_eq!(event["data"]["service_id"], service);
    assert_eq!(event["data"]["action"], "soft_restart");
    assert_eq!(event["data"]["requested_by"], "Ada");

    // A ticket and a member's reply are announced; the staff's own reply is not.
    ada.ok(
        "open_ticket",
        &[
            ("slug", "acme-web"),
            ("subject", "Slow disk"),
            ("body", "Since today."),
        ],
    )
    .await;
    operator(
        &app,
        Method::POST,
        "/projects/acme-web/tickets/1/replies",
        Some(TOKEN),
        Some(json!({"staff_name": "Sam", "body": "Looking."})),
    )
    .await;
    ada.ok(
        "reply_ticket",
        &[("slug", "acme-web"), ("number", "1"), ("body", "Thanks")],
    )
    .await;
    let got = receiver.wait_for(3).await;
    let types: Vec<Value> = got
        .iter()
        .map(|(h, b)| verify(h, b)["type"].clone())
        .collect();
    assert_eq!(
        types,
        vec![
            json!("operation.requested"),
            json!("ticket.opened"),
            json!("ticket.replied")
        ]
    );
    assert_eq!(verify(&got[2].0, &got[2].1)["data"]["body"], "Thanks");

    // A payment.
    operator(
        &app,
        Method::PUT,
        "/projects/acme-web/payment-method",
        Some(TOKEN),
        Some(json!({"label": "card •••• 4242"})),
    )
    .await;
    let (_, created) = operator(
        &app,
        Method::POST,
        "/projects/acme-web/invoices",
        Some(TOKEN),
        Some(
            json!({"number": "A-1", "issued_on": "2026-11-01", "period_start": "2026-11-01",
                    "period_end": "2026-11-30", "due_on": "2099-01-01", "currency": "EUR",
                    "lines": [{"service": "web-1", "description": "VPS", "amount_minor": 2400}]}),
        ),
    )
    .await;
    let invoice = created["id"].as_str().unwrap().to_owned();
    ada.ok("pay_invoice", &[("slug", "acme-web"), ("id", &invoice)])
        .await;
    let got = receiver.wait_for(4).await;
    let event = verify(&got[3].0, &got[3].1);
    assert_eq!(event["type"], "payment.requested");
    assert_eq!(event["data"]["invoice_number"], "A-1");
    assert_eq!(event["data"]["method"], "card •••• 4242");
    // Each was delivered once.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(receiver.got.lock().unwrap().len(), 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM webhooks WHERE delivered_at IS NOT NULL")
            .await,
        4
    );
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_event_again_later() {
    let (receiver, url) = receiver().await;
    *receiver.refuse.lock().unwrap() = 2;
    let app = spawn_with(|c| {
        c.webhook = Some(WebhookTarget {
            url: url.parse().unwrap(),
            secret: SECRET.to_owned(),
        });
    })
    .await;
    let ada = project_with_owner(&app).await;
    ada.ok(
        "open_ticket",
        &[("slug", "acme-web"), ("subject", "Help"), ("body", "x")],
    )
    .await;
    receiver.wait_for(1).await;
    // Not again until its time (30 s after the first failure, then a minute).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(receiver.got.lock().unwrap().len(), 1);
    app.state.clock.advance(31_000);
    receiver.wait_for(2).await;
    app.state.clock.advance(61_000);
    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3);
    let ids: Vec<&str> = got
        .iter()
        .map(|(h, _)| h["roster-delivery"].to_str().unwrap())
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "the same event: {ids:?}"
    );
    assert_eq!(got[0].1, got[2].1, "the same body");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM webhooks WHERE delivered_at IS NOT NULL AND attempts = 3")
            .await,
        1
    );
}
