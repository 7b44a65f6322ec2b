//! SSH keys (issue 10; seed 001 "SSH configuration"): roles that manage services add and
//! remove keys, roles that see services see them, the Accountant neither; what is not a public
//! key (a private key, junk, a weak key, a duplicate) is refused with the reason; another
//! project's key is not there; the back office reads them.

mod support;

use reqwest::{Method, StatusCode};
use support::*;

const ED25519: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti foo@bar.com";

#[tokio::test]
async fn keys_are_parsed_fingerprinted_and_refused_as_they_should_be() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let ken = join(&app, &ada, "Ken", "ken@example.com", "accountant").await;

    ken.fails("ssh_keys", &[("slug", "acme-web")], StatusCode::FORBIDDEN)
        .await;
    ken.fails(
        "add_ssh_key",
        &[("slug", "acme-web"), ("name", ""), ("public_key", ED25519)],
        StatusCode::FORBIDDEN,
    )
    .await;
    // The Developer adds one; no name given, so the key's comment names it.
    dennis
        .ok(
            "add_ssh_key",
            &[
                ("slug", "acme-web"),
                ("name", ""),
                ("public_key", &format!("\n {ED25519}\n")),
            ],
        )
        .await;
    let keys = ada.ok("ssh_keys", &[("slug", "acme-web")]).await;
    let key = &keys["keys"][0];
    assert_eq!(key["name"], "foo@bar.com");
    assert_eq!(key["algorithm"], "ssh-ed25519");
    assert!(key["fingerprint"].as_str().unwrap().starts_with("SHA256:"));
    assert_eq!(key["added_by"], "Dennis");
    let id = key["id"].as_str().unwrap().to_owned();

    for (public_key, says) in [
        (ED25519, "has this key already"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
            "private key",
        ),
        ("ssh-ed25519 AAAA", "not an SSH public key"),
        ("", "Paste the public key"),
    ] {
        let err = ada
            .call(
                "add_ssh_key",
                &[
                    ("slug", "acme-web"),
                    ("name", "x"),
                    ("public_key", public_key),
                ],
            )
            .await;
        assert!(err.status().is_client_error());
        let body = err.text().await.unwrap();
        assert!(body.contains(says), "{says}: {body}");
        assert!(body.contains("public_key"), "names the field: {body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM ssh_keys").await, 1);

    // The back office reads it, ready for authorized_keys.
    let (status, listed) = operator(
        &app,
        Method::GET,
        "/projects/acme-web/ssh-keys",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(listed[0]["public_key"]
        .as_str()
        .unwrap()
        .starts_with("ssh-ed25519 AAAA"));
    assert!(!listed[0]["public_key"]
        .as_str()
        .unwrap()
        .contains("foo@bar.com"));

    // Eve cannot remove it, from her project or from Ada's.
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.ok("create_project", &[("name", "Eve Shop"), ("slug", "")])
        .await;
    for slug in ["acme-web", "eve-shop"] {
        eve.fails(
            "remove_ssh_key",
            &[("slug", slug), ("id", &id)],
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    ken.fails(
        "remove_ssh_key",
        &[("slug", "acme-web"), ("id", &id)],
        StatusCode::FORBIDDEN,
    )
    .await;
    dennis
        .ok("remove_ssh_key", &[("slug", "acme-web"), ("id", &id)])
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM ssh_keys").await, 0);
    let log = members(&ada).await.to_string();
    assert!(log.contains("ssh_key_added") && log.contains("ssh_key_removed"));
}
