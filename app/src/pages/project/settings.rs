use super::CurrentProject;
use crate::access::{can, Action};
use crate::api::projects::DeleteProject;
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::notice::Notice;
use crate::pages::initial_query;
use leptos::{either::Either, form::ActionForm, prelude::*};
use leptos_meta::Title;

/// Settings → rename and invitation expiry. The server refuses roles without `EditSettings`
/// whatever this page shows. The forms are built once: a live change elsewhere never
/// overwrites what is being typed here.
#[component]
pub fn Settings() -> impl IntoView {
    let current = expect_context::<CurrentProject>();
    let context = current.resource();
    let project = Memo::new(move |_| context.get().and_then(Result::ok));
    // Only a change of access re-renders the page.
    let allowed = Memo::new(move |_| {
        project.with(|p| p.as_ref().map(|p| can(&p.actor, Action::EditSettings)))
    });
    view! {
        // Plain text, as on every page: leptos_axum reads the title after the page's owner is
        // gone, and a title that read a signal then panicked under load, or read another
        // request's page in the reused slot and sent its project's name (tests/isolation.rs).
        <Title text="Settings" />
        <Transition fallback=|| ()>
            // Waits for the data (on the server and while loading); renders nothing itself.
            {move || context.with(|_| ())}
            {move || {
                allowed
                    .get()
                    .map(|allowed| {
                        if allowed {
                            Either::Left(view! { <SettingsForms current project /> })
                        } else {
                            // Seed 003: not a section for this role. The server says 403 too.
                            crate::pages::respond_with(403);
                            let role = project
                                .get_untracked()
                                .map(|p| p.actor.role.to_string())
                                .unwrap_or_default();
                            Either::Right(
                                view! {
                                    <main class="section">
                                        <h1>"Settings"</h1>
                                        <p role="alert">
                                            {format!("Your role ({role}) cannot change this project's settings.")}
                                        </p>
                                    </main>
                                },
                            )
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn SettingsForms(
    current: CurrentProject,
    project: Memo<Option<crate::api::projects::ProjectContext>>,
) -> impl IntoView {
    let Some(start) = project.get_untracked() else {
        return Either::Left(());
    };
    let (rename, expiry) = (current.rename, current.expiry);
    let error = last_error(rename.value());
    let expiry_error = last_error(expiry.value());
    let typed = initial_query("name");
    let typed_days = initial_query("days");
    let name = if typed.is_empty() {
        start.name.clone()
    } else {
        typed
    };
    let days = if typed_days.is_empty() {
        start.invite_expiry_days.to_string()
    } else {
        typed_days
    };
    let deletable = can(&start.actor, Action::DeleteProject);
    let (project_name, slug3) = (start.name.clone(), start.slug.clone());
    let (slug, slug2) = (start.slug.clone(), start.slug);
    Either::Right(view! {
        <main class="section">
            <h1>"Settings"</h1>
            <Notice />
            <p>
                <a href=format!("/p/{slug3}/settings/billing")>"Billing accounts and payment method"</a>
            </p>
            <section aria-labelledby="rename-heading">
                <h2 id="rename-heading">"Rename project"</h2>
                <ActionForm action=rename attr:novalidate=true attr:aria-label="Rename project">
                    <FormError error />
                    <input type="hidden" name="slug" value=slug />
                    <Field label="Project name" name="name" value=name error=field_error(error, "name") />
                    <button type="submit" class="primary">
                        "Save name"
                    </button>
                </ActionForm>
            </section>
            <section aria-labelledby="expiry-heading">
                <h2 id="expiry-heading">"Invitations"</h2>
                <ActionForm action=expiry attr:novalidate=true attr:aria-label="Invitation expiry">
                    <FormError error=expiry_error />
                    <input type="hidden" name="slug" value=slug2 />
                    <Field
                        label="Invitation links expire after (days)"
                        name="days"
                        kind="number"
                        value=days
                        hint="From 1 to 30 days. Applies to invitations sent from now on."
                        error=field_error(expiry_error, "days")
                    />
                    <button type="submit" class="primary">
                        "Save expiry"
                    </button>
                </ActionForm>
            </section>
            {deletable.then(|| view! { <DeleteSection slug=slug3 name=project_name /> })}
        </main>
    })
}

/// Settings → Delete project (Team Owner only; the server checks again): typing the project's
/// name is the confirmation, with or without JavaScript.
#[component]
fn DeleteSection(slug: String, name: String) -> impl IntoView {
    let delete = ServerAction::<DeleteProject>::new();
    let error = last_error(delete.value());
    view! {
        <section aria-labelledby="delete-heading" class="danger-zone">
            <h2 id="delete-heading">"Delete project"</h2>
            <p>
                {format!("Deleting {name} removes it for everyone, with its members, pending invitations and history. It cannot be undone. To confirm, type its name: {name}")}
            </p>
            <ActionForm action=delete attr:novalidate=true attr:aria-label="Delete project">
                <FormError error />
                <input type="hidden" name="slug" value=slug />
                <Field
                    label="Type the project's name to confirm"
                    name="confirm_name"
                    value=initial_query("confirm_name")
                    error=field_error(error, "confirm_name")
                />
                <button type="submit" class="danger">
                    "Delete project"
                </button>
            </ActionForm>
        </section>
    }
}
