//! Questions the server asked before a role change to or from Owner, and their single-use
//! answers. Only the SHA-256 of an answer's token is stored.

use crate::{domain::Role, ssr::database::Db};
use sqlx::{Any, Row, Transaction};

pub struct Question<'a> {
    pub token_hash: &'a str,
    pub session_hash: &'a str,
    pub project_id: &'a str,
    pub target_id: &'a str,
    pub from: Role,
    pub to: Role,
    pub question: &'a str,
    pub expires_at: i64,
}

pub async fn ask(db: &Db, q: Question<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO role_questions (token_hash, session_hash, project_id, target_id, from_role, to_role, question, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(q.token_hash)
    .bind(q.session_hash)
    .bind(q.project_id)
    .bind(q.target_id)
    .bind(q.from.key())
    .bind(q.to.key())
    .bind(q.question)
    .bind(q.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// An open question asked in this session about this project: (question, target, new role).
pub async fn open(
    db: &Db,
    token_hash: &str,
    session_hash: &str,
    project_id: &str,
    now: i64,
) -> Result<Option<(String, String, Role)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT question, target_id, to_role FROM role_questions
         WHERE token_hash = $1 AND session_hash = $2 AND project_id = $3 AND expires_at > $4",
    )
    .bind(token_hash)
    .bind(session_hash)
    .bind(project_id)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        let role: String = r.try_get("to_role")?;
        Ok((
            r.try_get("question")?,
            r.try_get("target_id")?,
            Role::parse(&role).map_err(|e| sqlx::Error::Decode(e.into()))?,
        ))
    })
    .transpose()
}

/// Uses up the answer to exactly this question: same session, project, target, and the same
/// change (from the role the target still has to `to`). `false` if there is no such question.
#[allow(clippy::too_many_arguments)]
pub async fn take(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    session_hash: &str,
    project_id: &str,
    target_id: &str,
    from: Role,
    to: Role,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM role_questions
         WHERE token_hash = $1 AND session_hash = $2 AND project_id = $3 AND target_id = $4
           AND from_role = $5 AND to_role = $6 AND expires_at > $7",
    )
    .bind(token_hash)
    .bind(session_hash)
    .bind(project_id)
    .bind(target_id)
    .bind(from.key())
    .bind(to.key())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
