//! Members, roles and invitations over HTTP against the real server: the access table, the
//! invitation lifecycle, the last-Owner rule (also under concurrency) and the emails.

mod support;

use reqwest::{header, StatusCode};
use serde_json::Value;
use support::*;

const DAY: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn the_invitation_lifecycle_from_email_to_membership() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;

    invite(&ada, "Grace@Example.com", "developer").await;
    let mail = app.mails_to("grace@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Ada invited you to Acme Web on Roster");
    assert!(mail.text.contains("as Developer"), "{}", mail.text);
    assert!(
        mail.text.contains(&format!("{}/invite/", app.origin)),
        "links come from PUBLIC_URL: {}",
        mail.text
    );

    // The Owner changes the pending role; nothing is asked of the invitee.
    let page = members(&ada).await;
    let id = pending_id(&page, "grace@example.com");
    assert_eq!(page["pending"][0]["role"], "developer");
    assert_eq!(page["pending"][0]["invited_by"], "Ada");
    ada.ok(
        "change_invitation_role",
        &[
            ("slug", "acme-web"),
            ("invitation_id", &id),
            ("role", "accountant"),
        ],
    )
    .await;

    // Not signed in, the link shows who invited whom to what.
    let anonymous = app.browser();
    let token = invite_token(&mail);
    let landing = anonymous.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["SignInFirst"]["email"], "grace@example.com");
    assert_eq!(landing["SignInFirst"]["role"], "accountant");
    assert_eq!(landing["SignInFirst"]["inviter"], "Ada");

    // She registers and visits the link: she joins as Accountant.
    let grace = app.browser();
    grace.sign_up("Grace", "grace@example.com").await;
    assert_eq!(
        grace
            .ok("my_invitations", &[])
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let landing = grace.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["Joined"]["role"], "accountant");
    let shared = grace.ok("projects", &[]).await["shared"].clone();
    assert_eq!(shared[0]["slug"], "acme-web");
    assert_eq!(shared[0]["role"], "accountant");
    assert!(grace
        .ok("my_invitations", &[])
        .await
        .as_array()
        .unwrap()
        .is_empty());

    // A second visit just opens the project.
    let again = grace.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(again["Joined"]["slug"], "acme-web");
    let in_acme = app
        .count("SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id WHERE p.slug = 'acme-web'")
        .await;
    assert_eq!(in_acme, 2, "Ada and Grace, once each");

    let page = members(&ada).await;
    assert_eq!(page["others"][0]["name"], "Grace");
    assert_eq!(page["others"][0]["role"], "accountant");
    assert!(page["pending"].as_array().unwrap().is_empty());
    let log: Vec<String> = page["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(log, ["accepted", "pending_role_changed", "invited"]);
}

#[tokio::test]
async fn duplicates_and_current_members_are_refused_with_a_pointer() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let out = invite(
        &ada,
        "grace@example.com, linus@example.com\nada@example.com",
        "member",
    )
    .await;
    assert!(out[0]["error"].is_null());
    assert!(out[1]["error"].is_null());
    assert!(
        out[2]["error"]
            .as_str()
            .unwrap()
            .contains("already a member"),
        "{out}"
    );
    let again = invite(&ada, "grace@example.com", "admin").await;
    assert!(
        again[0]["error"]
            .as_str()
            .unwrap()
            .contains("already has a pending invitation"),
        "{again}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);

    // One malformed address refuses the whole submission.
    let err = ada
        .fails(
            "invite",
            &[
                ("slug", "acme-web"),
                ("emails", "x@example.com nope"),
                ("role", "member"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(field_message(&err, "emails").unwrap().contains("“nope”"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);
    // A forged role is refused.
    ada.fails(
        "invite",
        &[
            ("slug", "acme-web"),
            ("emails", "x@example.com"),
            ("role", "superuser"),
        ],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

#[tokio::test]
async fn resend_replaces_the_link_and_cancel_kills_it() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let first = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    let id = pending_id(&members(&ada).await, "grace@example.com");

    // Expired: the page says when and who to ask; resending is still allowed (seed 002).
    app.state.clock.advance(4 * DAY);
    members(&ada).await; // Ada keeps her session alive.
    app.state.clock.advance(4 * DAY);
    let anonymous = app.browser();
    let landing = anonymous.ok("open_invitation", &[("token", &first)]).await;
    let message = landing["Unavailable"]["message"].as_str().unwrap();
    assert!(
        message.contains("to Acme Web expired on") && message.contains("ask Ada to resend"),
        "{message}"
    );
    assert_eq!(members(&ada).await["pending"][0]["status"], "Expired");

    ada.ok(
        "resend_invitation",
        &[("slug", "acme-web"), ("invitation_id", &id)],
    )
    .await;
    let second = invite_token(&app.mails_to("grace@example.com", 2).await[1]);
    assert_ne!(first, second);
    let old = anonymous.ok("open_invitation", &[("token", &first)]).await;
    let message = old["Unavailable"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("link to join Acme Web was replaced by a newer one")
            && message.contains("ask Ada to resend"),
        "the old link stops working, and says why: {old}"
    );
    let new = anonymous.ok("open_invitation", &[("token", &second)]).await;
    assert!(new["SignInFirst"].is_object(), "{new}");

    ada.ok(
        "cancel_invitation",
        &[("slug", "acme-web"), ("invitation_id", &id)],
    )
    .await;
    let gone = anonymous.ok("open_invitation", &[("token", &second)]).await;
    let message = gone["Unavailable"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("invitation to Acme Web for grace@example.com was cancelled"),
        "{gone}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
    // A link that never was is just not valid: it names no project.
    let never = anonymous
        .ok("open_invitation", &[("token", &"A".repeat(43))])
        .await;
    let message = never["Unavailable"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("not valid") && !message.contains("Acme"),
        "{never}"
    );
    // Retired links are explained for 90 days, then forgotten (at the next retirement).
    app.state.clock.advance(91 * DAY);
    let ada = app.browser();
    ada.ok(
        "sign_in",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    invite(&ada, "ken@example.com", "member").await;
    let id = pending_id(&members(&ada).await, "ken@example.com");
    ada.ok(
        "cancel_invitation",
        &[("slug", "acme-web"), ("invitation_id", &id)],
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM retired_invitation_links")
            .await,
        1,
        "only Ken's link is left"
    );
}

/// Seed 002: a new invitation is refused only while one is pending; an expired one is replaced
/// (new link, new role), by someone who may manage the old invitation's role.
#[tokio::test]
async fn an_expired_invitation_is_replaced_by_a_new_one() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "admin").await;
    invite(&ada, "linus@example.com", "owner").await;
    invite(&ada, "ken@example.com", "member").await;
    let first = invite_token(&app.mails_to("linus@example.com", 1).await[0]);
    let page = members(&ada).await;
    assert!(
        page["pending"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "Awaiting"),
        "{page}"
    );

    app.state.clock.advance(4 * DAY);
    members(&ada).await;
    members(&grace).await;
    app.state.clock.advance(4 * DAY);

    // Grace (Admin) may not replace an invitation to be Owner; Ada may.
    let refused = invite(&grace, "linus@example.com", "member").await;
    assert!(
        refused[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("expired invitation as Team Owner")),
        "{refused}"
    );
    let replaced = invite(&grace, "ken@example.com", "developer").await;
    assert!(replaced[0]["error"].is_null(), "{replaced}");
    let replaced = invite(&ada, "linus@example.com", "admin").await;
    assert!(replaced[0]["error"].is_null(), "{replaced}");

    let page = members(&ada).await;
    let pending = page["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 2, "{page}");
    for (email, role) in [
        ("linus@example.com", "admin"),
        ("ken@example.com", "developer"),
    ] {
        let row = support::pending(&page, email);
        assert_eq!(row["role"], role);
        assert_eq!(row["status"], "Awaiting");
    }
    // The old link is gone with the invitation it belonged to, and says it was replaced.
    let old = app
        .browser()
        .ok("open_invitation", &[("token", &first)])
        .await;
    let message = old["Unavailable"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("replaced by a newer one"), "{old}");
    let second = invite_token(&app.mails_to("linus@example.com", 2).await[1]);
    let new = app
        .browser()
        .ok("open_invitation", &[("token", &second)])
        .await;
    assert_eq!(new["SignInFirst"]["role"], "admin", "{new}");
}

#[tokio::test]
async fn the_wrong_account_is_refused_and_the_invitation_stays() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let token = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    let mallory = app.browser();
    mallory.sign_up("Mallory", "mallory@example.com").await;
    let landing = mallory.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["WrongAccount"]["invited"], "grace@example.com");
    assert_eq!(
        landing["WrongAccount"]["signed_in_as"],
        "mallory@example.com"
    );
    assert_eq!(members(&ada).await["pending"].as_array().unwrap().len(), 1);
    let id = pending_id(&members(&ada).await, "grace@example.com");
    mallory
        .fails(
            "accept_invitation",
            &[("invitation_id", &id)],
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM members").await, 3);
}

#[tokio::test]
async fn accept_and_decline_from_the_projects_table() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = app.browser();
    grace.sign_up("Grace", "grace@example.com").await;
    invite(&ada, "grace@example.com", "developer").await;
    let mine = grace.ok("my_invitations", &[]).await;
    assert_eq!(mine[0]["project_name"], "Acme Web");
    assert_eq!(mine[0]["inviter"], "Ada");
    let slug = grace
        .ok(
            "accept_invitation",
            &[("invitation_id", mine[0]["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(slug, "acme-web");
    assert_eq!(
        grace.ok("project", &[("slug", "acme-web")]).await["actor"]["role"],
        "developer"
    );

    ada.ok("create_project", &[("name", "Second"), ("slug", "second")])
        .await;
    ada.ok(
        "invite",
        &[
            ("slug", "second"),
            ("emails", "grace@example.com"),
            ("role", "member"),
        ],
    )
    .await;
    let id = grace.ok("my_invitations", &[]).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    grace
        .ok("decline_invitation", &[("invitation_id", &id)])
        .await;
    assert!(grace
        .ok("my_invitations", &[])
        .await
        .as_array()
        .unwrap()
        .is_empty());
    grace
        .fails("project", &[("slug", "second")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn every_member_server_function_asks_the_access_table() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let admin = join(&app, &ada, "Adam", "adam@example.com", "admin").await;
    let member = join(&app, &ada, "Mia", "mia@example.com", "member").await;
    let dev = join(&app, &ada, "Dev", "dev@example.com", "developer").await;
    let acct = join(&app, &ada, "Acct", "acct@example.com", "accountant").await;
    invite(&ada, "pending@example.com", "member").await;
    let page = members(&ada).await;
    let mia = user_id(&page, "Mia");
    let adam = user_id(&page, "Adam");
    let ada_id = user_id(&page, "Ada");
    let pending = pending_id(&page, "pending@example.com");

    // Everyone sees the list; only Owners and Admins see the activity log.
    for b in [&admin, &member, &dev, &acct] {
        let p = members(b).await;
        assert_eq!(p["others"].as_array().unwrap().len(), 4);
        assert_eq!(
            p["activity"].as_array().unwrap().is_empty(),
            !std::ptr::eq(b, &admin)
        );
    }
    // Member, Developer, Accountant: every management call is 403 and changes nothing.
    for b in [&member, &dev, &acct] {
        b.fails(
            "invite",
            &[
                ("slug", "acme-web"),
                ("emails", "x@example.com"),
                ("role", "member"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "change_role",
            &[("slug", "acme-web"), ("user_id", &mia), ("role", "admin")],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "remove_member",
            &[("slug", "acme-web"), ("user_id", &adam)],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "change_invitation_role",
            &[
                ("slug", "acme-web"),
                ("invitation_id", &pending),
                ("role", "admin"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "resend_invitation",
            &[("slug", "acme-web"), ("invitation_id", &pending)],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "cancel_invitation",
            &[("slug", "acme-web"), ("invitation_id", &pending)],
            StatusCode::FORBIDDEN,
        )
        .await;
        b.fails(
            "rename_project",
            &[("slug", "acme-web"), ("name", "x")],
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    // Admins manage everyone below Owner, and never Owners.
    let err = admin
        .fails(
            "invite",
            &[
                ("slug", "acme-web"),
                ("emails", "o@example.com"),
                ("role", "owner"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(err["Forbidden"]
        .as_str()
        .unwrap()
        .contains("Only a Team Owner"));
    admin
        .fails(
            "change_role",
            &[("slug", "acme-web"), ("user_id", &mia), ("role", "owner")],
            StatusCode::FORBIDDEN,
        )
        .await;
    admin
        .fails(
            "change_role",
            &[
                ("slug", "acme-web"),
                ("user_id", &ada_id),
                ("role", "member"),
            ],
            StatusCode::FORBIDDEN,
        )
        .await;
    admin
        .fails(
            "remove_member",
            &[("slug", "acme-web"), ("user_id", &ada_id)],
            StatusCode::FORBIDDEN,
        )
        .await;
    admin
        .ok(
            "change_role",
            &[
                ("slug", "acme-web"),
                ("user_id", &mia),
                ("role", "developer"),
            ],
        )
        .await;
    admin
        .ok(
            "change_invitation_role",
            &[
                ("slug", "acme-web"),
                ("invitation_id", &pending),
                ("role", "admin"),
            ],
        )
        .await;
    admin
        .ok(
            "rename_project",
            &[("slug", "acme-web"), ("name", "Acme Web")],
        )
        .await;

    let page = members(&ada).await;
    let roles: Vec<(String, String)> = page["others"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("Mia".into(), "developer".into())),
        "{roles:?}"
    );
    assert_eq!(page["you"]["role"], "owner");
    // The role change reached Mia by email, a minute later (later changes would fold in).
    app.state.clock.advance(60_001);
    app.state.mail_wake.notify_one();
    let mails = app.mails_to("mia@example.com", 2).await;
    assert_eq!(mails[1].subject, "Your role in Acme Web is now Developer");
}

#[tokio::test]
async fn ids_from_another_project_are_not_found() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let id = pending_id(&members(&ada).await, "grace@example.com");
    let ada_id = user_id(&members(&ada).await, "Ada");

    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.ok(
        "create_project",
        &[("name", "Eve Corp"), ("slug", "eve-corp")],
    )
    .await;
    eve.fails(
        "cancel_invitation",
        &[("slug", "eve-corp"), ("invitation_id", &id)],
        StatusCode::NOT_FOUND,
    )
    .await;
    eve.fails(
        "remove_member",
        &[("slug", "eve-corp"), ("user_id", &ada_id)],
        StatusCode::NOT_FOUND,
    )
    .await;
    eve.fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
}

#[tokio::test]
async fn a_removed_member_loses_access_at_once_and_their_invitations_go_with_them() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let admin = join(&app, &ada, "Adam", "adam@example.com", "admin").await;
    // Adam invites another address of his; removing him must cancel it.
    invite(&admin, "adam.other@example.com", "admin").await;
    admin
        .ok(
            "create_project",
            &[("name", "Adam's Own"), ("slug", "adams-own")],
        )
        .await;
    let adam = user_id(&members(&ada).await, "Adam");

    ada.ok("remove_member", &[("slug", "acme-web"), ("user_id", &adam)])
        .await;
    admin
        .fails("project", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
    admin
        .fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
    assert_eq!(
        admin.ok("project", &[("slug", "adams-own")]).await["name"],
        "Adam's Own",
        "other projects untouched"
    );
    assert!(members(&ada).await["pending"]
        .as_array()
        .unwrap()
        .is_empty());
    let removal = app.mails_to("adam@example.com", 2).await.pop().unwrap();
    assert_eq!(removal.subject, "You were removed from Acme Web on Roster");
    let log: Vec<String> = members(&ada).await["activity"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(log, ["cancelled", "removed"]);
}

#[tokio::test]
async fn a_project_always_keeps_an_owner() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let ada_id = user_id(&members(&ada).await, "Ada");
    let err = ada
        .fails(
            "leave_project",
            &[("slug", "acme-web")],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("last Team Owner"), "{err}");
    // Stepping down is asked about first; answering the question reaches the guard.
    let question = ada
        .fails(
            "change_role",
            &[
                ("slug", "acme-web"),
                ("user_id", &ada_id),
                ("role", "admin"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    let token = field_message(&question, "confirmation").expect("a question to answer");
    let err = ada
        .fails(
            "change_role",
            &[
                ("slug", "acme-web"),
                ("user_id", &ada_id),
                ("role", "admin"),
                ("confirmation", &token),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(field_message(&err, "confirmation").is_none(), "{err}");
    assert!(err.to_string().contains("last Team Owner"), "{err}");
    assert_eq!(members(&ada).await["you"]["role"], "owner");

    // With a second Owner, the first may step down or leave.
    let bob = join(&app, &ada, "Bob", "bob@example.com", "owner").await;
    ada.ok("leave_project", &[("slug", "acme-web")]).await;
    assert_eq!(members(&bob).await["owner_count"], 1);
    let err = bob
        .fails(
            "leave_project",
            &[("slug", "acme-web")],
            StatusCode::CONFLICT,
        )
        .await;
    assert!(err.to_string().contains("last Team Owner"));
    // Others may leave whenever they like.
    let mia = join(&app, &bob, "Mia", "mia@example.com", "member").await;
    mia.ok("leave_project", &[("slug", "acme-web")]).await;
    mia.fails("project", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn two_owners_removing_each_other_at_once_leave_one() {
    let app = spawn().await;
    for round in 0..5 {
        let ada = app.browser();
        let a_email = format!("ada{round}@example.com");
        ada.sign_up("Ada", &a_email).await;
        let slug = format!("race-{round}");
        ada.ok("create_project", &[("name", "Race"), ("slug", &slug)])
            .await;
        let b_email = format!("bob{round}@example.com");
        let before = app
            .mails()
            .iter()
            .filter(|m| m.to.contains(&b_email))
            .count();
        ada.ok(
            "invite",
            &[("slug", &slug), ("emails", &b_email), ("role", "owner")],
        )
        .await;
        let token = invite_token(&app.mails_to(&b_email, before + 1).await.pop().unwrap());
        let bob = app.browser();
        bob.sign_up("Bob", &b_email).await;
        bob.ok("open_invitation", &[("token", &token)]).await;
        let page = ada.ok("members", &[("slug", &slug)]).await;
        let (ada_id, bob_id) = (user_id(&page, "Ada"), user_id(&page, "Bob"));

        let remove_bob = [("slug", slug.as_str()), ("user_id", bob_id.as_str())];
        let remove_ada = [("slug", slug.as_str()), ("user_id", ada_id.as_str())];
        let (a, b) = tokio::join!(
            ada.call("remove_member", &remove_bob),
            bob.call("remove_member", &remove_ada),
        );
        let ok = [a.status(), b.status()]
            .iter()
            .filter(|s| s.is_success())
            .count();
        assert_eq!(
            ok,
            1,
            "exactly one removal wins: {} {}",
            a.status(),
            b.status()
        );
        let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id WHERE p.slug = $1 AND m.role = 'owner'")
            .bind(&slug)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(owners, 1);
    }
}

#[tokio::test]
async fn accepting_twice_at_once_joins_once() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let token = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    let grace = app.browser();
    grace.sign_up("Grace", "grace@example.com").await;
    let id = grace.ok("my_invitations", &[]).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = [("token", token.as_str())];
    let accept = [("invitation_id", id.as_str())];
    let cancel = [("slug", "acme-web"), ("invitation_id", id.as_str())];
    // Twenty answers from her (the link and the Projects table, ten each) race Ada's cancel.
    let answers = (0..20).map(|i| {
        let (grace, open, accept) = (&grace, &open, &accept);
        async move {
            let res = if i % 2 == 0 {
                grace.call("open_invitation", open).await
            } else {
                grace.call("accept_invitation", accept).await
            };
            let status = res.status();
            (i % 2 == 0, status, res.text().await.unwrap())
        }
    });
    let (answers, cancelled) = tokio::join!(
        futures::future::join_all(answers),
        ada.call("cancel_invitation", &cancel),
    );
    let cancelled = cancelled.status();
    // Every answer is a clean one: 200, or 404 once the invitation is gone or answered.
    for (_, status, body) in &answers {
        assert!(
            *status == StatusCode::OK || *status == StatusCode::NOT_FOUND,
            "{status}: {body}"
        );
    }
    assert!(
        cancelled == StatusCode::OK || cancelled == StatusCode::NOT_FOUND,
        "cancel: {cancelled}"
    );
    let joined_answers = answers
        .iter()
        .filter(|(link, status, body)| {
            *status == StatusCode::OK && (!link || body.contains("Joined"))
        })
        .count();
    let joined: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id JOIN projects p ON p.id = m.project_id
         WHERE u.email = 'grace@example.com' AND p.slug = 'acme-web'",
    )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let invitations = app.count("SELECT COUNT(*) FROM invitations").await;
    // Either she joined once (and the invitation is recorded accepted) or the cancel won.
    assert!(
        (joined == 1 && invitations == 1) || (joined == 0 && invitations == 0),
        "joined {joined}, invitations {invitations}"
    );
    let accepted = app
        .count("SELECT COUNT(*) FROM activity WHERE kind = 'accepted'")
        .await;
    assert_eq!(accepted, joined, "one activity entry per membership");
    // The statuses agree with the outcome.
    if joined == 1 {
        assert_eq!(
            cancelled,
            StatusCode::NOT_FOUND,
            "the accept won, so the cancel found nothing"
        );
        assert!(joined_answers >= 1);
    } else {
        assert_eq!(cancelled, StatusCode::OK);
        assert_eq!(joined_answers, 0, "{answers:?}");
    }
}

#[tokio::test]
async fn invitations_are_rate_limited_per_project() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let batch = |from: usize| {
        (from..from + 50)
            .map(|i| format!("p{i}@example.com"))
            .collect::<Vec<_>>()
            .join(",")
    };
    invite(&ada, &batch(0), "member").await;
    invite(&ada, &batch(50), "member").await;
    let err = ada
        .fails(
            "invite",
            &[
                ("slug", "acme-web"),
                ("emails", "one.more@example.com"),
                ("role", "member"),
            ],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    assert!(err["RateLimited"].as_str().unwrap().contains("at most 100"));
    app.state.clock.advance(3600 * 1000 + 1);
    invite(&ada, "one.more@example.com", "member").await;
}

/// Asks to make `user` Owner and returns the server's question and its token.
async fn ask_owner(b: &Browser<'_>, user: &str) -> (String, String) {
    let err = b
        .fails(
            "change_role",
            &[("slug", "acme-web"), ("user_id", user), ("role", "owner")],
            StatusCode::CONFLICT,
        )
        .await;
    (
        field_message(&err, "confirm").expect("the question"),
        field_message(&err, "confirmation").expect("its token"),
    )
}

/// Answers "make `user` Owner?" with `answer` and expects to be asked (again) instead.
async fn still_asked(b: &Browser<'_>, user: &str, answer: &str) {
    b.fails(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", user),
            ("role", "owner"),
            ("confirmation", answer),
        ],
        StatusCode::CONFLICT,
    )
    .await;
}

#[tokio::test]
async fn an_owner_change_needs_the_answer_to_the_servers_own_question() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    join(&app, &ada, "Mia", "mia@example.com", "member").await;
    let page = members(&ada).await;
    let (bob, mia) = (user_id(&page, "Bob"), user_id(&page, "Mia"));
    let (question, token) = ask_owner(&ada, &bob).await;
    assert!(
        question.starts_with("Change Bob's role from Team Admin to Team Owner?"),
        "{question}"
    );
    // The old "confirmed=yes", a made-up token, and the token for another target: asked again.
    ada.fails(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", &bob),
            ("role", "owner"),
            ("confirmed", "yes"),
        ],
        StatusCode::CONFLICT,
    )
    .await;
    still_asked(&ada, &bob, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    still_asked(&ada, &mia, &token).await;
    // The same person signed in elsewhere: another session, so not the answer.
    let ada_elsewhere = app.browser();
    ada_elsewhere
        .ok(
            "sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    still_asked(&ada_elsewhere, &bob, &token).await;
    assert_eq!(
        ada_elsewhere
            .ok("role_question", &[("slug", "acme-web"), ("token", &token)])
            .await,
        serde_json::Value::Null,
        "another session cannot read the question"
    );
    assert_eq!(
        ada.ok("role_question", &[("slug", "acme-web"), ("token", &token)])
            .await["question"],
        question.as_str()
    );
    assert_eq!(members(&ada).await["owner_count"], 1, "nothing changed yet");

    // The answer: once.
    ada.ok(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", bob.as_str()),
            ("role", "owner"),
            ("confirmation", token.as_str()),
        ],
    )
    .await;
    assert_eq!(members(&ada).await["owner_count"], 2);
    let back = [
        ("slug", "acme-web"),
        ("user_id", bob.as_str()),
        ("role", "admin"),
        ("confirmation", token.as_str()),
    ];
    ada.fails("change_role", &back, StatusCode::CONFLICT).await;

    // A question left for ten minutes expires.
    let (_, token) = ask_owner(&ada, &mia).await;
    app.state.clock.advance(10 * 60 * 1000 + 1);
    still_asked(&ada, &mia, &token).await;
    assert_eq!(members(&ada).await["owner_count"], 2);
}

#[tokio::test]
async fn a_crafted_link_cannot_put_words_or_a_target_in_the_owner_question() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    let mallory = join(&app, &ada, "Mallory", "mallory@example.com", "member").await;
    let page = members(&ada).await;
    let bob = user_id(&page, "Bob");
    let mallory_id = user_id(&page, "Mallory");
    drop(mallory);

    // Without JavaScript: the post comes back to the page with the question's token.
    let asked = ada
        .post_form(
            "change_role",
            &[("slug", "acme-web"), ("user_id", &bob), ("role", "owner")],
            "/p/acme-web/members",
        )
        .await;
    let back = asked
        .headers()
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!back.contains(&bob), "no target id in the address: {back}");
    let html = ada.get(&back).await.text().await.unwrap();
    assert!(
        html.contains("Change Bob&#x27;s role from Team Admin to Team Owner?")
            || html.contains("Change Bob's role from Team Admin to Team Owner?"),
        "{html}"
    );
    assert!(html.contains("name=\"confirmation\""), "{html}");

    // Mallory's link: her words and her id, and a token that is not the server's.
    use base64::{engine::general_purpose::URL_SAFE, Engine};
    let parsed = url::Url::parse(&format!("{}{back}", app.base)).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    let err = pairs
        .iter()
        .find(|(k, _)| k == "__err")
        .map(|(_, v)| v)
        .unwrap();
    let err = String::from_utf8(URL_SAFE.decode(err).unwrap()).unwrap();
    let original = field_message(&serde_json::from_str(&err).unwrap(), "confirmation")
        .expect("the token in the error");
    let forged_err = err
        .replace(&original, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .replace(
            "Change Bob's role from Team Admin to Team Owner?",
            "Security check: confirm to keep your account.",
        );
    assert_ne!(forged_err, err);
    let mut crafted = parsed.clone();
    {
        let mut q = crafted.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            let v = if k == "__err" {
                URL_SAFE.encode(&forged_err)
            } else {
                v.clone()
            };
            q.append_pair(k, &v);
        }
        q.append_pair("user_id", &mallory_id)
            .append_pair("role", "owner");
    }
    let path = format!("{}?{}", crafted.path(), crafted.query().unwrap());
    let html = ada.get(&path).await.text().await.unwrap();
    assert!(!html.contains("Security check"), "{html}");
    assert!(!html.contains("name=\"confirmation\""), "{html}");
    assert!(!html.contains("Change ownership"), "{html}");
}

#[tokio::test]
async fn role_changes_within_a_minute_send_one_email() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    join(&app, &ada, "Mia", "mia@example.com", "member").await;
    let mia = user_id(&members(&ada).await, "Mia");
    let set = |role: &'static str| {
        let mia = mia.clone();
        let ada = &ada;
        async move {
            ada.ok(
                "change_role",
                &[("slug", "acme-web"), ("user_id", &mia), ("role", role)],
            )
            .await;
        }
    };
    let role_mails = |app: &TestApp| {
        app.mails()
            .into_iter()
            .filter(|m| m.to.contains("mia@example.com") && m.subject.starts_with("Your role"))
            .collect::<Vec<_>>()
    };
    set("developer").await;
    set("admin").await;
    set("accountant").await;
    app.state.clock.advance(60_001);
    app.state.mail_wake.notify_one();
    app.mails_to("mia@example.com", 2).await;
    let mails = role_mails(&app);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].text.contains("from Team Member to Accountant"),
        "{}",
        mails[0].text
    );

    // Changed and changed back within the minute: nothing to tell.
    set("developer").await;
    set("accountant").await;
    app.state.clock.advance(60_001);
    app.state.mail_wake.notify_one();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(role_mails(&app).len(), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn one_address_gets_a_bounded_number_of_emails_an_hour() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    let id = pending_id(&members(&ada).await, "grace@example.com");
    let resend = [("slug", "acme-web"), ("invitation_id", id.as_str())];
    // The invitation was the first; nine resends make ten.
    for _ in 0..9 {
        ada.ok("resend_invitation", &resend).await;
    }
    let err = ada
        .fails("resend_invitation", &resend, StatusCode::TOO_MANY_REQUESTS)
        .await;
    assert!(
        err.to_string()
            .contains("grace@example.com has received 10 emails"),
        "{err}"
    );
    // Inviting the address to another project is refused for it, not for the others.
    ada.ok("create_project", &[("name", "Beta"), ("slug", "beta")])
        .await;
    let outcome = ada
        .ok(
            "invite",
            &[
                ("slug", "beta"),
                ("emails", "grace@example.com, hal@example.com"),
                ("role", "member"),
            ],
        )
        .await;
    assert!(
        outcome[0]["error"].to_string().contains("has received"),
        "{outcome}"
    );
    assert!(outcome[1]["error"].is_null(), "{outcome}");
    app.state.clock.advance(3600 * 1000 + 1);
    ada.ok("resend_invitation", &resend).await;
}

#[tokio::test]
async fn one_person_cannot_spread_a_mailing_over_many_projects() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    ada.ok("create_project", &[("name", "Beta"), ("slug", "beta")])
        .await;
    ada.ok("create_project", &[("name", "Gamma"), ("slug", "gamma")])
        .await;
    let batch = |from: usize| {
        (from..from + 50)
            .map(|i| format!("p{i}@example.com"))
            .collect::<Vec<_>>()
            .join(",")
    };
    for (slug, from) in [
        ("acme-web", 0),
        ("acme-web", 50),
        ("beta", 100),
        ("beta", 150),
    ] {
        ada.ok(
            "invite",
            &[("slug", slug), ("emails", &batch(from)), ("role", "member")],
        )
        .await;
    }
    let err = ada
        .fails(
            "invite",
            &[
                ("slug", "gamma"),
                ("emails", "one.more@example.com"),
                ("role", "member"),
            ],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    assert!(err.to_string().contains("across your projects"), "{err}");
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 200);
}

#[tokio::test]
async fn projects_are_created_at_a_bounded_rate() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", "ada@example.com").await;
    // The first project (made at sign-up) counts: nine more fit in the hour.
    for i in 0..9 {
        ada.ok(
            "create_project",
            &[("name", &format!("P{i}")), ("slug", "")],
        )
        .await;
    }
    let err = ada
        .fails(
            "create_project",
            &[("name", "One more"), ("slug", "")],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    assert!(
        err.to_string().contains("projects in the last hour"),
        "{err}"
    );
    app.state.clock.advance(3600 * 1000 + 1);
    ada.ok("create_project", &[("name", "Later"), ("slug", "")])
        .await;
}

#[tokio::test]
async fn invitation_links_carry_256_bit_tokens_stored_only_as_hashes() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;
    invite(&ada, "hal@example.com", "member").await;
    let grace = invite_token(&app.mails_to("grace@example.com", 1).await[0]);
    let hal = invite_token(&app.mails_to("hal@example.com", 1).await[0]);
    // 32 random bytes, base64url without padding; two invitations never share one.
    for token in [&grace, &hal] {
        assert_eq!(token.len(), 43, "{token}");
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
    assert_ne!(grace, hal);
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM invitations")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    for token in [&grace, &hal] {
        assert!(!stored.contains(token), "the token itself is not stored");
        assert!(stored.contains(&app::ssr::session::hash_token(token)));
    }
}

/// Issue 11, items 7 and 8 (seed 000 and 001): Your Projects are the projects you created and
/// still own; a project you were made Team Owner of is shared with you; the creator is marked
/// for everyone, and stays marked after handing ownership over.
#[tokio::test]
async fn your_projects_are_the_ones_you_created_and_own_and_the_creator_is_marked() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "owner").await;

    let names = |list: &Value| -> Vec<(String, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["slug"].as_str().unwrap().to_owned(),
                    p["role"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let bobs = bob.ok("projects", &[]).await;
    assert!(
        !names(&bobs["yours"]).iter().any(|(s, _)| s == "acme-web"),
        "{bobs}"
    );
    assert_eq!(
        names(&bobs["shared"]),
        [("acme-web".to_owned(), "owner".to_owned())]
    );
    let adas = ada.ok("projects", &[]).await;
    assert!(names(&adas["yours"]).contains(&("acme-web".to_owned(), "owner".to_owned())));

    let page = members(&bob).await;
    assert_eq!(page["you"]["creator"], false);
    assert_eq!(page["others"][0]["name"], "Ada");
    assert_eq!(page["others"][0]["creator"], true);

    // Bob demotes Ada (the server asks first): she no longer owns it, so it is shared with her,
    // and she is still its creator.
    let ada_id = user_id(&page, "Ada");
    let change = [
        ("slug", "acme-web"),
        ("user_id", ada_id.as_str()),
        ("role", "admin"),
    ];
    let question = bob
        .fails("change_role", &change, StatusCode::CONFLICT)
        .await;
    let token = field_message(&question, "confirmation").expect("a question to answer");
    let mut answered = change.to_vec();
    answered.push(("confirmation", &token));
    bob.ok("change_role", &answered).await;
    let adas = ada.ok("projects", &[]).await;
    assert!(
        !names(&adas["yours"]).iter().any(|(s, _)| s == "acme-web"),
        "{adas}"
    );
    assert_eq!(
        names(&adas["shared"]),
        [("acme-web".to_owned(), "admin".to_owned())]
    );
    let page = members(&ada).await;
    assert_eq!(page["you"]["creator"], true);
    assert_eq!(page["you"]["role"], "admin");
    assert_eq!(page["others"][0]["creator"], false);
}

/// Manage → Change Role (issue 11, item 3) without JavaScript: the dialog's form post goes back
/// to the Members page with a notice (closing the dialog); a refused one goes back to the dialog
/// with the error and the role that was picked; called in place, nothing redirects.
#[tokio::test]
async fn the_change_role_dialog_posts_back_to_the_page_or_to_itself_with_the_error() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "developer").await;
    let id = pending_id(&members(&ada).await, "grace@example.com");
    let dialog = format!("/p/acme-web/members?change_role={id}");
    let location = |res: &reqwest::Response| {
        res.headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_owned())
    };

    let saved = ada
        .post_form(
            "change_invitation_role",
            &[
                ("slug", "acme-web"),
                ("invitation_id", &id),
                ("role", "accountant"),
            ],
            &dialog,
        )
        .await;
    let back = location(&saved).expect("a redirect");
    assert!(
        back.starts_with("/p/acme-web/members?notice=Invitation+role+changed"),
        "{back}"
    );
    assert!(!back.contains("change_role"), "the dialog closes: {back}");
    assert_eq!(
        pending(&members(&ada).await, "grace@example.com")["role"],
        "accountant"
    );

    // A role that does not exist: back to the dialog, with the error and what was picked.
    let refused = ada
        .post_form(
            "change_invitation_role",
            &[
                ("slug", "acme-web"),
                ("invitation_id", &id),
                ("role", "overlord"),
            ],
            &dialog,
        )
        .await;
    let back = location(&refused).expect("a redirect");
    assert!(back.contains(&format!("change_role={id}")), "{back}");
    assert!(back.contains("__err="), "{back}");
    assert!(back.contains("role=overlord"), "{back}");
    assert_eq!(
        pending(&members(&ada).await, "grace@example.com")["role"],
        "accountant",
        "nothing changed"
    );

    // In place (JSON), a save answers 200 and sends the page nowhere.
    let res = ada
        .call(
            "change_invitation_role",
            &[
                ("slug", "acme-web"),
                ("invitation_id", &id),
                ("role", "member"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(location(&res).is_none());
}

/// Issue 11, item 6: an expired invitation stays in the invitee's Project Invitations, says
/// when it expired, cannot be accepted, and can be dismissed.
#[tokio::test]
async fn the_invitee_sees_an_expired_invitation_and_dismisses_it() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = app.browser();
    grace.sign_up("Grace", "grace@example.com").await;
    invite(&ada, "grace@example.com", "member").await;
    let mine = grace.ok("my_invitations", &[]).await;
    assert!(mine[0]["expired_on"].is_null(), "{mine}");
    let id = mine[0]["id"].as_str().unwrap().to_owned();

    app.state.clock.advance(4 * DAY);
    grace.ok("my_invitations", &[]).await;
    members(&ada).await; // Ada keeps her session alive.
    app.state.clock.advance(4 * DAY);
    let mine = grace.ok("my_invitations", &[]).await;
    assert!(mine[0]["expired_on"].is_string(), "{mine}");

    let refused = grace
        .fails(
            "accept_invitation",
            &[("invitation_id", &id)],
            StatusCode::GONE,
        )
        .await;
    assert!(refused.to_string().contains("expired on"), "{refused}");
    assert!(members(&ada).await["others"].as_array().unwrap().is_empty());

    // Someone else cannot dismiss it for her.
    let mallory = app.browser();
    mallory.sign_up("Mallory", "mallory@example.com").await;
    mallory
        .fails(
            "decline_invitation",
            &[("invitation_id", &id)],
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(grace.ok("my_invitations", &[]).await[0]["id"], id.as_str());

    let res = grace
        .post_form("decline_invitation", &[("invitation_id", &id)], "/projects")
        .await;
    let back = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        back.contains("You+dismissed+the+expired+invitation+to+Acme+Web"),
        "{back}"
    );
    assert!(grace
        .ok("my_invitations", &[])
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let page = members(&ada).await;
    assert!(page["pending"].as_array().unwrap().is_empty(), "{page}");
    assert_eq!(page["activity"][0]["kind"], "declined");
    // Dismissed once: a replayed post finds nothing.
    grace
        .fails(
            "decline_invitation",
            &[("invitation_id", &id)],
            StatusCode::NOT_FOUND,
        )
        .await;
}
