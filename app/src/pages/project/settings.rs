use super::CurrentProject;
use crate::access::{can, Action};
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::pages::initial_query;
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

/// Settings → rename. The server refuses roles without `EditSettings` whatever this page shows.
#[component]
pub fn Settings() -> impl IntoView {
    let CurrentProject { context, rename } = expect_context();
    let value = rename.value();
    let error = last_error(value);
    let typed = initial_query("name");
    view! {
        <Transition fallback=|| ()>
            {move || {
                let typed = typed.clone();
                Suspend::new(async move {
                    let project = context.await.ok()?;
                    let view = if can(&project.actor, Action::EditSettings) {
                        let current = if typed.is_empty() { project.name.clone() } else { typed };
                        view! {
                            <Title text=format!("Settings · {}", project.name) />
                            <main class="section">
                                <h1>"Settings"</h1>
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
                                        <button type="submit" class="primary" disabled=move || rename.pending().get()>
                                            "Save name"
                                        </button>
                                        <p class="saved" aria-live="polite">
                                            {move || matches!(value.get(), Some(Ok(()))).then_some("Saved.")}
                                        </p>
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
