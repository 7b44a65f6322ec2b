use crate::api::auth::ResendConfirmation;
use crate::api::invitations::{my_invitations, AcceptInvitation, DeclineInvitation, MyInvitation};
use crate::api::projects::{list_projects, ProjectSummary};
use crate::components::form::{ActionForm, FormAction};
use crate::components::resource::resource;
use crate::components::{
    auth::use_auth,
    confirm::Confirm,
    field::last_error,
    live::{follow, LiveIndicator},
    notice::Notice,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Menu → Projects (seed 000): three tables, each with its own empty state. Invitations arrive,
/// and projects come and go, while the page is open: it follows the person's own stream, and
/// the keyed tables change only the rows that changed.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let accept = FormAction::<AcceptInvitation>::new();
    let decline = FormAction::<DeclineInvitation>::new();
    let live = follow(|| "/events/me".to_owned());
    let projects = resource(
        move || (live.version.get(), accept.version().get()),
        |_| list_projects(),
    );
    let invitations = resource(
        move || {
            (
                live.version.get(),
                accept.version().get(),
                decline.version().get(),
            )
        },
        |_| my_invitations(),
    );
    let yours = Memo::new(move |_| {
        projects.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|o| o.yours.clone())
        })
    });
    let shared = Memo::new(move |_| {
        projects.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|o| o.shared.clone())
        })
    });
    let waiting =
        Memo::new(move |_| invitations.with(|i| i.as_ref().and_then(|i| i.as_ref().ok()).cloned()));
    let load_error = Memo::new(move |_| {
        projects.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().err().map(|e| e.to_string()))
        })
    });
    let accept_error = last_error(accept.value());
    let decline_error = last_error(decline.value());
    view! {
        <Title text="Projects" />
        <main class="wide">
            <div class="page-head">
                <h1>"Projects"</h1>
                <a class="button primary" href="/projects/new">
                    "+ New Project"
                </a>
            </div>
            <LiveIndicator live />
            <Notice />
            <ConfirmAddress />
            {move || {
                accept_error
                    .get()
                    .or_else(|| decline_error.get())
                    .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
            }}
            <Transition fallback=|| view! { <p>"Loading projects…"</p> }>
                // Waits for the data (on the server and while loading); renders an empty placeholder
                // (a closure rendering `()` leaves no node, and erased views then fail to hydrate).
                {move || projects.with(|_| None::<&str>)}
                {move || invitations.with(|_| None::<&str>)}
                {move || load_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <ProjectTable
                    title="Your Projects"
                    empty="Projects you create appear here while you own them. Create one with + New Project."
                    rows=yours
                />
                <ProjectTable
                    title="Shared Projects"
                    empty="No one has shared a project with you yet. When you accept an invitation, the project appears here."
                    rows=shared
                />
                <InvitationTable rows=waiting accept decline />
            </Transition>
        </main>
    }
}

/// Until the person's address is proven, invitations sent to it wait (issue 9): say so, and
/// offer a new link.
#[component]
fn ConfirmAddress() -> impl IntoView {
    let me = use_auth().me;
    let resend = FormAction::<ResendConfirmation>::new();
    let error = last_error(resend.value());
    let unconfirmed = move || {
        me.with(|m| {
            m.as_ref()
                .and_then(|m| m.as_ref().ok())
                .and_then(|m| m.as_ref())
                .filter(|m| !m.confirmed)
                .map(|m| m.email.clone())
        })
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                unconfirmed()
                    .map(|email| {
                        view! {
                            <section class="callout" aria-labelledby="confirm-heading">
                                <h2 id="confirm-heading">"Confirm your email address"</h2>
                                <p>
                                    {format!("Invitations sent to {email} reach you once you confirm that the address is yours. Open the link we emailed you, or send yourself a new one.")}
                                </p>
                                <ActionForm action=resend attr:class="inline">
                                    <button type="submit">"Send a new confirmation link"</button>
                                </ActionForm>
                                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                            </section>
                        }
                    })
            }}
        </Transition>
    }
}

/// A table's rows have loaded and there are some.
fn has_rows<T: Send + Sync + 'static>(rows: Memo<Option<Vec<T>>>) -> bool {
    rows.with(|r| r.as_ref().is_some_and(|r| !r.is_empty()))
}

/// What an empty table says, once it has loaded. A closure of its own: `Show` does not track
/// what its fallback reads.
fn empty_state<T: Send + Sync + 'static>(
    rows: Memo<Option<Vec<T>>>,
    text: &'static str,
) -> impl IntoView {
    move || {
        rows.with(|r| r.is_some())
            .then(|| view! { <p class="empty">{text}</p> })
    }
}

#[component]
fn ProjectTable(
    title: &'static str,
    empty: &'static str,
    rows: Memo<Option<Vec<ProjectSummary>>>,
) -> impl IntoView {
    let heading_id = format!("{}-heading", title.to_lowercase().replace(' ', "-"));
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title}</h2>
            <Show when=move || has_rows(rows) fallback=move || empty_state(rows, empty)>
                <table>
                    <caption class="visually-hidden">{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Project"</th>
                            <th scope="col">"Address"</th>
                            <th scope="col">"Your role"</th>
                            <th scope="col">"Members"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get().unwrap_or_default()
                            key=|p| (p.slug.clone(), p.name.clone(), p.role, p.member_count)
                            children=|p| {
                                let href = format!("/p/{}", p.slug);
                                view! {
                                    <tr>
                                        <td>
                                            <a href=href.clone()>{p.name}</a>
                                        </td>
                                        <td class="mono">{href}</td>
                                        <td>{p.role.label()}</td>
                                        <td>{p.member_count}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// Projects → Project Invitations (seed 000): Accept asks for confirmation first.
#[component]
fn InvitationTable(
    rows: Memo<Option<Vec<MyInvitation>>>,
    accept: FormAction<AcceptInvitation>,
    decline: FormAction<DeclineInvitation>,
) -> impl IntoView {
    let query = use_query_map();
    // Accept opens its confirmation through the query (`?accept=<id>`), with or without
    // JavaScript; the dialog re-renders only when the invitation it is about changes.
    let asked = Memo::new(move |_| {
        let id = query.read().get("accept")?;
        rows.with(|rows| rows.as_ref()?.iter().find(|r| r.id == id).cloned())
    });
    let dialog = move || {
        asked.get().map(|r| {
            view! {
                <Confirm
                    title=format!("Join {}?", r.project_name)
                    message=format!("{} invited you as {}. You will see the project under Shared Projects.", r.inviter, r.role)
                    cancel_href="/projects".to_owned()
                >
                    <ActionForm action=accept attr:class="inline">
                        <input type="hidden" name="invitation_id" value=r.id.clone() />
                        <button type="submit" class="primary">"Accept"</button>
                    </ActionForm>
                </Confirm>
            }
        })
    };
    view! {
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">"Project Invitations"</h2>
            <Show
                when=move || has_rows(rows)
                fallback=move || empty_state(rows, "No invitations are waiting for you.")
            >
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Project"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Invited by"</th>
                            <th scope="col">"Date"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get().unwrap_or_default()
                            key=|r| r.clone()
                            children=move |r| view! { <InvitationRow r decline /> }
                        />
                    </tbody>
                </table>
            </Show>
            {dialog}
        </section>
    }
}

#[component]
fn InvitationRow(r: MyInvitation, decline: FormAction<DeclineInvitation>) -> impl IntoView {
    let decline_label = format!("Decline invitation to {}", r.project_name);
    let actions = if let Some(on) = &r.expired_on {
        // Seed 001: an outdated invitation says so; the invitee may dismiss it.
        let dismiss_label = format!("Dismiss the expired invitation to {}", r.project_name);
        view! {
            <span class="status stale">{format!("Expired on {on}: ask {} to resend it.", r.inviter)}</span>
            <ActionForm action=decline attr:class="inline">
                <input type="hidden" name="invitation_id" value=r.id.clone() />
                <button type="submit" aria-label=dismiss_label>"Dismiss"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <a class="button primary" href=format!("/projects?accept={}", r.id) aria-label=format!("Accept invitation to {}", r.project_name)>"Accept"</a>
            <ActionForm action=decline attr:class="inline">
                <input type="hidden" name="invitation_id" value=r.id.clone() />
                <button type="submit" aria-label=decline_label>"Decline"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <tr>
            <td>{r.project_name.clone()}</td>
            <td>{r.role.label()}</td>
            <td>{r.inviter.clone()}</td>
            <td>{r.sent.clone()}</td>
            <td class="row-actions">{actions}</td>
        </tr>
    }
}
