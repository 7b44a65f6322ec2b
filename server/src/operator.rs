//! The operator API (`/api/operator/v1`, issue 10): how the hosting company's back office reads
//! and answers its customers' support tickets. JSON, bearer tokens from `OPERATOR_TOKEN`
//! (compared in constant time; none configured means 401 to everything, this document
//! included), described by the OpenAPI document at `/api/operator/v1/openapi.json`, which is
//! generated from the handlers below and cannot drift from them.
//!
//! The staff's writes go through the same rules as the members' (`app::ssr::tickets`): the
//! project lock, the activity log, and the live event that shows a reply on every open page.

use crate::routes::ServerState;
use app::{
    domain::{MessageBody, PersonName, Slug, TicketStatus},
    error::AppError,
    ssr::{
        store::{projects, tickets as store},
        tickets::{self, Writer},
    },
};
use axum::{
    extract::{FromRequest, Path, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use serde::{Deserialize, Serialize};
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
struct ApiError(StatusCode, String);

#[derive(Serialize, ToSchema)]
struct ErrorBody {
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
        ApiError(status, e.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("{field}: {message}"),
    )
}

/// A JSON body whose rejection (wrong content type, malformed JSON, a missing field) is
/// answered in this API's error shape.
struct Body<T>(T);

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
pub fn router(tokens: OperatorTokens) -> Router<ServerState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/projects/{slug}/tickets", get(list_tickets))
        .route("/projects/{slug}/tickets/{number}", get(get_ticket))
        .route(
            "/projects/{slug}/tickets/{number}/replies",
            post(post_reply),
        )
        .route("/projects/{slug}/tickets/{number}/status", put(put_status))
        .layer(middleware::from_fn_with_state(tokens, authenticate))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster operator API",
        version = "1",
        description = "How the hosting company's back office reads and answers its customers' \
                       support tickets. Every call needs `Authorization: Bearer <token>` with a \
                       token from the server's OPERATOR_TOKEN."
    ),
    servers((url = "/api/operator/v1")),
    paths(list_tickets, get_ticket, post_reply, put_status),
    components(schemas(Ticket, Message, Thread, Reply, StatusChange, Status, ErrorBody)),
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

/// A ticket's status.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Status {
    /// Waiting for the staff.
    Open,
    /// The staff answered; waiting for the customer.
    AwaitingReply,
    Closed,
}

impl From<TicketStatus> for Status {
    fn from(s: TicketStatus) -> Self {
        match s {
            TicketStatus::Open => Status::Open,
            TicketStatus::AwaitingReply => Status::AwaitingReply,
            TicketStatus::Closed => Status::Closed,
        }
    }
}

impl From<Status> for TicketStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Open => TicketStatus::Open,
            Status::AwaitingReply => TicketStatus::AwaitingReply,
            Status::Closed => TicketStatus::Closed,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct Ticket {
    /// The ticket's number in its project (#1, #2 …).
    number: i64,
    subject: String,
    status: Status,
    /// When it was opened and last written to (UTC, as the customer sees it).
    opened: String,
    updated: String,
    messages: i64,
}

impl From<app::api::tickets::TicketSummary> for Ticket {
    fn from(t: app::api::tickets::TicketSummary) -> Self {
        Self {
            number: t.number,
            subject: t.subject,
            status: t.status.into(),
            opened: t.opened,
            updated: t.updated,
            messages: t.messages,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct Message {
    author: String,
    /// Written by the staff (through this API).
    from_staff: bool,
    body: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
struct Thread {
    ticket: Ticket,
    /// Oldest first.
    messages: Vec<Message>,
}

#[derive(Deserialize, ToSchema)]
struct Reply {
    /// The name the customer sees next to the reply ("Sam from Support").
    staff_name: String,
    /// 1–10,000 characters; line breaks are kept.
    body: String,
}

#[derive(Deserialize, ToSchema)]
struct StatusChange {
    status: Status,
}

/// The project at `slug`; a slug that does not parse names none.
async fn project_id(state: &ServerState, slug: &str) -> Result<String, ApiError> {
    let missing = || {
        ApiError(
            StatusCode::NOT_FOUND,
            format!("There is no project at {slug}."),
        )
    };
    let slug = Slug::parse(slug).map_err(|_| missing())?;
    projects::id_by_slug(&state.app.db, &slug)
        .await?
        .ok_or_else(missing)
}

/// The project at `slug` and the ticket number `raw` names (not yet looked up).
async fn ticket_ref(state: &ServerState, slug: &str, raw: &str) -> Result<(String, i64), ApiError> {
    let project = project_id(state, slug).await?;
    let n = raw
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("There is no ticket {raw}.")))?;
    Ok((project, n))
}

/// The project's tickets, most recently active first.
#[utoipa::path(
    get,
    path = "/projects/{slug}/tickets",
    params(("slug" = String, Path, description = "The project's address name")),
    responses(
        (status = 200, body = [Ticket]),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
    )
)]
async fn list_tickets(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Ticket>>, ApiError> {
    let project = project_id(&state, &slug).await?;
    let list = store::list(&state.app.db, &project).await?;
    Ok(Json(list.into_iter().map(Ticket::from).collect()))
}

/// One ticket and its thread.
#[utoipa::path(
    get,
    path = "/projects/{slug}/tickets/{number}",
    params(
        ("slug" = String, Path, description = "The project's address name"),
        ("number" = i64, Path, description = "The ticket's number in the project"),
    ),
    responses(
        (status = 200, body = Thread),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project or ticket", body = ErrorBody),
    )
)]
async fn get_ticket(
    State(state): State<ServerState>,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Json<Thread>, ApiError> {
    let (project, n) = ticket_ref(&state, &slug, &number).await?;
    let (ticket, messages) = store::thread(&state.app.db, &project, n)
        .await?
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("There is no ticket {n}.")))?;
    Ok(Json(Thread {
        ticket: ticket.into(),
        messages: messages
            .into_iter()
            .map(|m| Message {
                author: m.author,
                from_staff: m.from_staff,
                body: m.body,
                at: m.at,
            })
            .collect(),
    }))
}

/// A staff reply: the ticket then awaits the customer's answer, and their open pages show
/// the reply at once.
#[utoipa::path(
    post,
    path = "/projects/{slug}/tickets/{number}/replies",
    params(
        ("slug" = String, Path, description = "The project's address name"),
        ("number" = i64, Path, description = "The ticket's number in the project"),
    ),
    request_body = Reply,
    responses(
        (status = 201, description = "The reply is in the thread"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project or ticket", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
async fn post_reply(
    State(state): State<ServerState>,
    Path((slug, number)): Path<(String, String)>,
    Body(reply): Body<Reply>,
) -> Result<StatusCode, ApiError> {
    let (project, n) = ticket_ref(&state, &slug, &number).await?;
    let name = PersonName::parse(&reply.staff_name).map_err(|m| invalid("staff_name", m))?;
    let body = MessageBody::parse(&reply.body).map_err(|m| invalid("body", m))?;
    let app = &state.app;
    tickets::reply(
        &app.db,
        &app.live,
        &project,
        &Writer::Staff {
            name: name.as_str(),
        },
        n,
        &body,
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::CREATED)
}

/// Sets a ticket's status (setting the one it has changes nothing).
#[utoipa::path(
    put,
    path = "/projects/{slug}/tickets/{number}/status",
    params(
        ("slug" = String, Path, description = "The project's address name"),
        ("number" = i64, Path, description = "The ticket's number in the project"),
    ),
    request_body = StatusChange,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project or ticket", body = ErrorBody),
        (status = 422, description = "Not a status", body = ErrorBody),
    )
)]
async fn put_status(
    State(state): State<ServerState>,
    Path((slug, number)): Path<(String, String)>,
    Body(change): Body<StatusChange>,
) -> Result<StatusCode, ApiError> {
    let (project, n) = ticket_ref(&state, &slug, &number).await?;
    let app = &state.app;
    tickets::set_status(
        &app.db,
        &app.live,
        &project,
        &Writer::Staff { name: "Support" },
        n,
        change.status.into(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
