//! The webhook outbox (issue 10): events for the back office, delivered by one replica each.

use super::new_id;
use crate::ssr::database::{Backend, Db};
use sqlx::{Any, Row, Transaction};

/// Adds an event, in the caller's transaction: it exists if and only if the change commits.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    event: &str,
    payload: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhooks (id, event, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(id)
    .bind(event)
    .bind(payload)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An id for a new event (the receiver's key for telling a repeat from a new event).
pub fn new_event_id() -> String {
    new_id()
}

pub struct Claimed {
    pub id: String,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
}

/// Takes the next due event for `lease_ms` (see `outbox::claim_next` for why the condition
/// is repeated).
pub async fn claim_next(db: &Db, now: i64, lease_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let sql = format!(
        "UPDATE webhooks SET locked_until = $1, attempts = attempts + 1
         WHERE id = (SELECT id FROM webhooks
                     WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 AND locked_until <= $2
                     ORDER BY next_attempt_at, created_at LIMIT 1{})
           AND delivered_at IS NULL AND failed_at IS NULL AND locked_until <= $2
         RETURNING id, event, payload, attempts",
        Backend::of(db).skip_locked()
    );
    let row = sqlx::query(&sql)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(db)
        .await?;
    row.map(|r| {
        Ok(Claimed {
            id: r.try_get(0)?,
            event: r.try_get(1)?,
            payload: r.try_get(2)?,
            attempts: r.try_get(3)?,
        })
    })
    .transpose()
}

pub async fn mark_delivered(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhooks SET delivered_at = $1, last_error = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up on when that is `None`.
pub async fn mark_failed(
    db: &Db,
    id: &str,
    error: &str,
    now: i64,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE webhooks SET last_error = $1, locked_until = 0,
                next_attempt_at = COALESCE($2, next_attempt_at),
                failed_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END
         WHERE id = $4",
    )
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets events older than `before` that were delivered, given up on, or (with no receiver
/// configured) never had anywhere to go.
pub async fn purge(db: &Db, before: i64, undelivered_too: bool) -> Result<u64, sqlx::Error> {
    let sql = if undelivered_too {
        "DELETE FROM webhooks WHERE created_at < $1"
    } else {
        "DELETE FROM webhooks WHERE created_at < $1 AND (delivered_at IS NOT NULL OR failed_at IS NOT NULL)"
    };
    Ok(sqlx::query(sql)
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}
