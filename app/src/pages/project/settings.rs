use super::project_resource;
use crate::access::{can, Action};
use crate::api::projects::{RenameProject, SetInviteExpiry};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::notice::Notice;
use crate::pages::initial_query;
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

/// Settings → rename. The server refuses roles without `EditSettings` whatever this page shows.
#[component]
pub fn Settings() -> impl IntoView {
    let context = project_resource();
    let rename = ServerAction::<RenameProject>::new();
    let error = last_error(rename.value());
    let typed = initial_query("name");
    let expiry = ServerAction::<SetInviteExpiry>::new();
    let expiry_error = last_error(expiry.value());
    let typed_days = initial_query("days");
    view! {
        <Transition fallback=|| ()>
            {move || {
                let typed = typed.clone();
                let typed_days = typed_days.clone();
                Suspend::new(async move {
                    let project = context.await.ok()?;
                    let view = if can(&project.actor, Action::EditSettings) {
                        let current = if typed.is_empty() { project.name.clone() } else { typed };
                        let slug2 = project.slug.clone();
                        view! {
                            <Title text=format!("Settings · {}", project.name) />
                            <main class="section">
                                <h1>"Settings"</h1>
                                <Notice />
                                <section aria-labelledby="rename-heading">
                                    <h2 id="rename-heading">"Rename project"</h2>
                                    <ActionForm action=rename attr:novalidate=true attr:aria-label="Rename project">
                                        <FormError error />
                                        <input type="hidden" name="slug" value=project.slug.clone() />
                                        <Field
                                            label="Project name"
                                            name="name"
                                            value=current
                                            error=field_error(error, "name")
                                        />
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
                                            value=if typed_days.is_empty() { project.invite_expiry_days.to_string() } else { typed_days }
                                            hint="From 1 to 30 days. Applies to invitations sent from now on."
                                            error=field_error(expiry_error, "days")
                                        />
                                        <button type="submit" class="primary">
                                            "Save expiry"
                                        </button>
                                    </ActionForm>
                                </section>
                            </main>
                        }
                            .into_any()
                    } else {
                        view! {
                            <main class="section">
                                <h1>"Settings"</h1>
                                <p role="alert">
                                    {format!(
                                        "Your role ({}) cannot change this project's settings.",
                                        project.actor.role,
                                    )}
                                </p>
                            </main>
                        }
                            .into_any()
                    };
                    Some(view)
                })
            }}
        </Transition>
    }
}
