//! Invoices (issue 10; seed 003: the Accountant "sees everything financial"): what the hosting
//! company billed the project, and Pay with the project's payment method, which the back
//! office confirms.

use crate::{
    access::{can, Action, Actor, Scope},
    domain::{InvoiceState, PaymentStatus},
    error::AppError,
};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{
    authorize, invoices,
    request::{app_state, finish, finish_form, redirect_with_notice},
    store::{invoices as store, is_id, projects},
};

/// One invoice as lists show it. Amounts are formatted on the server ("EUR 1,234.50"); the
/// minor units and currency travel too, for whoever computes with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: String,
    pub number: String,
    pub issued: String,
    /// "1 Nov 2026 – 30 Nov 2026".
    pub period: String,
    pub due: String,
    pub total: String,
    pub total_minor: i64,
    pub currency: String,
    pub state: InvoiceState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub service: String,
    pub description: String,
    pub amount: String,
}

/// A payment asked for from this page, and the back office's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub status: PaymentStatus,
    /// The payment method as it was when asked ("card •••• 4242").
    pub method: String,
    pub requester: String,
    pub message: Option<String>,
    pub requested: String,
    pub updated: String,
}

/// The Invoices page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceList {
    pub actor: Actor,
    /// The project's default payment method, as the back office names it.
    pub payment_method: Option<String>,
    pub invoices: Vec<InvoiceSummary>,
}

/// One invoice's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub actor: Actor,
    pub payment_method: Option<String>,
    pub invoice: InvoiceSummary,
    pub lines: Vec<InvoiceLine>,
    /// Newest first.
    pub payments: Vec<PaymentView>,
}

impl InvoiceDetail {
    /// Whether Pay is offered: the invoice can be paid, the role may pay, and there is a
    /// method to pay with (the server checks the same three).
    pub fn can_pay(&self) -> bool {
        self.invoice.state.payable()
            && can(&self.actor, Action::PayInvoices, Scope::Project)
            && self.payment_method.is_some()
    }
}

#[server(endpoint = "invoices")]
pub async fn list_invoices(slug: String) -> Result<InvoiceList, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::ViewInvoices).await?;
            let state = app_state()?;
            let now = state.clock.now_ms();
            Ok(InvoiceList {
                actor: project.actor.clone(),
                payment_method: projects::payment_method(&state.db, &project.project_id).await?,
                invoices: store::list(&state.db, &project.project_id, now).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "invoice")]
pub async fn get_invoice(slug: String, id: String) -> Result<InvoiceDetail, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::ViewInvoices).await?;
            if !is_id(&id) {
                return Err(invoices::no_invoice());
            }
            let state = app_state()?;
            let (invoice, lines, payments) =
                store::detail(&state.db, &project.project_id, &id, state.clock.now_ms())
                    .await?
                    .ok_or_else(invoices::no_invoice)?;
            Ok(InvoiceDetail {
                actor: project.actor.clone(),
                payment_method: projects::payment_method(&state.db, &project.project_id).await?,
                invoice,
                lines,
                payments,
            })
        }
        .await,
    )
}

/// Pays invoice `id` with the project's payment method: the back office is asked to charge
/// it, and the invoice shows "payment pending" until it answers.
#[server(endpoint = "pay_invoice")]
pub async fn pay_invoice(slug: String, id: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::PayInvoices).await?;
        let state = app_state()?;
        let number = invoices::pay(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            &id,
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/invoices/{id}"),
            Some(&format!(
                "Payment of {number} requested. It shows as paid once the payment goes through."
            )),
        );
        Ok(())
    }
    .await;
    finish_form(PayInvoice::PATH, &[], result)
}
