//! Settings → Billing (issue 10; seed 003: the Accountant "sees everything financial"): the
//! project's billing accounts (seed 001 "legal entities") and its payment method.

use crate::{access::Actor, error::AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    access::Action,
    domain::{Email, InvoiceText, PostalAddress, TaxId},
    error::FieldErrors,
    ssr::{
        authorize,
        billing::{self, Change},
        request::{app_state, finish, finish_form, redirect_with_notice},
        store::{billing_accounts as store, billing_accounts::NewAccount, projects},
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAccount {
    pub id: String,
    pub company_name: String,
    /// VAT or registration number.
    pub tax_id: String,
    /// Lines separated by `\n`.
    pub address: String,
    pub billing_email: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billing {
    pub actor: Actor,
    pub payment_method: Option<String>,
    /// The default first.
    pub accounts: Vec<BillingAccount>,
}

#[server(endpoint = "billing")]
pub async fn get_billing(slug: String) -> Result<Billing, AppError> {
    finish(
        async {
            let (_, project) = authorize::project_action(&slug, Action::PayInvoices).await?;
            let db = &app_state()?.db;
            Ok(Billing {
                actor: project.actor.clone(),
                payment_method: projects::payment_method(db, &project.project_id).await?,
                accounts: store::list(db, &project.project_id).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "add_billing_account")]
pub async fn add_billing_account(
    slug: String,
    company_name: String,
    tax_id: String,
    address: String,
    billing_email: String,
) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::PayInvoices).await?;
        let mut errors = FieldErrors::default();
        let name = errors.check("company_name", InvoiceText::parse(&company_name));
        let tax = errors.check("tax_id", TaxId::parse(&tax_id));
        let postal = errors.check("address", PostalAddress::parse(&address));
        let email = errors.check("billing_email", Email::parse(&billing_email));
        let (Some(name), Some(tax), Some(postal), Some(email)) = (name, tax, postal, email) else {
            return Err(errors.into_error());
        };
        let state = app_state()?;
        billing::change(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            Change::Add(NewAccount {
                company_name: name.as_str(),
                tax_id: tax.as_str(),
                address: postal.as_str(),
                billing_email: email.as_str(),
            }),
            state.clock.now_ms(),
        )
        .await?;
        redirect_with_notice(
            &format!("/p/{slug}/settings/billing"),
            Some(&format!("Billing account {} added.", name.as_str())),
        );
        Ok(())
    }
    .await;
    finish_form(
        AddBillingAccount::PATH,
        &[
            ("company_name", &company_name),
            ("tax_id", &tax_id),
            ("address", &address),
            ("billing_email", &billing_email),
        ],
        result,
    )
}

/// `change` is "default" (make it the default) or "remove".
#[server(endpoint = "change_billing_account")]
pub async fn change_billing_account(
    slug: String,
    id: String,
    change: String,
) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::PayInvoices).await?;
        let what = match change.as_str() {
            "default" => Change::MakeDefault(&id),
            "remove" => Change::Remove(&id),
            _ => return Err(AppError::invalid("change", "Use default or remove.")),
        };
        let removing = matches!(what, Change::Remove(_));
        let state = app_state()?;
        let name = billing::change(
            &state.db,
            &state.live,
            &project.project_id,
            &user,
            what,
            state.clock.now_ms(),
        )
        .await?;
        let notice = if removing {
            format!("Billing account {name} removed.")
        } else {
            format!("{name} is now the default billing account.")
        };
        redirect_with_notice(&format!("/p/{slug}/settings/billing"), Some(&notice));
        Ok(())
    }
    .await;
    finish_form(ChangeBillingAccount::PATH, &[], result)
}
