use super::{new_id, projects};
use crate::domain::{Email, PersonName, ProjectName, Slug};
use crate::ssr::database::Db;
use sqlx::Row;

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

/// Creates the account and its first project, owned by it, in one transaction (seed 000).
pub async fn register(
    db: &Db,
    name: &PersonName,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<Registration, sqlx::Error> {
    let mut tx = db.begin().await?;
    let user_id = new_id();
    // The write comes first so SQLite takes its write lock at once instead of failing a
    // read-then-write upgrade under contention.
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&user_id)
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(password_hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Registration::EmailTaken);
    }
    let project_name = ProjectName::first_project_of(name);
    let first_project =
        projects::insert_with_generated_slug(&mut tx, &project_name, &user_id, now).await?;
    tx.commit().await?;
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
