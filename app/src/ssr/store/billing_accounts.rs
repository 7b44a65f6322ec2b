//! Billing accounts (issue 10; seed 001 "legal entities").

use super::new_id;
use crate::api::billing::BillingAccount;
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

pub struct NewAccount<'a> {
    pub company_name: &'a str,
    pub tax_id: &'a str,
    pub address: &'a str,
    pub billing_email: &'a str,
}

/// Adds an account; the project's first becomes its default.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    a: &NewAccount<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO billing_accounts (id, project_id, company_name, tax_id, address, billing_email, is_default, created_at)
         SELECT $1, $2, $3, $4, $5, $6,
                CASE WHEN EXISTS (SELECT 1 FROM billing_accounts WHERE project_id = $2) THEN 0 ELSE 1 END, $7",
    )
    .bind(&id)
    .bind(project_id)
    .bind(a.company_name)
    .bind(a.tax_id)
    .bind(a.address)
    .bind(a.billing_email)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The company name of account `id` of the project, if it has one.
pub async fn name_of(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT company_name FROM billing_accounts WHERE project_id = $1 AND id = $2",
    )
    .bind(project_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn make_default(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<(), sqlx::Error> {
    // Two statements: the unique index allows one default at any moment.
    sqlx::query(
        "UPDATE billing_accounts SET is_default = 0 WHERE project_id = $1 AND is_default = 1",
    )
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE billing_accounts SET is_default = 1 WHERE project_id = $1 AND id = $2")
        .bind(project_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes an account; if it was the default, the oldest remaining one becomes the default.
pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM billing_accounts WHERE project_id = $1 AND id = $2")
        .bind(project_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE billing_accounts SET is_default = 1
         WHERE id = (SELECT id FROM billing_accounts WHERE project_id = $1 ORDER BY created_at, id LIMIT 1)
           AND NOT EXISTS (SELECT 1 FROM billing_accounts WHERE project_id = $1 AND is_default = 1)",
    )
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn count(tx: &mut Transaction<'_, Any>, project_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM billing_accounts WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}

/// The project's accounts, the default first, then oldest first.
pub async fn list(db: &Db, project_id: &str) -> Result<Vec<BillingAccount>, sqlx::Error> {
    sqlx::query(
        "SELECT id, company_name, tax_id, address, billing_email, is_default FROM billing_accounts
         WHERE project_id = $1 ORDER BY is_default DESC, created_at, id",
    )
    .bind(project_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(BillingAccount {
            id: r.try_get(0)?,
            company_name: r.try_get(1)?,
            tax_id: r.try_get(2)?,
            address: r.try_get(3)?,
            billing_email: r.try_get(4)?,
            is_default: r.try_get::<i64, _>(5)? != 0,
        })
    })
    .collect()
}
