//! Support (seed 001; issue 10): every member may open a ticket, follow its thread and answer
//! the staff, whose replies arrive through the operator API and appear here live.

use super::CurrentProject;
use crate::api::ai::draft_ticket;
use crate::api::tickets::{
    get_ticket, list_tickets, OpenTicket, ReplyTicket, SetTicketStatus, TicketMessage,
    TicketSummary,
};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::components::hydration::use_hydrated;
use crate::components::notice::Notice;
use crate::components::resource::resource;
use crate::domain::TicketStatus;
use crate::pages::{initial_query, respond_with};
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A route parameter of the current page, read reactively.
pub(super) fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// The project's tickets, and the form that opens one. The form is outside the list's
/// boundary: a live change refreshes the list, never what is being typed.
#[component]
pub fn Tickets() -> impl IntoView {
    let slug = param("slug");
    let live = expect_context::<CurrentProject>().live;
    let open = FormAction::<OpenTicket>::new();
    let list = resource(
        move || (slug(), live.version.get(), open.version().get()),
        |(slug, ..)| list_tickets(slug),
    );
    let error = last_error(open.value());
    view! {
        <Title text="Tickets" />
        <main class="section tickets">
            <h1>"Support tickets"</h1>
            <Notice />
            <Transition fallback=|| view! { <p>"Loading tickets…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) => Either::Left(view! { <TicketTable slug=slug() rows /> }),
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> })
                        }
                    }
                })}
            </Transition>
            <section aria-labelledby="open-ticket-heading">
                <h2 id="open-ticket-heading">"Open a ticket"</h2>
                <DraftWithAi slug />
                <ActionForm action=open attr:novalidate=true attr:aria-label="Open a ticket">
                    <FormError error />
                    <input type="hidden" name="slug" value=slug />
                    <Field label="Subject" name="subject" value=initial_query("subject") error=field_error(error, "subject") />
                    <Field label="Message" name="body" rows=6 value=initial_query("body") error=field_error(error, "body") />
                    <button type="submit" class="primary">
                        "Open ticket"
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}

/// Issue 12's AI-assisted feature: a short description becomes a subject and a message in the
/// form below, to edit before sending. Only when the project has an AI provider, and only in the
/// app (it fills the form in place; without JavaScript the form is written by hand).
#[component]
fn DraftWithAi(slug: impl Fn() -> String + Copy + Send + Sync + 'static) -> impl IntoView {
    let current = expect_context::<CurrentProject>();
    let project = current.resource();
    let hydrated = use_hydrated();
    let enabled = move || {
        hydrated.get()
            && project.with(|p| {
                p.as_ref()
                    .and_then(|p| p.as_ref().ok())
                    .is_some_and(|p| p.ai)
            })
    };
    let draft = Action::new(move |description: &String| draft_ticket(slug(), description.clone()));
    let description = RwSignal::new(String::new());
    // A draft fills the ticket form's fields (the person edits it before sending).
    Effect::new(move |_| {
        if let Some(Ok(d)) = draft.value().get() {
            fill("field-subject", &d.subject);
            fill("field-body", &d.body);
        }
    });
    let message = move || {
        draft
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.for_field("description").unwrap_or_else(|| e.to_string()))
    };
    view! {
        <Show when=enabled>
            <form class="draft" aria-label="Draft with AI" on:submit=move |ev| {
                ev.prevent_default();
                draft.dispatch(description.get_untracked());
            }>
                <div class="field">
                    <label for="draft-description">"Describe the problem"</label>
                    <textarea id="draft-description" rows="2" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev)) aria-describedby="draft-error"></textarea>
                    <p class="field-error" id="draft-error" role="alert">{message}</p>
                </div>
                <button type="submit" disabled=move || draft.pending().get()>
                    {move || if draft.pending().get() { "Drafting…" } else { "Draft with AI" }}
                </button>
            </form>
        </Show>
    }
}

/// Sets the value of the form field with `id` (an input or a text area) as if it were typed.
fn fill(id: &str, value: &str) {
    use leptos::wasm_bindgen::JsCast;
    let Some(element) = document().get_element_by_id(id) else {
        return;
    };
    if let Some(input) = element.dyn_ref::<leptos::web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = element.dyn_ref::<leptos::web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
}

#[component]
fn TicketTable(slug: String, rows: Vec<TicketSummary>) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! {
            <p class="empty">"No tickets yet. When you need help from support, open one below."</p>
        });
    }
    let rows = rows
        .into_iter()
        .map(|t| {
            let href = format!("/p/{slug}/tickets/{}", t.number);
            view! {
                <tr>
                    <td>
                        <a href=href>{format!("#{} {}", t.number, t.subject)}</a>
                    </td>
                    <td>
                        <span class=format!("status status-{}", t.status.key())>{t.status.label()}</span>
                    </td>
                    <td class="num">{t.messages}</td>
                    <td>{t.updated}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <table class="tickets-table">
            <caption class="visually-hidden">"Support tickets"</caption>
            <thead>
                <tr>
                    <th scope="col">"Ticket"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Messages"</th>
                    <th scope="col">"Last activity"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}

/// One ticket: its thread, close/reopen, and the reply form (outside the thread's boundary,
/// so a staff reply arriving live never clears what is being typed; it is emptied once sent).
#[component]
pub fn Ticket() -> impl IntoView {
    let (slug, number) = (param("slug"), param("number"));
    let live = expect_context::<CurrentProject>().live;
    let reply = FormAction::<ReplyTicket>::new();
    let status = FormAction::<SetTicketStatus>::new();
    let thread = resource(
        move || {
            (
                slug(),
                number(),
                live.version.get(),
                reply.version().get(),
                status.version().get(),
            )
        },
        |(slug, number, ..)| get_ticket(slug, number),
    );
    let error = last_error(reply.value());
    let status_error = last_error(status.value());
    // Sent: the box empties for the next message (a failed send keeps what was typed).
    let reply_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(reply.value().get(), Some(Ok(()))) {
            if let Some(form) = reply_form.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <main class="section ticket">
            <p>
                <a href=move || format!("/p/{}/tickets", slug())>"← All tickets"</a>
            </p>
            <Transition fallback=|| view! { <p>"Loading the ticket…"</p> }>
                {move || Suspend::new(async move {
                    match thread.await {
                        Ok(t) => {
                            let title = format!("#{} {}", t.ticket.number, t.ticket.subject);
                            let closed = t.ticket.status == TicketStatus::Closed;
                            Either::Left(view! {
                                <Title text=title.clone() />
                                <h1>{title}</h1>
                                <p class="ticket-meta">
                                    <span class=format!("status status-{}", t.ticket.status.key())>{t.ticket.status.label()}</span>
                                    " · opened " {t.ticket.opened}
                                </p>
                                <ActionForm action=status attr:class="inline">
                                    <input type="hidden" name="slug" value=slug() />
                                    <input type="hidden" name="number" value=number() />
                                    <input type="hidden" name="status" value=if closed { "open" } else { "closed" } />
                                    <button type="submit">{if closed { "Reopen ticket" } else { "Close ticket" }}</button>
                                </ActionForm>
                                <ol class="thread" aria-label="Messages">
                                    {t.messages.into_iter().map(message).collect_view()}
                                </ol>
                            })
                        }
                        Err(e) => {
                            respond_with(e.status());
                            Either::Right(view! {
                                <h1>"Ticket unavailable"</h1>
                                <p class="form-error" role="alert">{e.to_string()}</p>
                            })
                        }
                    }
                })}
            </Transition>
            <Notice />
            {move || status_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <section aria-labelledby="reply-heading">
                <h2 id="reply-heading">"Reply"</h2>
                <ActionForm action=reply node_ref=reply_form attr:novalidate=true attr:aria-label="Reply">
                    <FormError error />
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="number" value=number />
                    <Field label="Message" name="body" rows=5 value=initial_query("body") error=field_error(error, "body") />
                    <button type="submit" class="primary">
                        "Send reply"
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}

fn message(m: TicketMessage) -> impl IntoView {
    view! {
        <li class="message" class:staff=m.from_staff>
            <p class="message-meta">
                <strong>{m.author}</strong>
                {m.from_staff.then(|| view! { <span class="tag">"Support"</span> })}
                " · "
                {m.at}
            </p>
            <p class="message-body">{m.body}</p>
        </li>
    }
}
