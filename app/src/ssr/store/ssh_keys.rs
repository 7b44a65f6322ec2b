//! Project SSH public keys (issue 10).

use super::new_id;
use crate::api::ssh_keys::SshKey;
use crate::ssr::{database::Db, dates::day, ssh::ParsedKey};
use sqlx::{Any, Row, Transaction};

/// Adds a key; `false` if the project has it already (same fingerprint).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    name: &str,
    key: &ParsedKey,
    added_by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO ssh_keys (id, project_id, name, algorithm, fingerprint, public_key, added_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (project_id, fingerprint) DO NOTHING",
    )
    .bind(new_id())
    .bind(project_id)
    .bind(name)
    .bind(&key.algorithm)
    .bind(&key.fingerprint)
    .bind(&key.openssh)
    .bind(added_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count(tx: &mut Transaction<'_, Any>, project_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM ssh_keys WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}

/// Removes key `id` of the project; returns its name, `None` if there is no such key.
pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM ssh_keys WHERE project_id = $1 AND id = $2 RETURNING name")
        .bind(project_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The project's keys, oldest first.
pub async fn list(db: &Db, project_id: &str) -> Result<Vec<SshKey>, sqlx::Error> {
    sqlx::query(
        "SELECT id, name, algorithm, fingerprint, public_key, added_by, created_at FROM ssh_keys
         WHERE project_id = $1 ORDER BY created_at, id",
    )
    .bind(project_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(SshKey {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            algorithm: r.try_get(2)?,
            fingerprint: r.try_get(3)?,
            public_key: r.try_get(4)?,
            added_by: r.try_get(5)?,
            added: day(r.try_get(6)?),
        })
    })
    .collect()
}
