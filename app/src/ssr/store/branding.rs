//! A project's primary colour and logo (seed 004).

use crate::ssr::database::Db;
use base64::{engine::general_purpose::STANDARD, Engine};
use sqlx::{Any, Transaction};

pub async fn set_color(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    color: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET brand_color = $1 WHERE id = $2")
        .bind(color)
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_logo(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    png: &[u8],
    etag: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_logos (project_id, png_base64, etag, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id) DO UPDATE SET png_base64 = $2, etag = $3, updated_at = $4",
    )
    .bind(project_id)
    .bind(STANDARD.encode(png))
    .bind(etag)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes the logo; whether there was one.
pub async fn remove_logo(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM project_logos WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The project's logo as PNG bytes, with its ETag.
pub async fn logo(db: &Db, project_id: &str) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT png_base64, etag FROM project_logos WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(db)
            .await?;
    row.map(|(data, etag)| {
        STANDARD
            .decode(data)
            .map(|png| (png, etag))
            .map_err(|e| sqlx::Error::Decode(e.into()))
    })
    .transpose()
}
