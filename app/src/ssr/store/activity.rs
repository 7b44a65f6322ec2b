//! The activity log: the one record of every membership change (issue 3), written in the same
//! transaction as the change itself.

use super::new_id;
use crate::api::members::ActivityEntry;
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

/// What happened, as stored in `activity.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invited,
    Resent,
    Cancelled,
    PendingRoleChanged,
    Accepted,
    Declined,
    RoleChanged,
    Removed,
    Left,
    /// The outbox gave up on an invitation's email (the reason in `new_value`).
    DeliveryFailed,
    /// Support tickets (issue 10); the subject is "#3 VPS down".
    TicketOpened,
    TicketReplied,
    StaffReplied,
    TicketClosed,
    TicketReopened,
    /// The staff set "open" or "awaiting reply" (the status in `new_value`).
    TicketStatusChanged,
    /// Services (issue 10); the subject is the service's name, `new_value` the action's key
    /// (operations), kind (added) or status (updated).
    OperationRequested,
    OperationStarted,
    OperationDone,
    OperationFailed,
    ServiceAdded,
    ServiceUpdated,
    ServiceRemoved,
    /// Invoices (issue 10); the subject is the invoice's number ("INV-2026-0042").
    InvoiceIssued,
    /// Marked paid by the back office (a bank transfer), not through Pay.
    InvoicePaid,
    InvoiceVoided,
    /// `new_value`: the payment method asked to pay with.
    PaymentRequested,
    PaymentConfirmed,
    /// `new_value`: the back office's reason.
    PaymentFailed,
    /// The subject is the new payment method ("none" when cleared).
    PaymentMethodChanged,
    /// Billing accounts; the subject is the company's name.
    BillingAccountAdded,
    BillingAccountDefault,
    BillingAccountRemoved,
    /// SSH keys; the subject is the key's name, `new_value` its fingerprint.
    SshKeyAdded,
    SshKeyRemoved,
    /// A member's permission profile (seed 004); old and new values in brief.
    PermissionsChanged,
    /// What new members start with; the subject is the choice's label.
    NewMemberAccessChanged,
    /// The project's appearance; the subject is the new colour or logo in words.
    BrandColorChanged,
    LogoChanged,
    /// AI settings; the subject is "provider, model" or, for the key, just "the API key".
    AiSettingsChanged,
    AiKeyReplaced,
    AiKeyCleared,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Invited => "invited",
            Kind::Resent => "resent",
            Kind::Cancelled => "cancelled",
            Kind::PendingRoleChanged => "pending_role_changed",
            Kind::Accepted => "accepted",
            Kind::Declined => "declined",
            Kind::RoleChanged => "role_changed",
            Kind::Removed => "removed",
            Kind::Left => "left",
            Kind::DeliveryFailed => "delivery_failed",
            Kind::TicketOpened => "ticket_opened",
            Kind::TicketReplied => "ticket_replied",
            Kind::StaffReplied => "staff_replied",
            Kind::TicketClosed => "ticket_closed",
            Kind::TicketReopened => "ticket_reopened",
            Kind::TicketStatusChanged => "ticket_status_changed",
            Kind::OperationRequested => "operation_requested",
            Kind::OperationStarted => "operation_started",
            Kind::OperationDone => "operation_done",
            Kind::OperationFailed => "operation_failed",
            Kind::ServiceAdded => "service_added",
            Kind::ServiceUpdated => "service_updated",
            Kind::ServiceRemoved => "service_removed",
            Kind::InvoiceIssued => "invoice_issued",
            Kind::InvoicePaid => "invoice_paid",
            Kind::InvoiceVoided => "invoice_voided",
            Kind::PaymentRequested => "payment_requested",
            Kind::PaymentConfirmed => "payment_confirmed",
            Kind::PaymentFailed => "payment_failed",
            Kind::PaymentMethodChanged => "payment_method_changed",
            Kind::BillingAccountAdded => "billing_account_added",
            Kind::BillingAccountDefault => "billing_account_default",
            Kind::BillingAccountRemoved => "billing_account_removed",
            Kind::SshKeyAdded => "ssh_key_added",
            Kind::SshKeyRemoved => "ssh_key_removed",
            Kind::PermissionsChanged => "permissions_changed",
            Kind::NewMemberAccessChanged => "new_member_access_changed",
            Kind::BrandColorChanged => "brand_color_changed",
            Kind::LogoChanged => "logo_changed",
            Kind::AiSettingsChanged => "ai_settings_changed",
            Kind::AiKeyReplaced => "ai_key_replaced",
            Kind::AiKeyCleared => "ai_key_cleared",
        }
    }
}

/// Who an entry is about: shown by `name`; `user_id` and `email` route it to the live streams
/// of the person concerned (their project pages, their Projects page).
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    pub name: &'a str,
    pub user_id: Option<&'a str>,
    pub email: Option<&'a str>,
}

impl<'a> Subject<'a> {
    /// A member: shown by name.
    pub fn member(user_id: &'a str, name: &'a str, email: &'a str) -> Self {
        Self {
            name,
            user_id: Some(user_id),
            email: Some(email),
        }
    }

    /// Something that is not a person (a ticket): shown by `name`, no one's own stream.
    pub fn thing(name: &'a str) -> Self {
        Self {
            name,
            user_id: None,
            email: None,
        }
    }

    /// An invited address, which may not have an account yet.
    pub fn address(email: &'a str) -> Self {
        Self {
            name: email,
            user_id: None,
            email: Some(email),
        }
    }
}

pub struct Entry<'a> {
    pub project_id: &'a str,
    pub kind: Kind,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub subject: Subject<'a>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub now: i64,
}

/// Appends an entry. The caller holds the project lock, so `seq` is gap-free per project.
pub async fn record(tx: &mut Transaction<'_, Any>, e: Entry<'_>) -> Result<i64, sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO activity (id, project_id, seq, kind, actor_id, actor_name, subject, old_value, new_value, created_at, subject_user_id, subject_email)
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM activity WHERE project_id = $2
         RETURNING seq",
    )
    .bind(new_id())
    .bind(e.project_id)
    .bind(e.kind.key())
    .bind(e.actor_id)
    .bind(e.actor_name)
    .bind(e.subject.name)
    .bind(e.old_value)
    .bind(e.new_value)
    .bind(e.now)
    .bind(e.subject.user_id)
    .bind(e.subject.email)
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// Appends an entry about a thing rather than a person (a service, an invoice, an SSH key): by
/// `actor` (a member's id and name, or no id for the back office), with `value` as its new value.
pub async fn record_thing(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    kind: Kind,
    actor: (Option<&str>, &str),
    thing: &str,
    value: Option<&str>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    record(
        tx,
        Entry {
            project_id,
            kind,
            actor_id: actor.0,
            actor_name: actor.1,
            subject: Subject::thing(thing),
            old_value: None,
            new_value: value,
            now,
        },
    )
    .await
}

/// A page of a project's log, newest first; `before` is the `seq` to continue below.
pub async fn page(
    db: &Db,
    project_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<ActivityEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, kind, actor_name, subject, old_value, new_value, created_at FROM activity
         WHERE project_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
    )
    .bind(project_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ActivityEntry {
                seq: r.try_get("seq")?,
                kind: r.try_get("kind")?,
                actor_name: r.try_get("actor_name")?,
                subject: r.try_get("subject")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// An entry as the live streams carry it: enough to route it and tell the page what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRow {
    pub project_id: String,
    pub seq: i64,
    pub kind: String,
    pub subject_user_id: Option<String>,
    pub subject_email: Option<String>,
}

/// A project's entries after `after`, oldest first, at most `limit`.
pub async fn since(
    db: &Db,
    project_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<LiveRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT project_id, seq, kind, subject_user_id, subject_email FROM activity
         WHERE project_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(project_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(LiveRow {
                project_id: r.try_get("project_id")?,
                seq: r.try_get("seq")?,
                kind: r.try_get("kind")?,
                subject_user_id: r.try_get("subject_user_id")?,
                subject_email: r.try_get("subject_email")?,
            })
        })
        .collect()
}

/// The newest `seq` of a project (0 before its first entry).
pub async fn head(db: &Db, project_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM activity WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(db)
        .await
}

/// The newest `seq` of every project that has entries.
pub async fn heads(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT project_id, MAX(seq) FROM activity GROUP BY project_id")
        .fetch_all(db)
        .await
}
