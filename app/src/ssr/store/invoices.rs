//! Invoices, their lines and payments (issue 10).

use super::{decode, new_id};
use crate::api::invoices::{InvoiceLine, InvoiceSummary, PaymentView};
use crate::domain::{InvoiceState, InvoiceStatus, PaymentStatus};
use crate::ssr::{
    database::Db,
    dates::{day, moment},
    money,
};
use sqlx::{any::AnyRow, Any, Row, Transaction};

/// An invoice as the back office issues it (already parsed and summed).
pub struct NewInvoice<'a> {
    pub number: &'a str,
    pub issued_on: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub due_on: i64,
    pub currency: &'a str,
    pub total_minor: i64,
    /// (service, description, amount in minor units)
    pub lines: &'a [(String, String, i64)],
}

/// An invoice as the rules need it.
#[derive(Debug, Clone)]
pub struct InvoiceRow {
    pub id: String,
    pub project_id: String,
    pub number: String,
    pub status: InvoiceStatus,
}

#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub id: String,
    pub invoice_id: String,
    pub status: PaymentStatus,
}

pub async fn number_taken(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    number: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM invoices WHERE project_id = $1 AND number = $2")
            .bind(project_id)
            .bind(number)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    inv: &NewInvoice<'_>,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO invoices (id, project_id, number, issued_on, period_start, period_end, due_on, currency, total_minor, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'unpaid', $10, $10)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(inv.number)
    .bind(inv.issued_on)
    .bind(inv.period_start)
    .bind(inv.period_end)
    .bind(inv.due_on)
    .bind(inv.currency)
    .bind(inv.total_minor)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for (seq, (service, description, amount)) in inv.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, seq, service, description, amount_minor)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(seq as i64 + 1)
        .bind(service)
        .bind(description)
        .bind(*amount)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

pub async fn project_of(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT project_id FROM invoices WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Invoice `id` of the project, read under the caller's lock.
pub async fn find(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    id: &str,
) -> Result<Option<InvoiceRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, project_id, number, status FROM invoices WHERE project_id = $1 AND id = $2",
    )
    .bind(project_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(InvoiceRow {
        id: r.try_get(0)?,
        project_id: r.try_get(1)?,
        number: r.try_get(2)?,
        status: decode(InvoiceStatus::parse(&r.try_get::<String, _>(3)?))?,
    }))
}

pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: InvoiceStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    let paid_at = (status == InvoiceStatus::Paid).then_some(now);
    sqlx::query("UPDATE invoices SET status = $1, paid_at = $2, updated_at = $3 WHERE id = $4")
        .bind(status.key())
        .bind(paid_at)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The payment still waiting for the back office's answer, if any.
pub async fn pending_payment(
    tx: &mut Transaction<'_, Any>,
    invoice_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM payments WHERE invoice_id = $1 AND status = 'pending'")
        .bind(invoice_id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn insert_payment(
    tx: &mut Transaction<'_, Any>,
    invoice: &InvoiceRow,
    method: &str,
    requested_by: &str,
    requester_name: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO payments (id, invoice_id, project_id, status, method, requested_by, requester_name, created_at, updated_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(&invoice.id)
    .bind(&invoice.project_id)
    .bind(method)
    .bind(requested_by)
    .bind(requester_name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn payment_project(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT project_id FROM payments WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn find_payment(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<PaymentRow>, sqlx::Error> {
    let row = sqlx::query("SELECT id, invoice_id, status FROM payments WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(PaymentRow {
        id: r.try_get(0)?,
        invoice_id: r.try_get(1)?,
        status: decode(PaymentStatus::parse(&r.try_get::<String, _>(2)?))?,
    }))
}

pub async fn set_payment_status(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: PaymentStatus,
    message: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET status = $1, message = $2, updated_at = $3 WHERE id = $4")
        .bind(status.key())
        .bind(message)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One invoice's row as lists show it, with whether a payment is pending.
const SUMMARY: &str = "SELECT i.id, i.number, i.issued_on, i.period_start, i.period_end, i.due_on,
        i.currency, i.total_minor, i.status,
        (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'pending')
     FROM invoices i WHERE i.project_id = $1";

fn summary_from_row(r: &AnyRow, now: i64) -> Result<InvoiceSummary, sqlx::Error> {
    let currency: String = r.try_get(6)?;
    let total_minor: i64 = r.try_get(7)?;
    let status = decode(InvoiceStatus::parse(&r.try_get::<String, _>(8)?))?;
    let due_on: i64 = r.try_get(5)?;
    let pending = r.try_get::<i64, _>(9)? > 0;
    Ok(InvoiceSummary {
        id: r.try_get(0)?,
        number: r.try_get(1)?,
        issued: day(r.try_get(2)?),
        period: format!("{} – {}", day(r.try_get(3)?), day(r.try_get(4)?)),
        due: day(due_on),
        total: money::format(total_minor, &currency),
        total_minor,
        currency,
        state: InvoiceState::of(status, pending, due_on, now),
    })
}

/// The project's invoices, the newest first.
pub async fn list(db: &Db, project_id: &str, now: i64) -> Result<Vec<InvoiceSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "{SUMMARY} ORDER BY i.issued_on DESC, i.number DESC"
    ))
    .bind(project_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| summary_from_row(r, now))
    .collect()
}

/// Invoice `id` of the project with its lines and payments (newest first).
pub async fn detail(
    db: &Db,
    project_id: &str,
    id: &str,
    now: i64,
) -> Result<Option<(InvoiceSummary, Vec<InvoiceLine>, Vec<PaymentView>)>, sqlx::Error> {
    let Some(row) = sqlx::query(&format!("{SUMMARY} AND i.id = $2"))
        .bind(project_id)
        .bind(id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let invoice = summary_from_row(&row, now)?;
    let lines = sqlx::query(
        "SELECT service, description, amount_minor FROM invoice_lines WHERE invoice_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(InvoiceLine {
            service: r.try_get(0)?,
            description: r.try_get(1)?,
            amount: money::format(r.try_get(2)?, &invoice.currency),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let payments = sqlx::query(
        "SELECT status, method, requester_name, message, created_at, updated_at FROM payments
         WHERE invoice_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(PaymentView {
            status: decode(PaymentStatus::parse(&r.try_get::<String, _>(0)?))?,
            method: r.try_get(1)?,
            requester: r.try_get(2)?,
            message: r.try_get(3)?,
            requested: moment(r.try_get(4)?),
            updated: moment(r.try_get(5)?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some((invoice, lines, payments)))
}

/// A payment waiting for the back office: what to charge, for which invoice, in which project.
#[derive(Debug, Clone)]
pub struct PendingPayment {
    pub id: String,
    pub project_slug: String,
    pub invoice_id: String,
    pub invoice_number: String,
    pub total_minor: i64,
    pub currency: String,
    pub method: String,
    pub requester: String,
    pub requested: String,
}

/// Payments in `status` across all projects, oldest first: the back office's queue.
pub async fn payments_in(
    db: &Db,
    status: PaymentStatus,
    limit: i64,
) -> Result<Vec<PendingPayment>, sqlx::Error> {
    sqlx::query(
        "SELECT p.id, pr.slug, i.id, i.number, i.total_minor, i.currency, p.method, p.requester_name, p.created_at
         FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN projects pr ON pr.id = p.project_id
         WHERE p.status = $1 ORDER BY p.created_at, p.id LIMIT $2",
    )
    .bind(status.key())
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(PendingPayment {
            id: r.try_get(0)?,
            project_slug: r.try_get(1)?,
            invoice_id: r.try_get(2)?,
            invoice_number: r.try_get(3)?,
            total_minor: r.try_get(4)?,
            currency: r.try_get(5)?,
            method: r.try_get(6)?,
            requester: r.try_get(7)?,
            requested: moment(r.try_get(8)?),
        })
    })
    .collect()
}

/// Unpaid invoices by currency: (currency, how many, total due in minor units).
pub async fn unpaid(db: &Db, project_id: &str) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT currency, COUNT(*), CAST(SUM(total_minor) AS BIGINT) FROM invoices
         WHERE project_id = $1 AND status = 'unpaid' GROUP BY currency ORDER BY currency",
    )
    .bind(project_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect()
}
