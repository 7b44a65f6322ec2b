//! Invitations to join a project. Only the SHA-256 of a link's token is stored.

use super::new_id;
use crate::domain::{Email, Role};
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub id: String,
    pub project_id: String,
    pub project_slug: String,
    pub project_name: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub inviter_name: String,
    pub sent_at: i64,
    pub expires_at: i64,
    pub status: String,
    /// Why the outbox gave up on the invitation's email, if it did.
    pub delivery_error: Option<String>,
}

impl InvitationRow {
    /// Pending, but no longer able to bring anyone in (expired, or its email never arrived):
    /// shown with Resend, and a new invitation to the address replaces it (seed 002).
    pub fn is_stale(&self, now: i64) -> bool {
        self.expires_at <= now || self.delivery_error.is_some()
    }
}

const SELECT: &str = "SELECT i.id, i.project_id, p.slug, p.name AS project_name, i.email, i.role,
        i.invited_by, u.name AS inviter_name, i.sent_at, i.expires_at, i.status,
        CASE WHEN o.failed_at IS NOT NULL THEN COALESCE(o.last_error, '') END AS delivery_error
    FROM invitations i JOIN projects p ON p.id = i.project_id JOIN users u ON u.id = i.invited_by
    LEFT JOIN outbox o ON o.id = i.outbox_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<InvitationRow, sqlx::Error> {
    let role: String = r.try_get("role")?;
    Ok(InvitationRow {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        project_slug: r.try_get("slug")?,
        project_name: r.try_get("project_name")?,
        email: r.try_get("email")?,
        role: Role::parse(&role).map_err(|e| sqlx::Error::Decode(e.into()))?,
        invited_by: r.try_get("invited_by")?,
        inviter_name: r.try_get("inviter_name")?,
        sent_at: r.try_get("sent_at")?,
        expires_at: r.try_get("expires_at")?,
        status: r.try_get("status")?,
        delivery_error: r.try_get("delivery_error")?,
    })
}

pub async fn pending_for_project(
    db: &Db,
    project_id: &str,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.project_id = $1 AND i.status = 'pending' ORDER BY i.sent_at DESC"
    ))
    .bind(project_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn pending_for_email(db: &Db, email: &str) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.email = $1 AND i.status = 'pending' ORDER BY i.sent_at DESC"
    ))
    .bind(email)
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_id(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    one_where(db, "i.token_hash = $1", token_hash).await
}

/// The pending invitation whose latest email is outbox row `outbox_id`, if any.
pub async fn pending_by_outbox_id(
    db: &Db,
    outbox_id: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    one_where(db, "i.outbox_id = $1 AND i.status = 'pending'", outbox_id).await
}

/// The invitation matching `filter` (a condition on `i`, with `value` as `$1`), if any.
async fn one_where(
    db: &Db,
    filter: &str,
    value: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE {filter}"))
        .bind(value)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The pending invitation of `email` to the project, if there is one (there is at most one).
pub async fn pending_for(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    email: &Email,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE i.project_id = $1 AND i.email = $2 AND i.status = 'pending'"
    ))
    .bind(project_id)
    .bind(email.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn is_member_email(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    email: &Email,
) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT u.id FROM members m JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 AND u.email = $2",
    )
    .bind(project_id)
    .bind(email.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// How many invitations the project sent (or re-sent) since `since`: the rate limit's count.
pub async fn sent_since(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM activity WHERE project_id = $1 AND kind IN ('invited', 'resent') AND created_at >= $2")
        .bind(project_id)
        .bind(since)
        .fetch_one(&mut **tx)
        .await
}

/// How many invitations one person sent (or re-sent) since `since`, in any project.
pub async fn sent_by_since(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM activity WHERE actor_id = $1 AND kind IN ('invited', 'resent') AND created_at >= $2")
        .bind(user_id)
        .bind(since)
        .fetch_one(&mut **tx)
        .await
}

pub struct NewInvitation<'a> {
    pub project_id: &'a str,
    pub email: &'a Email,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: &'a str,
    pub now: i64,
    pub expires_at: i64,
    /// The outbox row of its email.
    pub outbox_id: &'a str,
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    n: NewInvitation<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO invitations (id, project_id, email, role, token_hash, invited_by, sent_at, expires_at, outbox_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(n.project_id)
    .bind(n.email.as_str())
    .bind(n.role.key())
    .bind(n.token_hash)
    .bind(n.invited_by)
    .bind(n.now)
    .bind(n.expires_at)
    .bind(n.outbox_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub struct Renewal<'a> {
    pub token_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub by: &'a str,
    /// The outbox row of the new email.
    pub outbox_id: &'a str,
}

/// A new token and expiry: the old link stops working (seed 001). Whoever resends it vouches
/// for it from now on (`invited_by`): it stands on their rights.
pub async fn renew(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    r: Renewal<'_>,
) -> Result<(), sqlx::Error> {
    retire(tx, id, Retired::Replaced, r.now).await?;
    sqlx::query("UPDATE invitations SET token_hash = $1, sent_at = $2, expires_at = $3, invited_by = $5, outbox_id = $6 WHERE id = $4 AND status = 'pending'")
        .bind(r.token_hash)
        .bind(r.now)
        .bind(r.expires_at)
        .bind(id)
        .bind(r.by)
        .bind(r.outbox_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new role for a pending invitation; whoever set it vouches for it from now on.
pub async fn set_role(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    role: Role,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET role = $1, invited_by = $3 WHERE id = $2 AND status = 'pending'",
    )
    .bind(role.key())
    .bind(id)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Cancelling removes the row: the link stops working at once (seed 003). Its link is kept
/// as retired, so opening it says what happened (`why`).
pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    why: Retired,
    now: i64,
) -> Result<(), sqlx::Error> {
    retire(tx, id, why, now).await?;
    sqlx::query("DELETE FROM invitations WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Why an invitation's link no longer works, though the link was real.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retired {
    /// The project cancelled the invitation (or Roster did, with its sender's rights).
    Cancelled,
    /// A newer link was sent for it (resent, or invited again after it expired or bounced).
    Replaced,
}

impl Retired {
    fn key(self) -> &'static str {
        match self {
            Retired::Cancelled => "cancelled",
            Retired::Replaced => "replaced",
        }
    }

    fn parse(key: &str) -> Option<Self> {
        match key {
            "cancelled" => Some(Retired::Cancelled),
            "replaced" => Some(Retired::Replaced),
            _ => None,
        }
    }
}

/// How long a retired link is still explained; after that it is "not valid" like any other.
pub const RETIRED_LINKS_KEPT_MS: i64 = 90 * 24 * 3600 * 1000;

/// Keeps the current link of invitation `id` as retired, and forgets links retired long ago.
async fn retire(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    why: Retired,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM retired_invitation_links WHERE retired_at < $1")
        .bind(now - RETIRED_LINKS_KEPT_MS)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO retired_invitation_links (token_hash, project_id, email, inviter_name, reason, retired_at)
         SELECT i.token_hash, i.project_id, i.email, u.name, $2, $3
         FROM invitations i JOIN users u ON u.id = i.invited_by WHERE i.id = $1",
    )
    .bind(id)
    .bind(why.key())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A link that once belonged to an invitation and was retired.
pub struct RetiredLink {
    pub project_name: String,
    pub email: String,
    pub inviter_name: String,
    pub why: Retired,
}

pub async fn retired_link(db: &Db, token_hash: &str) -> Result<Option<RetiredLink>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.name, r.email, r.inviter_name, r.reason
         FROM retired_invitation_links r JOIN projects p ON p.id = r.project_id
         WHERE r.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        let reason: String = r.try_get("reason")?;
        Ok(RetiredLink {
            project_name: r.try_get("name")?,
            email: r.try_get("email")?,
            inviter_name: r.try_get("inviter_name")?,
            why: Retired::parse(&reason)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown reason {reason:?}").into()))?,
        })
    })
    .transpose()
}

/// Marks a pending invitation answered; `false` if it was no longer pending (answered or
/// cancelled by a concurrent request), so exactly one of two racing answers wins.
pub async fn answer(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET status = $1, answered_at = $2 WHERE id = $3 AND status = 'pending'",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The pending invitations a member sent (or last vouched for) in a project.
pub async fn pending_sent_by(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.project_id = $1 AND i.invited_by = $2 AND i.status = 'pending'"
    ))
    .bind(project_id)
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Cancels the pending invitations a departing member sent, returning their addresses.
pub async fn delete_sent_by(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    user_id: &str,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sent = pending_sent_by(tx, project_id, user_id).await?;
    for invitation in &sent {
        delete(tx, &invitation.id, Retired::Cancelled, now).await?;
    }
    Ok(sent.into_iter().map(|i| i.email).collect())
}

pub async fn project_expiry_days(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT invite_expiry_days FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}
