//! Text that is not a slug or an id (NUL bytes, junk) is answered "not found" at parsing, the
//! same on SQLite and PostgreSQL (issue 13, item 4: PostgreSQL refused NUL with a 500).

mod support;

use reqwest::StatusCode;
use support::*;

/// Slugs and ids that cannot exist are "not found" at parsing, before a query runs, the same on
/// SQLite and PostgreSQL (control characters never get this far: see the sweep below).
#[tokio::test]
async fn slugs_and_ids_that_cannot_exist_are_not_found_on_every_database() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;

    for slug in ["ab", "Acme-Web", "acme_web", "acme web", "a/b", "%"] {
        ada.fails("members", &[("slug", slug)], StatusCode::NOT_FOUND)
            .await;
        ada.fails(
            "invite",
            &[
                ("slug", slug),
                ("emails", "x@example.com"),
                ("role", "member"),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    for id in ["not-an-id", "00000000-0000-0000-0000-00000000000g", "'; --"] {
        let member = [("slug", "acme-web"), ("user_id", id), ("role", "admin")];
        ada.fails("change_role", &member, StatusCode::NOT_FOUND)
            .await;
        ada.fails(
            "remove_member",
            &[("slug", "acme-web"), ("user_id", id)],
            StatusCode::NOT_FOUND,
        )
        .await;
        for endpoint in ["cancel_invitation", "resend_invitation"] {
            ada.fails(
                endpoint,
                &[("slug", "acme-web"), ("invitation_id", id)],
                StatusCode::NOT_FOUND,
            )
            .await;
        }
    }
    // Nothing changed.
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members").await,
        2,
        "Ada, in her two projects"
    );
}

/// An address whose path or query is not text (a control character, invalid UTF-8) is refused
/// before any page, server function or event stream reads it; line breaks and tabs stay allowed
/// in the query, where a failed form's typed values (a list of addresses) come back.
#[tokio::test]
async fn addresses_with_control_characters_or_invalid_utf8_are_bad_requests() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    for path in [
        "/p/a%00b",
        "/p/%00/members",
        "/p/acme-web%00/settings",
        "/p/%FF%FE/members",
        "/p/acme-web/members%01",
        "/p/acme-web/members?before=%00",
        "/p/acme-web/members?before=1%1B",
        "/p/acme-web/members?__err=x&emails=%FF",
        "/invite/%00",
        "/confirm/abc%7F",
        "/signin?next=%2Fprojects%00",
        "/projects?accept=%00",
        "/projects?notice=Saved%00&seal=x",
        "/projects?%00=x",
        "/api/members?slug=acme-web%00",
        "/events/p/a%00b",
        "/events/p/acme-web?last_event_id=%00",
        "/events/me?last_event_id=%C2%85",
    ] {
        let res = ada.get(path).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {text}");
        assert!(text.contains("address"), "{path}: says why: {text}");
    }
    for path in [
        "/p/acme-web/members?__err=x&emails=a%40example.com%0D%0Ab%40example.com%09",
        "/p/acme-web/members?before=",
    ] {
        assert_eq!(ada.get(path).await.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_with_a_reason_and_change_nothing() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let post = |endpoint: &str, content_type: &str, body: Vec<u8>| {
        ada.http
            .post(format!("{}/api/{endpoint}", app.base))
            .header(reqwest::header::ORIGIN, &app.origin)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, content_type.to_owned())
            .body(body)
            .send()
    };
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, &str, &str, Vec<u8>, StatusCode)> = vec![
        (
            "missing field",
            "invite",
            form,
            b"slug=acme-web&role=member".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "invalid UTF-8",
            "sign_up",
            form,
            b"name=Eve&email=%FF%FE%40x.test&password=correct+horse+battery".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "raw invalid UTF-8",
            "sign_up",
            form,
            b"name=Eve&email=\xff\xfe@x.test&password=correct+horse+battery".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "JSON body",
            "invite",
            "application/json",
            br#"{"slug":"acme-web"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "multipart body",
            "invite",
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\nacme-web\r\n--x--\r\n"
                .to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "mistyped optional field",
            "members",
            form,
            b"slug=acme-web&activity_before=yesterday".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "body over the limit",
            "invite",
            form,
            vec![b'a'; 200 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, endpoint, content_type, body, expected) in cases {
        let res = post(endpoint, content_type, body).await.expect("request");
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, expected, "{what}: {text}");
        if what == "mistyped optional field" {
            assert!(
                text.contains("activity_before"),
                "the field is named: {text}"
            );
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    // Inviting such an address is refused for that address.
    let err = ada
        .fails(
            "invite",
            &[
                ("slug", "acme-web"),
                ("emails", "\u{FFFD}\u{FFFD}@x.test"),
                ("role", "member"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(err.to_string().contains("could not be read"), "{err}");
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
}

/// Text that is not text (NUL, other control characters, invalid UTF-8) in any parameter of any
/// server function is refused with 422 naming the field, and changes nothing, on every database
/// (item 4): also where a wrong value would otherwise be ignored (`next`, a notice's seal) or
/// only hashed (a link token).
#[tokio::test]
async fn every_server_function_parameter_refuses_control_characters_and_invalid_utf8() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    invite(&ada, "linus@example.com", "member").await;
    let page = members(&ada).await;
    let grace_id = user_id(&page, "Grace");
    let pending = pending_id(&page, "linus@example.com");
    let token = "a".repeat(43);
    let (_, created) = operator(
        &app,
        reqwest::Method::POST,
        "/projects/acme-web/services",
        Some(TOKEN),
        Some(serde_json::json!({"kind": "vps", "name": "web-1", "plan": "S", "region": "AMS", "status": "running"})),
    )
    .await;
    let service = created["id"].as_str().expect("a service").to_owned();

    // Each server function with a valid value for every parameter, so the hostile value is the
    // only thing wrong with a call.
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "sign_up",
            vec![
                ("name", "Eve"),
                ("email", "eve@example.com"),
                ("password", PASSWORD),
                ("next", "/projects"),
            ],
        ),
        ("confirmation_address", vec![("token", &token)]),
        (
            "confirm_email",
            vec![("token", &token), ("password", PASSWORD)],
        ),
        (
            "sign_in",
            vec![
                ("email", "nobody@example.com"),
                ("password", PASSWORD),
                ("next", "/projects"),
            ],
        ),
        ("sign_out", vec![("next", "/projects")]),
        ("accept_invitation", vec![("invitation_id", &pending)]),
        ("decline_invitation", vec![("invitation_id", &pending)]),
        ("open_invitation", vec![("token", &token)]),
        (
            "members",
            vec![("slug", "acme-web"), ("activity_before", "10")],
        ),
        (
            "change_role",
            vec![
                ("slug", "acme-web"),
                ("user_id", &grace_id),
                ("role", "admin"),
                ("confirmation", ""),
            ],
        ),
        (
            "role_question",
            vec![("slug", "acme-web"), ("token", &token)],
        ),
        (
            "remove_member",
            vec![("slug", "acme-web"), ("user_id", &grace_id)],
        ),
        ("leave_project", vec![("slug", "acme-web")]),
        (
            "invite",
            vec![
                ("slug", "acme-web"),
                ("emails", "new@example.com"),
                ("role", "member"),
            ],
        ),
        (
            "change_invitation_role",
            vec![
                ("slug", "acme-web"),
                ("invitation_id", &pending),
                ("role", "admin"),
            ],
        ),
        (
            "resend_invitation",
            vec![("slug", "acme-web"), ("invitation_id", &pending)],
        ),
        (
            "cancel_invitation",
            vec![("slug", "acme-web"), ("invitation_id", &pending)],
        ),
        ("notice", vec![("text", "Saved."), ("seal", &token)]),
        ("suggest_slug", vec![("name", "Acme Shop")]),
        (
            "create_project",
            vec![("name", "Acme Shop"), ("slug", "acme-shop")],
        ),
        ("project", vec![("slug", "acme-web")]),
        (
            "rename_project",
            vec![("slug", "acme-web"), ("name", "Acme Web 2")],
        ),
        (
            "set_invite_expiry",
            vec![("slug", "acme-web"), ("days", "7")],
        ),
        (
            "delete_project",
            vec![("slug", "acme-web"), ("confirm_name", "Acme Web")],
        ),
        ("dashboard", vec![("slug", "acme-web")]),
        ("ssh_keys", vec![("slug", "acme-web")]),
        (
            "add_ssh_key",
            vec![
                ("slug", "acme-web"),
                ("name", "laptop"),
                ("public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti foo@bar.com"),
            ],
        ),
        (
            "remove_ssh_key",
            vec![("slug", "acme-web"), ("id", &service)],
        ),
        ("billing", vec![("slug", "acme-web")]),
        (
            "add_billing_account",
            vec![
                ("slug", "acme-web"),
                ("company_name", "Acme B.V."),
                ("tax_id", "NL123456789B01"),
                ("address", "Keizersgracht 1\n1015 CJ Amsterdam"),
                ("billing_email", "billing@example.com"),
            ],
        ),
        (
            "change_billing_account",
            vec![
                ("slug", "acme-web"),
                ("id", &service),
                ("change", "default"),
            ],
        ),
        ("invoices", vec![("slug", "acme-web")]),
        ("invoice", vec![("slug", "acme-web"), ("id", &service)]),
        ("pay_invoice", vec![("slug", "acme-web"), ("id", &service)]),
        ("services", vec![("slug", "acme-web")]),
        ("service", vec![("slug", "acme-web"), ("id", &service)]),
        (
            "request_operation",
            vec![("slug", "acme-web"), ("id", &service), ("action", "stop")],
        ),
        ("tickets", vec![("slug", "acme-web")]),
        ("ticket", vec![("slug", "acme-web"), ("number", "1")]),
        (
            "open_ticket",
            vec![("slug", "acme-web"), ("subject", "Help"), ("body", "Hello")],
        ),
        (
            "reply_ticket",
            vec![("slug", "acme-web"), ("number", "1"), ("body", "Hello")],
        ),
        (
            "set_ticket_status",
            vec![("slug", "acme-web"), ("number", "1"), ("status", "closed")],
        ),
        (
            "member_permissions",
            vec![("slug", "acme-web"), ("user_id", &grace_id)],
        ),
        (
            "set_member_permissions",
            vec![
                ("slug", "acme-web"),
                ("user_id", &grace_id),
                ("switches[]", "view_services"),
                ("services", "only"),
                ("service_ids[]", &service),
            ],
        ),
        (
            "set_new_member_access",
            vec![("slug", "acme-web"), ("access", "none")],
        ),
        (
            "set_brand_color",
            vec![("slug", "acme-web"), ("color", "#1F5FBF")],
        ),
        ("remove_logo", vec![("slug", "acme-web")]),
        ("ai_settings", vec![("slug", "acme-web")]),
        (
            "save_ai_settings",
            vec![
                ("slug", "acme-web"),
                ("provider", "custom"),
                ("model", "m"),
                ("base_url", "http://127.0.0.1:9/v1"),
                ("api_key", "sk-x"),
            ],
        ),
        ("test_ai_connection", vec![("slug", "acme-web")]),
        (
            "draft_ticket",
            vec![("slug", "acme-web"), ("description", "Help")],
        ),
    ];
    // Percent-encoded so that invalid UTF-8 can be sent too.
    let hostile = [
        "%00", "a%00b", "a%01b", "%1B%5B2J", "a%7Fb", "%C2%85", "%FF%FE",
    ];
    ada.ok(
        "open_ticket",
        &[("slug", "acme-web"), ("subject", "Help"), ("body", "Hello")],
    )
    .await;
    let tables = [
        "users",
        "projects",
        "members",
        "invitations",
        "outbox",
        "tickets",
        "ticket_messages",
        "services",
        "operations",
        "invoices",
        "payments",
        "billing_accounts",
        "ssh_keys",
        "service_members",
        "project_logos",
        "project_ai",
    ];
    let mut before = Vec::new();
    for table in tables {
        before.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }

    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut refusals = Vec::new();
    for (endpoint, params) in &calls {
        for (field, _) in params {
            for bad in hostile {
                let body = params
                    .iter()
                    .map(|(k, v)| {
                        let v = if k == field {
                            bad.to_owned()
                        } else {
                            encode(v)
                        };
                        format!("{k}={v}")
                    })
                    .collect::<Vec<_>>()
                    .join("&");
                // Grace is a plain member: Ada's calls prove the refusal is the parsing, not
                // the access table; a signed-out browser covers the account functions.
                let as_ada = !matches!(
                    *endpoint,
                    "sign_up" | "confirm_email" | "sign_in" | "sign_out"
                );
                let http = if as_ada {
                    &ada.http
                } else {
                    &app.browser().http
                };
                let res = http
                    .post(format!("{}/api/{endpoint}", app.base))
                    .header(reqwest::header::ORIGIN, &app.origin)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body)
                    .send()
                    .await
                    .expect("request");
                let status = res.status();
                let text = res.text().await.unwrap();
                let case = format!("{endpoint} {field}={bad}: {status} {text}");
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
                let error: serde_json::Value = serde_json::from_str(&text).expect("JSON error");
                assert!(
                    field_message(&error, field).is_some(),
                    "names the field: {case}"
                );
                refusals.push(case);
            }
        }
    }
    let _ = grace;
    for (table, count) in tables.iter().zip(before) {
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            count,
            "{table} changed"
        );
    }
    assert_eq!(
        refusals.len(),
        107 * hostile.len(),
        "every parameter, every value"
    );
}
