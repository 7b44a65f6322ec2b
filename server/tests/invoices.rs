//! Invoices and payments (issue 10): the back office issues invoices and answers payments
//! through the operator API; Owners, Admins and Accountants pay with the project's payment
//! method, Members only see, Developers see nothing; and everything else (another project's
//! invoice, a second payment in flight, no payment method, a paid invoice paid again, bad
//! money, a card number as a label) is refused and changes nothing.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

fn invoice(number: &str, due_on: &str, amounts: &[i64]) -> Value {
    let lines: Vec<Value> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| json!({"service": format!("web-{}", i + 1), "description": "VPS 4 GB, November", "amount_minor": a}))
        .collect();
    json!({
        "number": number, "issued_on": "2026-11-01", "period_start": "2026-11-01",
        "period_end": "2026-11-30", "due_on": due_on, "currency": "EUR", "lines": lines
    })
}

async fn issue(app: &TestApp, slug: &str, body: Value) -> String {
    let (status, created) = operator(
        app,
        Method::POST,
        &format!("/projects/{slug}/invoices"),
        Some(TOKEN),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_owned()
}

async fn set_method(app: &TestApp, slug: &str, label: Value) -> (StatusCode, Value) {
    operator(
        app,
        Method::PUT,
        &format!("/projects/{slug}/payment-method"),
        Some(TOKEN),
        Some(json!({ "label": label })),
    )
    .await
}

async fn detail(b: &Browser<'_>, id: &str) -> Value {
    b.ok("invoice", &[("slug", "acme-web"), ("id", id)]).await
}

async fn pending_payment(app: &TestApp) -> String {
    let (status, queue) = operator(app, Method::GET, "/payments", Some(TOKEN), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    queue[0]["id"].as_str().unwrap().to_owned()
}

async fn answer(app: &TestApp, payment: &str, body: Value) -> StatusCode {
    operator(
        app,
        Method::PUT,
        &format!("/payments/{payment}"),
        Some(TOKEN),
        Some(body),
    )
    .await
    .0
}

#[tokio::test]
async fn accountants_pay_members_see_developers_do_not_and_the_back_office_confirms() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let inv = issue(
        &app,
        "acme-web",
        invoice("INV-2026-0042", "2099-12-15", &[123_450, 2_000, -450]),
    )
    .await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let ken = join(&app, &ada, "Ken", "ken@example.com", "accountant").await;

    // Seed 003: Developers see no invoices; Members see them but do not pay.
    dennis
        .fails("invoices", &[("slug", "acme-web")], StatusCode::FORBIDDEN)
        .await;
    dennis
        .fails(
            "invoice",
            &[("slug", "acme-web"), ("id", &inv)],
            StatusCode::FORBIDDEN,
        )
        .await;
    let list = grace.ok("invoices", &[("slug", "acme-web")]).await;
    assert_eq!(list["invoices"][0]["number"], "INV-2026-0042");
    assert_eq!(list["invoices"][0]["total"], "EUR 1,250.00");
    assert_eq!(list["invoices"][0]["total_minor"], 125_000);
    assert_eq!(list["invoices"][0]["state"], "Unpaid");
    assert!(list["payment_method"].is_null());
    let d = detail(&grace, &inv).await;
    assert_eq!(d["lines"].as_array().unwrap().len(), 3);
    assert_eq!(d["lines"][2]["amount"], "EUR −4.50");
    grace
        .fails(
            "pay_invoice",
            &[("slug", "acme-web"), ("id", &inv)],
            StatusCode::FORBIDDEN,
        )
        .await;

    // No payment method yet: Pay says so and asks nothing of the back office.
    let err = ken
        .fails(
            "pay_invoice",
            &[("slug", "acme-web"), ("id", &inv)],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("no payment method"), "{err}");
    assert_eq!(app.count("SELECT COUNT(*) FROM payments").await, 0);
    assert_eq!(
        set_method(&app, "acme-web", json!("card •••• 4242"))
            .await
            .0,
        StatusCode::NO_CONTENT
    );

    // The Accountant pays: pending until the back office answers; a second Pay is refused.
    ken.ok("pay_invoice", &[("slug", "acme-web"), ("id", &inv)])
        .await;
    let d = detail(&ken, &inv).await;
    assert_eq!(d["invoice"]["state"], "PaymentPending");
    assert_eq!(d["payments"][0]["method"], "card •••• 4242");
    assert_eq!(d["payments"][0]["requester"], "Ken");
    ada.fails(
        "pay_invoice",
        &[("slug", "acme-web"), ("id", &inv)],
        StatusCode::CONFLICT,
    )
    .await;
    // Nor can the back office void or mark it paid meanwhile.
    let (status, _) = operator(
        &app,
        Method::PUT,
        &format!("/invoices/{inv}/status"),
        Some(TOKEN),
        Some(json!({"status": "void"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The card is declined; Ken pays again; this time it goes through.
    let payment = pending_payment(&app).await;
    assert_eq!(
        answer(
            &app,
            &payment,
            json!({"status": "failed", "message": "Card declined"})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let d = detail(&ken, &inv).await;
    assert_eq!(d["invoice"]["state"], "Unpaid");
    assert_eq!(d["payments"][0]["message"], "Card declined");
    assert_eq!(
        answer(&app, &payment, json!({"status": "confirmed"})).await,
        StatusCode::CONFLICT,
        "an answered payment is not answered otherwise"
    );
    ken.ok("pay_invoice", &[("slug", "acme-web"), ("id", &inv)])
        .await;
    let payment = pending_payment(&app).await;
    assert_eq!(
        answer(&app, &payment, json!({"status": "confirmed"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        answer(&app, &payment, json!({"status": "confirmed"})).await,
        StatusCode::NO_CONTENT,
        "a retry"
    );
    assert_eq!(detail(&ken, &inv).await["invoice"]["state"], "Paid");
    ken.fails(
        "pay_invoice",
        &[("slug", "acme-web"), ("id", &inv)],
        StatusCode::CONFLICT,
    )
    .await;

    // Overdue invoices say so; the Dashboard sums what is due.
    let mut late = invoice("INV-2025-0007", "2026-01-01", &[9_900]);
    late["issued_on"] = json!("2025-12-01");
    issue(&app, "acme-web", late).await;
    let list = ken.ok("invoices", &[("slug", "acme-web")]).await;
    assert_eq!(
        list["invoices"][1]["number"], "INV-2025-0007",
        "newest first: {list}"
    );
    assert_eq!(list["invoices"][1]["state"], "Overdue", "{list}");
    let figures = ken.ok("dashboard", &[("slug", "acme-web")]).await;
    assert_eq!(
        figures["invoices"],
        json!([{"count": 1, "due": "EUR 99.00"}])
    );
    assert!(
        figures["services"].is_null(),
        "the Accountant does not see services"
    );

    // The history says who paid.
    let page = members(&ada).await.to_string();
    for kind in [
        "invoice_issued",
        "payment_requested",
        "payment_failed",
        "payment_confirmed",
        "payment_method_changed",
    ] {
        assert!(page.contains(kind), "{kind} in the activity");
    }
}

#[tokio::test]
async fn other_projects_bad_money_and_card_numbers_are_refused() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    set_method(&app, "acme-web", json!("bank transfer")).await;
    let inv = issue(&app, "acme-web", invoice("A-1", "2099-01-01", &[100])).await;
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.ok("create_project", &[("name", "Eve Shop"), ("slug", "")])
        .await;
    let evil = issue(&app, "eve-shop", invoice("E-1", "2099-01-01", &[100])).await;

    for form in [vec![("slug", "acme-web"), ("id", inv.as_str())]] {
        eve.fails("invoice", &form, StatusCode::NOT_FOUND).await;
        eve.fails("pay_invoice", &form, StatusCode::NOT_FOUND).await;
    }
    for form in [
        vec![("slug", "acme-web"), ("id", evil.as_str())],
        vec![("slug", "eve-shop"), ("id", inv.as_str())],
        vec![("slug", "acme-web"), ("id", "not-an-id")],
    ] {
        ada.fails("invoice", &form, StatusCode::NOT_FOUND).await;
        ada.fails("pay_invoice", &form, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM payments").await, 0);

    for (body, field) in [
        (invoice("A-1", "2099-01-01", &[100]), "number"),
        (invoice("A 2", "2099-01-01", &[100]), "number"),
        (invoice("A-2", "15/01/2099", &[100]), "due_on"),
        (invoice("A-2", "2026-10-01", &[100]), "due_on"),
        (invoice("A-2", "2099-01-01", &[]), "lines"),
        (invoice("A-2", "2099-01-01", &[i64::MAX, 1]), "lines"),
        (invoice("A-2", "2099-01-01", &[100, -200]), "lines"),
        (
            {
                let mut b = invoice("A-2", "2099-01-01", &[100]);
                b["currency"] = json!("EURO");
                b
            },
            "currency",
        ),
        (
            {
                let mut b = invoice("A-2", "2099-01-01", &[100]);
                b["lines"][0]["description"] = json!("two\nlines");
                b
            },
            "description",
        ),
        (
            {
                let mut b = invoice("A-2", "2099-01-01", &[100]);
                b["lines"][0]["amount_minor"] = json!(1.5);
                b
            },
            "amount_minor",
        ),
    ] {
        let (status, err) = operator(
            &app,
            Method::POST,
            "/projects/acme-web/invoices",
            Some(TOKEN),
            Some(body),
        )
        .await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY
                || (field == "number" && status == StatusCode::CONFLICT),
            "{field}: {status} {err}"
        );
        assert!(
            err["error"].as_str().unwrap_or_default().contains(field),
            "{field}: {err}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 2);

    let (status, err) = set_method(&app, "acme-web", json!("card 4242424242424242")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let list = ada.ok("invoices", &[("slug", "acme-web")]).await;
    assert_eq!(list["payment_method"], "bank transfer");

    // Void, then nothing moves it.
    for (status, expected) in [
        ("void", StatusCode::NO_CONTENT),
        ("void", StatusCode::NO_CONTENT),
        ("paid", StatusCode::CONFLICT),
    ] {
        let (got, _) = operator(
            &app,
            Method::PUT,
            &format!("/invoices/{inv}/status"),
            Some(TOKEN),
            Some(json!({ "status": status })),
        )
        .await;
        assert_eq!(got, expected, "{status}");
    }
    assert_eq!(detail(&ada, &inv).await["invoice"]["state"], "Void");
    ada.fails(
        "pay_invoice",
        &[("slug", "acme-web"), ("id", &inv)],
        StatusCode::CONFLICT,
    )
    .await;

    // Every billing endpoint wants a token.
    for (method, path) in [
        (Method::GET, "/projects/acme-web/invoices".to_owned()),
        (Method::POST, "/projects/acme-web/invoices".to_owned()),
        (Method::PUT, format!("/invoices/{inv}/status")),
        (Method::GET, "/payments".to_owned()),
        (Method::PUT, format!("/payments/{inv}")),
        (Method::PUT, "/projects/acme-web/payment-method".to_owned()),
    ] {
        let (status, _) = operator(&app, method.clone(), &path, None, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}
