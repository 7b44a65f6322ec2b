//! Outgoing email, written in the same transaction as the change that causes it and delivered
//! by the mail worker after commit: nothing is sent from inside a request.

use super::new_id;
use crate::ssr::{
    database::{Backend, Db},
    mail::Message,
};
use sqlx::{Any, Row, Transaction};

/// What an email is about, for the limits that count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// About a project: invitations, role changes, removals.
    Project,
    /// About the account: address confirmation, "you already have an account".
    Account,
}

impl MailKind {
    fn key(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Account => "account",
        }
    }
}

pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    kind: MailKind,
    message: &Message,
    now: i64,
) -> Result<String, sqlx::Error> {
    insert(tx, kind, message, now, now, None).await
}

/// An email that later changes to the same thing fold into: it waits until `due`, and a change
/// before then rewrites it (see `fold`). `key` names what it is about, `from` the value before
/// the first change.
pub async fn enqueue_foldable(
    tx: &mut Transaction<'_, Any>,
    message: &Message,
    now: i64,
    due: i64,
    key: &str,
    from: &str,
) -> Result<(), sqlx::Error> {
    insert(tx, MailKind::Project, message, now, due, Some((key, from))).await?;
    Ok(())
}

async fn insert(
    tx: &mut Transaction<'_, Any>,
    kind: MailKind,
    message: &Message,
    now: i64,
    due: i64,
    fold: Option<(&str, &str)>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, kind, recipient, subject, body_text, body_html, created_at, next_attempt_at, coalesce_key, coalesce_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(kind.key())
    .bind(&message.to)
    .bind(&message.subject)
    .bind(&message.text)
    .bind(&message.html)
    .bind(now)
    .bind(due)
    .bind(fold.map(|(key, _)| key))
    .bind(fold.map(|(_, from)| from))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The unsent, unclaimed email waiting under `key`: its id and the value before the first
/// change. One being delivered right now is left alone (a new email follows it).
pub async fn waiting_under(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, coalesce_from FROM outbox
         WHERE coalesce_key = $1 AND sent_at IS NULL AND failed_at IS NULL AND attempts = 0 AND locked_until <= $2",
    )
    .bind(key)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Rewrites a waiting email (`None`: nothing to say any more, it is dropped). `false` when the
/// worker took it in the meantime: then the caller writes a new one.
pub async fn fold(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    message: Option<&Message>,
) -> Result<bool, sqlx::Error> {
    let done = match message {
        Some(m) => {
            sqlx::query("UPDATE outbox SET subject = $1, body_text = $2, body_html = $3 WHERE id = $4 AND attempts = 0")
                .bind(&m.subject)
                .bind(&m.text)
                .bind(&m.html)
                .bind(id)
                .execute(&mut **tx)
                .await?
        }
        None => {
            sqlx::query("DELETE FROM outbox WHERE id = $1 AND attempts = 0")
                .bind(id)
                .execute(&mut **tx)
                .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// How many emails of `kind` were written for `recipient` since `since`.
pub async fn count_to(
    tx: &mut Transaction<'_, Any>,
    kind: MailKind,
    recipient: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND kind = $2 AND created_at >= $3",
    )
    .bind(recipient)
    .bind(kind.key())
    .bind(since)
    .fetch_one(&mut **tx)
    .await
}

pub struct Claimed {
    pub id: String,
    pub attempts: i64,
    pub message: Message,
}

/// Takes the next due message for `lease_ms`; on PostgreSQL a row another worker is claiming is
/// skipped rather than waited for. The condition is repeated in the outer WHERE so
/// that of two workers racing for one row, only one's UPDATE still matches.
pub async fn claim_next(db: &Db, now: i64, lease_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let sql = format!(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1
         WHERE id = (SELECT id FROM outbox
                     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 AND locked_until <= $2
                     ORDER BY next_attempt_at LIMIT 1{})
           AND sent_at IS NULL AND failed_at IS NULL AND locked_until <= $2
         RETURNING id, attempts, recipient, subject, body_text, body_html",
        Backend::of(db).skip_locked()
    );
    let row = sqlx::query(&sql)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(db)
        .await?;
    row.map(|r| {
        Ok(Claimed {
            id: r.try_get("id")?,
            attempts: r.try_get("attempts")?,
            message: Message {
                to: r.try_get("recipient")?,
                subject: r.try_get("subject")?,
                text: r.try_get("body_text")?,
                html: r.try_get("body_html")?,
            },
        })
    })
    .transpose()
}

/// Keeps a claim on a message whose delivery attempt is still running.
pub async fn renew_lease(db: &Db, id: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET locked_until = $1 WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL")
        .bind(until)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks a message delivered and drops its body: invitation and confirmation links must not
/// stay at rest once they reached the mail server (issue 9). Recipient and subject stay, for the
/// limits that count mail and for support.
pub async fn mark_sent(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL, body_text = '', body_html = '' WHERE id = $2")
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
        "UPDATE outbox SET last_error = $1, locked_until = 0,
                next_attempt_at = COALESCE($2, next_attempt_at),
                failed_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END,
                body_text = CASE WHEN $2 IS NULL THEN '' ELSE body_text END,
                body_html = CASE WHEN $2 IS NULL THEN '' ELSE body_html END
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
