//! The rules of services and their operations (issue 10), shared by the members' server
//! functions and the operator API. A member asks for an action; the back office sets up
//! services and carries operations out. Every change runs under the project lock, is recorded
//! in the activity log, and that entry is the live event that updates every open page.

use super::{
    authorize,
    database::Db,
    live::Hub,
    session::SessionUser,
    store::{
        activity::{self, Kind},
        is_id, members, permissions,
        services::{self as store, ServiceFields, ServiceRow},
    },
    webhooks::{self, Event},
};
use crate::{
    access::service_action,
    domain::{OperationStatus, ServiceAction},
    error::AppError,
};
use serde_json::json;
use sqlx::{Any, Transaction};

/// The name the activity log gives the hosting company's back office.
pub const BACK_OFFICE: &str = "Back office";

pub fn no_service() -> AppError {
    AppError::NotFound("This project has no such service.".into())
}

fn no_operation() -> AppError {
    AppError::NotFound("There is no such operation.".into())
}

/// A member asks the back office to do `action` with service `service_id` of the project (with
/// its backup `backup`, for a restore or delete).
#[allow(clippy::too_many_arguments)]
pub async fn request(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    service_id: &str,
    action: ServiceAction,
    backup: Option<&str>,
    now: i64,
) -> Result<ServiceRow, AppError> {
    if !is_id(service_id) {
        return Err(no_service());
    }
    let mut tx = authorize::lock_for(
        db,
        project_id,
        user,
        service_action(action),
        crate::access::Scope::Service(service_id),
    )
    .await?;
    let service = store::find(&mut tx, project_id, service_id)
        .await?
        .ok_or_else(no_service)?;
    let pending = store::pending(&mut tx, &service.id).await?;
    action
        .check(service.kind, service.status, pending)
        .map_err(|m| AppError::conflict("action", m))?;
    let backup = match (action.needs_backup(), backup) {
        (true, Some(id)) => {
            if !is_id(id) || !store::has_backup(&mut tx, &service.id, id).await? {
                return Err(AppError::NotFound(
                    "This service has no such backup.".into(),
                ));
            }
            Some(id)
        }
        (true, None) => {
            return Err(AppError::invalid(
                "backup",
                "Choose the backup to restore or delete.",
            ))
        }
        (false, Some(_)) => {
            return Err(AppError::invalid(
                "backup",
                "Only restoring or deleting a backup names one.",
            ))
        }
        (false, None) => None,
    };
    let operation = store::insert_operation(
        &mut tx,
        &service,
        action,
        backup,
        &user.user_id,
        &user.name,
        now,
    )
    .await?;
    webhooks::enqueue(
        &mut tx,
        project_id,
        Event::OperationRequested,
        json!({
            "operation_id": operation,
            "service_id": service.id,
            "service_name": service.name,
            "action": action.key(),
            "backup_id": backup,
            "requested_by": user.name,
        }),
        now,
    )
    .await?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::OperationRequested,
        (Some(&user.user_id), &user.name),
        &service.name,
        Some(action.key()),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(service)
}

/// The back office reports progress on an operation. Moving it to where it already is changes
/// nothing (a retried call); moving it backwards, or on from done or failed, is refused. Done
/// gives the service the action's outcome; failed leaves it as it was, with the reason.
pub async fn advance(
    db: &Db,
    live: &Hub,
    operation_id: &str,
    status: OperationStatus,
    message: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    if !is_id(operation_id) {
        return Err(no_operation());
    }
    let project_id = store::operation_project(db, operation_id)
        .await?
        .ok_or_else(no_operation)?;
    let mut tx = members::begin_change(db, &project_id).await?;
    let op = store::find_operation(&mut tx, operation_id)
        .await?
        .ok_or_else(no_operation)?;
    if op.status == status {
        return Ok(());
    }
    if !op.status.may_become(status) {
        return Err(AppError::conflict(
            "status",
            format!(
                "The operation is {}; it cannot become {}.",
                op.status.key(),
                status.key()
            ),
        ));
    }
    let service = store::find(&mut tx, &project_id, &op.service_id)
        .await?
        .ok_or_else(no_operation)?;
    store::set_operation_status(&mut tx, &op.id, status, message, now).await?;
    let kind = match status {
        OperationStatus::Running => Kind::OperationStarted,
        OperationStatus::Done => {
            store::set_status(&mut tx, &service.id, op.action.outcome(service.status), now).await?;
            match (op.action, &op.backup_id) {
                (ServiceAction::CreateBackup, _) => {
                    store::insert_backup(&mut tx, &service, now).await?
                }
                (ServiceAction::DeleteBackup, Some(backup)) => {
                    store::delete_backup(&mut tx, backup, now).await?
                }
                _ => {}
            }
            Kind::OperationDone
        }
        OperationStatus::Failed => Kind::OperationFailed,
        OperationStatus::Queued => unreachable!("no operation goes back to the queue"),
    };
    activity::record_thing(
        &mut tx,
        &project_id,
        kind,
        (None, BACK_OFFICE),
        &service.name,
        Some(op.action.key()),
        now,
    )
    .await?;
    live.commit(tx, &project_id).await?;
    Ok(())
}

/// The back office sets up a service in the project; returns its id.
pub async fn create(
    db: &Db,
    live: &Hub,
    project_id: &str,
    fields: &ServiceFields<'_>,
    now: i64,
) -> Result<String, AppError> {
    let mut tx = members::begin_change(db, project_id).await?;
    let id = store::insert(&mut tx, project_id, fields, now).await?;
    // Seed 002: every member with a list of services gets the new one; access can then be
    // narrowed per service.
    permissions::grant_service_to_listed(&mut tx, project_id, &id).await?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::ServiceAdded,
        (None, BACK_OFFICE),
        fields.name,
        Some(fields.kind.key()),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(id)
}

/// The back office changes a service (its plan, name, region or status).
pub async fn update(
    db: &Db,
    live: &Hub,
    service_id: &str,
    fields: &ServiceFields<'_>,
    now: i64,
) -> Result<(), AppError> {
    let (mut tx, project_id, _) = locked_service(db, service_id).await?;
    store::update(&mut tx, service_id, fields, now).await?;
    activity::record_thing(
        &mut tx,
        &project_id,
        Kind::ServiceUpdated,
        (None, BACK_OFFICE),
        fields.name,
        Some(fields.status.key()),
        now,
    )
    .await?;
    live.commit(tx, &project_id).await?;
    Ok(())
}

/// The back office removes a service (and its operations) from the project.
pub async fn remove(db: &Db, live: &Hub, service_id: &str, now: i64) -> Result<(), AppError> {
    let (mut tx, project_id, service) = locked_service(db, service_id).await?;
    store::delete(&mut tx, service_id).await?;
    activity::record_thing(
        &mut tx,
        &project_id,
        Kind::ServiceRemoved,
        (None, BACK_OFFICE),
        &service.name,
        None,
        now,
    )
    .await?;
    live.commit(tx, &project_id).await?;
    Ok(())
}

/// Service `service_id` under its project's lock.
async fn locked_service(
    db: &Db,
    service_id: &str,
) -> Result<(Transaction<'static, Any>, String, ServiceRow), AppError> {
    if !is_id(service_id) {
        return Err(no_service());
    }
    let project_id = store::project_of(db, service_id)
        .await?
        .ok_or_else(no_service)?;
    let mut tx = members::begin_change(db, &project_id).await?;
    let service = store::find(&mut tx, &project_id, service_id)
        .await?
        .ok_or_else(no_service)?;
    Ok((tx, project_id, service))
}
