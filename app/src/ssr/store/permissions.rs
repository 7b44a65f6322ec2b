//! Members' permission profiles (seed 004) and service instance memberships (seed 002).

use super::decode;
use crate::access::{Action, Permissions, ServiceAccess};
use crate::domain::NewMemberAccess;
use sqlx::{any::AnyRow, Any, AnyConnection, Row, Transaction};
use std::collections::HashMap;

/// The two columns of `members` a profile is stored in, read from `row`.
pub(super) fn columns(row: &AnyRow) -> Result<(Option<Vec<Action>>, bool), sqlx::Error> {
    let switches: Option<String> = row.try_get("permissions")?;
    let all: i64 = row.try_get("all_services")?;
    let switches = switches
        .map(|s| {
            s.split(',')
                .filter(|k| !k.is_empty())
                .map(|k| decode(Action::parse_switch(k)))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok((switches, all == 1))
}

/// The profile of the member whose `members` row (with `permissions` and `all_services`) is
/// `row`; their services are read only when they have a list.
pub async fn from_row(
    conn: &mut AnyConnection,
    row: &AnyRow,
    project_id: &str,
    user_id: &str,
) -> Result<Permissions, sqlx::Error> {
    let (switches, all) = columns(row)?;
    let services = if all {
        ServiceAccess::All
    } else {
        ServiceAccess::Only(
            sqlx::query_scalar(
                "SELECT service_id FROM service_members
                 WHERE project_id = $1 AND user_id = $2 ORDER BY service_id",
            )
            .bind(project_id)
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?,
        )
    };
    Ok(Permissions { switches, services })
}

/// Every member's profile in a project, by user id: two queries whatever the number.
pub async fn of_project(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<HashMap<String, Permissions>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT user_id, permissions, all_services FROM members WHERE project_id = $1")
            .bind(project_id)
            .fetch_all(&mut *conn)
            .await?;
    let listed: Vec<(String, String)> = sqlx::query_as(
        "SELECT user_id, service_id FROM service_members WHERE project_id = $1
         ORDER BY service_id",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = HashMap::new();
    for row in &rows {
        let user_id: String = row.try_get("user_id")?;
        let permissions = from_listed(row, &user_id, &listed)?;
        out.insert(user_id, permissions);
    }
    Ok(out)
}

/// The profile in `row`, its services (when it keeps a list) picked from `listed`: the
/// (key, service id) pairs read in one query for many rows, keyed by user or by project.
pub(super) fn from_listed(
    row: &AnyRow,
    key: &str,
    listed: &[(String, String)],
) -> Result<Permissions, sqlx::Error> {
    let (switches, all) = columns(row)?;
    let services = if all {
        ServiceAccess::All
    } else {
        ServiceAccess::Only(
            listed
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, s)| s.clone())
                .collect(),
        )
    };
    Ok(Permissions { switches, services })
}

/// Replaces a member's profile.
pub async fn set(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
    p: &Permissions,
) -> Result<(), sqlx::Error> {
    let switches = p
        .switches
        .as_ref()
        .map(|s| s.iter().map(|a| a.key()).collect::<Vec<_>>().join(","));
    let ids: &[String] = match &p.services {
        ServiceAccess::All => &[],
        ServiceAccess::Only(ids) => ids,
    };
    sqlx::query(
        "UPDATE members SET permissions = $1, all_services = $2
         WHERE project_id = $3 AND user_id = $4",
    )
    .bind(switches)
    .bind(i64::from(p.services == ServiceAccess::All))
    .bind(project_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM service_members WHERE project_id = $1 AND user_id = $2")
        .bind(project_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for id in ids {
        sqlx::query(
            "INSERT INTO service_members (project_id, user_id, service_id) VALUES ($1, $2, $3)",
        )
        .bind(project_id)
        .bind(user_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Seed 002: a service that is activated becomes reachable to every current member who has a
/// list (those with every service reach it already).
pub async fn grant_service_to_listed(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    service_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_members (project_id, user_id, service_id)
         SELECT project_id, user_id, $2 FROM members WHERE project_id = $1 AND all_services = 0
         ON CONFLICT DO NOTHING",
    )
    .bind(project_id)
    .bind(service_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a project's new members start with.
pub async fn new_member_access(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<NewMemberAccess, sqlx::Error> {
    let key: String = sqlx::query_scalar("SELECT new_member_access FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(conn)
        .await?;
    decode(NewMemberAccess::parse(&key))
}

pub async fn set_new_member_access(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    access: NewMemberAccess,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET new_member_access = $1 WHERE id = $2")
        .bind(access.key())
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
