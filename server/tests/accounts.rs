//! Sign-up, sign-in, sessions and CSRF, against the real server.

mod support;

use reqwest::{header, StatusCode};
use support::*;

#[tokio::test]
async fn sign_up_creates_the_account_its_first_project_and_a_session() {
    let app = spawn().await;
    let browser = app.browser();
    let email = unique_email("ada");
    let res = browser.sign_up("Ada Lovelace", &email).await;

    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("roster_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/p/ada-lovelace-s-project",
        "lands on the first project's dashboard"
    );

    let me = browser.ok("current_user", &[]).await;
    assert_eq!(me["name"], "Ada Lovelace");
    assert_eq!(me["email"], email);

    let projects = browser.ok("projects", &[]).await;
    let yours = projects["yours"].as_array().unwrap();
    assert_eq!(yours.len(), 1);
    assert_eq!(yours[0]["name"], "Ada Lovelace's project");
    assert_eq!(yours[0]["role"], "owner");
    assert!(projects["shared"].as_array().unwrap().is_empty());

    // Only the token's hash is stored.
    let token = cookie
        .trim_start_matches("roster_session=")
        .split(';')
        .next()
        .unwrap();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored, app::ssr::session::hash_token(token));
}

#[tokio::test]
async fn sign_up_reports_every_bad_field_and_writes_nothing() {
    let app = spawn().await;
    let browser = app.browser();
    let err = browser
        .fails(
            "sign_up",
            &[
                ("name", "   "),
                ("email", "not-an-email"),
                ("password", "short"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_message(&err, "name").unwrap(), "Enter your name.");
    assert!(field_message(&err, "email")
        .unwrap()
        .contains("not a valid email"));
    assert!(field_message(&err, "password")
        .unwrap()
        .contains("at least 10"));
    let long_password = "x".repeat(1025);
    let err = browser
        .fails(
            "sign_up",
            &[
                ("name", "Ada"),
                ("email", "ada@example.com"),
                ("password", &long_password),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(field_message(&err, "password")
        .unwrap()
        .contains("at most 1024"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects").await, 0);
}

#[tokio::test]
async fn signing_up_with_a_registered_address_answers_like_a_new_sign_up_and_tells_its_owner() {
    let app = spawn().await;
    app.browser().sign_up("Ada", "ada@example.com").await;
    let before = app.mails_to_count("ada@example.com");

    let form = |name: &'static str, email: &'static str| {
        [
            ("name", name),
            ("email", email),
            ("password", "another long password"),
        ]
    };
    let new = app
        .browser()
        .call("sign_up", &form("Eve", "eve@example.com"))
        .await;
    let taken = app
        .browser()
        .call("sign_up", &form("Ada Again", "  ADA@Example.com "))
        .await;
    // Nothing in the answer tells the two apart: status, headers that matter, body.
    assert_eq!(new.status(), taken.status());
    for name in [header::LOCATION, header::SET_COOKIE] {
        assert_eq!(
            new.headers().get(&name),
            taken.headers().get(&name),
            "{name}"
        );
    }
    assert!(taken.headers().get(header::SET_COOKIE).is_none());
    assert_eq!(new.text().await.unwrap(), taken.text().await.unwrap());

    // The owner of the address hears about it, with no link that changes anything.
    let note = app
        .mails_to("ada@example.com", before + 1)
        .await
        .pop()
        .unwrap();
    assert!(
        note.subject.contains("tried to create a Roster account"),
        "{note:?}"
    );
    assert!(!note.text.contains("/confirm/"), "{}", note.text);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
    let name: String = sqlx::query_scalar("SELECT name FROM users WHERE email = 'ada@example.com'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(name, "Ada", "the existing account is untouched");
    // The stranger's password does not open Ada's account.
    app.browser()
        .fails(
            "sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", "another long password"),
            ],
            StatusCode::UNAUTHORIZED,
        )
        .await;
}

#[tokio::test]
async fn wrong_credentials_get_one_answer_whether_or_not_the_account_exists() {
    let app = spawn().await;
    app.browser().sign_up("Ada", "ada@example.com").await;
    let browser = app.browser();
    let wrong_password = browser
        .call(
            "sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    let no_account = browser
        .call(
            "sign_in",
            &[
                ("email", "nobody@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(no_account.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong_password.headers().get(header::SET_COOKIE).is_none());
    let (a, b) = (
        wrong_password.text().await.unwrap(),
        no_account.text().await.unwrap(),
    );
    assert_eq!(a, b);
    assert!(a.contains("BadCredentials"), "{a}");
    let me = browser.ok("current_user", &[]).await;
    assert!(me.is_null());
}

#[tokio::test]
async fn sign_in_issues_a_new_session_and_sign_out_ends_it() {
    let app = spawn().await;
    let first = app.browser();
    first.sign_up("Ada", "ada@example.com").await;

    let second = app.browser();
    let res = second
        .call(
            "sign_in",
            &[("email", "Ada@Example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/projects");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);

    // Signing in again from the same browser replaces its session rather than adding one.
    second
        .ok(
            "sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);

    let res = second.call("sign_out", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cleared = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    assert!(second.ok("current_user", &[]).await.is_null());
    // The other browser is still signed in.
    assert_eq!(first.ok("current_user", &[]).await["name"], "Ada");
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let app = spawn().await;
    let browser = app.browser();
    browser.sign_up("Ada", "ada@example.com").await;
    app.state.clock.advance(6 * 24 * 3600 * 1000);
    assert_eq!(browser.ok("current_user", &[]).await["name"], "Ada");
    // Used a day ago: still alive. Idle for more than seven days: gone.
    app.state.clock.advance(8 * 24 * 3600 * 1000);
    assert!(browser.ok("current_user", &[]).await.is_null());
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    browser
        .fails("projects", &[], StatusCode::UNAUTHORIZED)
        .await;
}

#[tokio::test]
async fn sessions_expire_after_thirty_days_however_busy() {
    let app = spawn().await;
    let browser = app.browser();
    browser.sign_up("Ada", "ada@example.com").await;
    for _ in 0..6 {
        app.state.clock.advance(5 * 24 * 3600 * 1000);
        browser.ok("current_user", &[]).await;
    }
    app.state.clock.advance(24 * 3600 * 1000);
    assert!(browser.ok("current_user", &[]).await.is_null());
}

#[tokio::test]
async fn cookies_are_secure_when_served_over_https() {
    let app =
        spawn_with(|c| c.public_url = Some("https://roster.example.com".parse().unwrap())).await;
    assert_eq!(app.origin, "https://roster.example.com");
    let res = app.browser().sign_up("Ada", "ada@example.com").await;
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.starts_with("__Host-roster_session="), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[tokio::test]
async fn every_answer_carries_the_browser_hardening_headers() {
    let app = spawn().await;
    let ada = app.browser();
    ada.sign_up("Ada", "ada@example.com").await;
    let page = ada.get("/p/ada-s-project/members").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    // Scripts: this site, and inline ones carrying this response's nonce, which Leptos's are.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let inline_scripts = html.matches("<script").count();
    let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(inline_scripts > 0);
    assert_eq!(
        inline_scripts, with_nonce,
        "every script carries the nonce: {html}"
    );
    // A second page gets another nonce.
    let again = ada.get("/projects").await;
    let csp2 = again.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(!csp2.contains(nonce), "{csp2}");
    // Any answer, page or not.
    for path in ["/p/ada-s-project", "/healthz", "/signin"] {
        let res = ada.get(path).await;
        let h = res.headers();
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{path}");
        assert!(
            h[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "plain http: no HSTS"
        );
    }
}

#[tokio::test]
async fn https_adds_strict_transport_security() {
    let app =
        spawn_with(|c| c.public_url = Some("https://roster.example.com".parse().unwrap())).await;
    let res = app.browser().get("/healthz").await;
    assert!(res.headers()[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = spawn().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/sign_up", app.base);
    let form = [
        ("name", "Mallory"),
        ("email", "m@example.com"),
        ("password", PASSWORD),
    ];

    let no_headers = http.post(&url).form(&form).send().await.unwrap();
    assert_eq!(no_headers.status(), StatusCode::FORBIDDEN);
    let other_origin = http
        .post(&url)
        .header(header::ORIGIN, "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(other_origin.status(), StatusCode::FORBIDDEN);
    let cross_site = http
        .post(&url)
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    let same_origin = http
        .post(&url)
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn a_plain_form_post_returns_to_the_form_with_the_error_and_what_was_typed() {
    let app = spawn().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = http
        .post(format!("{}/api/sign_up", app.base))
        .header("Sec-Fetch-Site", "same-origin")
        .header(header::ACCEPT, "text/html")
        .header(
            header::REFERER,
            format!("{}/signup?next=%2Fprojects", app.base),
        )
        .form(&[
            ("name", "Ada"),
            ("email", "ada@nowhere"),
            ("password", "secret-password-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res
        .headers()
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(location.starts_with("/signup?"), "{location}");
    assert!(location.contains("next=%2Fprojects"), "{location}");
    assert!(location.contains("__err="), "{location}");
    assert!(location.contains("email=ada%40nowhere"), "{location}");
    assert!(location.contains("name=Ada"), "{location}");
    assert!(
        !location.contains("secret-password"),
        "never echo a password: {location}"
    );

    // The page it returns to shows the message next to the field and keeps the typed value.
    let page = http
        .get(format!("{}{location}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("is not a valid email address"), "{page}");
    assert!(page.contains("value=\"ada@nowhere\""), "{page}");
}

#[tokio::test]
async fn pages_that_need_an_account_send_you_to_sign_in_and_back() {
    let app = spawn().await;
    let browser = app.browser();
    let res = browser.get("/projects").await;
    assert!(res.status().is_redirection());
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/signin?next=%2Fprojects"
    );
    let res = browser.get("/p/anything/settings").await;
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        "/signin?next=%2Fp%2Fanything%2Fsettings"
    );

    browser.sign_up("Ada", "ada@example.com").await;
    let res = browser
        .call(
            "sign_in",
            &[
                ("email", "ada@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/projects");
    let page = browser.get("/projects").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Ada&#x27;s project") || html.contains("Ada's project"),
        "{html}"
    );
}

#[tokio::test]
async fn health_check_answers() {
    let app = spawn().await;
    let res = app.browser().get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_whatever_the_password() {
    let app = spawn().await;
    app.browser().sign_up("Ada", "ada@example.com").await;
    let limit = app::ssr::throttle::RateLimits::default().sign_in_per_account;
    let mallory = app.browser();
    // Confirming the address checked Ada's password once: that was her first attempt.
    for _ in 1..limit {
        mallory
            .fails(
                "sign_in",
                &[
                    ("email", "ada@example.com"),
                    ("password", "guess guess guess"),
                ],
                StatusCode::UNAUTHORIZED,
            )
            .await;
    }
    // The bucket is empty: even the right password waits, and the answer says how long.
    let res = app
        .browser()
        .call(
            "sign_in",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "60");
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Too many sign-in attempts for this account"));
    // Another account is not held back.
    app.browser().sign_up("Grace", "grace@example.com").await;
    app.browser()
        .ok(
            "sign_in",
            &[("email", "grace@example.com"), ("password", PASSWORD)],
        )
        .await;
}

#[tokio::test]
async fn sign_in_and_sign_up_are_throttled_per_client_address() {
    let app = spawn_with(|c| {
        c.rate_limits.sign_in_per_ip = 3;
        c.rate_limits.sign_up_per_ip = 2;
    })
    .await;
    let b = app.browser();
    for i in 0..3 {
        let email = format!("nobody{i}@example.com");
        b.fails(
            "sign_in",
            &[("email", &email), ("password", PASSWORD)],
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let err = b
        .fails(
            "sign_in",
            &[("email", "nobody9@example.com"), ("password", PASSWORD)],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    assert!(err.to_string().contains("from your network"), "{err}");

    for i in 0..2 {
        b.sign_up_unconfirmed("Someone", &format!("new{i}@example.com"))
            .await;
    }
    b.fails(
        "sign_up",
        &[
            ("name", "One More"),
            ("email", "new9@example.com"),
            ("password", PASSWORD),
        ],
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}
