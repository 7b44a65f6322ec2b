//! A PostgreSQL server for tests and benchmarks: `ROSTER_TEST_POSTGRES` (default the local
//! `postgres://postgres@127.0.0.1:5432`), and throwaway databases on it.

pub fn server() -> String {
    std::env::var("ROSTER_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".into())
        .trim_end_matches('/')
        .to_owned()
}

/// Runs one statement on the server's `postgres` database.
pub async fn admin(server: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(&format!("{server}/postgres")).await?;
    conn.execute(sql).await?;
    Ok(())
}

/// A new, empty database named `<prefix>_<random>`; returns (its URL, its name).
pub async fn create(server: &str, prefix: &str) -> Result<(String, String), sqlx::Error> {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    admin(server, &format!("CREATE DATABASE {name}")).await?;
    Ok((format!("{server}/{name}"), name))
}

pub async fn drop(server: &str, name: &str) {
    let _ = admin(
        server,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
}
