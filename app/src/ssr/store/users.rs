use super::{new_id, projects};
use crate::domain::{Email, PersonName, ProjectName, Slug};
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

pub struct Credentials {
    pub user_id: String,
    pub password_hash: String,
}

pub enum Registration {
    Created {
        user_id: String,
        first_project: Slug,
    },
    EmailTaken,
}

/// Creates the account and its first project, owned by it (seed 000). `confirmed` when the
/// address is proven already (signing up from an invitation link sent to it).
pub async fn register(
    tx: &mut Transaction<'_, Any>,
    name: &PersonName,
    email: &Email,
    password_hash: &str,
    confirmed: bool,
    now: i64,
) -> Result<Registration, sqlx::Error> {
    let user_id = new_id();
    // The write comes first so SQLite takes its write lock at once instead of failing a
    // read-then-write upgrade under contention.
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, created_at, email_confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&user_id)
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(password_hash)
    .bind(now)
    .bind(confirmed.then_some(now))
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Registration::EmailTaken);
    }
    let project_name = ProjectName::first_project_of(name);
    let first_project =
        projects::insert_with_generated_slug(tx, &project_name, &user_id, now).await?;
    Ok(Registration::Created {
        user_id,
        first_project,
    })
}

pub async fn credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(db)
        .await?;
    row.map(|r| {
        Ok(Credentials {
            user_id: r.try_get("id")?,
            password_hash: r.try_get("password_hash")?,
        })
    })
    .transpose()
}

/// Marks the account's address proven, if it is still `email` (a link sent to an address the
/// account has since left proves nothing). `false` when it is not.
pub async fn confirm_email(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $1)
         WHERE id = $2 AND email = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(email)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the account's row lock (SQLite's write lock) before a read-then-write that counts
/// what the account did (links sent, invitations sent), so two requests cannot both pass a
/// limit on PostgreSQL's read-committed reads.
pub async fn lock(tx: &mut Transaction<'_, Any>, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_confirmed_at = email_confirmed_at WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The stored password hash of an account.
pub async fn password_hash(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Ends every session of the account, returning their hashes (for their open streams).
pub async fn end_sessions(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash")
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await
}
