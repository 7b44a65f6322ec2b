//! Services and their operations (issue 10).

use super::{decode, new_id};
use crate::api::services::{BackupView, OperationView, ServiceView};
use crate::domain::{OperationStatus, ServiceAction, ServiceKind, ServiceStatus};
use crate::ssr::{
    database::Db,
    dates::{day, moment},
};
use sqlx::{any::AnyRow, Any, Row, Transaction};

/// A service as the rules need it.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub id: String,
    pub project_id: String,
    pub kind: ServiceKind,
    pub name: String,
    pub status: ServiceStatus,
}

/// An operation as the rules need it.
#[derive(Debug, Clone)]
pub struct OperationRow {
    pub id: String,
    pub service_id: String,
    pub project_id: String,
    pub action: ServiceAction,
    pub status: OperationStatus,
    /// The backup it restores or deletes.
    pub backup_id: Option<String>,
}

/// The fields the back office sets on a service.
pub struct ServiceFields<'a> {
    pub kind: ServiceKind,
    pub name: &'a str,
    pub plan: &'a str,
    pub region: &'a str,
    pub status: ServiceStatus,
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    f: &ServiceFields<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO services (id, project_id, kind, name, plan, region, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(f.kind.key())
    .bind(f.name)
    .bind(f.plan)
    .bind(f.region)
    .bind(f.status.key())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn update(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    f: &ServiceFields<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE services SET kind = $1, name = $2, plan = $3, region = $4, status = $5, updated_at = $6
         WHERE id = $7",
    )
    .bind(f.kind.key())
    .bind(f.name)
    .bind(f.plan)
    .bind(f.region)
    .bind(f.status.key())
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: ServiceStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE services SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.key())
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM services WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The project a service belongs to (read without a lock: the caller takes that project's
/// lock and reads the service again under it).
pub async fn project_of(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT project_id FROM services WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Service `id` of the project, read under the caller's lock.
pub async fn find(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<Option<ServiceRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, project_id, kind, name, status FROM services WHERE project_id = $1 AND id = $2",
    )
    .bind(project_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(ServiceRow {
        id: r.try_get(0)?,
        project_id: r.try_get(1)?,
        kind: decode(ServiceKind::parse(&r.try_get::<String, _>(2)?))?,
        name: r.try_get(3)?,
        status: decode(ServiceStatus::parse(&r.try_get::<String, _>(4)?))?,
    }))
}

/// The operation still with the back office for a service, if any.
pub async fn pending(
    tx: &mut Transaction<'_, Any>,
    service_id: &str,
) -> Result<Option<ServiceAction>, sqlx::Error> {
    let action: Option<String> = sqlx::query_scalar(
        "SELECT action FROM operations WHERE service_id = $1 AND status IN ('queued', 'running')",
    )
    .bind(service_id)
    .fetch_optional(&mut **tx)
    .await?;
    action.map(|a| decode(ServiceAction::parse(&a))).transpose()
}

pub async fn insert_operation(
    tx: &mut Transaction<'_, Any>,
    service: &ServiceRow,
    action: ServiceAction,
    backup_id: Option<&str>,
    requested_by: &str,
    requester_name: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO operations (id, service_id, project_id, action, status, requested_by, requester_name, created_at, updated_at, backup_id)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $7, $8)",
    )
    .bind(&id)
    .bind(&service.id)
    .bind(&service.project_id)
    .bind(action.key())
    .bind(requested_by)
    .bind(requester_name)
    .bind(now)
    .bind(backup_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn operation_project(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT project_id FROM operations WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Operation `id`, read under the caller's lock.
pub async fn find_operation(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<OperationRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, service_id, project_id, action, status, backup_id FROM operations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(OperationRow {
        id: r.try_get(0)?,
        service_id: r.try_get(1)?,
        project_id: r.try_get(2)?,
        action: decode(ServiceAction::parse(&r.try_get::<String, _>(3)?))?,
        status: decode(OperationStatus::parse(&r.try_get::<String, _>(4)?))?,
        backup_id: r.try_get(5)?,
    }))
}

pub async fn set_operation_status(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: OperationStatus,
    message: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE operations SET status = $1, message = $2, updated_at = $3 WHERE id = $4")
        .bind(status.key())
        .bind(message)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Services of the project that are not cancelled (they stop the project being deleted).
pub async fn count_active(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM services WHERE project_id = $1 AND status <> 'cancelled'",
    )
    .bind(project_id)
    .fetch_one(&mut **tx)
    .await
}

/// A service and its pending operation, if any (at most one: a unique index says so).
const SERVICE: &str = "SELECT s.id, s.kind, s.name, s.plan, s.region, s.status, s.created_at,
        o.id, o.action, o.status, o.requester_name, o.message, o.created_at, o.updated_at,
        ob.created_at, o.backup_id
     FROM services s
     LEFT JOIN operations o ON o.service_id = s.id AND o.status IN ('queued', 'running')
     LEFT JOIN backups ob ON ob.id = o.backup_id
     WHERE s.project_id = $1";

fn service_from_row(r: &AnyRow) -> Result<ServiceView, sqlx::Error> {
    let pending = match r.try_get::<Option<String>, _>(7)? {
        Some(id) => Some(operation_at(r, 8, id)?),
        None => None,
    };
    Ok(ServiceView {
        id: r.try_get(0)?,
        kind: decode(ServiceKind::parse(&r.try_get::<String, _>(1)?))?,
        name: r.try_get(2)?,
        plan: r.try_get(3)?,
        region: r.try_get(4)?,
        status: decode(ServiceStatus::parse(&r.try_get::<String, _>(5)?))?,
        created: day(r.try_get(6)?),
        pending,
    })
}

/// An operation's columns from `at` on: action, status, requester, message, created, updated,
/// and its backup's creation time and id (restore and delete).
fn operation_at(r: &AnyRow, at: usize, id: String) -> Result<OperationView, sqlx::Error> {
    Ok(OperationView {
        id,
        action: decode(ServiceAction::parse(&r.try_get::<String, _>(at)?))?,
        status: decode(OperationStatus::parse(&r.try_get::<String, _>(at + 1)?))?,
        requester: r.try_get(at + 2)?,
        message: r.try_get(at + 3)?,
        requested: moment(r.try_get(at + 4)?),
        updated: moment(r.try_get(at + 5)?),
        backup: r.try_get::<Option<i64>, _>(at + 6)?.map(moment),
        backup_id: r.try_get(at + 7)?,
    })
}

/// The project's services, oldest first (the order they were set up in).
pub async fn list(db: &Db, project_id: &str) -> Result<Vec<ServiceView>, sqlx::Error> {
    sqlx::query(&format!("{SERVICE} ORDER BY s.created_at, s.id"))
        .bind(project_id)
        .fetch_all(db)
        .await?
        .iter()
        .map(service_from_row)
        .collect()
}

/// The project's services that are not cancelled, as (id, name), in the order they came: what
/// a member's resource access is chosen from.
pub async fn names<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    project_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM services WHERE project_id = $1 AND status <> 'cancelled'
         ORDER BY created_at, id",
    )
    .bind(project_id)
    .fetch_all(db)
    .await
}

/// Operations a service page shows: the newest first.
pub const HISTORY: i64 = 50;

/// Service `id` of the project, its latest operations and its backups.
pub async fn detail(
    db: &Db,
    project_id: &str,
    id: &str,
) -> Result<Option<(ServiceView, Vec<OperationView>, Vec<BackupView>)>, sqlx::Error> {
    let Some(row) = sqlx::query(&format!("{SERVICE} AND s.id = $2"))
        .bind(project_id)
        .bind(id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let service = service_from_row(&row)?;
    let rows = sqlx::query(
        "SELECT o.id, o.action, o.status, o.requester_name, o.message, o.created_at, o.updated_at,
                b.created_at, o.backup_id
         FROM operations o LEFT JOIN backups b ON b.id = o.backup_id
         WHERE o.project_id = $1 AND o.service_id = $2 ORDER BY o.created_at DESC, o.id DESC LIMIT $3",
    )
    .bind(project_id)
    .bind(id)
    .bind(HISTORY)
    .fetch_all(db)
    .await?;
    let history = rows
        .iter()
        .map(|r| operation_at(r, 1, r.try_get(0)?))
        .collect::<Result<_, sqlx::Error>>()?;
    let backups = sqlx::query(
        "SELECT id, created_at FROM backups WHERE project_id = $1 AND service_id = $2 AND deleted_at IS NULL
         ORDER BY created_at DESC, id DESC",
    )
    .bind(project_id)
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(BackupView {
            id: r.try_get(0)?,
            created: moment(r.try_get(1)?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some((service, history, backups)))
}

/// A backup made by a "create backup" operation that is done.
pub async fn insert_backup(
    tx: &mut Transaction<'_, Any>,
    service: &ServiceRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO backups (id, service_id, project_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(new_id())
    .bind(&service.id)
    .bind(&service.project_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the service has backup `id` (and it is not deleted).
pub async fn has_backup(
    tx: &mut Transaction<'_, Any>,
    service_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM backups WHERE service_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(service_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

pub async fn delete_backup(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE backups SET deleted_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An operation as the back office reads it: where it is and what it is for.
#[derive(Debug, Clone)]
pub struct QueuedOperation {
    pub operation: OperationView,
    pub project_slug: String,
    pub service_id: String,
    pub service_name: String,
}

/// Operations in `status` across all projects, oldest first: the back office's work queue.
pub async fn operations_in(
    db: &Db,
    status: OperationStatus,
    limit: i64,
) -> Result<Vec<QueuedOperation>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.slug, s.id, s.name, o.id, o.action, o.status, o.requester_name, o.message, o.created_at, o.updated_at,
                b.created_at, o.backup_id
         FROM operations o JOIN services s ON s.id = o.service_id JOIN projects p ON p.id = o.project_id
         LEFT JOIN backups b ON b.id = o.backup_id
         WHERE o.status = $1 ORDER BY o.created_at, o.id LIMIT $2",
    )
    .bind(status.key())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(QueuedOperation {
                project_slug: r.try_get(0)?,
                service_id: r.try_get(1)?,
                service_name: r.try_get(2)?,
                operation: operation_at(r, 4, r.try_get(3)?)?,
            })
        })
        .collect()
}

/// How many of the project's services are in each status (the Dashboard).
/// The project's services by status; with `listed_for`, only those in that member's list (seed
/// 004's resource access).
pub async fn count_by_status(
    db: &Db,
    project_id: &str,
    listed_for: Option<&str>,
) -> Result<Vec<(ServiceStatus, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) FROM services s WHERE project_id = $1
           AND ($2 IS NULL OR EXISTS (SELECT 1 FROM service_members m
                WHERE m.project_id = s.project_id AND m.user_id = $2 AND m.service_id = s.id))
         GROUP BY status",
    )
    .bind(project_id)
    .bind(listed_for)
    .fetch_all(db)
    .await?;
    let mut counts = rows
        .iter()
        .map(|r| {
            Ok((
                decode(ServiceStatus::parse(&r.try_get::<String, _>(0)?))?,
                r.try_get(1)?,
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    counts.sort_by_key(|(s, _)| ServiceStatus::ALL.iter().position(|x| x == s));
    Ok(counts)
}
