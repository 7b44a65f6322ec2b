//! Checks every request passes before it reaches a page or a server function.

use app::ssr::{
    request::safe_next,
    session::{hash_token, token_from_cookie_header},
    state::AppState,
    store::sessions,
};
use axum::{
    body::Body,
    extract::State,
    http::{header, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

/// Refuses state-changing requests that a browser sent from another site. Server functions are
/// POSTs, so this covers every write. Browsers say where a request comes from in
/// `Sec-Fetch-Site`; older ones only in `Origin`, which must then be Roster's own.
pub async fn csrf(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    // The operator API is not called by browsers and carries no cookie: its bearer token is
    // what a forged cross-site request cannot have.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.uri().path().starts_with("/api/operator/")
    {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "same-origin" || v == "none");
    let origin_ok = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|o| o == state.public_origin());
    if fetch_site_ok || origin_ok {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        (
            StatusCode::FORBIDDEN,
            "This request did not come from a Roster page, so it was refused.",
        )
            .into_response()
    }
}

/// Attaches the signed-in person (if any) to the request, and sends people who are not signed in
/// from account pages to the sign-in page (and back afterwards).
pub async fn session(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/pkg/") || path == "/healthz" || path == "/favicon.ico" {
        return next.run(req).await;
    }
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(token_from_cookie_header);
    let mut signed_in = false;
    if let Some(token) = token {
        match sessions::resolve(&state.db, &hash_token(&token), state.clock.now_ms()).await {
            Ok(Some(user)) => {
                signed_in = true;
                req.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "could not read the session");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Roster is temporarily unavailable.",
                )
                    .into_response();
            }
        }
    }
    if req.method() == Method::GET {
        let needs_account =
            path == "/projects" || path.starts_with("/projects/") || path.starts_with("/p/");
        if needs_account && !signed_in {
            let next = req
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or(path);
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &next)
                .finish();
            return Redirect::to(&format!("/signin?{query}")).into_response();
        }
        if signed_in && (path == "/" || path == "/signin" || path == "/signup") {
            let next = url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
                .find(|(k, _)| k == "next")
                .map(|(_, v)| v.into_owned());
            return Redirect::to(&safe_next(next.as_deref())).into_response();
        }
    }
    next.run(req).await
}
