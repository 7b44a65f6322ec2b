//! A project's appearance (issue 12; seed 004): the primary colour and the logo, set by those
//! who edit settings, served to members only with an ETag; a colour white text cannot be read
//! on, SVG, junk, oversized files and other roles are refused and change nothing.

mod support;

use image::{DynamicImage, ImageFormat, RgbaImage};
use reqwest::{header, multipart, StatusCode};
use std::io::Cursor;
use support::*;

const SLUG: &str = "acme-web";

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = DynamicImage::ImageRgba8(RgbaImage::from_pixel(
        width,
        height,
        image::Rgba([11, 110, 79, 255]),
    ));
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

async fn upload(b: &Browser<'_>, file: Vec<u8>, name: &str) -> (StatusCode, String) {
    let form = multipart::Form::new().text("slug", SLUG).part(
        "logo",
        multipart::Part::bytes(file).file_name(name.to_owned()),
    );
    let res = b
        .http
        .post(format!("{}/api/upload_logo", b.app.base))
        .header(header::ORIGIN, &b.app.origin)
        .header(header::ACCEPT, "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn fetch(b: &Browser<'_>, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut req = b.http.get(format!("{}{path}", b.app.base));
    if let Some(tag) = etag {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_primary_colour_must_keep_white_text_readable() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let css = fetch(&ada, "/brand/acme-web/theme.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(
        css.text().await.unwrap(),
        "",
        "Roster's own colour by default"
    );

    let err = ada
        .fails(
            "set_brand_color",
            &[("slug", SLUG), ("color", "#FFD700")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let message = field_message(&err, "color").unwrap();
    assert!(
        message.contains("1.4") && message.contains("4.5:1"),
        "{message}"
    );
    for junk in [
        "blue",
        "#12345",
        "#GGGGGG",
        "#1F5FBF; } body { display: none",
    ] {
        ada.fails(
            "set_brand_color",
            &[("slug", SLUG), ("color", junk)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    grace
        .fails(
            "set_brand_color",
            &[("slug", SLUG), ("color", "#1F5FBF")],
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE brand_color IS NOT NULL")
            .await,
        0
    );

    ada.ok("set_brand_color", &[("slug", SLUG), ("color", "#0b6e4f")])
        .await;
    let project = ada.ok("project", &[("slug", SLUG)]).await;
    assert_eq!(project["brand_color"], "#0B6E4F");
    let css = fetch(&grace, "/brand/acme-web/theme.css", None).await;
    let etag = css.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(
        css.headers()[header::CONTENT_TYPE],
        "text/css; charset=utf-8"
    );
    assert_eq!(css.text().await.unwrap(), ":root { --accent: #0B6E4F; }\n");
    let again = fetch(&grace, "/brand/acme-web/theme.css", Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Empty: Roster's own again. Each change is in the log.
    ada.ok("set_brand_color", &[("slug", SLUG), ("color", "")])
        .await;
    let project = ada.ok("project", &[("slug", SLUG)]).await;
    assert!(project["brand_color"].is_null(), "{project}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE kind = 'brand_color_changed'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_logo_is_checked_re_encoded_and_served_to_members_only() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;

    // Refused, each with its reason, and nothing stored.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec();
    for (file, name, status, why) in [
        (svg, "logo.svg", StatusCode::UNPROCESSABLE_ENTITY, "SVG"),
        (
            b"GIF89a".to_vec(),
            "logo.gif",
            StatusCode::UNPROCESSABLE_ENTITY,
            "PNG, JPEG or WebP",
        ),
        (
            Vec::new(),
            "empty.png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose",
        ),
        (
            vec![7u8; 600 * 1024],
            "big.png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "at most 512 KB",
        ),
        (
            vec![7u8; 700 * 1024],
            "huge.png",
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
    ] {
        let (got, body) = upload(&ada, file, name).await;
        assert_eq!(got, status, "{name}: {body}");
        assert!(body.contains(why), "{name}: {body}");
    }
    let (got, _) = upload(&grace, png(64, 64), "logo.png").await;
    assert_eq!(
        got,
        StatusCode::FORBIDDEN,
        "a Team Member does not edit settings"
    );
    let (got, _) = upload(&eve, png(64, 64), "logo.png").await;
    assert_eq!(got, StatusCode::NOT_FOUND, "not a member");
    assert_eq!(app.count("SELECT COUNT(*) FROM project_logos").await, 0);
    assert_eq!(
        fetch(&ada, "/brand/acme-web/logo.png", None).await.status(),
        StatusCode::NOT_FOUND
    );

    // A large PNG is scaled to fit 256 × 256 and served as what was checked.
    let (got, body) = upload(&ada, png(1024, 512), "logo.png").await;
    assert_eq!(got, StatusCode::OK, "{body}");
    let project = grace.ok("project", &[("slug", SLUG)]).await;
    let version = project["logo"].as_str().unwrap().to_owned();
    let served = fetch(&grace, "/brand/acme-web/logo.png", None).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        served.headers()[header::ETAG].to_str().unwrap(),
        format!("\"{version}\"")
    );
    assert!(served.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .starts_with("private"));
    let back = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((back.width(), back.height()), (256, 128));
    let again = fetch(
        &grace,
        "/brand/acme-web/logo.png",
        Some(&format!("\"{version}\"")),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Members only: another account, and nobody signed in, get nothing.
    assert_eq!(
        fetch(&eve, "/brand/acme-web/logo.png", None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fetch(&app.browser(), "/brand/acme-web/logo.png", None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // Remove: the default is back.
    grace
        .fails("remove_logo", &[("slug", SLUG)], StatusCode::FORBIDDEN)
        .await;
    ada.ok("remove_logo", &[("slug", SLUG)]).await;
    assert_eq!(
        fetch(&grace, "/brand/acme-web/logo.png", None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE kind = 'logo_changed'")
            .await,
        2
    );
}
