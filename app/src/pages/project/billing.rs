//! Settings → Billing (issue 10): billing accounts (seed 001 "legal entities": company name,
//! VAT or registration number, address, billing email), the default one, and the payment
//! method the back office set. Owners, Admins and Accountants (seed 003: "sees everything
//! financial"); the server refuses everyone else whatever this page shows.

use super::{tickets::param, CurrentProject};
use crate::api::billing::{get_billing, AddBillingAccount, BillingAccount, ChangeBillingAccount};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::components::notice::Notice;
use crate::components::resource::resource;
use crate::pages::{initial_query, respond_with};
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

#[component]
pub fn Billing() -> impl IntoView {
    let slug = param("slug");
    let live = expect_context::<CurrentProject>().live;
    let add = FormAction::<AddBillingAccount>::new();
    let change = FormAction::<ChangeBillingAccount>::new();
    let billing = resource(
        move || {
            (
                slug(),
                live.version.get(),
                add.version().get(),
                change.version().get(),
            )
        },
        |(slug, ..)| get_billing(slug),
    );
    let error = last_error(add.value());
    let change_error = last_error(change.value());
    // Added: the form empties for the next one (a refused one keeps what was typed).
    let add_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) {
            if let Some(form) = add_form.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <Title text="Billing" />
        <main class="section billing">
            <h1>"Billing"</h1>
            <Notice />
            {move || change_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <p>"Loading billing…"</p> }>
                {move || Suspend::new(async move {
                    match billing.await {
                        Ok(b) => Either::Left(view! {
                            <p class="payment-method">
                                "Payment method: "
                                <strong>{b.payment_method.unwrap_or_else(|| "none yet — the hosting company sets it up".into())}</strong>
                            </p>
                            <Accounts slug=slug() accounts=b.accounts change />
                        }),
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> })
                        }
                    }
                })}
            </Transition>
            <section aria-labelledby="add-account-heading">
                <h2 id="add-account-heading">"Add a billing account"</h2>
                <ActionForm action=add node_ref=add_form attr:novalidate=true attr:aria-label="Add a billing account">
                    <FormError error />
                    <input type="hidden" name="slug" value=slug />
                    <Field label="Company name" name="company_name" value=initial_query("company_name") error=field_error(error, "company_name") />
                    <Field label="VAT or registration number" name="tax_id" value=initial_query("tax_id") error=field_error(error, "tax_id") />
                    <Field label="Address" name="address" rows=4 value=initial_query("address") error=field_error(error, "address") />
                    <Field label="Billing email" name="billing_email" kind="email" value=initial_query("billing_email") error=field_error(error, "billing_email") />
                    <button type="submit" class="primary">"Add billing account"</button>
                </ActionForm>
            </section>
        </main>
    }
}

#[component]
fn Accounts(
    slug: String,
    accounts: Vec<BillingAccount>,
    change: FormAction<ChangeBillingAccount>,
) -> impl IntoView {
    if accounts.is_empty() {
        return Either::Left(
            view! { <p class="empty">"No billing accounts yet. Invoices are addressed to the default one."</p> },
        );
    }
    let items = accounts
        .into_iter()
        .map(|a| {
            let make_default = (!a.is_default).then(|| {
                account_action(
                    change,
                    (slug.clone(), a.id.clone()),
                    "default",
                    format!("Make {} the default", a.company_name),
                    "",
                )
            });
            let remove = account_action(
                change,
                (slug.clone(), a.id.clone()),
                "remove",
                format!("Remove {}", a.company_name),
                "danger",
            );
            view! {
                <li class="card account">
                    <h3>
                        {a.company_name.clone()}
                        {a.is_default.then(|| view! { " " <span class="tag">"Default"</span> })}
                    </h3>
                    <p class="mono">{a.tax_id.clone()}</p>
                    <p class="address">{a.address.clone()}</p>
                    <p>{a.billing_email.clone()}</p>
                    <div class="actions">{make_default} {remove}</div>
                </li>
            }
        })
        .collect_view();
    Either::Right(view! { <ul class="accounts" aria-label="Billing accounts">{items}</ul> })
}

/// One button that changes an account: a form of its own, so it works without JavaScript.
fn account_action(
    change: FormAction<ChangeBillingAccount>,
    (slug, id): (String, String),
    what: &'static str,
    label: String,
    class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=change attr:class="inline">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="change" value=what />
            <button type="submit" class=class>{label}</button>
        </ActionForm>
    }
}
