//! The rules of invoices and payments (issue 10), shared by the members' server functions and
//! the operator API. The back office issues invoices and answers payments; Owners, Admins and
//! Accountants pay. Every change runs under the project lock, is recorded in the activity log,
//! and that entry is the live event that updates every open page.

use super::{
    authorize,
    database::Db,
    live::Hub,
    money,
    services::BACK_OFFICE,
    session::SessionUser,
    store::{
        activity::{self, Kind},
        invoices::{self as store, InvoiceRow, NewInvoice},
        is_id, members, projects,
    },
    webhooks::{self, Event},
};
use crate::{
    access::{Action, Scope},
    domain::{InvoiceStatus, PaymentStatus},
    error::AppError,
};
use serde_json::json;
use sqlx::{Any, Transaction};

pub fn no_invoice() -> AppError {
    AppError::NotFound("This project has no such invoice.".into())
}

fn no_payment() -> AppError {
    AppError::NotFound("There is no such payment.".into())
}

/// The back office issues an invoice; returns its id. Numbers are unique per project.
pub async fn issue(
    db: &Db,
    live: &Hub,
    project_id: &str,
    invoice: &NewInvoice<'_>,
    now: i64,
) -> Result<String, AppError> {
    let mut tx = members::begin_change(db, project_id).await?;
    if store::number_taken(&mut tx, project_id, invoice.number).await? {
        return Err(AppError::conflict(
            "number",
            format!("This project already has an invoice {}.", invoice.number),
        ));
    }
    let id = store::insert(&mut tx, project_id, invoice, now).await?;
    let total = money::format(invoice.total_minor, invoice.currency);
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::InvoiceIssued,
        (None, BACK_OFFICE),
        invoice.number,
        Some(&total),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(id)
}

/// A member pays invoice `invoice_id` with the project's payment method; returns its number.
pub async fn pay(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    invoice_id: &str,
    now: i64,
) -> Result<String, AppError> {
    if !is_id(invoice_id) {
        return Err(no_invoice());
    }
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::PayInvoices, Scope::Project).await?;
    let invoice = store::find(&mut tx, project_id, invoice_id)
        .await?
        .ok_or_else(no_invoice)?;
    match invoice.status {
        InvoiceStatus::Paid => {
            return Err(AppError::conflict(
                "",
                format!("{} is already paid.", invoice.number),
            ))
        }
        InvoiceStatus::Void => {
            return Err(AppError::conflict(
                "",
                format!("{} was voided; there is nothing to pay.", invoice.number),
            ))
        }
        InvoiceStatus::Unpaid => {}
    }
    if store::pending_payment(&mut tx, &invoice.id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "",
            format!(
                "A payment of {} is already pending; it shows as paid once it goes through.",
                invoice.number
            ),
        ));
    }
    let method = projects::payment_method(&mut *tx, project_id)
        .await?
        .ok_or_else(|| {
            AppError::conflict(
                "",
                "This project has no payment method yet. Ask the hosting company to set one up.",
            )
        })?;
    let payment =
        store::insert_payment(&mut tx, &invoice, &method, &user.user_id, &user.name, now).await?;
    webhooks::enqueue(
        &mut tx,
        project_id,
        Event::PaymentRequested,
        json!({
            "payment_id": payment,
            "invoice_id": invoice.id,
            "invoice_number": invoice.number,
            "method": method,
            "requested_by": user.name,
        }),
        now,
    )
    .await?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::PaymentRequested,
        (Some(&user.user_id), &user.name),
        &invoice.number,
        Some(&method),
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(invoice.number)
}

/// The back office answers a payment: confirmed pays the invoice, failed leaves it unpaid with
/// the reason. Answering the way it was already answered changes nothing (a retried call); a
/// different answer to an answered payment is refused.
pub async fn answer_payment(
    db: &Db,
    live: &Hub,
    payment_id: &str,
    status: PaymentStatus,
    message: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    if !is_id(payment_id) {
        return Err(no_payment());
    }
    if status == PaymentStatus::Pending {
        return Err(AppError::invalid(
            "status",
            "A payment is answered with confirmed or failed.",
        ));
    }
    let project_id = store::payment_project(db, payment_id)
        .await?
        .ok_or_else(no_payment)?;
    let mut tx = members::begin_change(db, &project_id).await?;
    let payment = store::find_payment(&mut tx, payment_id)
        .await?
        .ok_or_else(no_payment)?;
    if payment.status == status {
        return Ok(());
    }
    if payment.status != PaymentStatus::Pending {
        return Err(AppError::conflict(
            "status",
            format!("The payment is already {}.", payment.status.key()),
        ));
    }
    let invoice = store::find(&mut tx, &project_id, &payment.invoice_id)
        .await?
        .ok_or_else(no_payment)?;
    store::set_payment_status(&mut tx, &payment.id, status, message, now).await?;
    let kind = if status == PaymentStatus::Confirmed {
        store::set_status(&mut tx, &invoice.id, InvoiceStatus::Paid, now).await?;
        Kind::PaymentConfirmed
    } else {
        Kind::PaymentFailed
    };
    activity::record_thing(
        &mut tx,
        &project_id,
        kind,
        (None, BACK_OFFICE),
        &invoice.number,
        message,
        now,
    )
    .await?;
    live.commit(tx, &project_id).await?;
    Ok(())
}

/// The back office marks an unpaid invoice paid (a bank transfer arrived) or void. A paid or
/// voided invoice does not change again, and one with a payment in flight waits for its answer.
pub async fn set_status(
    db: &Db,
    live: &Hub,
    invoice_id: &str,
    status: InvoiceStatus,
    now: i64,
) -> Result<(), AppError> {
    let (mut tx, project_id, invoice) = locked_invoice(db, invoice_id).await?;
    if invoice.status == status {
        return Ok(());
    }
    if invoice.status != InvoiceStatus::Unpaid || status == InvoiceStatus::Unpaid {
        return Err(AppError::conflict(
            "status",
            format!(
                "{} is {}; it cannot become {}.",
                invoice.number,
                invoice.status.key(),
                status.key()
            ),
        ));
    }
    if store::pending_payment(&mut tx, &invoice.id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "status",
            format!(
                "A payment of {} is pending: confirm or fail it instead.",
                invoice.number
            ),
        ));
    }
    store::set_status(&mut tx, &invoice.id, status, now).await?;
    let kind = match status {
        InvoiceStatus::Paid => Kind::InvoicePaid,
        _ => Kind::InvoiceVoided,
    };
    activity::record_thing(
        &mut tx,
        &project_id,
        kind,
        (None, BACK_OFFICE),
        &invoice.number,
        None,
        now,
    )
    .await?;
    live.commit(tx, &project_id).await?;
    Ok(())
}

/// The back office sets (or clears) the project's default payment method.
pub async fn set_payment_method(
    db: &Db,
    live: &Hub,
    project_id: &str,
    label: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = members::begin_change(db, project_id).await?;
    if projects::payment_method(&mut *tx, project_id)
        .await?
        .as_deref()
        == label
    {
        return Ok(());
    }
    projects::set_payment_method(&mut tx, project_id, label).await?;
    activity::record_thing(
        &mut tx,
        project_id,
        Kind::PaymentMethodChanged,
        (None, BACK_OFFICE),
        label.unwrap_or("none"),
        None,
        now,
    )
    .await?;
    live.commit(tx, project_id).await?;
    Ok(())
}

async fn locked_invoice(
    db: &Db,
    invoice_id: &str,
) -> Result<(Transaction<'static, Any>, String, InvoiceRow), AppError> {
    if !is_id(invoice_id) {
        return Err(no_invoice());
    }
    let project_id = store::project_of(db, invoice_id)
        .await?
        .ok_or_else(no_invoice)?;
    let mut tx = members::begin_change(db, &project_id).await?;
    let invoice = store::find(&mut tx, &project_id, invoice_id)
        .await?
        .ok_or_else(no_invoice)?;
    Ok((tx, project_id, invoice))
}
