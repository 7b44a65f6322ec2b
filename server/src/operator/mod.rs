//! The operator API (`/api/operator/v1`, issue 10): how the hosting company's back office sets
//! up its customers' services, carries out the operations they ask for, and reads and answers
//! their support tickets. JSON, bearer tokens from `OPERATOR_TOKEN`
//! (compared in constant time; none configured means 401 to everything, this document
//! included), described by the OpenAPI document at `/api/operator/v1/openapi.json`, which is
//! generated from the handlers below and cannot drift from them.
//!
//! The back office's writes go through the same rules as the members' (`app::ssr::tickets`,
//! `app::ssr::services`): the project lock, the activity log, and the live event that shows
//! the change on every open page. Create calls take an `Idempotency-Key` (`idempotency.rs`).

mod idempotency;
mod invoices;
mod projects;
mod services;
mod tickets;

use crate::routes::ServerState;
use app::{domain::Slug, error::AppError, ssr::store::projects as project_store};
use axum::{
    extract::{FromRequest, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use subtle::ConstantTimeEq;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    OpenApi, ToSchema,
};

/// The accepted tokens, kept as SHA-256 digests: every comparison is of 32 bytes, made in
/// constant time and against every token, so neither a token's length nor how much of it
/// matched shows in the time an answer takes.
#[derive(Clone, Default)]
pub struct OperatorTokens(Arc<Vec<[u8; 32]>>);

impl OperatorTokens {
    pub fn new(tokens: &[String]) -> Self {
        Self(Arc::new(
            tokens.iter().map(|t| Sha256::digest(t).into()).collect(),
        ))
    }

    fn admits(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        let mut admitted = subtle::Choice::from(0);
        for token in self.0.iter() {
            admitted |= token.ct_eq(&digest);
        }
        bool::from(admitted)
    }
}

/// Every error of this API: its status and `{"error": "…"}`.
#[derive(Debug)]
pub(crate) struct ApiError(StatusCode, String);

#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// What went wrong, in words.
    error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(ErrorBody { error: self.1 })).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        if matches!(e, AppError::Internal) {
            tracing::error!("operator API: internal error");
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // A field's error names the field, as this API's own checks do ("number: …").
        let message = match &e {
            AppError::Invalid(errors) | AppError::Conflict(errors) => errors
                .iter()
                .map(|f| match f.field.as_str() {
                    "" => f.message.clone(),
                    field => format!("{field}: {}", f.message),
                })
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        ApiError(status, message)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

pub(crate) fn invalid(field: &str, message: String) -> ApiError {
    ApiError(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("{field}: {message}"),
    )
}

/// A JSON body whose rejection (wrong content type, malformed JSON, a missing field) is
/// answered in this API's error shape.
pub(crate) struct Body<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(ApiError(rejection.status(), rejection.body_text())),
        }
    }
}

async fn authenticate(State(tokens): State<OperatorTokens>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if tokens.admits(token) => next.run(req).await,
        _ => {
            let mut res = ApiError(
                StatusCode::UNAUTHORIZED,
                "A valid operator token is required (Authorization: Bearer …).".into(),
            )
            .into_response();
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            res
        }
    }
}

/// The routes, under `/api/operator/v1`.
pub fn router(state: ServerState, tokens: OperatorTokens) -> Router<ServerState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/projects/{slug}", get(projects::get_project))
        .route("/projects/{slug}/ssh-keys", get(projects::list_ssh_keys))
        .route(
            "/projects/{slug}/services",
            get(services::list_services).post(services::create_service),
        )
        .route(
            "/services/{id}",
            put(services::update_service).delete(services::delete_service),
        )
        .route("/operations", get(services::list_operations))
        .route("/operations/{id}", put(services::advance_operation))
        .route(
            "/projects/{slug}/invoices",
            get(invoices::list_invoices).post(invoices::create_invoice),
        )
        .route("/invoices/{id}/status", put(invoices::set_invoice_status))
        .route("/payments", get(invoices::list_payments))
        .route("/payments/{id}", put(invoices::answer_payment))
        .route(
            "/projects/{slug}/payment-method",
            put(invoices::set_payment_method),
        )
        .route("/projects/{slug}/tickets", get(tickets::list_tickets))
        .route(
            "/projects/{slug}/tickets/{number}",
            get(tickets::get_ticket),
        )
        .route(
            "/projects/{slug}/tickets/{number}/replies",
            post(tickets::post_reply),
        )
        .route(
            "/projects/{slug}/tickets/{number}/status",
            put(tickets::put_status),
        )
        // Inside the token check: an unauthenticated call never reaches the key store.
        .layer(middleware::from_fn_with_state(state, idempotency::remember))
        .layer(middleware::from_fn_with_state(tokens, authenticate))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster operator API",
        version = "1",
        description = "How the hosting company's back office sets up its customers' services, \
                       carries out the operations they ask for, bills them, answers their \
                       payments, and reads and answers their support tickets. Every call needs `Authorization: Bearer <token>` with a \
                       token from the server's OPERATOR_TOKEN. POST calls accept an \
                       `Idempotency-Key` header: a retry with the same key and body gets the \
                       first answer (header `Idempotent-Replayed: true`) instead of acting twice."
    ),
    servers((url = "/api/operator/v1")),
    paths(
        projects::get_project,
        projects::list_ssh_keys,
        services::list_services,
        services::create_service,
        services::update_service,
        services::delete_service,
        services::list_operations,
        services::advance_operation,
        invoices::list_invoices,
        invoices::create_invoice,
        invoices::set_invoice_status,
        invoices::list_payments,
        invoices::answer_payment,
        invoices::set_payment_method,
        tickets::list_tickets,
        tickets::get_ticket,
        tickets::post_reply,
        tickets::put_status
    ),
    components(schemas(ErrorBody)),
    modifiers(&Bearer),
    security(("bearer" = []))
)]
struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A message from the back office for members to read (why an operation or payment failed):
/// one line of up to 500 characters; empty means none.
pub(crate) fn message(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    match raw.map(str::trim) {
        Some(m) if m.chars().count() > 500 => {
            Err(invalid("message", "At most 500 characters.".into()))
        }
        Some(m) if m.chars().any(char::is_control) => Err(invalid(
            "message",
            "One line, no control characters.".into(),
        )),
        Some("") | None => Ok(None),
        Some(m) => Ok(Some(m.to_owned())),
    }
}

/// The project at `slug`; a slug that does not parse names none.
pub(crate) async fn project_id(state: &ServerState, slug: &str) -> Result<String, ApiError> {
    let missing = || {
        ApiError(
            StatusCode::NOT_FOUND,
            format!("There is no project at {slug}."),
        )
    };
    let slug = Slug::parse(slug).map_err(|_| missing())?;
    project_store::id_by_slug(&state.app.db, &slug)
        .await?
        .ok_or_else(missing)
}
