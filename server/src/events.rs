//! Server-sent event streams: `/events/p/{slug}` (a project's membership changes, for its
//! members) and `/events/me` (what concerns the signed-in person, for the Projects page).
//! Authenticated by the session cookie, authorised by the access table, kept open by heartbeats.

use crate::routes::ServerState;
use app::access::{can, Action, Scope};
use app::ssr::{
    session::SessionUser,
    store::projects,
    streams::{Frame, FrameSource, PersonStream, ProjectStream},
};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    Extension,
};
use serde::Deserialize;
use std::{convert::Infallible, time::Duration};

/// Comments sent on a quiet stream so proxies and load balancers keep it open.
const HEARTBEAT: Duration = Duration::from_secs(15);

#[derive(Deserialize)]
pub struct Resume {
    /// The client's position when it reopens a stream itself (browsers put it in the
    /// `Last-Event-ID` header only when they reconnect on their own).
    last_event_id: Option<String>,
}

fn last_event_id(headers: &HeaderMap, query: Resume) -> Option<String> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id)
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (status, message).into_response()
}

pub async fn project_events(
    State(state): State<ServerState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let Some(Extension(user)) = user else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in to follow this project.");
    };
    let app = &state.app;
    let forbidden = || {
        refuse(
            StatusCode::FORBIDDEN,
            "You are not a member of this project, so you cannot follow its changes.",
        )
    };
    // Not a slug (a NUL byte, junk): no project has it, and the database never sees it.
    let Ok(slug) = app::domain::Slug::parse(&slug) else {
        return forbidden();
    };
    let membership = match projects::membership(&app.db, &slug, &user.user_id).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "event stream: could not read the membership");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "Roster is temporarily unavailable.",
            );
        }
    };
    let Some(membership) =
        membership.filter(|m| can(&m.actor, Action::ViewMembers, Scope::Project))
    else {
        return forbidden();
    };
    let Some(ticket) = app.live.admit(&user.token_hash) else {
        return too_many();
    };
    let position = last_event_id(&headers, resume);
    let stream = match ProjectStream::open(
        app,
        &user,
        &membership.project_id,
        position.as_deref(),
        ticket,
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "event stream: could not read the activity log");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "Roster is temporarily unavailable.",
            );
        }
    };
    sse(stream)
}

pub async fn person_events(
    State(state): State<ServerState>,
    user: Option<Extension<SessionUser>>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let Some(Extension(user)) = user else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in to follow your projects.");
    };
    let Some(ticket) = state.app.live.admit(&user.token_hash) else {
        return too_many();
    };
    let reconnecting = last_event_id(&headers, resume).is_some();
    let stream = PersonStream::open(&state.app, &user, reconnecting, ticket);
    sse(stream)
}

fn too_many() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(axum::http::header::RETRY_AFTER, "30")],
        format!(
            "This browser already follows {} live views. Close some tabs and reload.",
            app::ssr::live::STREAMS_PER_SESSION
        ),
    )
        .into_response()
}

/// The stream's frames as server-sent events, with heartbeats.
fn sse(stream: impl FrameSource) -> Response {
    let frames = futures::stream::unfold(stream, |mut s| async move {
        let frame = s.next().await?;
        Some((Ok::<_, Infallible>(event(frame)), s))
    });
    Sse::new(frames)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT))
        .into_response()
}

/// One frame as an SSE event: `ready`, `change` (data: seq and kind), `reload`, or `revoked`.
fn event(frame: Frame) -> Event {
    match frame {
        Frame::Change { id, seq, kind } => {
            let event = Event::default()
                .event("change")
                .data(serde_json::json!({ "seq": seq, "kind": kind }).to_string());
            match id {
                Some(id) => event.id(id.to_string()),
                None => event,
            }
        }
        Frame::Ready => Event::default().event("ready").data("{}"),
        Frame::Reload => Event::default().event("reload").data("{}"),
        Frame::Revoked { reason } => Event::default()
            .event("revoked")
            .data(serde_json::json!({ "reason": reason }).to_string()),
    }
}
