//! The activity log: the one record of every membership change (issue 3), written in the same
//! transaction as the change itself.

use super::new_id;
use crate::api::members::ActivityEntry;
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

/// What happened, as stored in `activity.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invited,
    Resent,
    Cancelled,
    PendingRoleChanged,
    Accepted,
    Declined,
    RoleChanged,
    Removed,
    Left,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Invited => "invited",
            Kind::Resent => "resent",
            Kind::Cancelled => "cancelled",
            Kind::PendingRoleChanged => "pending_role_changed",
            Kind::Accepted => "accepted",
            Kind::Declined => "declined",
            Kind::RoleChanged => "role_changed",
            Kind::Removed => "removed",
            Kind::Left => "left",
        }
    }
}

pub struct Entry<'a> {
    pub project_id: &'a str,
    pub kind: Kind,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub subject: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub now: i64,
}

/// Appends an entry. The caller holds the project lock, so `seq` is gap-free per project.
pub async fn record(tx: &mut Transaction<'_, Any>, e: Entry<'_>) -> Result<i64, sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO activity (id, project_id, seq, kind, actor_id, actor_name, subject, old_value, new_value, created_at)
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9 FROM activity WHERE project_id = $2
         RETURNING seq",
    )
    .bind(new_id())
    .bind(e.project_id)
    .bind(e.kind.key())
    .bind(e.actor_id)
    .bind(e.actor_name)
    .bind(e.subject)
    .bind(e.old_value)
    .bind(e.new_value)
    .bind(e.now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// A page of a project's log, newest first; `before` is the `seq` to continue below.
pub async fn page(
    db: &Db,
    project_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<ActivityEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, kind, actor_name, subject, old_value, new_value, created_at FROM activity
         WHERE project_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
    )
    .bind(project_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ActivityEntry {
                seq: r.try_get("seq")?,
                kind: r.try_get("kind")?,
                actor_name: r.try_get("actor_name")?,
                subject: r.try_get("subject")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                at: r.try_get("created_at")?,
            })
        })
        .collect()
}
