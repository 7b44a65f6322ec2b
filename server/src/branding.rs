//! A project's logo and primary colour as the browser fetches them (seed 004): for its members
//! only, from the database (so every replica serves the same), with an ETag. The page names
//! them with their version in the address, so a browser keeps them until they change.

use crate::routes::ServerState;
use app::ssr::{
    session::SessionUser,
    store::{branding, projects},
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};

/// The membership behind a request, or the answer to give instead (404 for anyone who is not a
/// member, so a project's existence does not leak).
async fn member_of(
    state: &ServerState,
    user: Option<Extension<SessionUser>>,
    slug: &str,
) -> Result<projects::Membership, Response> {
    let Some(Extension(user)) = user else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    let Ok(slug) = app::domain::Slug::parse(slug) else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match projects::membership(&state.app.db, &slug, &user.user_id).await {
        Ok(Some(m)) => Ok(m),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(e) => {
            tracing::error!(error = %e, "branding: could not read the membership");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// `body` as `content_type` under `etag`, or 304 when the browser has it already.
fn cached(headers: &HeaderMap, etag: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    let tag = format!("\"{etag}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    // Members only: private. The page's address carries the version, so it may be kept.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    res
}

pub async fn logo(
    State(state): State<ServerState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let project = member_of(&state, user, &slug).await?;
    Ok(
        match branding::logo(&state.app.db, &project.project_id).await {
            Ok(Some((png, etag))) => cached(&headers, &etag, "image/png", png),
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => {
                tracing::error!(error = %e, "branding: could not read the logo");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        },
    )
}

/// The project's colours as a stylesheet (a style attribute would need `unsafe-inline` in the
/// page's content security policy).
pub async fn theme(
    State(state): State<ServerState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let project = member_of(&state, user, &slug).await?;
    // Stored only after `BrandColor::parse`; parsed again so nothing else reaches the CSS.
    let color = project
        .brand_color
        .as_deref()
        .and_then(|c| app::domain::BrandColor::parse(c).ok());
    let (css, etag) = match color {
        Some(c) => (
            format!(":root {{ --accent: {c}; }}\n"),
            c.as_str().trim_start_matches('#').to_owned(),
        ),
        None => (String::new(), "default".to_owned()),
    };
    Ok(cached(
        &headers,
        &etag,
        "text/css; charset=utf-8",
        css.into_bytes(),
    ))
}
