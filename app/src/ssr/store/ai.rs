//! A project's AI settings (seed 004). The key is stored only sealed (`ssr::secrets`).

use super::decode;
use crate::domain::AiProvider;
use sqlx::{Any, Row, Transaction};

pub struct AiRow {
    pub provider: AiProvider,
    pub model: String,
    pub base_url: Option<String>,
    pub key_sealed: Option<String>,
    pub key_last4: Option<String>,
    pub key_set_at: Option<i64>,
}

pub async fn get<'e>(
    db: impl sqlx::Executor<'e, Database = Any>,
    project_id: &str,
) -> Result<Option<AiRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT provider, model, base_url, key_sealed, key_last4, key_set_at FROM project_ai
         WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(AiRow {
            provider: decode(AiProvider::parse(&r.try_get::<String, _>("provider")?))?,
            model: r.try_get("model")?,
            base_url: r.try_get("base_url")?,
            key_sealed: r.try_get("key_sealed")?,
            key_last4: r.try_get("key_last4")?,
            key_set_at: r.try_get("key_set_at")?,
        })
    })
    .transpose()
}

/// What to do with the stored key when the settings are saved.
pub enum KeyChange<'a> {
    Keep,
    /// The sealed key and its last four characters.
    Replace(&'a str, &'a str),
    Clear,
}

pub async fn save(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    provider: AiProvider,
    model: &str,
    base_url: Option<&str>,
    key: KeyChange<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_ai (project_id, provider, model, base_url, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project_id) DO UPDATE SET provider = $2, model = $3, base_url = $4, updated_at = $5",
    )
    .bind(project_id)
    .bind(provider.key())
    .bind(model)
    .bind(base_url)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let (sealed, last4, at) = match key {
        KeyChange::Keep => return Ok(()),
        KeyChange::Replace(sealed, last4) => (Some(sealed), Some(last4), Some(now)),
        KeyChange::Clear => (None, None, None),
    };
    sqlx::query(
        "UPDATE project_ai SET key_sealed = $1, key_last4 = $2, key_set_at = $3 WHERE project_id = $4",
    )
    .bind(sealed)
    .bind(last4)
    .bind(at)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
