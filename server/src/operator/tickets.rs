//! The operator API's support tickets: the back office reads them and answers as staff.

use super::{invalid, project_id, ApiError, Body, ErrorBody};
use crate::routes::ServerState;
use app::{
    domain::{MessageBody, PersonName, TicketStatus},
    ssr::{
        store::tickets as store,
        tickets::{self, Writer},
    },
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A ticket's status.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum Status {
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
pub(super) struct Ticket {
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
pub(super) struct Message {
    author: String,
    /// Written by the staff (through this API).
    from_staff: bool,
    body: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Thread {
    ticket: Ticket,
    /// Oldest first.
    messages: Vec<Message>,
}

#[derive(Deserialize, ToSchema)]
pub(super) struct Reply {
    /// The name the customer sees next to the reply ("Sam from Support").
    staff_name: String,
    /// 1–10,000 characters; line breaks are kept.
    body: String,
}

#[derive(Deserialize, ToSchema)]
pub(super) struct StatusChange {
    status: Status,
    /// Who set it, as the activity log names them ("Sam from Support").
    staff_name: String,
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
pub(super) async fn list_tickets(
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
pub(super) async fn get_ticket(
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
pub(super) async fn post_reply(
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
pub(super) async fn put_status(
    State(state): State<ServerState>,
    Path((slug, number)): Path<(String, String)>,
    Body(change): Body<StatusChange>,
) -> Result<StatusCode, ApiError> {
    let (project, n) = ticket_ref(&state, &slug, &number).await?;
    let name = PersonName::parse(&change.staff_name).map_err(|m| invalid("staff_name", m))?;
    let app = &state.app;
    tickets::set_status(
        &app.db,
        &app.live,
        &project,
        &Writer::Staff {
            name: name.as_str(),
        },
        n,
        change.status.into(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
