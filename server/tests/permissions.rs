//! Members' permission profiles and resource access (issue 12; seeds 002 and 004): a profile
//! narrows what the role allows, everywhere the server answers (lists, detail pages, actions,
//! the dashboard, the log); nobody grants what they lack; ids of other projects, junk and forged
//! posts are refused and change nothing; a change is logged and reaches open pages live.

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::*;

const SLUG: &str = "acme-web";

/// Sets `user`'s profile as `by`: switches by key, and `Some(ids)` for only those services or
/// `None` for every service. Returns the raw answer's status and body.
async fn set(
    by: &Browser<'_>,
    user: &str,
    switches: &[&str],
    services: Option<&[&str]>,
) -> (StatusCode, String) {
    let mut form = vec![("slug", SLUG), ("user_id", user)];
    form.extend(switches.iter().map(|s| ("switches[]", *s)));
    match services {
        None => form.push(("services", "all")),
        Some(ids) => {
            form.push(("services", "only"));
            form.extend(ids.iter().map(|id| ("service_ids[]", *id)));
        }
    }
    let res = by.call("set_member_permissions", &form).await;
    (res.status(), res.text().await.unwrap())
}

async fn names(b: &Browser<'_>) -> Vec<String> {
    let list = b.ok("services", &[("slug", SLUG)]).await;
    list["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ask<'a>(id: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("slug", SLUG), ("id", id), ("action", action)]
}

/// What the profile columns of every member hold: a refused change must leave them as they were.
async fn stored(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM members WHERE permissions IS NOT NULL OR all_services = 0")
            .await,
        app.count("SELECT COUNT(*) FROM service_members").await,
    )
}

#[tokio::test]
async fn a_profile_narrows_the_role_everywhere_the_server_answers() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, SLUG, vps("web-1", "running")).await;
    let db = add_service(&app, SLUG, vps("db-1", "running")).await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let page = members(&ada).await;
    let dennis_id = user_id(&page, "Dennis");
    // Before: the Developer's full set, every service (today's behaviour).
    let row = |page: &Value| {
        page["others"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "Dennis")
            .cloned()
            .unwrap()
    };
    assert_eq!(
        row(&page)["access"]["services"],
        Value::Null,
        "every service: {page}"
    );
    assert_eq!(row(&page)["access"]["switches"], 9);
    assert_eq!(names(&dennis).await, ["web-1", "db-1"]);

    let (status, body) = set(
        &ada,
        &dennis_id,
        &["view_services", "restart_services"],
        Some(&[&web]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Lists, detail pages and the dashboard only show what he reaches.
    assert_eq!(names(&dennis).await, ["web-1"]);
    dennis
        .fails(
            "service",
            &[("slug", SLUG), ("id", &db)],
            StatusCode::NOT_FOUND,
        )
        .await;
    let figures = dennis.ok("dashboard", &[("slug", SLUG)]).await;
    assert_eq!(figures["services"], serde_json::json!([["Running", 1]]));
    let figures = ada.ok("dashboard", &[("slug", SLUG)]).await;
    assert_eq!(figures["services"], serde_json::json!([["Running", 2]]));
    // Actions: a service out of reach is not there; a switch that is off is refused.
    dennis
        .fails(
            "request_operation",
            &ask(&db, "soft_restart"),
            StatusCode::NOT_FOUND,
        )
        .await;
    let err = dennis
        .fails(
            "request_operation",
            &ask(&web, "stop"),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(err.to_string().contains("permissions"), "says why: {err}");
    dennis
        .fails(
            "request_operation",
            &ask(&web, "create_backup"),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM operations").await, 0);
    dennis
        .ok("request_operation", &ask(&web, "soft_restart"))
        .await;
    // No "view logs": the service's history is not sent; the page offers only a restart.
    let detail = dennis.ok("service", &[("slug", SLUG), ("id", &web)]).await;
    assert_eq!(detail["history"], serde_json::json!([]), "{detail}");
    assert_eq!(detail["service"]["pending"]["action"], "SoftRestart");
    // His own row says what he has; the log says who changed it.
    let mine = members(&dennis).await;
    assert_eq!(mine["you"]["access"]["switches"], 2, "{mine}");
    assert_eq!(
        mine["you"]["access"]["services"],
        serde_json::json!(["web-1"])
    );
    assert!(
        mine["others"][0]["access"].is_null(),
        "others' profiles are for managers only: {mine}"
    );
    let log = members(&ada).await;
    let entry = &log["activity"][1];
    assert_eq!(entry["kind"], "permissions_changed", "{log}");
    assert_eq!(entry["subject"], "Dennis");
    assert_eq!(entry["old_value"], "All 9 permissions · every service");
    assert_eq!(entry["new_value"], "2 of 9 permissions · web-1");

    // Seed 002: a service activated later joins every member's list.
    add_service(&app, SLUG, vps("web-2", "running")).await;
    assert_eq!(names(&dennis).await, ["web-1", "web-2"]);
    // The Owner bypasses any profile and sees everything.
    assert_eq!(names(&ada).await.len(), 3);
}

#[tokio::test]
async fn nobody_grants_what_they_lack_and_refusals_change_nothing() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, SLUG, vps("web-1", "running")).await;
    let db = add_service(&app, SLUG, vps("db-1", "running")).await;
    let alan = join(&app, &ada, "Alan", "alan@example.com", "admin").await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let page = members(&ada).await;
    let (ada_id, alan_id, dennis_id) = (
        user_id(&page, "Ada"),
        user_id(&page, "Alan"),
        user_id(&page, "Dennis"),
    );
    // Ada narrows her Admin to restarting web-1.
    let (status, body) = set(
        &ada,
        &alan_id,
        &["view_services", "restart_services"],
        Some(&[&web]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Dennis starts with the Developer's full set: narrowing him to nothing first.
    let (status, _) = set(&alan, &dennis_id, &[], Some(&[])).await;
    assert_eq!(status, StatusCode::OK);
    let before = stored(&app).await;

    for (switches, services, why) in [
        (
            &["view_services", "manage_backups"][..],
            Some(&[web.as_str()][..]),
            "a switch Alan lacks",
        ),
        (&["view_services"][..], None, "every service"),
        (
            &["view_services"][..],
            Some(&[db.as_str()][..]),
            "a service Alan cannot reach",
        ),
    ] {
        let (status, body) = set(&alan, &dennis_id, switches, services).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{why}: {body}");
    }
    assert_eq!(stored(&app).await, before, "nothing changed");
    // What he has himself he may grant.
    let (status, body) = set(&alan, &dennis_id, &["view_services"], Some(&[&web])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(names(&dennis).await, ["web-1"]);

    // Beyond the role: a Developer never cancels services, whoever asks.
    let (status, body) = set(
        &ada,
        &dennis_id,
        &["view_services", "cancel_services"],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("beyond the Developer role"), "{body}");
    // Owners have everything: not even an Owner edits an Owner's profile; an Admin may not try.
    let (status, _) = set(&ada, &ada_id, &[], Some(&[])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = set(&alan, &ada_id, &[], Some(&[])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Roles that do not manage members can neither read nor change a profile.
    let (status, _) = set(&grace, &dennis_id, &["view_services"], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for b in [&grace, &dennis] {
        b.fails(
            "member_permissions",
            &[("slug", SLUG), ("user_id", &dennis_id)],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let dialog = alan
        .ok(
            "member_permissions",
            &[("slug", SLUG), ("user_id", &dennis_id)],
        )
        .await;
    assert_eq!(dialog["role"], "developer", "{dialog}");
    assert_eq!(
        dialog["member"]["permissions"]["switches"],
        serde_json::json!(["ViewServices"])
    );
    assert_eq!(dialog["services"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn other_projects_ids_junk_and_forged_posts_are_refused() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    add_service(&app, SLUG, vps("web-1", "running")).await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let dennis_id = user_id(&members(&ada).await, "Dennis");
    // Bob's project, with a service and Bob himself.
    let bob = app.browser();
    bob.sign_up("Bob", "bob@example.com").await;
    bob.ok("create_project", &[("name", "Bob Shop"), ("slug", "")])
        .await;
    let bobs = add_service(&app, "bob-shop", vps("bob-1", "running")).await;
    let bob_page = bob.ok("members", &[("slug", "bob-shop")]).await;
    let bob_id = bob_page["you"]["user_id"].as_str().unwrap().to_owned();
    let before = stored(&app).await;

    // Another project's service, an id that is none, junk.
    for id in [
        bobs.as_str(),
        "00000000-0000-0000-0000-000000000000",
        "x' OR 1=1",
    ] {
        let (status, body) = set(&ada, &dennis_id, &["view_services"], Some(&[id])).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}: {body}");
    }
    // Another project's member, junk member ids.
    for id in [bob_id.as_str(), "", "../1", "\u{0}"] {
        let (status, body) = set(&ada, id, &[], Some(&[])).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{id:?}: {status} {body}"
        );
        ada.fails(
            "member_permissions",
            &[("slug", SLUG), ("user_id", id)],
            if id.contains('\u{0}') {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::NOT_FOUND
            },
        )
        .await;
    }
    // Bob cannot touch Ada's project, and Ada cannot reach into Bob's through her own slug.
    let form = [
        ("slug", SLUG),
        ("user_id", dennis_id.as_str()),
        ("services", "all"),
    ];
    bob.fails("set_member_permissions", &form, StatusCode::NOT_FOUND)
        .await;
    // A switch that is not one, and a resource choice that is neither.
    let (status, body) = set(&ada, &dennis_id, &["manage_members"], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let err = ada
        .fails(
            "set_member_permissions",
            &[
                ("slug", SLUG),
                ("user_id", dennis_id.as_str()),
                ("services", "some"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        field_message(&err, "services").as_deref(),
        Some("Choose every service or only some.")
    );
    assert_eq!(stored(&app).await, before, "nothing changed");
    assert_eq!(names(&dennis).await, ["web-1"]);
}

#[tokio::test]
async fn new_members_can_start_with_nothing() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    add_service(&app, SLUG, vps("web-1", "running")).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    // Only those who edit settings choose it, and only between the two choices.
    grace
        .fails(
            "set_new_member_access",
            &[("slug", SLUG), ("access", "none")],
            StatusCode::FORBIDDEN,
        )
        .await;
    ada.fails(
        "set_new_member_access",
        &[("slug", SLUG), ("access", "everything")],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    ada.ok(
        "set_new_member_access",
        &[("slug", SLUG), ("access", "none")],
    )
    .await;
    let project = ada.ok("project", &[("slug", SLUG)]).await;
    assert_eq!(project["new_member_access"], "Nothing", "{project}");

    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    // Seed 004: "they appear in the member list with default (no) permissions".
    dennis
        .fails("services", &[("slug", SLUG)], StatusCode::FORBIDDEN)
        .await;
    let mine = members(&dennis).await;
    assert_eq!(mine["you"]["access"]["switches"], 0, "{mine}");
    assert_eq!(mine["you"]["access"]["services"], serde_json::json!([]));
    // Members who joined before keep what they had.
    assert_eq!(names(&grace).await, ["web-1"]);
    // Seed 002: a new service still joins his (empty) list, ready to be switched on.
    let web2 = add_service(&app, SLUG, vps("web-2", "running")).await;
    let dennis_id = user_id(&members(&ada).await, "Dennis");
    let dialog = ada
        .ok(
            "member_permissions",
            &[("slug", SLUG), ("user_id", &dennis_id)],
        )
        .await;
    assert_eq!(
        dialog["member"]["permissions"]["services"],
        serde_json::json!({"Only": [web2]}),
        "{dialog}"
    );
    let (status, body) = set(&ada, &dennis_id, &["view_services"], Some(&[&web2])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(names(&dennis).await, ["web-2"]);
    let log = members(&ada).await;
    assert!(
        log["activity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "new_member_access_changed"),
        "{log}"
    );
}

#[tokio::test]
async fn a_changed_profile_reaches_the_members_open_pages_and_emails_nobody() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let web = add_service(&app, SLUG, vps("web-1", "running")).await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let dennis_id = user_id(&members(&ada).await, "Dennis");
    let mut stream = dennis.events(&format!("/events/p/{SLUG}")).await;
    let mails = app.mails().len();
    let (status, _) = set(&ada, &dennis_id, &["view_services"], Some(&[&web])).await;
    assert_eq!(status, StatusCode::OK);
    let ev = stream.next().await.expect("a change");
    assert_eq!(ev.event, "change");
    assert_eq!(EventStream::kind(&ev), "permissions_changed");
    // The same choice again changes nothing: no entry, no event.
    let (status, _) = set(&ada, &dennis_id, &["view_services"], Some(&[&web])).await;
    assert_eq!(status, StatusCode::OK);
    stream
        .quiet_for(std::time::Duration::from_millis(500))
        .await;
    assert_eq!(app.mails().len(), mails, "nobody is emailed");
}
