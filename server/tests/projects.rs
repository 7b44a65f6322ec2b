//! Creating, finding and renaming projects, and who may do it.

mod support;

use reqwest::{header, StatusCode};
use support::*;

#[tokio::test]
async fn a_new_project_gets_a_slug_from_its_name_and_the_creator_owns_it() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;

    let res = ada
        .call("create_project", &[("name", "  Acme Web "), ("slug", "")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/p/acme-web");

    let project = ada.ok("project", &[("slug", "acme-web")]).await;
    assert_eq!(project["name"], "Acme Web");
    assert_eq!(project["actor"]["role"], "owner");
    assert_eq!(project["member_count"], 1);

    let yours = ada.ok("projects", &[]).await["yours"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(yours, 2, "first project plus Acme Web");
}

#[tokio::test]
async fn slug_collisions_get_a_visible_suffix() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;

    // The preview shows the suffix before saving.
    let suggested = ada.ok("suggest_slug", &[("name", "Acme  Web!")]).await;
    assert_eq!(suggested, "acme-web-2");

    // Someone else's project with the same name gets the next free one.
    let grace = app.browser();
    grace.sign_up("Grace", &unique_email("grace")).await;
    let res = grace
        .call("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/p/acme-web-2"
    );

    // A slug typed by hand that is taken is refused with a free alternative, and nothing is made.
    let before = app.count("SELECT COUNT(*) FROM projects").await;
    let err = grace
        .fails(
            "create_project",
            &[("name", "Acme Again"), ("slug", "acme-web")],
            StatusCode::CONFLICT,
        )
        .await;
    let message = field_message(&err, "slug").unwrap();
    assert!(
        message.contains("already taken") && message.contains("acme-web-3"),
        "{message}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects").await, before);

    // A free hand-typed slug is used as typed.
    let res = grace
        .call(
            "create_project",
            &[("name", "Acme Again"), ("slug", "acme-again-eu")],
        )
        .await;
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/p/acme-again-eu"
    );
}

#[tokio::test]
async fn bad_project_input_is_refused_with_specific_messages() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;
    let before = app.count("SELECT COUNT(*) FROM projects").await;

    let err = ada
        .fails(
            "create_project",
            &[("name", "   "), ("slug", "Not A Slug")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        field_message(&err, "name").unwrap(),
        "Give the project a name."
    );
    assert!(field_message(&err, "slug")
        .unwrap()
        .contains("lower-case letters"));

    let long = "x".repeat(81);
    let err = ada
        .fails(
            "create_project",
            &[("name", &long)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(field_message(&err, "name").unwrap().contains("at most 80"));

    let err = ada
        .fails(
            "create_project",
            &[("name", "Ok"), ("slug", "ab")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(field_message(&err, "slug").unwrap().contains("3–48"));
    assert_eq!(app.count("SELECT COUNT(*) FROM projects").await, before);
}

#[tokio::test]
async fn projects_need_an_account() {
    let app = spawn().await;
    let anonymous = app.browser();
    anonymous
        .fails(
            "create_project",
            &[("name", "Acme")],
            StatusCode::UNAUTHORIZED,
        )
        .await;
    anonymous
        .fails("projects", &[], StatusCode::UNAUTHORIZED)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects").await, 0);
}

#[tokio::test]
async fn outsiders_cannot_see_or_rename_a_project() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;

    let mallory = app.browser();
    mallory.sign_up("Mallory", &unique_email("mallory")).await;
    let err = mallory
        .fails("project", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
    assert!(err["NotFound"].as_str().unwrap().contains("not a member"));
    mallory
        .fails(
            "rename_project",
            &[("slug", "acme-web"), ("name", "Pwned")],
            StatusCode::NOT_FOUND,
        )
        .await;
    let name: String = sqlx::query_scalar("SELECT name FROM projects WHERE slug = 'acme-web'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(name, "Acme Web");

    // The page itself answers 404 for them, with an explanation.
    let page = mallory.get("/p/acme-web").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_owner_renames_a_project_and_bad_names_change_nothing() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;

    let err = ada
        .fails(
            "rename_project",
            &[("slug", "acme-web"), ("name", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        field_message(&err, "name").unwrap(),
        "Give the project a name."
    );
    assert_eq!(
        ada.ok("project", &[("slug", "acme-web")]).await["name"],
        "Acme Web"
    );

    ada.ok(
        "rename_project",
        &[("slug", "acme-web"), ("name", "Acme Web EU")],
    )
    .await;
    let project = ada.ok("project", &[("slug", "acme-web")]).await;
    assert_eq!(project["name"], "Acme Web EU");
    assert_eq!(project["slug"], "acme-web", "renaming keeps the address");

    let page = ada.get("/p/acme-web").await.text().await.unwrap();
    assert!(page.contains("Acme Web EU"));
    let settings = ada.get("/p/acme-web/settings").await;
    assert_eq!(settings.status(), StatusCode::OK);
    assert!(settings.text().await.unwrap().contains("Save name"));
}

#[tokio::test]
async fn a_member_without_settings_rights_is_refused_by_the_server() {
    // Members arrive by invitation in a later issue; until then put one in directly to prove the
    // server asks the access table, whatever the page shows.
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", &unique_email("ada")).await;
    ada.ok("create_project", &[("name", "Acme Web"), ("slug", "")])
        .await;
    let dev = app.browser();
    let dev_email = unique_email("dev");
    dev.sign_up("Dev", &dev_email).await;
    sqlx::query(
        "INSERT INTO members (project_id, user_id, role, joined_at)
         SELECT p.id, u.id, 'developer', 0 FROM projects p, users u
         WHERE p.slug = 'acme-web' AND u.email = $1",
    )
    .bind(&dev_email)
    .execute(&app.state.db)
    .await
    .unwrap();

    let project = dev.ok("project", &[("slug", "acme-web")]).await;
    assert_eq!(project["actor"]["role"], "developer");
    assert_eq!(project["member_count"], 2);
    let err = dev
        .fails(
            "rename_project",
            &[("slug", "acme-web"), ("name", "Dev's now")],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(err["Forbidden"].as_str().unwrap().contains("Developer"));
    let page = dev.get("/p/acme-web").await.text().await.unwrap();
    assert!(
        !page.contains("/p/acme-web/settings"),
        "no Settings link for a Developer"
    );
    // The address typed directly: a page that says why, answered 403.
    let settings = dev.get("/p/acme-web/settings").await;
    assert_eq!(settings.status(), StatusCode::FORBIDDEN);
    let html = settings.text().await.unwrap();
    assert!(
        html.contains("Your role (Developer) cannot change this project")
            && !html.contains("Save name"),
        "{html}"
    );
}

#[tokio::test]
async fn a_form_that_succeeds_after_a_failure_leaves_the_error_behind() {
    let app = spawn().await;
    let ada = app.browser();
    let email = unique_email("ada");
    ada.sign_up("Ada", &email).await;
    ada.ok("create_project", &[("name", "Acme"), ("slug", "")])
        .await;
    let location = |res: &reqwest::Response| {
        res.headers()
            .get(header::LOCATION)
            .expect("a redirect")
            .to_str()
            .unwrap()
            .to_owned()
    };

    let failed = ada
        .post_form(
            "rename_project",
            &[("slug", "acme"), ("name", " ")],
            "/p/acme/settings",
        )
        .await;
    let back = location(&failed);
    assert!(back.starts_with("/p/acme/settings?"), "{back}");
    assert!(back.contains("__err="), "{back}");

    let saved = ada
        .post_form(
            "rename_project",
            &[("slug", "acme"), ("name", "Kernel")],
            &back,
        )
        .await;
    let to = location(&saved);
    assert!(
        to.starts_with("/p/acme/settings?notice=Name+saved.&seal="),
        "{to}"
    );
    let page = ada.get(&to).await.text().await.unwrap();
    assert!(page.contains("Name saved."), "{page}");
    assert!(!page.contains("Give the project a name."), "{page}");

    // A notice is shown only in the session it was written for, and only its own text.
    let seal = to.split("seal=").nth(1).unwrap().to_owned();
    let crafted = format!(
        "/p/acme/settings?notice=Your+account+is+suspended.+Call+%2B1+555+0100.&seal={seal}"
    );
    let page = ada.get(&crafted).await.text().await.unwrap();
    assert!(!page.contains("suspended"), "{page}");
    let unsealed = ada
        .get("/p/acme/settings?notice=Your+account+is+suspended.")
        .await
        .text()
        .await
        .unwrap();
    assert!(!unsealed.contains("suspended"), "{unsealed}");
    let ada_elsewhere = app.browser();
    ada_elsewhere
        .ok("sign_in", &[("email", &email), ("password", PASSWORD)])
        .await;
    let page = ada_elsewhere.get(&to).await.text().await.unwrap();
    assert!(!page.contains("Name saved."), "another session: {page}");
}

/// Settings → Delete project: only a Team Owner, only with the project's name typed; everything
/// of the project goes, an invitation email not yet sent is withdrawn, and its links stop.
#[tokio::test]
async fn only_an_owner_who_types_the_name_deletes_a_project_and_everything_in_it_goes() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let adam = join(&app, &ada, "Adam", "adam@example.com", "admin").await;
    let mia = join(&app, &ada, "Mia", "mia@example.com", "member").await;
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    invite(&ada, "grace@example.com", "developer").await;
    let link = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    // Once the worker is done with it, make it look as if the mail server had not taken
    // Grace's invitation yet: it must never go out now.
    let sent =
        "SELECT COUNT(*) FROM outbox WHERE recipient = 'grace@example.com' AND sent_at IS NOT NULL";
    for _ in 0..400 {
        if app.count(sent).await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(app.count(sent).await, 1);
    sqlx::query(
        "UPDATE outbox SET sent_at = NULL, next_attempt_at = $1 WHERE recipient = 'grace@example.com'",
    )
    .bind(i64::MAX / 2)
    .execute(&app.state.db)
    .await
    .unwrap();
    let named = [("slug", "acme-web"), ("confirm_name", "Acme Web")];

    // Another role, another customer: refused, nothing changes.
    adam.fails("delete_project", &named, StatusCode::FORBIDDEN)
        .await;
    mia.fails("delete_project", &named, StatusCode::FORBIDDEN)
        .await;
    eve.fails("delete_project", &named, StatusCode::NOT_FOUND)
        .await;
    // The name must be typed as it is now.
    for wrong in ["", "acme web", "Acme", "acme-web"] {
        let err = ada
            .fails(
                "delete_project",
                &[("slug", "acme-web"), ("confirm_name", wrong)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(
            field_message(&err, "confirm_name").is_some_and(|m| m.contains("Acme Web")),
            "{err}"
        );
    }
    let projects = "SELECT COUNT(*) FROM projects WHERE slug = 'acme-web'";
    assert_eq!(app.count(projects).await, 1);

    let res = ada
        .call(
            "delete_project",
            &[("slug", "acme-web"), ("confirm_name", "  Acme Web ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/projects?notice=Acme+Web+was+deleted."));
    assert_eq!(app.count(projects).await, 0);
    for table in [
        "members",
        "invitations",
        "activity",
        "retired_invitation_links",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE project_id NOT IN (SELECT id FROM projects)"
            ))
            .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'grace@example.com' AND sent_at IS NULL"
        )
        .await,
        0,
        "the unsent invitation email is withdrawn"
    );
    // Gone for everyone: pages, lists, the invitation link; a second delete finds nothing.
    mia.fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
    assert_eq!(
        mia.get("/p/acme-web/members").await.status(),
        StatusCode::NOT_FOUND
    );
    let shared = mia.ok("projects", &[]).await["shared"].clone();
    assert!(shared.as_array().unwrap().is_empty(), "{shared}");
    let landing = app
        .browser()
        .ok("open_invitation", &[("token", &link)])
        .await;
    assert!(landing["Unavailable"].is_object(), "{landing}");
    ada.fails("delete_project", &named, StatusCode::NOT_FOUND)
        .await;
    // Ada's own first project is untouched.
    assert_eq!(
        ada.ok("projects", &[]).await["yours"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
