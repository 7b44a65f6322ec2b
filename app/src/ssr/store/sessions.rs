use crate::ssr::{
    database::Db,
    session::{SessionUser, ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, TOUCH_INTERVAL_MS},
};
use sqlx::Row;

pub async fn create(db: &Db, token_hash: &str, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The person behind a session token hash, if the session exists and has not expired. An
/// expired session is deleted on sight; a live one has its idle clock reset.
pub async fn resolve(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT s.user_id, s.created_at, s.last_seen_at, u.name, u.email, u.email_confirmed_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    if now - last_seen_at > IDLE_TIMEOUT_MS || now - created_at > ABSOLUTE_TIMEOUT_MS {
        delete(db, token_hash).await?;
        return Ok(None);
    }
    if now - last_seen_at > TOUCH_INTERVAL_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(db)
            .await?;
    }
    let confirmed_at: Option<i64> = row.try_get("email_confirmed_at")?;
    Ok(Some(SessionUser {
        user_id: row.try_get("user_id")?,
        email_confirmed: confirmed_at.is_some(),
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        token_hash: token_hash.to_owned(),
    }))
}

/// Whether the session still exists and has not expired, without counting as a use.
pub async fn is_live(db: &Db, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT created_at, last_seen_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some_and(|(created_at, last_seen_at)| {
        now - last_seen_at <= IDLE_TIMEOUT_MS && now - created_at <= ABSOLUTE_TIMEOUT_MS
    }))
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}
