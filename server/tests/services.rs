//! Services and operations (issue 10): each role sees and asks for what the access table
//! allows, the back office sets services up and carries operations out through the operator
//! API, and everything else (other roles, other projects' ids, a second action while one is
//! in progress, a finished operation moved again, replayed create calls, a project deleted
//! while it still runs services) is refused and changes nothing.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

/// The back office moves the service's pending operation to `status`.
async fn advance(app: &TestApp, operation: &str, status: &str) -> StatusCode {
    operator(
        app,
        Method::PUT,
        &format!("/operations/{operation}"),
        Some(TOKEN),
        Some(json!({"status": status})),
    )
    .await
    .0
}

async fn detail(b: &Browser<'_>, id: &str) -> Value {
    b.ok("service", &[("slug", "acme-web"), ("id", id)]).await
}

fn ask<'a>(id: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("slug", "acme-web"), ("id", id), ("action", action)]
}

#[tokio::test]
async fn roles_see_and_ask_what_the_table_allows_and_the_back_office_carries_it_out() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, "acme-web", vps("web-1", "running")).await;
    let dns = add_service(
        &app,
        "acme-web",
        json!({"kind": "dns", "name": "acme.example", "plan": "DNS zone", "region": "Global", "status": "running"}),
    )
    .await;
    let alan = join(&app, &ada, "Alan", "alan@example.com", "admin").await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let ken = join(&app, &ada, "Ken", "ken@example.com", "accountant").await;

    // Seed 003: the Accountant does not see services; everyone else sees both.
    for b in [&ada, &alan, &grace, &dennis] {
        let list = b.ok("services", &[("slug", "acme-web")]).await;
        assert_eq!(list["services"].as_array().unwrap().len(), 2, "{list}");
        assert_eq!(list["services"][0]["name"], "web-1");
        assert_eq!(list["services"][0]["kind"], "Vps");
    }
    ken.fails("services", &[("slug", "acme-web")], StatusCode::FORBIDDEN)
        .await;
    ken.fails(
        "service",
        &[("slug", "acme-web"), ("id", &web)],
        StatusCode::FORBIDDEN,
    )
    .await;
    ken.fails(
        "request_operation",
        &ask(&web, "soft_restart"),
        StatusCode::FORBIDDEN,
    )
    .await;

    // A Developer restarts the VPS; nobody can queue a second action meanwhile.
    dennis
        .ok("request_operation", &ask(&web, "soft_restart"))
        .await;
    let d = detail(&dennis, &web).await;
    assert_eq!(d["service"]["pending"]["action"], "SoftRestart", "{d}");
    assert_eq!(d["service"]["pending"]["status"], "Queued");
    assert_eq!(d["history"][0]["requester"], "Dennis");
    let err = grace
        .fails(
            "request_operation",
            &ask(&web, "stop"),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        err.to_string().contains("still in progress"),
        "says why: {err}"
    );
    // Only Owners and Admins cancel; DNS cannot be restarted.
    dennis
        .fails(
            "request_operation",
            &ask(&dns, "cancel"),
            StatusCode::FORBIDDEN,
        )
        .await;
    grace
        .fails(
            "request_operation",
            &ask(&dns, "hard_restart"),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM operations").await, 1);

    // The back office takes it from its queue and carries it out.
    let (status, queue) = operator(&app, Method::GET, "/operations", Some(TOKEN), None).await;
    assert_eq!(status, StatusCode::OK);
    let queue = queue.as_array().unwrap().clone();
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["project"], "acme-web");
    assert_eq!(queue[0]["service_name"], "web-1");
    assert_eq!(queue[0]["action"], "soft_restart");
    assert_eq!(queue[0]["requester"], "Dennis");
    let op = queue[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(advance(&app, &op, "running").await, StatusCode::NO_CONTENT);
    assert_eq!(
        detail(&ada, &web).await["service"]["pending"]["status"],
        "Running"
    );
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    // A retried report changes nothing; a finished operation does not move again.
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    assert_eq!(advance(&app, &op, "failed").await, StatusCode::CONFLICT);
    assert_eq!(advance(&app, &op, "running").await, StatusCode::CONFLICT);
    let d = detail(&ada, &web).await;
    assert!(d["service"]["pending"].is_null(), "{d}");
    assert_eq!(d["service"]["status"], "Running");
    assert_eq!(d["history"][0]["status"], "Done");

    // Stop, and a start that fails: the service stays as it was and says why.
    grace.ok("request_operation", &ask(&web, "stop")).await;
    let op = detail(&grace, &web).await["service"]["pending"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    assert_eq!(detail(&grace, &web).await["service"]["status"], "Stopped");
    grace
        .fails(
            "request_operation",
            &ask(&web, "stop"),
            StatusCode::CONFLICT,
        )
        .await;
    alan.ok("request_operation", &ask(&web, "start")).await;
    let op = detail(&alan, &web).await["service"]["pending"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = operator(
        &app,
        Method::PUT,
        &format!("/operations/{op}"),
        Some(TOKEN),
        Some(json!({"status": "failed", "message": "Host under maintenance"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let d = detail(&alan, &web).await;
    assert_eq!(d["service"]["status"], "Stopped");
    assert_eq!(d["history"][0]["status"], "Failed");
    assert_eq!(d["history"][0]["message"], "Host under maintenance");

    // The Owner cancels the DNS zone; a cancelled service takes no more actions.
    ada.ok("request_operation", &ask(&dns, "cancel")).await;
    let op = detail(&ada, &dns).await["service"]["pending"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    assert_eq!(detail(&ada, &dns).await["service"]["status"], "Cancelled");
    ada.fails(
        "request_operation",
        &ask(&dns, "cancel"),
        StatusCode::CONFLICT,
    )
    .await;

    // The history says who did what.
    let page = members(&ada).await;
    let log: Vec<(String, String, String)> = page["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor_name"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                e["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (actor, kind, subject) in [
        ("Back office", "service_added", "web-1"),
        ("Dennis", "operation_requested", "web-1"),
        ("Back office", "operation_started", "web-1"),
        ("Back office", "operation_done", "web-1"),
        ("Back office", "operation_failed", "web-1"),
        ("Ada", "operation_requested", "acme.example"),
    ] {
        assert!(
            log.iter()
                .any(|(a, k, s)| a == actor && k == kind && s == subject),
            "{actor} {kind} {subject} in {log:?}"
        );
    }
}

#[tokio::test]
async fn pages_follow_operations_live() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, "acme-web", vps("web-1", "running")).await;
    let mut stream = ada.events("/events/p/acme-web").await;
    ada.ok("request_operation", &ask(&web, "hard_restart"))
        .await;
    let ev = stream.next().await.expect("an event");
    assert_eq!(EventStream::kind(&ev), "operation_requested");
    let op = detail(&ada, &web).await["service"]["pending"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    advance(&app, &op, "done").await;
    let ev = stream.next().await.expect("an event");
    assert_eq!(EventStream::kind(&ev), "operation_done");
}

#[tokio::test]
async fn outsiders_other_projects_and_bad_input_are_refused_and_change_nothing() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, "acme-web", vps("web-1", "running")).await;
    // Eve has her own project and service; she is not in Acme Web.
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.ok("create_project", &[("name", "Eve Shop"), ("slug", "")])
        .await;
    let evil = add_service(&app, "eve-shop", vps("shop-1", "running")).await;

    for (endpoint, form) in [
        ("services", vec![("slug", "acme-web")]),
        ("service", vec![("slug", "acme-web"), ("id", web.as_str())]),
        ("request_operation", ask(&web, "stop")),
    ] {
        eve.fails(endpoint, &form, StatusCode::NOT_FOUND).await;
    }
    // Another project's service id under one's own project: not there.
    let not_found: [(&str, Vec<(&str, &str)>); 4] = [
        ("service", vec![("slug", "acme-web"), ("id", &evil)]),
        ("request_operation", ask(&evil, "stop")),
        (
            "request_operation",
            vec![("slug", "eve-shop"), ("id", &web), ("action", "stop")],
        ),
        ("request_operation", ask("not-an-id", "stop")),
    ];
    for (endpoint, form) in not_found {
        ada.fails(endpoint, &form, StatusCode::NOT_FOUND).await;
    }
    ada.fails(
        "request_operation",
        &ask(&web, "reboot"),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM operations").await, 0);

    // The operator API: no token, a wrong one, bad fields, unknown ids.
    for (method, path) in [
        (Method::GET, "/projects/acme-web/services".to_owned()),
        (Method::POST, "/projects/acme-web/services".to_owned()),
        (Method::PUT, format!("/services/{web}")),
        (Method::DELETE, format!("/services/{web}")),
        (Method::GET, "/operations".to_owned()),
        (Method::PUT, format!("/operations/{web}")),
    ] {
        for token in [None, Some("operator-token-for-tests-0123456789abcdeX")] {
            let (status, body) = operator(
                &app,
                method.clone(),
                &path,
                token,
                Some(vps("x", "running")),
            )
            .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        }
    }
    for (body, field) in [
        (
            json!({"kind": "mainframe", "name": "x", "plan": "p", "region": "r", "status": "running"}),
            "kind",
        ),
        (
            json!({"kind": "vps", "name": " ", "plan": "p", "region": "r", "status": "running"}),
            "name",
        ),
        (
            json!({"kind": "vps", "name": "x", "plan": "p\nq", "region": "r", "status": "running"}),
            "plan",
        ),
        (
            json!({"kind": "vps", "name": "x", "plan": "p", "region": "r", "status": "exploded"}),
            "status",
        ),
    ] {
        let (status, err) = operator(
            &app,
            Method::POST,
            "/projects/acme-web/services",
            Some(TOKEN),
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {err}");
        assert!(err["error"].as_str().unwrap().contains(field), "{err}");
    }
    for path in [
        "/services/not-an-id",
        "/services/00000000-0000-4000-8000-000000000000",
    ] {
        let (status, _) = operator(
            &app,
            Method::PUT,
            path,
            Some(TOKEN),
            Some(vps("x", "running")),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = operator(
        &app,
        Method::PUT,
        "/operations/not-an-id",
        Some(TOKEN),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 2);

    // The back office renames and removes; the page follows.
    let (status, _) = operator(
        &app,
        Method::PUT,
        &format!("/services/{web}"),
        Some(TOKEN),
        Some(vps("web-01", "suspended")),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let d = detail(&ada, &web).await;
    assert_eq!(d["service"]["name"], "web-01");
    assert_eq!(d["service"]["status"], "Suspended");
    let (status, _) = operator(
        &app,
        Method::DELETE,
        &format!("/services/{web}"),
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    ada.fails(
        "service",
        &[("slug", "acme-web"), ("id", &web)],
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_retried_create_with_the_same_idempotency_key_creates_once() {
    let app = with_operator().await;
    project_with_owner(&app).await;
    let client = reqwest::Client::new();
    let post = |key: &'static str, body: Value| {
        client
            .post(format!(
                "{}/api/operator/v1/projects/acme-web/services",
                app.base
            ))
            .bearer_auth(TOKEN)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = post("create-web-1", vps("web-1", "provisioning"))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = post("create-web-1", vps("web-1", "provisioning"))
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 1);

    // The same key for another body is a mistake, not a retry.
    let other = post("create-web-1", vps("web-2", "provisioning"))
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A burst of the same call at once: one service, every answer names it or asks to retry.
    let burst =
        futures::future::join_all((0..8).map(|_| post("create-db-1", vps("db-1", "provisioning"))))
            .await;
    let mut ids = std::collections::HashSet::new();
    for res in burst {
        let res = res.unwrap();
        match res.status() {
            StatusCode::CREATED => {
                ids.insert(res.json::<Value>().await.unwrap()["id"].to_string());
            }
            StatusCode::CONFLICT => assert!(res.headers().contains_key("retry-after")),
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 2);
    // A malformed key is refused before anything happens.
    let bad = post("has space", vps("x", "running")).await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 2);
}

#[tokio::test]
async fn a_project_with_active_services_cannot_be_deleted() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, "acme-web", vps("web-1", "running")).await;
    let err = ada
        .fails(
            "delete_project",
            &[("slug", "acme-web"), ("confirm_name", "Acme Web")],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("1 active service"), "{err}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE slug = 'acme-web'")
            .await,
        1
    );
    operator(
        &app,
        Method::PUT,
        &format!("/services/{web}"),
        Some(TOKEN),
        Some(vps("web-1", "cancelled")),
    )
    .await;
    ada.ok(
        "delete_project",
        &[("slug", "acme-web"), ("confirm_name", "Acme Web")],
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE slug = 'acme-web'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM services").await, 0);
}

#[tokio::test]
async fn the_dashboard_counts_only_what_the_role_may_see() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    add_service(&app, "acme-web", vps("web-1", "running")).await;
    add_service(&app, "acme-web", vps("web-2", "running")).await;
    add_service(&app, "acme-web", vps("db-1", "stopped")).await;
    let ken = join(&app, &ada, "Ken", "ken@example.com", "accountant").await;
    for subject in ["One", "Two"] {
        ada.ok(
            "open_ticket",
            &[("slug", "acme-web"), ("subject", subject), ("body", "x")],
        )
        .await;
    }
    operator(
        &app,
        Method::POST,
        "/projects/acme-web/tickets/2/replies",
        Some(TOKEN),
        Some(json!({"staff_name": "Sam", "body": "Done."})),
    )
    .await;
    let figures = ada.ok("dashboard", &[("slug", "acme-web")]).await;
    assert_eq!(
        figures["services"],
        json!([["Running", 2], ["Stopped", 1]]),
        "{figures}"
    );
    assert_eq!(
        figures["tickets"],
        json!({"with_support": 1, "awaiting_you": 1})
    );
    let figures = ken.ok("dashboard", &[("slug", "acme-web")]).await;
    assert!(figures["services"].is_null(), "{figures}");
    assert_eq!(figures["tickets"]["with_support"], 1);
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.fails("dashboard", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn the_back_office_looks_up_a_project_and_its_owners() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    join(&app, &ada, "Ken", "ken@example.com", "accountant").await;
    let (status, project) =
        operator(&app, Method::GET, "/projects/acme-web", Some(TOKEN), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(project["name"], "Acme Web");
    assert_eq!(
        project["members"],
        json!([
            {"name": "Ada", "email": "ada@example.com", "role": "owner"},
            {"name": "Ken", "email": "ken@example.com", "role": "accountant"}
        ])
    );
    assert_eq!(project["billing_accounts"], json!([]));
    for (path, token, expected) in [
        ("/projects/acme-web", None, StatusCode::UNAUTHORIZED),
        ("/projects/nope", Some(TOKEN), StatusCode::NOT_FOUND),
        (
            "/projects/Not%20A%20Slug",
            Some(TOKEN),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, _) = operator(&app, Method::GET, path, token, None).await;
        assert_eq!(status, expected, "{path}");
    }
}

#[tokio::test]
async fn backups_are_made_restored_and_deleted_through_operations() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, "acme-web", vps("web-1", "running")).await;
    let db = add_service(&app, "acme-web", vps("db-1", "running")).await;
    let pending_op = |id: String| {
        let ada = &ada;
        async move {
            detail(ada, &id).await["service"]["pending"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    for service in [&web, &db] {
        ada.ok("request_operation", &ask(service, "create_backup"))
            .await;
        let op = pending_op(service.clone()).await;
        assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    }
    let d = detail(&ada, &web).await;
    assert_eq!(d["backups"].as_array().unwrap().len(), 1, "{d}");
    let backup = d["backups"][0]["id"].as_str().unwrap().to_owned();
    let other = detail(&ada, &db).await["backups"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A restore names its backup, of this service; nothing else names one.
    let with_backup = |service: &str, action: &'static str, b: &str| {
        vec![
            ("slug", "acme-web".to_owned()),
            ("id", service.to_owned()),
            ("action", action.to_owned()),
            ("backup", b.to_owned()),
        ]
    };
    let call = |form: Vec<(&'static str, String)>| {
        let ada = &ada;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ada.call("request_operation", &form).await.status()
        }
    };
    assert_eq!(
        call(with_backup(&web, "restore_backup", &other)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(with_backup(&web, "restore_backup", "not-an-id")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ada.call("request_operation", &ask(&web, "restore_backup"))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        call(with_backup(&web, "stop", &backup)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operations WHERE status = 'queued'")
            .await,
        0
    );

    assert_eq!(
        call(with_backup(&web, "restore_backup", &backup)).await,
        StatusCode::OK
    );
    let (_, queue) = operator(&app, Method::GET, "/operations", Some(TOKEN), None).await;
    assert_eq!(queue[0]["action"], "restore_backup");
    assert_eq!(queue[0]["backup_id"], backup.as_str());
    let op = queue[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    let d = detail(&ada, &web).await;
    assert_eq!(d["history"][0]["action"], "RestoreBackup");
    assert!(d["history"][0]["backup"].as_str().unwrap().contains("UTC"));

    assert_eq!(
        call(with_backup(&web, "delete_backup", &backup)).await,
        StatusCode::OK
    );
    let op = pending_op(web.clone()).await;
    assert_eq!(advance(&app, &op, "done").await, StatusCode::NO_CONTENT);
    assert!(detail(&ada, &web).await["backups"]
        .as_array()
        .unwrap()
        .is_empty());
    // A deleted backup cannot be restored.
    assert_eq!(
        call(with_backup(&web, "restore_backup", &backup)).await,
        StatusCode::NOT_FOUND
    );
}
