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
