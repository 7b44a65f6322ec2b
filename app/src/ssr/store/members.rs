//! Project members, and the lock every membership change takes first.

use crate::access::{Actor, Permissions};
use crate::domain::Role;
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub joined_at: i64,
    /// Seed 004's profile; read by [`find`] (the lists leave it at the default, see
    /// `permissions::of_project`).
    pub permissions: Permissions,
}

impl MemberRow {
    /// The member as the access table sees them.
    pub fn actor(&self) -> Actor {
        Actor {
            role: self.role,
            permissions: self.permissions.clone(),
        }
    }
}

pub async fn list(db: &Db, project_id: &str) -> Result<Vec<MemberRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.email, m.role, m.joined_at
         FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.project_id = $1 ORDER BY m.joined_at, LOWER(u.name)",
    )
    .bind(project_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(member_from_row).collect()
}

/// Starts a membership change on a project: the first statement writes the project row, which
/// serialises changes per project on both databases (a row lock on PostgreSQL, the write lock
/// on SQLite, taken at once rather than upgraded later).
pub async fn begin_change(
    db: &Db,
    project_id: &str,
) -> Result<Transaction<'static, Any>, sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE projects SET version = version + 1 WHERE id = $1")
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Whether the person is (still) a member of the project.
pub async fn is_member(db: &Db, project_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT role FROM members WHERE project_id = $1 AND user_id = $2")
            .bind(project_id)
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

pub async fn find(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
) -> Result<Option<MemberRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.email, m.role, m.joined_at, m.permissions, m.all_services
         FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.project_id = $1 AND m.user_id = $2",
    )
    .bind(project_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut member = member_from_row(&row)?;
    member.permissions = super::permissions::from_row(tx, &row, project_id, user_id).await?;
    Ok(Some(member))
}

pub async fn owner_count(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE project_id = $1 AND role = 'owner'")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn set_role(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE members SET role = $1 WHERE project_id = $2 AND user_id = $3")
        .bind(role.key())
        .bind(project_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn add(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
    role: Role,
    now: i64,
) -> Result<bool, sqlx::Error> {
    // The profile a new member starts with is the project's choice (seed 004): NULL and 1 are
    // everything the role allows; '' and 0 nothing at all.
    let done = sqlx::query(
        "INSERT INTO members (project_id, user_id, role, joined_at, permissions, all_services)
         SELECT id, $2, $3, $4,
                CASE WHEN new_member_access = 'none' THEN '' END,
                CASE WHEN new_member_access = 'none' THEN 0 ELSE 1 END
         FROM projects WHERE id = $1
         ON CONFLICT (project_id, user_id) DO NOTHING",
    )
    .bind(project_id)
    .bind(user_id)
    .bind(role.key())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM members WHERE project_id = $1 AND user_id = $2")
        .bind(project_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn member_from_row(r: &sqlx::any::AnyRow) -> Result<MemberRow, sqlx::Error> {
    let role: String = r.try_get("role")?;
    Ok(MemberRow {
        user_id: r.try_get("id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        role: Role::parse(&role).map_err(|e| sqlx::Error::Decode(e.into()))?,
        joined_at: r.try_get("joined_at")?,
        permissions: Permissions::default(),
    })
}
