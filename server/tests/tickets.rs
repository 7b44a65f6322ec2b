//! Support tickets (issue 10): every role may use them, staff answer through the operator API,
//! and everything else (outsiders, other projects' numbers, bad input, missing or wrong
//! operator tokens, a burst of new tickets) is refused and changes nothing.

mod support;

use reqwest::{header, StatusCode};
use serde_json::{json, Value};
use support::*;

async fn open(b: &Browser<'_>, subject: &str, body: &str) -> i64 {
    let res = b
        .call(
            "open_ticket",
            &[("slug", "acme-web"), ("subject", subject), ("body", body)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let to = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let number = to
        .strip_prefix("/p/acme-web/tickets/")
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_else(|| panic!("goes to the ticket: {to}"));
    number.parse().unwrap()
}

async fn thread(b: &Browser<'_>, number: i64) -> Value {
    b.ok(
        "ticket",
        &[("slug", "acme-web"), ("number", &number.to_string())],
    )
    .await
}

#[tokio::test]
async fn every_role_uses_tickets_and_staff_answer_through_the_operator_api() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let mut people = vec![("Ada", ada)];
    for (name, role) in [
        ("Alan", "admin"),
        ("Grace", "member"),
        ("Dennis", "developer"),
        ("Ken", "accountant"),
    ] {
        let email = format!("{}@example.com", name.to_lowercase());
        let b = join(&app, &people[0].1, name, &email, role).await;
        people.push((name, b));
    }
    for (i, (name, b)) in people.iter().enumerate() {
        let n = open(b, &format!("{name}'s question"), "Line one\r\nLine two").await;
        assert_eq!(n, i as i64 + 1, "numbers count up per project");
        let t = thread(b, n).await;
        assert_eq!(t["ticket"]["status"], "Open");
        assert_eq!(t["messages"][0]["author"], *name);
        assert_eq!(t["messages"][0]["body"], "Line one\nLine two");
    }
    let grace = &people[2].1;
    let list = grace.ok("tickets", &[("slug", "acme-web")]).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        5,
        "everyone sees every ticket: {list}"
    );

    // The back office reads them and answers Grace's.
    let (status, tickets) = operator(
        &app,
        reqwest::Method::GET,
        "/projects/acme-web/tickets",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tickets.as_array().unwrap().len(), 5);
    assert_eq!(tickets[0]["status"], "open");
    let (status, _) = operator(
        &app,
        reqwest::Method::POST,
        "/projects/acme-web/tickets/3/replies",
        Some(TOKEN),
        Some(json!({"staff_name": "Sam from Support", "body": "Restarted it for you."})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let t = thread(grace, 3).await;
    assert_eq!(t["ticket"]["status"], "AwaitingReply");
    assert_eq!(t["messages"][1]["author"], "Sam from Support");
    assert_eq!(t["messages"][1]["from_staff"], true);

    // Grace answers (back with the staff), closes it, reopens it.
    grace
        .ok(
            "reply_ticket",
            &[
                ("slug", "acme-web"),
                ("number", "3"),
                ("body", "Works, thanks!"),
            ],
        )
        .await;
    assert_eq!(thread(grace, 3).await["ticket"]["status"], "Open");
    for (to, expected) in [("closed", "Closed"), ("closed", "Closed"), ("open", "Open")] {
        grace
            .ok(
                "set_ticket_status",
                &[("slug", "acme-web"), ("number", "3"), ("status", to)],
            )
            .await;
        assert_eq!(thread(grace, 3).await["ticket"]["status"], expected);
    }
    let (_, t) = operator(
        &app,
        reqwest::Method::GET,
        "/projects/acme-web/tickets/3",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(t["messages"].as_array().unwrap().len(), 3, "{t}");
    // The history says who did what; closing twice was recorded once.
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM activity WHERE kind LIKE 'ticket%' OR kind = 'staff_replied' ORDER BY seq",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        kinds,
        [
            "ticket_opened",
            "ticket_opened",
            "ticket_opened",
            "ticket_opened",
            "ticket_opened",
            "staff_replied",
            "ticket_replied",
            "ticket_closed",
            "ticket_reopened"
        ]
    );
}

#[tokio::test]
async fn a_staff_reply_reaches_the_open_pages_live() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let n = open(&grace, "Mail bounces", "Since this morning.").await;
    let mut stream = grace.events("/events/p/acme-web").await;
    operator(
        &app,
        reqwest::Method::POST,
        &format!("/projects/acme-web/tickets/{n}/replies"),
        Some(TOKEN),
        Some(json!({"staff_name": "Sam", "body": "Looking into it."})),
    )
    .await;
    let ev = stream.next().await.expect("an event");
    assert_eq!(ev.event, "change");
    assert_eq!(EventStream::kind(&ev), "staff_replied");
}

#[tokio::test]
async fn outsiders_other_projects_and_bad_input_are_refused_and_change_nothing() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    open(&grace, "First", "Hello").await;
    // Ada's other project has a ticket #2; Grace is not a member there.
    ada.ok("create_project", &[("name", "Ada Labs"), ("slug", "")])
        .await;
    for s in ["One", "Two"] {
        ada.ok(
            "open_ticket",
            &[("slug", "ada-labs"), ("subject", s), ("body", "x")],
        )
        .await;
    }
    let tickets_before = app.count("SELECT COUNT(*) FROM tickets").await;
    let messages_before = app.count("SELECT COUNT(*) FROM ticket_messages").await;

    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    for (endpoint, form) in [
        ("tickets", vec![("slug", "acme-web")]),
        ("ticket", vec![("slug", "acme-web"), ("number", "1")]),
        (
            "open_ticket",
            vec![("slug", "acme-web"), ("subject", "Hi"), ("body", "x")],
        ),
        (
            "reply_ticket",
            vec![("slug", "acme-web"), ("number", "1"), ("body", "x")],
        ),
        (
            "set_ticket_status",
            vec![("slug", "acme-web"), ("number", "1"), ("status", "closed")],
        ),
    ] {
        eve.fails(endpoint, &form, StatusCode::NOT_FOUND).await;
        app.browser()
            .fails(endpoint, &form, StatusCode::UNAUTHORIZED)
            .await;
    }
    // Numbers that name no ticket of this project, including the other project's #2.
    for number in ["2", "0", "-1", "abc", "1 OR 1=1", "99999999999999999999"] {
        grace
            .fails(
                "ticket",
                &[("slug", "acme-web"), ("number", number)],
                StatusCode::NOT_FOUND,
            )
            .await;
        grace
            .fails(
                "reply_ticket",
                &[("slug", "acme-web"), ("number", number), ("body", "x")],
                StatusCode::NOT_FOUND,
            )
            .await;
    }
    for (subject, body, field) in [
        ("   ", "x", "subject"),
        ("two\nlines", "x", "subject"),
        ("Hi", "  ", "body"),
        ("Hi", "right\u{202E}left", "body"),
        (&"s".repeat(121) as &str, "x", "subject"),
    ] {
        let err = grace
            .fails(
                "open_ticket",
                &[("slug", "acme-web"), ("subject", subject), ("body", body)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(field_message(&err, field).is_some(), "{field}: {err}");
    }
    // A member closes or reopens; "awaiting reply" is the staff's to set.
    grace
        .fails(
            "set_ticket_status",
            &[
                ("slug", "acme-web"),
                ("number", "1"),
                ("status", "awaiting_reply"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tickets").await,
        tickets_before
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM ticket_messages").await,
        messages_before
    );
    // Once removed, Grace's old ticket is out of reach.
    let grace_id = user_id(&members(&ada).await, "Grace");
    ada.ok(
        "remove_member",
        &[("slug", "acme-web"), ("user_id", &grace_id)],
    )
    .await;
    grace
        .fails(
            "reply_ticket",
            &[
                ("slug", "acme-web"),
                ("number", "1"),
                ("body", "still here?"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
}

#[tokio::test]
async fn a_burst_of_new_tickets_is_stopped() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    for i in 0..20 {
        open(&ada, &format!("Ticket {i}"), "x").await;
    }
    ada.fails(
        "open_ticket",
        &[("slug", "acme-web"), ("subject", "One more"), ("body", "x")],
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 20);
}

#[tokio::test]
async fn the_operator_api_needs_a_valid_token() {
    // No token configured: everything is 401, the document included.
    let closed = spawn().await;
    for path in ["/openapi.json", "/projects/acme-web/tickets"] {
        let (status, body) = operator(&closed, reqwest::Method::GET, path, Some(TOKEN), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(body["error"].is_string(), "{body}");
    }

    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    open(&ada, "Help", "Please").await;
    let reply = || Some(json!({"staff_name": "Sam", "body": "Hello"}));
    let path = "/projects/acme-web/tickets/1/replies";
    let longer = format!("{TOKEN}x");
    let shorter = &TOKEN[..TOKEN.len() - 1];
    for token in [
        None,
        Some(""),
        Some("wrong"),
        Some(shorter),
        Some(longer.as_str()),
    ] {
        let (status, _) = operator(&app, reqwest::Method::POST, path, token, reply()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    // Not "Bearer": refused too.
    let res = reqwest::Client::new()
        .get(format!("{}/api/operator/v1/openapi.json", app.base))
        .header(header::AUTHORIZATION, format!("Basic {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()[header::WWW_AUTHENTICATE], "Bearer");
    assert_eq!(app.count("SELECT COUNT(*) FROM ticket_messages").await, 1);

    // The document describes what is served.
    let (status, doc) = operator(
        &app,
        reqwest::Method::GET,
        "/openapi.json",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    assert!(doc["paths"]["/projects/{slug}/tickets/{number}/replies"]["post"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    // Bad requests with a good token: clear 4xx, nothing written.
    for (path, body, expected) in [
        (
            "/projects/acme-web/tickets/1/replies",
            json!({"staff_name": "", "body": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/projects/acme-web/tickets/1/replies",
            json!({"staff_name": "Sam", "body": "bell\u{7}"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/projects/acme-web/tickets/1/replies",
            json!({"staff_name": "Sam"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/projects/acme-web/tickets/2/replies",
            json!({"staff_name": "Sam", "body": "x"}),
            StatusCode::NOT_FOUND,
        ),
        (
            "/projects/nope/tickets/1/replies",
            json!({"staff_name": "Sam", "body": "x"}),
            StatusCode::NOT_FOUND,
        ),
        (
            "/projects/acme-web/tickets/x/replies",
            json!({"staff_name": "Sam", "body": "x"}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, err) =
            operator(&app, reqwest::Method::POST, path, Some(TOKEN), Some(body)).await;
        assert_eq!(status, expected, "{path}: {err}");
        assert!(err["error"].is_string(), "{err}");
    }
    let (status, _) = operator(
        &app,
        reqwest::Method::PUT,
        "/projects/acme-web/tickets/1/status",
        Some(TOKEN),
        Some(json!({"status": "reopened", "staff_name": "Sam"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM ticket_messages").await, 1);
    // And a good one, without any browser header (no CSRF check applies to a token).
    let (status, _) = operator(
        &app,
        reqwest::Method::PUT,
        "/projects/acme-web/tickets/1/status",
        Some(TOKEN),
        Some(json!({"status": "awaiting_reply", "staff_name": "Sam from Support"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let t = thread(&ada, 1).await;
    assert_eq!(t["ticket"]["status"], "AwaitingReply");
}
