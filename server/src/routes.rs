//! The HTTP surface: pages (server-rendered Leptos routes), server functions under `/api`,
//! static assets, and `/healthz`.

use crate::operator::{self, OperatorTokens};
use crate::{assets, branding, events, guards, readable, render};
use app::{
    error::AppError,
    shell,
    ssr::{authorize::RequestMemberships, state::AppState},
    App,
};
use axum::http::{header, HeaderValue};
use axum::{
    body::Body,
    extract::{FromRef, State},
    http::{Request, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};
use std::sync::LazyLock;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

/// The largest body a server function accepts: a ticket message at its longest (10,000
/// characters, up to 12 bytes each once percent-encoded) fits; more is answered 413 before it
/// is read.
const BODY_LIMIT: usize = 128 * 1024;
/// Bodies that are not forms (a logo upload, the operator API's JSON) may be larger; forms are
/// held to `BODY_LIMIT` by `readable::form`.
const UPLOAD_LIMIT: usize = 640 * 1024;

/// The app's routes, listed once per process. Listing them runs the app with resource loading
/// suppressed by a process-wide flag (leptos#4773): a resource first polled by a page being served
/// meanwhile would wait forever. Tests start many servers in one process, so this must not repeat
/// once any server is serving.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

pub fn router(
    app: AppState,
    leptos_options: LeptosOptions,
    operator_tokens: OperatorTokens,
) -> Router {
    let state = ServerState {
        leptos_options,
        app: app.clone(),
    };
    let routes = ROUTES.clone();
    // Called once per request: the membership cache starts empty every time.
    let page_context = {
        let app = app.clone();
        move || {
            provide_context(app.clone());
            provide_context(RequestMemberships::default());
        }
    };
    let https = app.secure_cookies();
    let pkg = assets::Pkg::new(format!(
        "{}/{}",
        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
    ));
    let router = Router::new()
        .route("/healthz", get(healthz))
        .nest(
            "/api/operator/v1",
            operator::router(state.clone(), operator_tokens),
        )
        .route("/api/{*fn_name}", get(server_fn).post(server_fn))
        .route("/events/p/{slug}", get(events::project_events))
        .route("/events/me", get(events::person_events))
        .route("/brand/{slug}/logo.png", get(branding::logo))
        .route("/brand/{slug}/theme.css", get(branding::theme))
        .nest_service(
            "/pkg",
            tower::service_fn(move |req| {
                let pkg = pkg.clone();
                async move { Ok::<_, std::convert::Infallible>(pkg.serve(req).await) }
            }),
        )
        .leptos_routes_with_context(&state, routes, page_context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell))
        .layer(middleware::from_fn(with_error_status))
        .layer(middleware::from_fn(render::on_pool))
        .layer(middleware::from_fn_with_state(app.clone(), guards::session))
        .layer(middleware::from_fn_with_state(app, guards::csrf))
        .layer(middleware::from_fn(|req, next| {
            readable::form(req, next, BODY_LIMIT)
        }))
        .layer(middleware::from_fn(readable::address))
        // gzip for the WASM, JS, CSS, pages and JSON of browsers that ask for it; the default
        // predicate leaves event streams alone (it would hold events back) and tiny bodies.
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
        // Pages set their own policy (with the nonce of their scripts, `ssr::security`); every
        // other answer is never to be framed either.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Same-site pages still send it (a plain form post goes back to its page by it); no
        // address, with its tokens, leaves the site.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
    let router = if https {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    };
    router.layer(TraceLayer::new_for_http()).with_state(state)
}

async fn server_fn(State(state): State<ServerState>, req: Request<Body>) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(
        move || {
            provide_context(app.clone());
            provide_context(RequestMemberships::default());
        },
        req,
    )
    .await
}

/// A request the server function never ran for (arguments that do not deserialize: a missing
/// or mistyped field, invalid UTF-8, a body of another content type) is answered by server_fn
/// with 500 and the error in the body. Its status comes from the error instead (422 for those),
/// and the log names the cause.
async fn with_error_status(req: Request<Body>, next: middleware::Next) -> Response {
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    if !path.starts_with("/api/") || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
        if parts.status.is_client_error() {
            tracing::info!(path = %path, error = %err, "refused a malformed request");
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Up when the database answers.
async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.app.db).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
