//! Invoices (issue 10; seed 003): what the hosting company billed the project, each with a
//! printable page; Owners, Admins and Accountants pay with the project's payment method and
//! see "payment pending" until the back office confirms, live.

use super::{tickets::param, CurrentProject};
use crate::api::invoices::{
    get_invoice, list_invoices, InvoiceLine, InvoiceSummary, PayInvoice, PaymentView,
};
use crate::components::field::last_error;
use crate::components::form::{ActionForm, FormAction};
use crate::components::notice::Notice;
use crate::components::resource::resource;
use crate::components::settled::Settled;
use crate::domain::PaymentStatus;
use crate::pages::respond_with;
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

fn state_badge(i: &InvoiceSummary) -> impl IntoView {
    view! { <span class=format!("status invoice-{}", i.state.key())>{i.state.label()}</span> }
}

fn method_line(method: Option<String>) -> impl IntoView {
    view! {
        <p class="payment-method">
            "Payment method: "
            {match method {
                Some(m) => Either::Left(view! { <strong>{m}</strong> }),
                None => Either::Right(view! { <span>"none yet — the hosting company sets it up"</span> }),
            }}
        </p>
    }
}

#[component]
pub fn Invoices() -> impl IntoView {
    let slug = param("slug");
    let live = expect_context::<CurrentProject>().live;
    let list = resource(
        move || (slug(), live.version.get()),
        |(slug, _)| list_invoices(slug),
    );
    view! {
        <Title text="Invoices" />
        <main class="section invoices">
            <h1>"Invoices"</h1>
            <Transition fallback=|| view! { <p>"Loading invoices…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        // The table holds nothing async: rendered as built (see `Settled`).
                        Ok(list) => Either::Left(Settled(view! {
                            {method_line(list.payment_method)}
                            <InvoiceTable slug=slug() invoices=list.invoices />
                        })),
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> })
                        }
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn InvoiceTable(slug: String, invoices: Vec<InvoiceSummary>) -> impl IntoView {
    if invoices.is_empty() {
        return Either::Left(view! { <p class="empty">"No invoices yet."</p> });
    }
    let rows = invoices
        .into_iter()
        .map(|i| {
            let href = format!("/p/{slug}/invoices/{}", i.id);
            let badge = state_badge(&i);
            view! {
                <tr>
                    <td>
                        <a href=href>{i.number}</a>
                    </td>
                    <td>{i.issued}</td>
                    <td>{i.period}</td>
                    <td>{i.due}</td>
                    <td class="num">{i.total}</td>
                    <td>{badge}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <table class="invoices-table">
            <caption class="visually-hidden">"Invoices"</caption>
            <thead>
                <tr>
                    <th scope="col">"Invoice"</th>
                    <th scope="col">"Issued"</th>
                    <th scope="col">"Period"</th>
                    <th scope="col">"Due"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}

/// One invoice: printable (the print style leaves only the invoice), with Pay for a role
/// that may pay, and the payments asked so far.
#[component]
pub fn Invoice() -> impl IntoView {
    let (slug, id) = (param("slug"), param("id"));
    let live = expect_context::<CurrentProject>().live;
    let pay = FormAction::<PayInvoice>::new();
    let detail = resource(
        move || (slug(), id(), live.version.get(), pay.version().get()),
        |(slug, id, ..)| get_invoice(slug, id),
    );
    let error = last_error(pay.value());
    view! {
        <main class="section invoice">
            <p class="no-print">
                <a href=move || format!("/p/{}/invoices", slug())>"← All invoices"</a>
            </p>
            <Transition fallback=|| view! { <p>"Loading the invoice…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => {
                            let can_pay = d.can_pay();
                            let i = d.invoice;
                            Either::Left(view! {
                                <Title text=format!("Invoice {}", i.number) />
                                <h1>{format!("Invoice {}", i.number)}</h1>
                                <dl class="facts">
                                    <dt>"Status"</dt>
                                    <dd>{state_badge(&i)}</dd>
                                    <dt>"Issued"</dt>
                                    <dd>{i.issued.clone()}</dd>
                                    <dt>"Period"</dt>
                                    <dd>{i.period.clone()}</dd>
                                    <dt>"Due"</dt>
                                    <dd>{i.due.clone()}</dd>
                                    <dt>"Total"</dt>
                                    <dd>{i.total.clone()}</dd>
                                </dl>
                                <Lines lines=d.lines total=i.total.clone() />
                                <div class="no-print">
                                    {method_line(d.payment_method)}
                                    {can_pay.then(|| view! {
                                        <ActionForm action=pay attr:class="inline">
                                            <input type="hidden" name="slug" value=slug() />
                                            <input type="hidden" name="id" value=i.id.clone() />
                                            <button type="submit" class="primary">{format!("Pay {}", i.total)}</button>
                                        </ActionForm>
                                    })}
                                    <Payments payments=d.payments />
                                </div>
                            })
                        }
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! {
                                <h1>"Invoice unavailable"</h1>
                                <p class="form-error" role="alert">{e.to_string()}</p>
                            })
                        }
                    }
                })}
            </Transition>
            <Notice />
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
        </main>
    }
}

#[component]
fn Lines(lines: Vec<InvoiceLine>, total: String) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.service}</td>
                    <td>{l.description}</td>
                    <td class="num">{l.amount}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="lines-table">
            <caption class="visually-hidden">"Lines"</caption>
            <thead>
                <tr>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="num">"Amount"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="2">"Total"</th>
                    <td class="num">{total}</td>
                </tr>
            </tfoot>
        </table>
    }
}

#[component]
fn Payments(payments: Vec<PaymentView>) -> impl IntoView {
    if payments.is_empty() {
        return Either::Left(());
    }
    let rows = payments
        .into_iter()
        .map(|p| {
            let failed = p.status == PaymentStatus::Failed;
            view! {
                <tr>
                    <td>
                        <span class=format!("status payment-{}", p.status.key())>{p.status.label()}</span>
                        {p.message.map(|m| view! { <span class:form-error=failed>{format!(" — {m}")}</span> })}
                    </td>
                    <td>{p.method}</td>
                    <td>{p.requester}</td>
                    <td>{p.requested}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section aria-labelledby="payments-heading">
            <h2 id="payments-heading">"Payments"</h2>
            <table class="payments-table">
                <caption class="visually-hidden">"Payments"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Method"</th>
                        <th scope="col">"Paid by"</th>
                        <th scope="col">"Asked"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    })
}
