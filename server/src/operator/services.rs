//! The operator API's services and operations: the back office sets up a project's services,
//! takes the operations members ask for from its queue and reports how they went.

use super::{invalid, project_id, ApiError, Body, ErrorBody};
use crate::routes::ServerState;
use app::{
    api::services::{OperationView, ServiceView},
    domain::{OperationStatus, ServiceAction, ServiceKind, ServiceStatus, ServiceText},
    ssr::{
        services,
        store::services::{self as store, ServiceFields},
    },
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Generates the API's own copy of a domain enum (its schema, snake_case keys) and the
/// conversions both ways, so the document lists the values and cannot drift from the domain.
macro_rules! api_enum {
    ($(#[$doc:meta])* $api:ident <=> $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub(super) enum $api { $($variant),+ }

        impl From<$domain> for $api {
            fn from(v: $domain) -> Self {
                match v { $($domain::$variant => $api::$variant),+ }
            }
        }

        impl From<$api> for $domain {
            fn from(v: $api) -> Self {
                match v { $($api::$variant => $domain::$variant),+ }
            }
        }
    };
}

api_enum!(
    /// A service's type (seed 001).
    Kind <=> ServiceKind { Vps, Iaas, Storage, Dns, Ssl, Monitoring }
);
api_enum!(
    /// A service's status.
    Status <=> ServiceStatus { Provisioning, Running, Stopped, Suspended, Cancelled }
);
api_enum!(
    /// What a member asked for.
    Action <=> ServiceAction { Start, Stop, SoftRestart, HardRestart, CreateBackup, RestoreBackup, DeleteBackup, Cancel }
);
api_enum!(
    /// Where an operation stands: queued → running → done or failed.
    Progress <=> OperationStatus { Queued, Running, Done, Failed }
);

#[derive(Serialize, ToSchema)]
pub(super) struct Operation {
    id: String,
    action: Action,
    status: Progress,
    /// The member who asked.
    requester: String,
    message: Option<String>,
    requested: String,
    updated: String,
    /// The backup a restore or delete is about.
    backup_id: Option<String>,
}

impl From<OperationView> for Operation {
    fn from(o: OperationView) -> Self {
        Self {
            id: o.id,
            action: o.action.into(),
            status: o.status.into(),
            requester: o.requester,
            message: o.message,
            requested: o.requested,
            updated: o.updated,
            backup_id: o.backup_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct Service {
    id: String,
    kind: Kind,
    name: String,
    plan: String,
    region: String,
    status: Status,
    created: String,
    /// The operation in progress, if any.
    pending: Option<Operation>,
}

impl From<ServiceView> for Service {
    fn from(s: ServiceView) -> Self {
        Self {
            id: s.id,
            kind: s.kind.into(),
            name: s.name,
            plan: s.plan,
            region: s.region,
            status: s.status.into(),
            created: s.created,
            pending: s.pending.map(Operation::from),
        }
    }
}

/// A service as the back office sets it up or changes it (all fields; a PUT replaces them).
#[derive(Deserialize, ToSchema)]
pub(super) struct ServiceInput {
    kind: Kind,
    /// 1–80 characters, one line ("web-1").
    name: String,
    /// 1–80 characters ("VPS 4 GB").
    plan: String,
    /// Region or endpoint, 1–80 characters ("Amsterdam 2").
    region: String,
    status: Status,
}

/// The id of a service just created.
#[derive(Serialize, ToSchema)]
pub(super) struct Created {
    id: String,
}

struct Parsed {
    kind: ServiceKind,
    name: ServiceText,
    plan: ServiceText,
    region: ServiceText,
    status: ServiceStatus,
}

impl Parsed {
    fn of(input: ServiceInput) -> Result<Self, ApiError> {
        let text = |field: &str, raw: &str| ServiceText::parse(raw).map_err(|m| invalid(field, m));
        Ok(Self {
            kind: input.kind.into(),
            name: text("name", &input.name)?,
            plan: text("plan", &input.plan)?,
            region: text("region", &input.region)?,
            status: input.status.into(),
        })
    }

    fn fields(&self) -> ServiceFields<'_> {
        ServiceFields {
            kind: self.kind,
            name: self.name.as_str(),
            plan: self.plan.as_str(),
            region: self.region.as_str(),
            status: self.status,
        }
    }
}

/// The project's services, oldest first, each with its operation in progress.
#[utoipa::path(
    get,
    path = "/projects/{slug}/services",
    params(("slug" = String, Path, description = "The project's address name")),
    responses(
        (status = 200, body = [Service]),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
    )
)]
pub(super) async fn list_services(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Service>>, ApiError> {
    let project = project_id(&state, &slug).await?;
    let list = store::list(&state.app.db, &project).await?;
    Ok(Json(list.into_iter().map(Service::from).collect()))
}

/// Sets up a service in the project; its members see it at once.
#[utoipa::path(
    post,
    path = "/projects/{slug}/services",
    params(
        ("slug" = String, Path, description = "The project's address name"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = ServiceInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
        (status = 409, description = "The same Idempotency-Key is in use right now", body = ErrorBody),
        (status = 422, description = "A field is not valid, or the key was used with another body", body = ErrorBody),
    )
)]
pub(super) async fn create_service(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    Body(input): Body<ServiceInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let project = project_id(&state, &slug).await?;
    let parsed = Parsed::of(input)?;
    let app = &state.app;
    let id = services::create(
        &app.db,
        &app.live,
        &project,
        &parsed.fields(),
        app.clock.now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replaces a service's fields (a new plan, a new status).
#[utoipa::path(
    put,
    path = "/services/{id}",
    params(("id" = String, Path, description = "The service's id")),
    request_body = ServiceInput,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
pub(super) async fn update_service(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Body(input): Body<ServiceInput>,
) -> Result<StatusCode, ApiError> {
    let parsed = Parsed::of(input)?;
    let app = &state.app;
    services::update(
        &app.db,
        &app.live,
        &id,
        &parsed.fields(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a service and its operations from its project.
#[utoipa::path(
    delete,
    path = "/services/{id}",
    params(("id" = String, Path, description = "The service's id")),
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
    )
)]
pub(super) async fn delete_service(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let app = &state.app;
    services::remove(&app.db, &app.live, &id, app.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub(super) struct QueueQuery {
    /// Which operations (default: queued).
    status: Option<Progress>,
    /// At most this many, oldest first (1–500, default 100).
    limit: Option<i64>,
}

/// An operation in the back office's queue: what to do, to which service, in which project.
#[derive(Serialize, ToSchema)]
pub(super) struct QueuedOperation {
    #[serde(flatten)]
    operation: Operation,
    project: String,
    service_id: String,
    service_name: String,
}

/// Operations across all projects, oldest first: the back office's work queue.
#[utoipa::path(
    get,
    path = "/operations",
    params(QueueQuery),
    responses(
        (status = 200, body = [QueuedOperation]),
        (status = 400, description = "Not a status", body = ErrorBody),
        (status = 401, body = ErrorBody),
    )
)]
pub(super) async fn list_operations(
    State(state): State<ServerState>,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<QueuedOperation>>, ApiError> {
    let status = q.status.map_or(OperationStatus::Queued, Into::into);
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let list = store::operations_in(&state.app.db, status, limit).await?;
    Ok(Json(
        list.into_iter()
            .map(|q| QueuedOperation {
                operation: q.operation.into(),
                project: q.project_slug,
                service_id: q.service_id,
                service_name: q.service_name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub(super) struct Advance {
    /// running, done or failed (forward only; repeating the current status changes nothing).
    status: Progress,
    /// Shown to the project's members next to the operation (why it failed); up to 500
    /// characters.
    message: Option<String>,
}

/// Reports progress on an operation. Done gives the service the action's outcome (stopped,
/// running, cancelled); failed leaves it as it was and shows the message.
#[utoipa::path(
    put,
    path = "/operations/{id}",
    params(("id" = String, Path, description = "The operation's id")),
    request_body = Advance,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such operation", body = ErrorBody),
        (status = 409, description = "The operation is already finished, or the step goes backwards", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
pub(super) async fn advance_operation(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Body(step): Body<Advance>,
) -> Result<StatusCode, ApiError> {
    let message = super::message(step.message.as_deref())?;
    let app = &state.app;
    services::advance(
        &app.db,
        &app.live,
        &id,
        step.status.into(),
        message.as_deref(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
