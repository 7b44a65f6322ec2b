//! Project → Members (seed 003): You, Other Members, Members with Pending Invitations, the
//! activity log for those who manage members, and the role reference. Confirmations and the
//! New Member dialog live in the query (`?remove=<id>`, `?invite=1` …) so they open and work
//! without JavaScript too.

use crate::access::{assignable_roles, can, check_member_change, Action, Actor};
use crate::api::members::{
    get_members, ActivityEntry, CancelInvitation, ChangeInvitationRole, ChangeRole, Invite,
    LeaveProject, MemberView, MembersPage, PendingInvitation, RemoveMember, ResendInvitation,
};
use crate::api::projects::ProjectContext;
use crate::components::{
    confirm::Confirm,
    field::{field_error, last_error, FormError},
    notice::Notice,
    row_forms::RoleForm,
};
use crate::domain::Role;
use crate::error::AppError;
use leptos::{either::Either, form::ActionForm, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The server actions of this page, shared by its parts: a plain form post that failed comes
/// back with its error in the query, and each action shows it where its form is.
#[derive(Clone, Copy)]
struct Actions {
    change_role: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
    leave: ServerAction<LeaveProject>,
    invite: ServerAction<Invite>,
    change_invitation_role: ServerAction<ChangeInvitationRole>,
    resend: ServerAction<ResendInvitation>,
    cancel: ServerAction<CancelInvitation>,
}

#[component]
pub fn Members() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let actions = Actions {
        change_role: ServerAction::new(),
        remove: ServerAction::new(),
        leave: ServerAction::new(),
        invite: ServerAction::new(),
        change_invitation_role: ServerAction::new(),
        resend: ServerAction::new(),
        cancel: ServerAction::new(),
    };
    provide_context(actions);
    let page = Resource::new(
        move || {
            (
                slug(),
                query
                    .read()
                    .get("before")
                    .and_then(|b| b.parse::<i64>().ok()),
            )
        },
        |(slug, before)| get_members(slug, before),
    );
    view! {
        <Title text="Members" />
        <main class="section members">
            <Transition fallback=|| view! { <p>"Loading members…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <MembersView page /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

fn base(page: &MembersPage) -> String {
    format!("/p/{}/members", page.project.slug)
}

#[component]
fn MembersView(page: MembersPage) -> impl IntoView {
    let manage = can(&page.project.actor, Action::ManageMembers);
    let base = base(&page);
    // Each part takes its own rows: nothing of the page is copied just to be shown.
    let MembersPage {
        project,
        you,
        others,
        pending,
        owner_count,
        activity,
        activity_times,
        invite_expiry_days,
    } = page;
    let lookups = Lookups {
        project: project.clone(),
        others: others
            .iter()
            .map(|m| (m.user_id.clone(), m.name.clone(), m.email.clone()))
            .collect(),
        pending: pending
            .iter()
            .map(|i| (i.id.clone(), i.email.clone()))
            .collect(),
        invite_expiry_days,
    };
    let last_owner = you.role == Role::Owner && owner_count <= 1;
    view! {
        <div class="page-head">
            <h1>"Members"</h1>
            {manage.then(|| view! { <a class="button primary" href=format!("{base}?invite=1")>"New Member"</a> })}
        </div>
        <Notice />
        <ActionErrors />
        <YouSection you base=base.clone() last_owner />
        <OthersSection project=project.clone() others />
        <PendingSection project=project.clone() pending />
        {manage.then(|| view! { <ActivitySection base=base.clone() activity activity_times /> })}
        <RoleReference />
        <Dialogs lookups />
    }
}

/// What the dialogs need to find the row a query names (`?remove=<id>`, `?cancel=<id>`).
#[derive(Clone)]
struct Lookups {
    project: ProjectContext,
    /// (user id, name, email)
    others: Vec<(String, String, String)>,
    /// (invitation id, email)
    pending: Vec<(String, String)>,
    invite_expiry_days: i64,
}

/// Errors of the row actions (the dialogs show their own).
#[component]
fn ActionErrors() -> impl IntoView {
    let a = expect_context::<Actions>();
    let errors = [
        last_error(a.change_invitation_role.value()),
        last_error(a.resend.value()),
        last_error(a.leave.value()),
        last_error(a.remove.value()),
        last_error(a.cancel.value()),
    ];
    let role_error = last_error(a.change_role.value());
    let message = move || {
        errors
            .iter()
            .find_map(|e| e.get())
            .or_else(|| {
                role_error
                    .get()
                    .filter(|e| e.for_field("confirm").is_none())
            })
            .map(|e| {
                e.form_message()
                    .or_else(|| e.for_field("role"))
                    .unwrap_or_else(|| e.to_string())
            })
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}

#[component]
fn YouSection(you: MemberView, base: String, last_owner: bool) -> impl IntoView {
    view! {
        <section aria-labelledby="you-heading">
            <h2 id="you-heading">"You"</h2>
            <table>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Joined"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>
                    <tr>
                        <td>{you.name}</td>
                        <td>{you.email}</td>
                        <td>{you.role.label()}</td>
                        <td>{you.joined}</td>
                        <td>
                            {if last_owner {
                                view! { <span class="hint">"You are the last Owner, so you cannot leave. Make another member Owner first."</span> }.into_any()
                            } else {
                                view! { <a class="button" href=format!("{base}?leave=1")>"Leave Project"</a> }.into_any()
                            }}
                        </td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}

/// The roles shown in a row's dropdown: the current one, plus those the actor may move it to.
fn choices_for(actor: &Actor, current: Role) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r == current || check_member_change(actor, Some(current), Some(*r)).is_ok())
        .collect()
}

#[component]
fn OthersSection(project: ProjectContext, others: Vec<MemberView>) -> impl IntoView {
    let actor = project.actor.clone();
    let base = format!("/p/{}/members", project.slug);
    let change_role_url = ChangeRole::url();
    let rows = others
        .into_iter()
        .map(|m: MemberView| {
            let editable = check_member_change(&actor, Some(m.role), None).is_ok();
            let role_cell = if editable {
                let form = RoleForm {
                    action: change_role_url,
                    slug: &project.slug,
                    id: ("user_id", &m.user_id),
                    label: &format!("Role of {}", m.name),
                    choices: &choices_for(&actor, m.role),
                    current: m.role,
                };
                Either::Left(view! { <td inner_html=form.html()></td> })
            } else {
                Either::Right(view! { <td><span>{m.role.label()}</span></td> })
            };
            let remove = editable.then(|| {
                view! { <a class="button danger" href=format!("{base}?remove={}", m.user_id) aria-label=format!("Remove {}", m.name)>"Remove"</a> }
            });
            view! {
                <tr>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    {role_cell}
                    <td>{m.joined}</td>
                    <td>{remove}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="others-heading">
            <h2 id="others-heading">"Other Members"</h2>
            {if project.member_count <= 1 {
                Either::Left(view! { <p class="empty">"Nobody else is a member yet."</p> })
            } else {
                Either::Right(view! {
                    <table>
                        <thead>
                            <tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Joined"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                })
            }}
        </section>
    }
}

#[component]
fn PendingSection(project: ProjectContext, pending: Vec<PendingInvitation>) -> impl IntoView {
    let actor = project.actor.clone();
    let base = format!("/p/{}/members", project.slug);
    if pending.is_empty() {
        return Either::Left(view! {
            <section aria-labelledby="pending-heading">
                <h2 id="pending-heading">"Members with Pending Invitations"</h2>
                <p class="empty">"No invitations are waiting for an answer."</p>
            </section>
        });
    }
    let (role_url, resend_url) = (ChangeInvitationRole::url(), ResendInvitation::url());
    let rows = pending
        .into_iter()
        .map(|i: PendingInvitation| {
            let manage = check_member_change(&actor, Some(i.role), None).is_ok();
            let role_cell = if manage {
                let form = RoleForm {
                    action: role_url,
                    slug: &project.slug,
                    id: ("invitation_id", &i.id),
                    label: &format!("Role for {}", i.email),
                    choices: &choices_for(&actor, i.role),
                    current: i.role,
                };
                Either::Left(view! { <td inner_html=form.html()></td> })
            } else {
                Either::Right(view! { <td><span>{i.role.label()}</span></td> })
            };
            let menu = manage.then(|| {
                view! {
                    <details class="menu-button">
                        <summary aria-label=format!("Manage invitation for {}", i.email)>"Manage"</summary>
                        <div class="menu-items">
                            <form action=resend_url method="post" class="inline">
                                <input type="hidden" name="slug" value=project.slug.clone() />
                                <input type="hidden" name="invitation_id" value=i.id.clone() />
                                <button type="submit" class="link">"Resend Invite"</button>
                            </form>
                            <a href=format!("{base}?cancel={}", i.id)>"Cancel Invite"</a>
                        </div>
                    </details>
                }
            });
            let expires = if i.expired { format!("Expired {}", i.expires) } else { i.expires };
            view! {
                <tr>
                    <td>{i.email}</td>
                    {role_cell}
                    <td>{i.invited_by}</td>
                    <td>{i.sent}</td>
                    <td>{expires}</td>
                    <td>{menu}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">"Members with Pending Invitations"</h2>
            <table>
                <thead>
                    <tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Invited by"</th><th scope="col">"Sent"</th><th scope="col">"Expires"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    })
}

#[component]
fn ActivitySection(
    base: String,
    activity: Vec<ActivityEntry>,
    activity_times: Vec<String>,
) -> impl IntoView {
    let older = (activity.len() as i64 == crate::api::members::ACTIVITY_PAGE)
        .then(|| activity.last().map(|a| format!("{base}?before={}", a.seq)))
        .flatten();
    let empty = activity.is_empty();
    let items = activity
        .iter()
        .zip(activity_times)
        .map(|(a, at)| view! { <li><time>{at}</time>" — "{a.describe()}</li> })
        .collect_view();
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Activity"</h2>
            {if empty {
                view! { <p class="empty">"Nothing has changed yet."</p> }.into_any()
            } else {
                view! { <ol class="activity">{items}</ol> }.into_any()
            }}
            {older.map(|href| view! { <a href=href>"Older activity"</a> })}
        </section>
    }
}

/// What each role may do, generated from the access table itself.
#[component]
fn RoleReference() -> impl IntoView {
    view! {
        <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">"Roles"</h2>
            <table class="reference">
                <thead>
                    <tr>
                        <th scope="col">"What"</th>
                        {Role::ALL.into_iter().map(|r| view! { <th scope="col">{r.label()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {Action::ALL
                        .into_iter()
                        .map(|action| {
                            view! {
                                <tr>
                                    <th scope="row">{action.describe()}</th>
                                    {Role::ALL
                                        .into_iter()
                                        .map(|r| {
                                            let yes = can(&Actor { role: r }, action);
                                            view! { <td aria-label=if yes { "yes" } else { "no" }>{if yes { "✓" } else { "–" }}</td> }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Dialogs(lookups: Lookups) -> impl IntoView {
    let a = expect_context::<Actions>();
    let query = use_query_map();
    let base = format!("/p/{}/members", lookups.project.slug);
    let slug = lookups.project.slug.clone();
    let page = StoredValue::new(lookups);
    let role_error = last_error(a.change_role.value());
    move || {
        let q = |k: &str| query.read().get(k);
        let page = page.get_value();
        let (base, slug) = (base.clone(), slug.clone());
        if q("invite").is_some() {
            return view! { <InviteDialog page /> }.into_any();
        }
        if q("leave").is_some() {
            return view! {
                <Confirm title="Leave project?".into() message=format!("You will lose access to {} at once. To come back you need a new invitation.", page.project.name) cancel_href=base>
                    <ActionForm action=a.leave attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <button type="submit" class="danger">"Leave Project"</button>
                    </ActionForm>
                </Confirm>
            }
            .into_any();
        }
        if let Some(id) = q("remove") {
            if let Some((_, name, email)) = page.others.iter().find(|m| m.0 == id) {
                return view! {
                    <Confirm title=format!("Remove {name}?") message=format!("{name} ({email}) loses access to {} at once and is told by email.", page.project.name) cancel_href=base>
                        <ActionForm action=a.remove attr:class="inline">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="user_id" value=id />
                            <button type="submit" class="danger">"Remove"</button>
                        </ActionForm>
                    </Confirm>
                }
                .into_any();
            }
        }
        if let Some(id) = q("cancel") {
            if let Some((_, email)) = page.pending.iter().find(|i| i.0 == id) {
                return view! {
                    <Confirm title="Cancel invitation?".into() message=format!("The link sent to {email} stops working at once.") cancel_href=base>
                        <ActionForm action=a.cancel attr:class="inline">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="invitation_id" value=id />
                            <button type="submit" class="danger">"Cancel Invite"</button>
                        </ActionForm>
                    </Confirm>
                }
                .into_any();
            }
        }
        // Changes to or from Owner: the server asked for confirmation, and sent the browser back
        // with the change it was asked for.
        if let Some(message) = role_error.get().and_then(|e| e.for_field("confirm")) {
            let user_id = q("user_id").unwrap_or_default();
            let role = q("role").unwrap_or_default();
            return view! {
                <Confirm
                    title="Change ownership?".into()
                    message
                    cancel_href=base
                >
                    <ActionForm action=a.change_role attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="user_id" value=user_id />
                        <input type="hidden" name="role" value=role />
                        <input type="hidden" name="confirmed" value="yes" />
                        <button type="submit" class="primary">"Confirm"</button>
                    </ActionForm>
                </Confirm>
            }
            .into_any();
        }
        ().into_any()
    }
}

#[component]
fn InviteDialog(page: Lookups) -> impl IntoView {
    let a = expect_context::<Actions>();
    let error: Signal<Option<AppError>> = last_error(a.invite.value());
    let query = use_query_map();
    let typed = move |k: &str| {
        let q = query.read_untracked();
        q.get_str("__err").and(q.get(k)).unwrap_or_default()
    };
    let typed_role = typed("role");
    let roles = assignable_roles(&page.project.actor);
    let default_role = Role::parse(&typed_role).unwrap_or(Role::Member);
    view! {
        <div class="backdrop">
            <dialog open aria-modal="true" aria-labelledby="invite-title" class="confirm">
                <h2 id="invite-title">"New Member"</h2>
                <ActionForm action=a.invite attr:novalidate=true attr:aria-label="New Member">
                    <FormError error />
                    <input type="hidden" name="slug" value=page.project.slug.clone() />
                    <div class="field">
                        <label for="invite-emails">"Email addresses"</label>
                        <textarea id="invite-emails" name="emails" rows="3" aria-describedby="invite-emails-hint invite-emails-error">{typed("emails")}</textarea>
                        <p class="hint" id="invite-emails-hint">{format!("One or more addresses (up to 50), separated by commas, spaces or new lines. Links expire after {} days.", page.invite_expiry_days)}</p>
                        <p class="field-error" id="invite-emails-error" aria-live="polite">{move || field_error(error, "emails").get()}</p>
                    </div>
                    <div class="field">
                        <label for="invite-role">"Role"</label>
                        <select id="invite-role" name="role">
                            {roles.into_iter().map(|r| view! { <option value=r.key() selected=r == default_role>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">"Add"</button>
                        <a class="button" href=format!("/p/{}/members", page.project.slug)>"Cancel"</a>
                    </div>
                </ActionForm>
            </dialog>
        </div>
    }
}
