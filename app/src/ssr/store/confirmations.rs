//! Email confirmation links. Only the SHA-256 of a link's token is stored.

use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

pub struct ConfirmationRow {
    pub user_id: String,
    pub email: String,
    pub expires_at: i64,
}

/// Replaces the account's links with this one: only the newest link works.
pub async fn replace(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    user_id: &str,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    delete_for_user(tx, user_id).await?;
    sqlx::query(
        "INSERT INTO email_confirmations (token_hash, user_id, email, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(email)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn from_row(r: sqlx::any::AnyRow) -> Result<ConfirmationRow, sqlx::Error> {
    Ok(ConfirmationRow {
        user_id: r.try_get("user_id")?,
        email: r.try_get("email")?,
        expires_at: r.try_get("expires_at")?,
    })
}

/// The link's row, without using it (the page that asks "confirm this address?").
pub async fn by_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<ConfirmationRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT user_id, email, expires_at FROM email_confirmations WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    row.map(from_row).transpose()
}

/// Uses the link up: of two requests with the same token, only one gets its row. Being a
/// write, it also takes SQLite's write lock at the start of the transaction.
pub async fn take(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
) -> Result<Option<ConfirmationRow>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM email_confirmations WHERE token_hash = $1 RETURNING user_id, email, expires_at",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(from_row).transpose()
}

/// When the account's newest link was sent, if it has one.
pub async fn last_sent(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(created_at) FROM email_confirmations WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn delete_for_user(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM email_confirmations WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
