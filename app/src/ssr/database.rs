//! Opening the database: SQLite by default, PostgreSQL when the URL says so. One `AnyPool` so the
//! store has one set of functions and one SQL text for both.

use sqlx::{any::AnyPoolOptions, AnyPool, Executor};
use std::{path::Path, time::Duration};

pub type Db = AnyPool;

pub const DEFAULT_SQLITE_URL: &str = "sqlite://data/roster.db";

/// Opens a pool. A `sqlite:` file is created (with its directory) if missing; every SQLite
/// connection gets WAL, a busy timeout and foreign keys, which SQLite leaves off by default.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let is_sqlite = url.starts_with("sqlite:");
    let url = if is_sqlite {
        prepare_sqlite_file(url)?
    } else {
        url.to_owned()
    };
    let options = AnyPoolOptions::new()
        .max_connections(if is_sqlite { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                if conn.backend_name().eq_ignore_ascii_case("sqlite") {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                }
                Ok(())
            })
        });
    options.connect(&url).await
}

/// Makes sure the directory of a SQLite file exists and asks SQLite to create the file.
fn prepare_sqlite_file(url: &str) -> Result<String, sqlx::Error> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| sqlx::Error::Configuration(Box::new(e)))?;
        }
    }
    let mut query: Vec<&str> = query.split('&').filter(|q| !q.is_empty()).collect();
    if !query.iter().any(|q| q.starts_with("mode=")) {
        query.push("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{}", query.join("&")))
}

/// Which SQL dialect a pool speaks. Nearly all SQL is one text for both; the few places where
/// the dialects must differ ask this, and the differences are spelled out below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(db: &Db) -> Self {
        match db.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Self::Postgres,
            _ => Self::Sqlite,
        }
    }

    /// Appended to a `SELECT` that claims rows for one worker among several: on PostgreSQL,
    /// rows another transaction holds are skipped instead of waited for. SQLite has one writer at
    /// a time, so the claim's own `UPDATE` is already exclusive.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Self::Postgres => " FOR UPDATE SKIP LOCKED",
            Self::Sqlite => "",
        }
    }
}
