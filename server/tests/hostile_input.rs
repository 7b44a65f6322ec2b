//! Text that is not a slug or an id (NUL bytes, junk) is answered "not found" at parsing, the
//! same on SQLite and PostgreSQL (issue 13, item 4: PostgreSQL refused NUL with a 500).

mod support;

use reqwest::StatusCode;
use support::*;

#[tokio::test]
async fn nul_bytes_in_slugs_and_ids_are_not_found_on_every_database() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    invite(&ada, "grace@example.com", "member").await;

    for path in ["/p/a%00b", "/p/%00/members", "/p/acme-web%00/settings"] {
        let res = ada.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for slug in ["a\0b", "\0", "acme-web\0"] {
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
    for id in [
        "\0",
        "abc\0",
        "not-an-id",
        "00000000-0000-0000-0000-00000000000\0",
    ] {
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
    let res = EventStream::open(&ada.http, &format!("{}/events/p/a%00b", app.base), None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing changed.
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members").await,
        2,
        "Ada, in her two projects"
    );
}
