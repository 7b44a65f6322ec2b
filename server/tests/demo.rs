//! The demo (`ROSTER_DEMO=1`): every demo person signs in with the documented password and sees
//! their role's sections filled; the demo back office carries out a restart and confirms a
//! payment by itself; seeding twice adds nothing.

mod support;

use reqwest::StatusCode;
use server::demo::{PASSWORD, PEOPLE};
use support::*;

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let b = app.browser();
    let res = b
        .call(
            "sign_in",
            &[("email", email), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{email}: {}",
        res.text().await.unwrap()
    );
    b
}

async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the demo back office did not {what}");
}

#[tokio::test]
async fn the_demo_customer_and_back_office_are_alive() {
    let app = spawn_with(|c| c.demo = true).await;
    let slug = [("slug", "acme-web-shop")];
    for (_, email, _) in PEOPLE {
        let b = signed_in(&app, email).await;
        let dashboard = b.ok("dashboard", &slug).await;
        assert!(
            dashboard["tickets"]["awaiting_you"] == 1,
            "{email}: {dashboard}"
        );
    }
    let owner = signed_in(&app, PEOPLE[0].1).await;
    let services = owner.ok("services", &slug).await;
    assert_eq!(services["services"].as_array().unwrap().len(), 7);
    let invoices = owner.ok("invoices", &slug).await;
    let states: Vec<String> = invoices["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["Unpaid", "Overdue", "Paid"], "{invoices}");

    // The developer starts web-2; the back office does it within a few seconds.
    let dev = signed_in(&app, PEOPLE[3].1).await;
    let web2 = services["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "web-2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    dev.ok(
        "request_operation",
        &[
            ("slug", "acme-web-shop"),
            ("id", &web2),
            ("action", "start"),
        ],
    )
    .await;
    wait_until("start web-2", async || {
        let d = dev
            .ok("service", &[("slug", "acme-web-shop"), ("id", &web2)])
            .await;
        d["service"]["status"] == "Running" && d["service"]["pending"].is_null()
    })
    .await;

    // The accountant pays the overdue invoice; the back office confirms it.
    let accountant = signed_in(&app, PEOPLE[4].1).await;
    let overdue = invoices["invoices"][1]["id"].as_str().unwrap().to_owned();
    accountant
        .ok(
            "pay_invoice",
            &[("slug", "acme-web-shop"), ("id", &overdue)],
        )
        .await;
    wait_until("confirm the payment", async || {
        let d = accountant
            .ok("invoice", &[("slug", "acme-web-shop"), ("id", &overdue)])
            .await;
        d["invoice"]["state"] == "Paid"
    })
    .await;

    // Seeding an existing demo again adds nothing.
    let users = app.count("SELECT COUNT(*) FROM users").await;
    server::demo::seed(&app.state).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 8);
}
