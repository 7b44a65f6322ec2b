//! Proven addresses (issue 9): an invitation reaches an account only when the account showed it
//! reads the invited address's mail. Each test performs an attack and asserts the refusal.

mod support;

use reqwest::{header, StatusCode};
use support::*;

const HOUR_MS: i64 = 3600 * 1000;

async fn confirmed(app: &TestApp, email: &str) -> bool {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT email_confirmed_at FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    at.is_some()
}

async fn sign_in(b: &Browser<'_>, email: &str) {
    b.ok("sign_in", &[("email", email), ("password", PASSWORD)])
        .await;
}

/// Ada invites newhire@corp.test as Admin; the invitation's id, read where the project sees it.
async fn admin_invitation(app: &TestApp) -> (Browser<'_>, String) {
    let ada = project_with_owner(app).await;
    invite(&ada, "newhire@corp.test", "admin").await;
    let id = pending_id(&members(&ada).await, "newhire@corp.test");
    (ada, id)
}

#[tokio::test]
async fn an_unproven_account_cannot_take_an_invitation_meant_for_its_address() {
    let app = spawn().await;
    let (_ada, id) = admin_invitation(&app).await;

    // Mallory registers the invited address without access to its mailbox, and signs in.
    let mallory = app.browser();
    mallory
        .sign_up_unconfirmed("Mallory", "newhire@corp.test")
        .await;
    sign_in(&mallory, "newhire@corp.test").await;
    let me = mallory.ok("current_user", &[]).await;
    assert_eq!(me["confirmed"], false);

    // Project Invitations shows nothing, and accepting by id is refused.
    assert_eq!(
        mallory.ok("my_invitations", &[]).await,
        serde_json::json!([])
    );
    let err = mallory
        .fails(
            "accept_invitation",
            &[("invitation_id", &id)],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(err.to_string().contains("Confirm your address"), "{err}");
    mallory
        .fails(
            "decline_invitation",
            &[("invitation_id", &id)],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id WHERE p.slug = 'acme-web'")
            .await,
        1,
        "nobody joined"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
            .await,
        1
    );
    mallory
        .fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn another_account_cannot_accept_an_invitation_for_someone_elses_address() {
    let app = spawn().await;
    let (_ada, id) = admin_invitation(&app).await;
    let token = invite_token(&app.mails_to("newhire@corp.test", 1).await[0]);
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;

    eve.fails(
        "accept_invitation",
        &[("invitation_id", &id)],
        StatusCode::NOT_FOUND,
    )
    .await;
    // Even holding the link: it names the invited address and stays pending.
    let landing = eve.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(
        landing["WrongAccount"]["invited"], "newhire@corp.test",
        "{landing}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
            .await,
        1
    );
    eve.fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn an_invitation_link_proves_the_address_it_was_sent_to_and_no_other() {
    let app = spawn().await;
    let (_ada, _) = admin_invitation(&app).await;
    let token = invite_token(&app.mails_to("newhire@corp.test", 1).await[0]);

    // The link's token with another address proves nothing: the ordinary answer.
    let eve = app.browser();
    let res = eve
        .call(
            "sign_up",
            &[
                ("name", "Eve"),
                ("email", "eve@example.com"),
                ("password", PASSWORD),
                ("next", &format!("/invite/{token}")),
            ],
        )
        .await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/signup/sent");
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    assert!(!confirmed(&app, "eve@example.com").await);

    // With the invited address it does: confirmed, signed in, and the link joins.
    let hire = app.browser();
    hire.sign_up_from_invitation("New Hire", "newhire@corp.test", &token)
        .await;
    assert!(confirmed(&app, "newhire@corp.test").await);
    let landing = hire.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["Joined"]["role"], "admin", "{landing}");
}

#[tokio::test]
async fn opening_an_invitation_link_proves_an_unconfirmed_accounts_address() {
    let app = spawn().await;
    let (_ada, _) = admin_invitation(&app).await;
    let hire = app.browser();
    hire.sign_up_unconfirmed("New Hire", "newhire@corp.test")
        .await;
    sign_in(&hire, "newhire@corp.test").await;
    let token = invite_token(
        &app.mails_to("newhire@corp.test", 2)
            .await
            .into_iter()
            .find(|m| m.text.contains("/invite/"))
            .unwrap(),
    );
    let landing = hire.ok("open_invitation", &[("token", &token)]).await;
    assert_eq!(landing["Joined"]["slug"], "acme-web", "{landing}");
    assert!(confirmed(&app, "newhire@corp.test").await);
}

#[tokio::test]
async fn a_confirmation_link_works_once_and_only_until_it_expires() {
    let app = spawn().await;
    let grace = app.browser();
    grace
        .sign_up_unconfirmed("Grace", "grace@example.com")
        .await;
    let mail = app.mails_to("grace@example.com", 1).await.pop().unwrap();
    let token = link_token(&mail, "/confirm/");

    // 256 bits, base64url; only its hash is stored.
    assert_eq!(token.len(), 43, "{token}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM email_confirmations")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored, app::ssr::session::hash_token(&token));

    // Opening the link only asks; a forged token is unknown.
    let shown = grace.ok("confirmation_address", &[("token", &token)]).await;
    assert_eq!(shown, "grace@example.com");
    assert!(!confirmed(&app, "grace@example.com").await);
    grace
        .fails(
            "confirm_email",
            &[
                ("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ("password", PASSWORD),
            ],
            StatusCode::NOT_FOUND,
        )
        .await;

    let res = grace.confirm(&token).await;
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/p/grace-s-project"
    );
    assert!(confirmed(&app, "grace@example.com").await);
    assert_eq!(grace.ok("current_user", &[]).await["confirmed"], true);
    // Replayed: refused.
    app.browser()
        .fails(
            "confirm_email",
            &[("token", &token), ("password", PASSWORD)],
            StatusCode::NOT_FOUND,
        )
        .await;

    // Another account's link, used after a day: expired, and nothing changes.
    let late = app.browser();
    late.sign_up_unconfirmed("Late", "late@example.com").await;
    let token = link_token(
        &app.mails_to("late@example.com", 1).await.pop().unwrap(),
        "/confirm/",
    );
    app.state.clock.advance(24 * HOUR_MS + 1);
    late.fails(
        "confirm_email",
        &[("token", &token), ("password", PASSWORD)],
        StatusCode::GONE,
    )
    .await;
    late.fails(
        "confirmation_address",
        &[("token", &token)],
        StatusCode::GONE,
    )
    .await;
    assert!(!confirmed(&app, "late@example.com").await);
}

#[tokio::test]
async fn a_new_link_replaces_the_old_one_and_resends_are_rate_limited() {
    let app = spawn().await;
    let grace = app.browser();
    grace
        .sign_up_unconfirmed("Grace", "grace@example.com")
        .await;
    sign_in(&grace, "grace@example.com").await;
    let first = link_token(
        &app.mails_to("grace@example.com", 1).await.pop().unwrap(),
        "/confirm/",
    );

    // Right after the sign-up's link: too soon.
    let err = grace
        .fails("resend_confirmation", &[], StatusCode::TOO_MANY_REQUESTS)
        .await;
    assert!(err.to_string().contains("less than a minute"), "{err}");

    app.state.clock.advance(61_000);
    grace.ok("resend_confirmation", &[]).await;
    let second = link_token(
        &app.mails_to("grace@example.com", 2).await.pop().unwrap(),
        "/confirm/",
    );
    assert_ne!(first, second);
    grace
        .fails(
            "confirm_email",
            &[("token", &first), ("password", PASSWORD)],
            StatusCode::NOT_FOUND,
        )
        .await;
    grace.confirm(&second).await;
    grace
        .fails("resend_confirmation", &[], StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    // Not signed in: nothing to resend to.
    app.browser()
        .fails("resend_confirmation", &[], StatusCode::UNAUTHORIZED)
        .await;
}

#[tokio::test]
async fn sign_up_cannot_flood_an_inbox() {
    let app = spawn().await;
    for i in 0..8 {
        let name = format!("Someone {i}");
        let res = app
            .browser()
            .call(
                "sign_up",
                &[
                    ("name", name.as_str()),
                    ("email", "victim@example.com"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        // Every answer is the ordinary one, so the limit tells nothing either.
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/signup/sent");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'victim@example.com'")
            .await,
        5
    );
    // An hour later the address gets mail again.
    app.state.clock.advance(HOUR_MS + 1);
    app.browser()
        .call(
            "sign_up",
            &[
                ("name", "Later"),
                ("email", "victim@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'victim@example.com'")
            .await,
        6
    );
}

#[tokio::test]
async fn a_squatter_cannot_have_the_real_owner_confirm_their_account() {
    // Mallory registers newhire@ (invited as Admin) with her own password, signs in, and asks
    // for a new link: the real owner of the mailbox receives a genuine "Confirm" email.
    let app = spawn().await;
    let (_ada, id) = admin_invitation(&app).await;
    let mallory = app.browser();
    mallory
        .call(
            "sign_up",
            &[
                ("name", "New Hire"),
                ("email", "newhire@corp.test"),
                ("password", "mallory's own password"),
            ],
        )
        .await;
    mallory
        .ok(
            "sign_in",
            &[
                ("email", "newhire@corp.test"),
                ("password", "mallory's own password"),
            ],
        )
        .await;
    let link = |app: &TestApp| {
        let mails = app.mails();
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.to.contains("newhire@corp.test") && m.text.contains("/confirm/"))
            .expect("a confirmation email")
            .clone();
        link_token(&mail, "/confirm/")
    };
    app.mails_to("newhire@corp.test", 2).await;
    let token = link(&app);

    // The owner clicks it: the link alone confirms nothing; their own password is not this
    // account's, so it is refused and the link still waits.
    let owner = app.browser();
    let err = owner
        .fails(
            "confirm_email",
            &[("token", &token), ("password", PASSWORD)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(field_message(&err, "password").is_some(), "{err}");
    owner
        .fails(
            "confirm_email",
            &[("token", &token)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(!confirmed(&app, "newhire@corp.test").await);
    assert_eq!(mallory.ok("current_user", &[]).await["confirmed"], false);
    mallory
        .fails(
            "accept_invitation",
            &[("invitation_id", &id)],
            StatusCode::FORBIDDEN,
        )
        .await;

    // Confirmed with the account's password, every older session of it ends.
    let confirmer = app.browser();
    confirmer
        .ok(
            "confirm_email",
            &[("token", &token), ("password", "mallory's own password")],
        )
        .await;
    assert!(
        mallory.ok("current_user", &[]).await.is_null(),
        "older session ended"
    );
    assert_eq!(confirmer.ok("current_user", &[]).await["confirmed"], true);
}
