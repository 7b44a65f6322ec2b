//! Invitations die with their sender's rights (issue 9, item 3): an invitation stands on the
//! rights of whoever sent it (or last resent or re-roled it), so losing those rights, or the
//! membership, takes the invitation with it.

mod support;

use reqwest::StatusCode;
use support::*;

async fn pending(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as("SELECT email, role FROM invitations WHERE status = 'pending' ORDER BY email")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn demoting_a_member_cancels_the_invitations_their_new_role_could_not_send() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "owner").await;
    invite(&bob, "x@example.com", "owner").await;
    invite(&bob, "y@example.com", "admin").await;
    let x_link = invite_token(&app.mails_to("x@example.com", 1).await[0]);

    let bob_id = user_id(&members(&ada).await, "Bob");
    let question = ada
        .fails(
            "change_role",
            &[
                ("slug", "acme-web"),
                ("user_id", &bob_id),
                ("role", "admin"),
            ],
            StatusCode::CONFLICT,
        )
        .await;
    let answer = field_message(&question, "confirmation").unwrap();
    ada.ok(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", &bob_id),
            ("role", "admin"),
            ("confirmation", &answer),
        ],
    )
    .await;
    // An Admin may invite Admins, not Owners: only the Owner invitation goes.
    assert_eq!(
        pending(&app).await,
        vec![("y@example.com".to_owned(), "admin".to_owned())]
    );
    let page = members(&ada).await;
    assert!(
        page["activity"].to_string().contains("x@example.com"),
        "the cancellation is in the activity log: {page}"
    );
    // Its link is dead: signing up from it proves nothing and joins nothing.
    let x = app.browser();
    let landing = x.ok("open_invitation", &[("token", &x_link)]).await;
    assert!(landing["Unavailable"].is_object(), "{landing}");

    // Demoted to Member (who invites nobody): the rest goes too.
    ada.ok(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", &bob_id),
            ("role", "member"),
        ],
    )
    .await;
    assert!(pending(&app).await.is_empty());
}

#[tokio::test]
async fn an_invitation_from_someone_who_lost_the_right_is_void_when_accepted() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    invite(&bob, "eve@example.com", "admin").await;
    let token = invite_token(&app.mails_to("eve@example.com", 1).await[0]);
    // Bob's role drops outside the rules' path (data from before invitations were cancelled
    // on demotion): accepting checks again.
    sqlx::query("UPDATE members SET role = 'developer' WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.com')")
        .execute(&app.state.db)
        .await
        .unwrap();

    let eve = app.browser();
    eve.sign_up_from_invitation("Eve", "eve@example.com", &token)
        .await;
    let landing = eve.ok("open_invitation", &[("token", &token)]).await;
    let message = landing["Unavailable"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("no longer valid"), "{landing}");
    assert!(pending(&app).await.is_empty(), "the invitation is void");
    eve.fails("members", &[("slug", "acme-web")], StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn a_removed_member_cannot_rejoin_through_an_invitation_they_sent() {
    // GitLab #26801: an admin invites a second address of their own, is removed, and accepts.
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    invite(&bob, "bob.other@example.com", "admin").await;
    let token = invite_token(&app.mails_to("bob.other@example.com", 1).await[0]);
    let bob_id = user_id(&members(&ada).await, "Bob");
    ada.ok(
        "remove_member",
        &[("slug", "acme-web"), ("user_id", &bob_id)],
    )
    .await;

    let other = app.browser();
    let res = other
        .call(
            "sign_up",
            &[
                ("name", "Bob Again"),
                ("email", "bob.other@example.com"),
                ("password", PASSWORD),
                ("next", &format!("/invite/{token}")),
            ],
        )
        .await;
    // The link proves nothing any more: the ordinary sign-up answer, no session.
    assert_eq!(
        res.headers().get(reqwest::header::LOCATION).unwrap(),
        "/signup/sent"
    );
    let landing = other.ok("open_invitation", &[("token", &token)]).await;
    assert!(landing["Unavailable"].is_object(), "{landing}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id WHERE p.slug = 'acme-web'")
            .await,
        1
    );
}

#[tokio::test]
async fn whoever_raises_an_invitations_role_vouches_for_it() {
    // A Member cannot invite; an Admin can. Bob (Admin) invites as Member, Ada (Owner) raises it
    // to Admin, Bob is then demoted: the invitation stands on Ada's rights now and survives.
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let bob = join(&app, &ada, "Bob", "bob@example.com", "admin").await;
    invite(&bob, "eve@example.com", "member").await;
    let id = pending_id(&members(&ada).await, "eve@example.com");
    ada.ok(
        "change_invitation_role",
        &[
            ("slug", "acme-web"),
            ("invitation_id", &id),
            ("role", "admin"),
        ],
    )
    .await;
    let bob_id = user_id(&members(&ada).await, "Bob");
    ada.ok(
        "change_role",
        &[
            ("slug", "acme-web"),
            ("user_id", &bob_id),
            ("role", "member"),
        ],
    )
    .await;
    assert_eq!(
        pending(&app).await,
        vec![("eve@example.com".to_owned(), "admin".to_owned())]
    );
}
