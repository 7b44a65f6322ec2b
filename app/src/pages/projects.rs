use crate::api::invitations::{my_invitations, AcceptInvitation, DeclineInvitation, MyInvitation};
use crate::api::projects::{list_projects, ProjectSummary};
use crate::components::{confirm::Confirm, field::last_error, live::LiveRegion, notice::Notice};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Menu → Projects (seed 000): three tables, each with its own empty state. Invitations arrive,
/// and projects come and go, while the page is open: it follows the person's own stream.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let decline = ServerAction::<DeclineInvitation>::new();
    let projects = Resource::new(|| (), |_| list_projects());
    let invitations = Resource::new(|| (), |_| my_invitations());
    let accept_error = last_error(accept.value());
    let decline_error = last_error(decline.value());
    view! {
        <Title text="Projects" />
        <main class="wide">
            <LiveRegion stream="/events/me".to_owned()>
            <div class="page-head">
                <h1>"Projects"</h1>
                <a class="button primary" href="/projects/new">
                    "+ New Project"
                </a>
            </div>
            <Notice />
            {move || {
                accept_error
                    .get()
                    .or_else(|| decline_error.get())
                    .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
            }}
            <Transition fallback=|| view! { <p>"Loading projects…"</p> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Ok(overview) => {
                            view! {
                                <ProjectTable
                                    title="Your Projects"
                                    empty="You do not own any project yet. Create one with + New Project."
                                    rows=overview.yours
                                />
                                <ProjectTable
                                    title="Shared Projects"
                                    empty="No one has shared a project with you yet. When you accept an invitation, the project appears here."
                                    rows=overview.shared
                                />
                                <InvitationTable rows=invitations.await.unwrap_or_default() accept decline />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            </LiveRegion>
        </main>
    }
}

#[component]
fn ProjectTable(
    title: &'static str,
    empty: &'static str,
    rows: Vec<ProjectSummary>,
) -> impl IntoView {
    let heading_id = format!("{}-heading", title.to_lowercase().replace(' ', "-"));
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
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
                            {rows
                                .into_iter()
                                .map(|p| {
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
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Projects → Project Invitations (seed 000): Accept asks for confirmation first.
#[component]
fn InvitationTable(
    rows: Vec<MyInvitation>,
    accept: ServerAction<AcceptInvitation>,
    decline: ServerAction<DeclineInvitation>,
) -> impl IntoView {
    let query = use_query_map();
    let pending = StoredValue::new(rows.clone());
    // Accept opens its confirmation through the query (`?accept=<id>`), with or without JavaScript.
    let dialog = move || {
        let id = query.read().get("accept")?;
        let r = pending.with_value(|rows| rows.iter().find(|r| r.id == id).cloned())?;
        Some(view! {
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
        })
    };
    let body = if rows.is_empty() {
        view! { <p class="empty">"No invitations are waiting for you."</p> }.into_any()
    } else {
        view! {
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
                    {rows
                        .into_iter()
                        .map(|r| {
                            let decline_label = format!("Decline invitation to {}", r.project_name);
                            let actions = if r.expired {
                                view! { <span class="hint">{format!("Expired: ask {} to resend it", r.inviter)}</span> }.into_any()
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
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">"Project Invitations"</h2>
            {body}
            {dialog}
        </section>
    }
}
