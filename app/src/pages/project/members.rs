//! Project → Members (seed 003): You, Other Members, Members with Pending Invitations, the
//! activity log for those who manage members, and the role reference. Confirmations and the
//! New Member and Change Role dialogs live in the query (`?remove=<id>`, `?invite=1`,
//! `?change_role=<id>` …) so they open and work without JavaScript too.
//!
//! The page is built once; its parts follow memos of the page's data, and the rows are keyed
//! by id. A live change refetches the data and updates only what changed: the other rows, a
//! focused dropdown, an open dialog and what is typed in it stay as they are.

use crate::access::{
    assignable_roles, can, check_member_change, rights, Action, Actor, Scope, ServiceAccess,
};
use crate::api::members::{
    change_invitation_role, change_role, get_members, open_role_question, ActivityEntry,
    CancelInvitation, ChangeInvitationRole, ChangeRole, InvitationStatus, Invite, LeaveProject,
    MemberView, MembersPage, PendingInvitation, RemoveMember, ResendInvitation, RoleQuestion,
};
use crate::api::permissions::{member_permissions, MemberProfile, SetMemberPermissions};
use crate::components::form::{ActionForm, FormAction};
use crate::components::resource::{resource, Resource};
use crate::components::{
    confirm::{Confirm, Modal},
    field::{field_error, last_error, FormError},
    hydration::use_hydrated,
    notice::Notice,
    settled::Settled,
};
use crate::domain::Role;
use crate::error::AppError;
use leptos::{either::Either, html, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The server actions of this page's forms, shared by its parts: a plain form post that failed
/// comes back with its error in the query, and each action shows it where its form is.
#[derive(Clone, Copy)]
struct Actions {
    change_role: FormAction<ChangeRole>,
    remove: FormAction<RemoveMember>,
    leave: FormAction<LeaveProject>,
    invite: FormAction<Invite>,
    resend: FormAction<ResendInvitation>,
    cancel: FormAction<CancelInvitation>,
    /// The Change Role dialog's form (the inline dropdown saves by itself).
    change_invitation_role: FormAction<ChangeInvitationRole>,
    /// The permissions dialog's form (seed 004).
    permissions: FormAction<SetMemberPermissions>,
    /// Moves when a role is saved in place, so the data is fetched again.
    saved: RwSignal<u64>,
    /// The app runs (see `use_hydrated`): one for the page, not one per row.
    hydrated: ReadSignal<bool>,
}

/// The page's data, split so that each part re-renders only when its own slice changes.
#[derive(Clone, Copy)]
struct Data {
    slug: Memo<String>,
    actor: Memo<Option<Actor>>,
    project_name: Memo<String>,
    you: Memo<Option<MemberView>>,
    last_owner: Memo<bool>,
    others: Memo<Vec<MemberView>>,
    pending: Memo<Vec<PendingInvitation>>,
    activity: Memo<Vec<(ActivityEntry, String)>>,
    invite_expiry_days: Memo<i64>,
}

impl Data {
    fn new(page: Resource<Result<MembersPage, AppError>>) -> Self {
        fn part<T: Clone + PartialEq + Send + Sync + 'static>(
            page: Resource<Result<MembersPage, AppError>>,
            f: impl Fn(&MembersPage) -> T + Send + Sync + 'static,
            empty: T,
        ) -> Memo<T> {
            Memo::new(move |_| {
                page.with(|p| match p {
                    Some(Ok(p)) => f(p),
                    _ => empty.clone(),
                })
            })
        }
        Self {
            slug: part(page, |p| p.project.slug.clone(), String::new()),
            actor: part(page, |p| Some(p.project.actor.clone()), None),
            project_name: part(page, |p| p.project.name.clone(), String::new()),
            you: part(page, |p| Some(p.you.clone()), None),
            last_owner: part(
                page,
                |p| p.you.role == Role::Owner && p.owner_count <= 1,
                false,
            ),
            others: part(page, |p| p.others.clone(), Vec::new()),
            pending: part(page, |p| p.pending.clone(), Vec::new()),
            activity: part(
                page,
                |p| {
                    p.activity
                        .iter()
                        .cloned()
                        .zip(p.activity_times.iter().cloned())
                        .collect()
                },
                Vec::new(),
            ),
            invite_expiry_days: part(page, |p| p.invite_expiry_days, 7),
        }
    }

    /// May the caller take `action`? Asked of the same table the server enforces.
    fn can(self, action: Action) -> bool {
        self.actor
            .with(|a| a.as_ref().is_some_and(|a| can(a, action, Scope::Project)))
    }

    fn base(self) -> String {
        format!("/p/{}/members", self.slug.get())
    }
}

#[component]
pub fn Members() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let actions = Actions {
        change_role: FormAction::new(),
        remove: FormAction::new(),
        leave: FormAction::new(),
        invite: FormAction::new(),
        resend: FormAction::new(),
        cancel: FormAction::new(),
        change_invitation_role: FormAction::new(),
        permissions: FormAction::new(),
        saved: RwSignal::new(0),
        hydrated: use_hydrated(),
    };
    provide_context(actions);
    let live = expect_context::<super::CurrentProject>().live;
    let page = resource(
        move || {
            (
                slug(),
                query
                    .read()
                    .get("before")
                    .and_then(|b| b.parse::<i64>().ok()),
                (
                    actions.remove.version().get(),
                    actions.invite.version().get(),
                    actions.resend.version().get(),
                    actions.cancel.version().get(),
                    actions.change_role.version().get(),
                    actions.change_invitation_role.version().get(),
                    actions.permissions.version().get(),
                ),
                actions.saved.get(),
                live.version.get(),
            )
        },
        |(slug, before, ..)| get_members(slug, before.map(|b: i64| b.to_string())),
    );
    let data = Data::new(page);
    provide_context(data);
    // The permissions dialog's data, made with the page for the reason given at `AiState` in
    // settings.rs: the member named by `?permissions=<id>`, if any.
    let profile = resource(
        move || (slug(), query.read().get("permissions")),
        |(slug, id)| async move {
            match id {
                Some(id) => member_permissions(slug, id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    provide_context(ProfileResource(profile));
    // The owner question's data, made with the page for the same reason: the token the server
    // answered a role change with when that change must be confirmed (the plain-form path, or
    // a reload of its address).
    let question = resource(
        move || {
            (
                slug(),
                actions.change_role.value().with(|v| {
                    v.as_ref()
                        .and_then(|r| r.as_ref().err())
                        .and_then(|e| e.for_field("confirmation"))
                }),
            )
        },
        |(slug, token)| async move {
            match token {
                Some(token) => open_role_question(slug, token).await,
                None => Ok(None),
            }
        },
    );
    provide_context(QuestionResource(question));
    view! {
        <Title text="Members" />
        <main class="section members">
            <Transition fallback=|| view! { <p>"Loading members…"</p> }>
                // Reads the resource itself, so the boundary waits for the data (on the server
                // and while loading); renders only a failure to load it.
                {move || {
                    page.with(|p| p.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.to_string()))
                        .map(|e| view! { <p class="form-error" role="alert">{e}</p> })
                }}
                <Show when=move || data.you.with(Option::is_some)>
                    <MembersView />
                </Show>
            </Transition>
        </main>
    }
}

#[component]
fn MembersView() -> impl IntoView {
    let data = expect_context::<Data>();
    let history = Memo::new(move |_| data.can(Action::ViewActivity));
    view! {
        <h1>"Members"</h1>
        <Notice />
        // The tables follow the page's data, which the boundary above already waits for; the
        // notice and the dialogs read resources of their own.
        {Settled(view! {
            <ActionErrors />
            <YouSection />
            <OthersSection />
            <PendingSection />
            <Show when=move || history.get()>
                <ActivitySection />
            </Show>
            <RoleReference />
        })}
        <Dialogs />
    }
}

/// Errors of the row actions (the dialogs show their own).
#[component]
fn ActionErrors() -> impl IntoView {
    let a = expect_context::<Actions>();
    let errors = [
        last_error(a.resend.value()),
        last_error(a.leave.value()),
        last_error(a.remove.value()),
        last_error(a.cancel.value()),
    ];
    let role_error = last_error(a.change_role.value());
    // A plain-form save from a row's dropdown; the Change Role dialog shows its own.
    let query = use_query_map();
    let invitation_role_error = last_error(a.change_invitation_role.value());
    let invitation_role_error = move || {
        invitation_role_error
            .get()
            .filter(|_| query.read().get("change_role").is_none())
    };
    let message = move || {
        errors
            .iter()
            .find_map(|e| e.get())
            .or_else(invitation_role_error)
            .or_else(|| {
                role_error
                    .get()
                    .filter(|e| e.for_field("confirm").is_none())
            })
            .map(|e| row_message(&e))
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">{message}</p>
        </Show>
    }
}

/// Why a row's action was refused, in words: a refused role names its field.
fn row_message(e: &AppError) -> String {
    e.form_message()
        .or_else(|| e.for_field("role"))
        .unwrap_or_else(|| e.to_string())
}

/// Table headings, shared by the three member tables.
fn head(columns: &'static [&'static str]) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr>
        </thead>
    }
}

#[component]
fn YouSection() -> impl IntoView {
    let data = expect_context::<Data>();
    let you = Row(data.you);
    view! {
        <section aria-labelledby="you-heading">
            <h2 id="you-heading">"You"</h2>
            <table>
                {head(&["Name", "Email", "Role", "Status"])}
                <tbody>
                    <tr>
                        <NameCell row=you />
                        <td>{you.text(|y| y.email.clone())}</td>
                        <td>{you.text(|y| y.role.label().to_owned())}</td>
                        <StatusCell row=you />
                        <td>
                            <Show
                                when=move || !data.last_owner.get()
                                fallback=|| view! { <span class="hint">"You are the last Team Owner, so you cannot leave. Make another member Team Owner first."</span> }
                            >
                                <a class="button" href=move || format!("{}?leave=1", data.base())>"Leave Project"</a>
                            </Show>
                        </td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}

/// A member's name, with the mark of the project's creator (its first Team Owner; ownership
/// may since have been handed over, so the mark says who started it, not who owns it).
#[component]
fn NameCell(row: Row<MemberView>) -> impl IntoView {
    view! {
        <td>
            {row.text(|m| m.name.clone())}
            {move || {
                row.0.with(|m| m.as_ref().is_some_and(|m| m.creator))
                    .then(|| view! { " " <span class="tag">"Project creator"</span> })
            }}
        </td>
    }
}

/// A member's status: since when, and seed 004's profile in brief (for those who manage
/// members, and for oneself).
#[component]
fn StatusCell(row: Row<MemberView>) -> impl IntoView {
    view! {
        <td>
            "Attached " <time>{row.text(|m| m.joined.clone())}</time>
            {move || {
                row.0
                    .with(|m| m.as_ref().and_then(|m| m.access.as_ref().map(|a| a.describe())))
                    .map(|a| view! { <span class="hint access">{a}</span> })
            }}
        </td>
    }
}

/// The roles shown in a row's dropdown: the current one, plus those the actor may move it to.
fn choices_for(actor: &Actor, current: Role) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r == current || check_member_change(actor, Some(current), Some(*r)).is_ok())
        .collect()
}

/// One row of a keyed table: it stays while its id is in the list, and its cells follow the
/// list's current data for that id.
struct Row<T: Send + Sync + 'static>(Memo<Option<T>>);

impl<T: Send + Sync + 'static> Clone for Row<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Row<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Row<T> {
    fn find(list: Memo<Vec<T>>, is: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        Row(Memo::new(move |_| {
            list.with(|l| l.iter().find(|x| is(x)).cloned())
        }))
    }

    /// A cell's text.
    fn text(self, f: fn(&T) -> String) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.0.with(|r| r.as_ref().map(f).unwrap_or_default())
    }

    /// A part of the row that only notifies when it changes.
    fn part<U: Clone + PartialEq + Send + Sync + 'static>(self, f: fn(&T) -> U) -> Memo<Option<U>> {
        Memo::new(move |_| self.0.with(|r| r.as_ref().map(f)))
    }
}

/// May the caller change or remove a row that has role `role`?
fn manages(data: Data, role: Memo<Option<Role>>) -> Memo<bool> {
    Memo::new(move |_| {
        let role = role.get();
        data.actor.with(|a| {
            a.as_ref()
                .zip(role)
                .is_some_and(|(a, r)| check_member_change(a, Some(r), None).is_ok())
        })
    })
}

#[component]
fn OthersSection() -> impl IntoView {
    let data = expect_context::<Data>();
    view! {
        <section aria-labelledby="others-heading">
            <div class="section-head">
                <h2 id="others-heading">"Other Members"</h2>
                // Seed 003: inviting starts from this block.
                <Show when=move || data.can(Action::ManageMembers)>
                    <a class="button primary" href=move || format!("{}?invite=1", data.base())>"New Member"</a>
                </Show>
            </div>
            <Show
                when=move || data.others.with(|o| !o.is_empty())
                fallback=|| view! { <p class="empty">"Nobody else is a member yet."</p> }
            >
                <table>
                    {head(&["Name", "Email", "Role", "Status"])}
                    <tbody>
                        <For
                            each=move || data.others.get()
                            key=|m| m.user_id.clone()
                            children=move |m| view! { <MemberRow id=m.user_id /> }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// One member of Other Members. The row stays while the member does; its cells follow the
/// member's current data.
#[component]
fn MemberRow(id: String) -> impl IntoView {
    let data = expect_context::<Data>();
    let row = {
        let id = id.clone();
        Row::find(data.others, move |m| m.user_id == id)
    };
    let role = row.part(|m| m.role);
    let editable = manages(data, role);
    let name = row.text(|m| m.name.clone());
    let target = Target::Member(id.clone());
    let permissions_href = {
        let id = id.clone();
        move || format!("{}?permissions={}", data.base(), id)
    };
    // Seed 004: Owners bypass every permission, so theirs is not edited.
    let profiled = Memo::new(move |_| editable.get() && role.get() != Some(Role::Owner));
    let remove_href = move || format!("{}?remove={}", data.base(), id);
    view! {
        <tr>
            <NameCell row />
            <td>{row.text(|m| m.email.clone())}</td>
            <RoleCell target role editable label=Signal::derive(move || format!("Role of {}", name())) />
            <StatusCell row />
            <td class="row-actions">
                {move || {
                    profiled
                        .get()
                        .then(|| {
                            view! {
                                <a
                                    class="button icon"
                                    href=permissions_href.clone()
                                    aria-label=move || format!("Permissions of {}", name())
                                    title="Permissions"
                                >
                                    "🔑"
                                </a>
                            }
                        })
                }}
                {move || {
                    editable
                        .get()
                        .then(|| {
                            view! {
                                <a
                                    class="button danger"
                                    href=remove_href.clone()
                                    aria-label=move || format!("Remove {}", name())
                                >
                                    "Remove"
                                </a>
                            }
                        })
                }}
            </td>
        </tr>
    }
}

#[component]
fn PendingSection() -> impl IntoView {
    let data = expect_context::<Data>();
    view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">"Members with Pending Invitations"</h2>
            <Show
                when=move || data.pending.with(|p| !p.is_empty())
                fallback=|| view! { <p class="empty">"No invitations are waiting for an answer."</p> }
            >
                <table>
                    {head(&["Email", "Role", "Status", "Invited by", "Sent", "Expires"])}
                    <tbody>
                        <For
                            each=move || data.pending.get()
                            key=|i| i.id.clone()
                            children=move |i| view! { <PendingRow id=i.id /> }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[component]
fn PendingRow(id: String) -> impl IntoView {
    let data = expect_context::<Data>();
    let actions = expect_context::<Actions>();
    let row = {
        let id = id.clone();
        Row::find(data.pending, move |i| i.id == id)
    };
    let role = row.part(|i| i.role);
    let status = row.part(|i| i.status.clone());
    let editable = manages(data, role);
    let email = row.text(|i| i.email.clone());
    let expires_title = row.text(|i| i.expires_on.clone());
    let target = Target::Invitation(id.clone());
    let cancel_href = {
        let id = id.clone();
        move || format!("{}?cancel={}", data.base(), id)
    };
    let change_href = {
        let id = id.clone();
        move || format!("{}?change_role={}", data.base(), id)
    };
    let id = StoredValue::new(id);
    let menu = NodeRef::<html::Details>::new();
    let close_menu = move || {
        if let Some(details) = menu.get_untracked() {
            details.set_open(false);
        }
    };
    view! {
        <tr>
            <td>{row.text(|i| i.email.clone())}</td>
            <RoleCell target role editable label=Signal::derive(move || format!("Role for {}", email())) />
            <td class=move || status.with(|s| match s {
                Some(InvitationStatus::Awaiting) | None => "status",
                Some(_) => "status stale",
            })>
                {move || status.with(|s| s.as_ref().map(InvitationStatus::label))}
                {move || status.with(|s| match s {
                    Some(InvitationStatus::DeliveryFailed(reason)) => {
                        Some(view! { <span class="hint">{format!(": {reason}. Check the address, then resend.")}</span> })
                    }
                    _ => None,
                })}
            </td>
            <td>{row.text(|i| i.invited_by.clone())}</td>
            <td><time>{row.text(|i| i.sent.clone())}</time></td>
            <td>
                <time title=expires_title>{row.text(|i| i.expires.clone())}</time>
            </td>
            <td>
                <Show when=move || editable.get()>
                    <details class="menu-button" node_ref=menu>
                        <summary aria-label=move || format!("Manage invitation for {}", email())>"Manage"</summary>
                        // Choosing an item closes the menu: in the app the page stays, and an
                        // open menu would still be open after the action.
                        <div class="menu-items" on:click=move |_| close_menu()>
                            <a href=change_href.clone()>"Change Role"</a>
                            <ActionForm action=actions.resend attr:class="inline">
                                <input type="hidden" name="slug" value=move || data.slug.get() />
                                <input type="hidden" name="invitation_id" value=id.get_value() />
                                <button type="submit" class="link">"Resend Invite"</button>
                            </ActionForm>
                            <a href=cancel_href.clone()>"Cancel Invite"</a>
                        </div>
                    </details>
                </Show>
            </td>
        </tr>
    }
}

/// Whose role a dropdown changes.
#[derive(Clone)]
enum Target {
    /// A member, by user id.
    Member(String),
    /// A pending invitation, by id.
    Invitation(String),
}

impl Target {
    fn action(&self) -> &'static str {
        match self {
            Target::Member(_) => ChangeRole::url(),
            Target::Invitation(_) => ChangeInvitationRole::url(),
        }
    }

    fn id_field(&self) -> (&'static str, String) {
        match self {
            Target::Member(id) => ("user_id", id.clone()),
            Target::Invitation(id) => ("invitation_id", id.clone()),
        }
    }

    /// Saves the role; `answer` is the token of the server's "make X Owner?" question.
    async fn save(self, slug: String, role: Role, answer: Option<String>) -> Result<(), AppError> {
        let role = role.key().to_owned();
        match self {
            Target::Member(id) => change_role(slug, id, role, answer).await,
            Target::Invitation(id) => change_invitation_role(slug, id, role).await,
        }
    }
}

/// A row's role: a dropdown for those who may change it, text otherwise.
///
/// Without JavaScript it is a form with a Save button. In the app the new role shows at once
/// and is saved in the background; if the server refuses (a rule, a race, a lost connection)
/// the dropdown goes back to the saved role with the reason beside it. Changes to or from
/// Owner ask first, in a dialog.
#[component]
fn RoleCell(
    target: Target,
    role: Memo<Option<Role>>,
    editable: Memo<bool>,
    label: Signal<String>,
) -> impl IntoView {
    let data = expect_context::<Data>();
    let actions = expect_context::<Actions>();
    // The role picked here and not yet confirmed by the data; `None` shows the saved role.
    let picked = RwSignal::new(None::<Role>);
    let error = RwSignal::new(None::<String>);
    // Owner changes: the role, the server's question about it, and the token that answers it.
    let confirming = RwSignal::new(None::<(Role, String, String)>);
    // Whatever the data says next is the truth: the pick has been saved (or overtaken).
    Effect::new(move |_| {
        role.track();
        picked.set(None);
    });
    let shown = move || picked.get().or(role.get());
    let choices = move || {
        let current = role.get();
        data.actor.with(|a| match (a, current) {
            (Some(a), Some(current)) => choices_for(a, current),
            _ => Vec::new(),
        })
    };
    let save = {
        let target = target.clone();
        move |new: Role, answer: Option<String>| {
            let target = target.clone();
            let slug = data.slug.get_untracked();
            picked.set(Some(new));
            error.set(None);
            leptos::task::spawn_local(async move {
                match target.save(slug, new, answer).await {
                    Ok(()) => actions.saved.update(|v| *v += 1),
                    Err(e) => {
                        if let (Some(question), Some(token)) =
                            (e.for_field("confirm"), e.for_field("confirmation"))
                        {
                            confirming.set(Some((new, question, token)));
                        } else {
                            picked.set(None);
                            error.set(Some(row_message(&e)));
                        }
                    }
                }
            });
        }
    };
    let on_change = {
        let save = save.clone();
        move |ev: leptos::ev::Event| {
            if let Ok(new) = Role::parse(&event_target_value(&ev)) {
                if Some(new) != shown() {
                    save(new, None);
                }
            }
        }
    };
    let (id_name, id_value) = target.id_field();
    let action = target.action();
    let form = move || {
        let (save, on_change, id_value) = (save.clone(), on_change.clone(), id_value.clone());
        view! {
            <form action=action method="post" class="inline role-form">
                <input type="hidden" name="slug" value=move || data.slug.get() />
                <input type="hidden" name=id_name value=id_value />
                // The options mark the saved role (for the page as served); the dropdown's value
                // follows a pick, and its undoing, in the browser.
                <select
                    name="role"
                    aria-label=move || label.get()
                    on:change=on_change
                    prop:value=move || shown().map(Role::key).unwrap_or_default()
                >
                    {move || {
                        let saved = role.get();
                        choices()
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.key() selected=saved == Some(r)>
                                        {r.label()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                {move || {
                    (!actions.hydrated.get())
                        .then(|| view! { <button type="submit" class="small">"Save"</button> })
                }}
            </form>
            {move || error.get().map(|e| view! { <p class="row-error" role="alert">{e}</p> })}
            {move || {
                confirming
                    .get()
                    .map(|(new, question, token)| {
                        let save = save.clone();
                        view! {
                            <RoleConfirm
                                question
                                on_confirm=move || {
                                    confirming.set(None);
                                    save(new, Some(token.clone()));
                                }
                                on_cancel=move || {
                                    confirming.set(None);
                                    picked.set(None);
                                }
                            />
                        }
                    })
            }}
        }
    };
    view! {
        <td>
            {move || {
                if editable.get() {
                    Either::Left(form())
                } else {
                    Either::Right(view! { <span>{move || role.get().map(|r| r.label())}</span> })
                }
            }}
        </td>
    }
}

/// The in-place question before a change to or from Owner (the server's own wording).
#[component]
fn RoleConfirm(
    question: String,
    on_confirm: impl Fn() + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let confirm = NodeRef::<html::Button>::new();
    // Where a keyboard user is now: on the question's answer.
    Effect::new(move |_| {
        if let Some(button) = confirm.get() {
            let _ = button.focus();
        }
    });
    view! {
        <Confirm title="Change ownership?".into() message=question>
            <button type="button" class="primary" node_ref=confirm on:click=move |_| on_confirm()>
                "Confirm"
            </button>
            <button type="button" on:click=move |_| on_cancel()>
                "Cancel"
            </button>
        </Confirm>
    }
}

#[component]
fn ActivitySection() -> impl IntoView {
    let data = expect_context::<Data>();
    let older = move || {
        data.activity.with(|a| {
            (a.len() as i64 == crate::api::members::ACTIVITY_PAGE)
                .then(|| {
                    a.last()
                        .map(|(e, _)| format!("{}?before={}", data.base(), e.seq))
                })
                .flatten()
        })
    };
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Activity"</h2>
            <Show
                when=move || data.activity.with(|a| !a.is_empty())
                fallback=|| view! { <p class="empty">"Nothing has changed yet."</p> }
            >
                <ol class="activity">
                    <For
                        each=move || data.activity.get()
                        key=|(a, _)| a.seq
                        children=|(a, at)| view! { <li><time>{at}</time>" — "{a.describe()}</li> }
                    />
                </ol>
            </Show>
            {move || older().map(|href| view! { <a href=href>"Older activity"</a> })}
        </section>
    }
}

/// What each role may do, generated from the access table itself.
#[component]
fn RoleReference() -> impl IntoView {
    view! {
        <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">"Roles"</h2>
            <dl class="roles">
                {Role::ALL
                    .into_iter()
                    .map(|r| view! { <dt>{r.label()}</dt> <dd>{rights(r)}</dd> })
                    .collect_view()}
            </dl>
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
                                            let yes = can(&Actor::of_role(r), action, Scope::Project);
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

/// Which dialog the address asks for, with what it shows. A memo of it re-renders the dialog
/// only when this changes, not at every live update, so an open dialog keeps what is typed.
#[derive(Clone, PartialEq)]
enum DialogSpec {
    Invite,
    Permissions,
    Leave {
        project: String,
    },
    Remove {
        id: String,
        name: String,
        email: String,
        project: String,
    },
    Cancel {
        id: String,
        email: String,
    },
    ChangeRole {
        id: String,
        email: String,
        role: Role,
        choices: Vec<Role>,
    },
    /// A plain-form role change to or from Owner that the server asked to confirm: only the
    /// token of its question; the question itself is read from the server.
    ConfirmRole {
        token: String,
    },
}

#[component]
fn Dialogs() -> impl IntoView {
    let a = expect_context::<Actions>();
    let data = expect_context::<Data>();
    let query = use_query_map();
    let role_error = last_error(a.change_role.value());
    let spec = Memo::new(move |_| {
        let q = |k: &str| query.read().get(k);
        let project = data.project_name.get();
        if q("invite").is_some() && data.can(Action::ManageMembers) {
            return Some(DialogSpec::Invite);
        }
        if q("permissions").is_some() && data.can(Action::ManageMembers) {
            return Some(DialogSpec::Permissions);
        }
        if q("leave").is_some() {
            return Some(DialogSpec::Leave { project });
        }
        if let Some(id) = q("remove") {
            let found = data.others.with(|o| {
                o.iter()
                    .find(|m| m.user_id == id)
                    .map(|m| (m.name.clone(), m.email.clone()))
            });
            if let Some((name, email)) = found {
                return Some(DialogSpec::Remove {
                    id,
                    name,
                    email,
                    project,
                });
            }
        }
        if let Some(id) = q("change_role") {
            let found = data.pending.with(|p| {
                p.iter()
                    .find(|i| i.id == id)
                    .map(|i| (i.email.clone(), i.role))
            });
            let actor = data.actor.get();
            if let (Some((email, role)), Some(actor)) = (found, actor) {
                // Only for an invitation the caller may change (the server checks again).
                if check_member_change(&actor, Some(role), None).is_ok() {
                    let choices = choices_for(&actor, role);
                    return Some(DialogSpec::ChangeRole {
                        id,
                        email,
                        role,
                        choices,
                    });
                }
            }
        }
        if let Some(id) = q("cancel") {
            if let Some(email) = data
                .pending
                .with(|p| p.iter().find(|i| i.id == id).map(|i| i.email.clone()))
            {
                return Some(DialogSpec::Cancel { id, email });
            }
        }
        role_error
            .get()
            .and_then(|e| e.for_field("confirmation"))
            .map(|token| DialogSpec::ConfirmRole { token })
    });
    move || {
        let base = data.base();
        let slug = data.slug.get_untracked();
        spec.get().map(|spec| match spec {
            DialogSpec::Invite => view! { <InviteDialog /> }.into_any(),
            DialogSpec::Permissions => view! { <PermissionsDialog /> }.into_any(),
            DialogSpec::Leave { project } => view! {
                <Confirm title="Leave project?".into() message=format!("You will lose access to {project} at once. To come back you need a new invitation.") cancel_href=base>
                    <ActionForm action=a.leave attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <button type="submit" class="danger">"Leave Project"</button>
                    </ActionForm>
                </Confirm>
            }
            .into_any(),
            DialogSpec::Remove { id, name, email, project } => view! {
                <Confirm title=format!("Remove {name}?") message=format!("{name} ({email}) loses access to {project} at once and is told by email.") cancel_href=base>
                    <ActionForm action=a.remove attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="user_id" value=id />
                        <button type="submit" class="danger">"Confirm"</button>
                    </ActionForm>
                </Confirm>
            }
            .into_any(),
            DialogSpec::Cancel { id, email } => view! {
                <Confirm title="Cancel invitation?".into() message=format!("The link sent to {email} stops working at once.") cancel_href=base>
                    <ActionForm action=a.cancel attr:class="inline">
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="invitation_id" value=id />
                        <button type="submit" class="danger">"Confirm"</button>
                    </ActionForm>
                </Confirm>
            }
            .into_any(),
            DialogSpec::ChangeRole { id, email, role, choices } => {
                view! { <ChangeRoleDialog id email role choices /> }.into_any()
            }
            DialogSpec::ConfirmRole { token } => view! { <RoleQuestionDialog token /> }.into_any(),
        })
    }
}

/// The server's "make X Owner?" for a plain-form change: the question, its target and role come
/// from the server by the token, so a crafted address shows nothing (issue 9).
#[component]
fn RoleQuestionDialog(token: String) -> impl IntoView {
    let a = expect_context::<Actions>();
    let data = expect_context::<Data>();
    let slug = data.slug.get_untracked();
    let QuestionResource(question) = expect_context::<QuestionResource>();
    let base = data.base();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (slug, token, base) = (slug.clone(), token.clone(), base.clone());
                Suspend::new(async move {
                    question.await.ok().flatten().map(|q| view! {
                        <Confirm title="Change ownership?".into() message=q.question cancel_href=base>
                            <ActionForm action=a.change_role attr:class="inline">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="user_id" value=q.user_id />
                                <input type="hidden" name="role" value=q.role.key() />
                                <input type="hidden" name="confirmation" value=token />
                                <button type="submit" class="primary">"Confirm"</button>
                            </ActionForm>
                        </Confirm>
                    })
                })
            }}
        </Suspense>
    }
}

/// Manage → Change Role of a pending invitation (seed 003): pick a role, Save. The inline
/// dropdown stays as the fast path. Without JavaScript the post comes back to the Members page
/// with a notice (or to this dialog with the error); in the app the dialog closes once saved.
#[component]
fn ChangeRoleDialog(id: String, email: String, role: Role, choices: Vec<Role>) -> impl IntoView {
    let a = expect_context::<Actions>();
    let data = expect_context::<Data>();
    let error: Signal<Option<AppError>> = last_error(a.change_invitation_role.value());
    let query = use_query_map();
    let typed = query.with_untracked(|q| q.get_str("__err").and(q.get("role")));
    let picked = typed.and_then(|r| Role::parse(&r).ok()).unwrap_or(role);
    let base = data.base();
    close_after_success(a.change_invitation_role.value(), base.clone());
    view! {
        <Modal title="Change Role".into() title_id="change-role-title">
            <ActionForm action=a.change_invitation_role attr:aria-label="Change Role">
                <FormError error />
                <input type="hidden" name="slug" value=data.slug.get_untracked() />
                <input type="hidden" name="invitation_id" value=id />
                <div class="field">
                    <label for="change-role">"Role"</label>
                    <select id="change-role" name="role" aria-describedby="change-role-hint" autofocus>
                        {choices.into_iter().map(|r| view! { <option value=r.key() selected=r == picked>{r.label()}</option> }).collect_view()}
                    </select>
                    <p class="hint" id="change-role-hint">{format!("The invitation to {email} grants this role when it is accepted.")}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"Save"</button>
                    <a class="button" href=base>"Cancel"</a>
                </div>
            </ActionForm>
        </Modal>
    }
}

#[component]
fn InviteDialog() -> impl IntoView {
    let a = expect_context::<Actions>();
    let data = expect_context::<Data>();
    let error: Signal<Option<AppError>> = last_error(a.invite.value());
    let query = use_query_map();
    // Refilled only with what the person typed before a failed plain-form post.
    let typed = move |k: &str| {
        let q = query.read_untracked();
        q.get_str("__err").and(q.get(k)).unwrap_or_default()
    };
    let typed_role = typed("role");
    let default_role = Role::parse(&typed_role).unwrap_or(Role::Member);
    let roles = data
        .actor
        .get_untracked()
        .map(|a| assignable_roles(&a))
        .unwrap_or_default();
    let base = data.base();
    view! {
        <Modal title="New Member".into() title_id="invite-title">
            <ActionForm action=a.invite attr:novalidate=true attr:aria-label="New Member">
                <FormError error />
                <input type="hidden" name="slug" value=data.slug.get_untracked() />
                <div class="field">
                    <label for="invite-emails">"Email Address"</label>
                    <textarea id="invite-emails" name="emails" rows="3" aria-describedby="invite-emails-hint invite-emails-error">{typed("emails")}</textarea>
                    <p class="hint" id="invite-emails-hint">{move || format!("Several addresses are allowed (up to 50), separated by commas, spaces or new lines. Links expire after {} days.", data.invite_expiry_days.get())}</p>
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
                    <a class="button" href=base>"Cancel"</a>
                </div>
            </ActionForm>
        </Modal>
    }
}

/// Seed 004's permissions modal: the member's action permissions and the services they reach.
/// A switch beyond the member's role, or one the caller lacks and the member does not have,
/// cannot be ticked (the server refuses it as well). Without JavaScript a refused post comes
/// back here with what was ticked.
/// Once the action behind `value` has succeeded, forgets that result and goes back to `base`:
/// the dialog its address opened closes.
fn close_after_success(value: MappedSignal<Option<Result<(), AppError>>>, base: String) {
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(()))) {
            value.set(None);
            navigate(&base, Default::default());
        }
    });
}

/// The permissions dialog's data (see `Members`).
#[derive(Clone, Copy)]
struct ProfileResource(Resource<Result<Option<MemberProfile>, AppError>>);

/// The owner question's data (see `Members`).
#[derive(Clone, Copy)]
struct QuestionResource(Resource<Result<Option<RoleQuestion>, AppError>>);

#[component]
fn PermissionsDialog() -> impl IntoView {
    let data = expect_context::<Data>();
    let ProfileResource(profile) = expect_context::<ProfileResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                    match profile.await {
                        Ok(Some(p)) => view! { <PermissionsForm profile=p /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => {
                            view! {
                                <Modal title="Permissions".into() title_id="permissions-title">
                                    <p class="form-error" role="alert">{e.to_string()}</p>
                                    <a class="button" href=data.base()>"Close"</a>
                                </Modal>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn PermissionsForm(profile: MemberProfile) -> impl IntoView {
    let a = expect_context::<Actions>();
    let data = expect_context::<Data>();
    let error: Signal<Option<AppError>> = last_error(a.permissions.value());
    let query = use_query_map();
    // After a refused plain-form post: what was ticked, from the address.
    let typed = query.with_untracked(|q| {
        q.get_str("__err").map(|_| {
            (
                q.get_all("switches[]").unwrap_or_default(),
                q.get("services").unwrap_or_default(),
                q.get_all("service_ids[]").unwrap_or_default(),
            )
        })
    });
    let MemberProfile {
        user_id,
        name,
        role,
        member,
        editor,
        services,
    } = profile;
    let base = data.base();
    close_after_success(a.permissions.value(), base.clone());
    let title = format!("Permissions of {name}");
    if role == Role::Owner {
        return view! {
            <Modal title title_id="permissions-title">
                <p>{format!("{name} is a Team Owner: Owners have every permission on every service, whatever a profile says.")}</p>
                <div class="actions"><a class="button" href=base>"Close"</a></div>
            </Modal>
        }
        .into_any();
    }
    let has = member.switches();
    let all_services = match &typed {
        Some((_, services, _)) => services != "only",
        None => member.permissions.services == ServiceAccess::All,
    };
    let switches = Action::SWITCHES
        .into_iter()
        .map(|action| {
            let key = action.key();
            let checked = match &typed {
                Some((on, _, _)) => on.iter().any(|k| k == key),
                None => has.contains(&action),
            };
            let beyond = !action.allowed_roles().contains(&role);
            let not_yours = !has.contains(&action) && !can(&editor, action, Scope::Project);
            let why = if beyond {
                Some(format!("Beyond the {role} role"))
            } else if not_yours {
                Some("You do not have it yourself".to_owned())
            } else {
                None
            };
            let input_id = format!("perm-{key}");
            view! {
                <div class="check">
                    <input type="checkbox" id=input_id.clone() name="switches[]" value=key checked=checked && !beyond disabled=why.is_some() />
                    <label for=input_id>{action.describe()}</label>
                    {why.map(|w| view! { <span class="hint">{format!(" ({w})")}</span> })}
                </div>
            }
        })
        .collect_view();
    let reached = |id: &str| match &typed {
        Some((_, _, ids)) => ids.iter().any(|i| i == id),
        None => member.permissions.services.includes(id),
    };
    let service_boxes = services
        .iter()
        .map(|(id, service)| {
            let input_id = format!("svc-{id}");
            let grantable = reached(id) || editor.role == Role::Owner || editor.permissions.services.includes(id);
            view! {
                <div class="check">
                    <input type="checkbox" id=input_id.clone() name="service_ids[]" value=id.clone() checked=reached(id) disabled=!grantable />
                    <label for=input_id>{service.clone()}</label>
                </div>
            }
        })
        .collect_view();
    let no_services = services.is_empty();
    view! {
        <Modal title title_id="permissions-title">
            <ActionForm action=a.permissions attr:aria-label="Permissions">
                <FormError error />
                <input type="hidden" name="slug" value=data.slug.get_untracked() />
                <input type="hidden" name="user_id" value=user_id />
                <fieldset>
                    <legend>"Action permissions"</legend>
                    <p class="hint">{format!("Within what the {role} role allows. Changes apply at once; nobody is emailed.")}</p>
                    {switches}
                </fieldset>
                <fieldset>
                    <legend>"Resource access"</legend>
                    <div class="check">
                        <input type="radio" id="services-all" name="services" value="all" checked=all_services />
                        <label for="services-all">"Every service, present and future"</label>
                    </div>
                    <div class="check">
                        <input type="radio" id="services-only" name="services" value="only" checked=!all_services />
                        <label for="services-only">"Only these services (none ticked: no service)"</label>
                    </div>
                    <div class="indent">
                        {service_boxes}
                        {no_services.then(|| view! { <p class="hint">"The project has no services yet. New ones are added to every member's list."</p> })}
                    </div>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary">"Save"</button>
                    <a class="button" href=base>"Cancel"</a>
                </div>
            </ActionForm>
        </Modal>
    }
    .into_any()
}
