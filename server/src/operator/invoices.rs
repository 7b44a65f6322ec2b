//! The operator API's billing: the back office issues invoices, answers the payments members
//! ask for, marks invoices paid or void, and sets each project's payment method.

use super::{invalid, project_id, ApiError, Body, ErrorBody};
use crate::routes::ServerState;
use app::{
    api::invoices::InvoiceSummary,
    domain::{InvoiceStatus, InvoiceText, PaymentStatus, ServiceText},
    ssr::{
        dates, invoices, money,
        store::invoices::{self as store, NewInvoice},
    },
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Lines one invoice may have.
const MAX_LINES: usize = 500;

#[derive(Serialize, ToSchema)]
pub(super) struct Invoice {
    id: String,
    number: String,
    issued: String,
    period: String,
    due: String,
    /// The total in minor units of `currency` (cents for EUR).
    total_minor: i64,
    currency: String,
    /// unpaid, overdue, payment_pending, paid or void.
    state: String,
}

impl From<InvoiceSummary> for Invoice {
    fn from(i: InvoiceSummary) -> Self {
        Self {
            id: i.id,
            number: i.number,
            issued: i.issued,
            period: i.period,
            due: i.due,
            total_minor: i.total_minor,
            currency: i.currency,
            state: i.state.key().to_owned(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub(super) struct LineInput {
    /// The service's name as billed ("web-1").
    service: String,
    description: String,
    /// Minor units of the invoice's currency; negative for a credit.
    amount_minor: i64,
}

#[derive(Deserialize, ToSchema)]
pub(super) struct InvoiceInput {
    /// The back office's invoice number, unique in the project: 1–40 of A–Z, a–z, 0–9, - / _ .
    number: String,
    /// Dates as YYYY-MM-DD.
    issued_on: String,
    period_start: String,
    period_end: String,
    due_on: String,
    /// ISO 4217 ("EUR").
    currency: String,
    /// 1–500 lines; the total is their sum and cannot be negative.
    lines: Vec<LineInput>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Created {
    id: String,
}

fn date(field: &str, raw: &str) -> Result<i64, ApiError> {
    dates::parse_day(raw)
        .ok_or_else(|| invalid(field, format!("“{raw}” is not a date (YYYY-MM-DD).")))
}

fn number(raw: &str) -> Result<&str, ApiError> {
    let n = raw.trim();
    let ok = (1..=40).contains(&n.len())
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-/_.".contains(&b));
    if ok {
        Ok(n)
    } else {
        Err(invalid(
            "number",
            "1–40 characters: letters, digits and - / _ .".into(),
        ))
    }
}

/// The project's invoices, newest first.
#[utoipa::path(
    get,
    path = "/projects/{slug}/invoices",
    params(("slug" = String, Path, description = "The project's address name")),
    responses(
        (status = 200, body = [Invoice]),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
    )
)]
pub(super) async fn list_invoices(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Invoice>>, ApiError> {
    let project = project_id(&state, &slug).await?;
    let list = store::list(&state.app.db, &project, state.app.clock.now_ms()).await?;
    Ok(Json(list.into_iter().map(Invoice::from).collect()))
}

/// Issues an invoice to the project; its Owners, Admins, Members and Accountants see it at once.
#[utoipa::path(
    post,
    path = "/projects/{slug}/invoices",
    params(
        ("slug" = String, Path, description = "The project's address name"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = InvoiceInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
        (status = 409, description = "The number is taken in this project", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
pub(super) async fn create_invoice(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    Body(input): Body<InvoiceInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let project = project_id(&state, &slug).await?;
    let number = number(&input.number)?;
    let issued_on = date("issued_on", &input.issued_on)?;
    let period_start = date("period_start", &input.period_start)?;
    let period_end = date("period_end", &input.period_end)?;
    let due_on = date("due_on", &input.due_on)?;
    if period_end < period_start {
        return Err(invalid(
            "period_end",
            "The period ends before it starts.".into(),
        ));
    }
    if due_on < issued_on {
        return Err(invalid("due_on", "Due before it was issued.".into()));
    }
    let currency = money::currency(&input.currency).map_err(|m| invalid("currency", m))?;
    if input.lines.is_empty() || input.lines.len() > MAX_LINES {
        return Err(invalid(
            "lines",
            format!("An invoice has 1–{MAX_LINES} lines."),
        ));
    }
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let service = ServiceText::parse(&l.service)
            .map_err(|m| invalid(&format!("lines[{i}].service"), m))?;
        let description = InvoiceText::parse(&l.description)
            .map_err(|m| invalid(&format!("lines[{i}].description"), m))?;
        lines.push((
            service.as_str().to_owned(),
            description.as_str().to_owned(),
            l.amount_minor,
        ));
    }
    let total_minor = money::sum(lines.iter().map(|l| l.2))
        .ok_or_else(|| invalid("lines", "The total does not fit in 64 bits.".into()))?;
    if total_minor < 0 {
        return Err(invalid(
            "lines",
            "The total is negative; issue a credit note instead.".into(),
        ));
    }
    let app = &state.app;
    let id = invoices::issue(
        &app.db,
        &app.live,
        &project,
        &NewInvoice {
            number,
            issued_on,
            period_start,
            period_end,
            due_on,
            currency,
            total_minor,
            lines: &lines,
        },
        app.clock.now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum Settled {
    /// Paid outside Roster (a bank transfer arrived).
    Paid,
    Void,
}

#[derive(Deserialize, ToSchema)]
pub(super) struct InvoiceStatusChange {
    status: Settled,
}

/// Marks an unpaid invoice paid or void (neither changes again).
#[utoipa::path(
    put,
    path = "/invoices/{id}/status",
    params(("id" = String, Path, description = "The invoice's id")),
    request_body = InvoiceStatusChange,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such invoice", body = ErrorBody),
        (status = 409, description = "Already paid or void, or a payment is pending", body = ErrorBody),
        (status = 422, description = "Not a status", body = ErrorBody),
    )
)]
pub(super) async fn set_invoice_status(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Body(change): Body<InvoiceStatusChange>,
) -> Result<StatusCode, ApiError> {
    let status = match change.status {
        Settled::Paid => InvoiceStatus::Paid,
        Settled::Void => InvoiceStatus::Void,
    };
    let app = &state.app;
    invoices::set_status(&app.db, &app.live, &id, status, app.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub(super) struct PaymentQuery {
    /// pending (default), confirmed or failed.
    status: Option<String>,
    /// At most this many, oldest first (1–500, default 100).
    limit: Option<i64>,
}

/// A payment asked for by a member, for the back office to charge.
#[derive(Serialize, ToSchema)]
pub(super) struct Payment {
    id: String,
    project: String,
    invoice_id: String,
    invoice_number: String,
    total_minor: i64,
    currency: String,
    /// The payment method to charge, as the project had it when asked.
    method: String,
    requester: String,
    requested: String,
}

/// Payments across all projects, oldest first: the back office's queue.
#[utoipa::path(
    get,
    path = "/payments",
    params(PaymentQuery),
    responses(
        (status = 200, body = [Payment]),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Not a status", body = ErrorBody),
    )
)]
pub(super) async fn list_payments(
    State(state): State<ServerState>,
    Query(q): Query<PaymentQuery>,
) -> Result<Json<Vec<Payment>>, ApiError> {
    let status = match q.status.as_deref() {
        None => PaymentStatus::Pending,
        Some(s) => PaymentStatus::parse(s).map_err(|m| invalid("status", m))?,
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let list = store::payments_in(&state.app.db, status, limit).await?;
    Ok(Json(
        list.into_iter()
            .map(|p| Payment {
                id: p.id,
                project: p.project_slug,
                invoice_id: p.invoice_id,
                invoice_number: p.invoice_number,
                total_minor: p.total_minor,
                currency: p.currency,
                method: p.method,
                requester: p.requester,
                requested: p.requested,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub(super) struct PaymentAnswer {
    /// confirmed (the invoice is paid) or failed.
    status: String,
    /// Shown to the project's members (why it failed); up to 500 characters.
    message: Option<String>,
}

/// Answers a payment.
#[utoipa::path(
    put,
    path = "/payments/{id}",
    params(("id" = String, Path, description = "The payment's id")),
    request_body = PaymentAnswer,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such payment", body = ErrorBody),
        (status = 409, description = "Already answered otherwise", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
pub(super) async fn answer_payment(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Body(answer): Body<PaymentAnswer>,
) -> Result<StatusCode, ApiError> {
    let status = PaymentStatus::parse(&answer.status).map_err(|m| invalid("status", m))?;
    let message = super::message(answer.message.as_deref())?;
    let app = &state.app;
    invoices::answer_payment(
        &app.db,
        &app.live,
        &id,
        status,
        message.as_deref(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(super) struct PaymentMethod {
    /// How members see it ("card •••• 4242", "bank transfer"); null clears it. Never a card
    /// number: a label with 7 or more digits in a row is refused.
    label: Option<String>,
}

/// Sets the project's default payment method.
#[utoipa::path(
    put,
    path = "/projects/{slug}/payment-method",
    params(("slug" = String, Path, description = "The project's address name")),
    request_body = PaymentMethod,
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such project", body = ErrorBody),
        (status = 422, description = "Not a label, or it looks like a card number", body = ErrorBody),
    )
)]
pub(super) async fn set_payment_method(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    Body(method): Body<PaymentMethod>,
) -> Result<StatusCode, ApiError> {
    let project = project_id(&state, &slug).await?;
    let label = match method.label.as_deref() {
        None => None,
        Some(raw) => {
            let label = InvoiceText::parse(raw).map_err(|m| invalid("label", m))?;
            let longest_run = label
                .as_str()
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            if longest_run >= 7 {
                return Err(invalid(
                    "label",
                    "This looks like a card or account number; send only a label such as “card •••• 4242”.".into(),
                ));
            }
            Some(label)
        }
    };
    let app = &state.app;
    invoices::set_payment_method(
        &app.db,
        &app.live,
        &project,
        label.as_ref().map(InvoiceText::as_str),
        app.clock.now_ms(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
