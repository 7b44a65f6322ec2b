use super::initial_query;
use crate::api::projects::{suggest_slug, CreateProject};
use crate::components::field::{field_error, last_error, FormError};
use crate::domain::{ProjectName, Slug};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

/// "+ New Project": a name, and the URL name generated from it as the person types (seed 004).
/// The suggestion comes from the server, which knows which slugs are taken, so a collision's
/// suffix is visible (and editable) before saving.
#[component]
pub fn NewProjectPage() -> impl IntoView {
    let action = ServerAction::<CreateProject>::new();
    let error = last_error(action.value());
    let name = RwSignal::new(initial_query("name"));
    let slug = RwSignal::new(initial_query("slug"));
    let slug_edited = RwSignal::new(!slug.get_untracked().is_empty());
    let suggestion = LocalResource::new(move || {
        let name = name.get();
        async move {
            if name.trim().is_empty() {
                None
            } else {
                suggest_slug(name).await.ok()
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Some(s)) = suggestion.get() {
            if !slug_edited.get_untracked() {
                slug.set(s);
            }
        }
    });
    // The same parse the server runs, so a mistake shows while typing.
    let name_error = Signal::derive(move || {
        field_error(error, "name").get().or_else(|| {
            let n = name.get();
            (n.chars().count() > ProjectName::MAX_LEN)
                .then(|| ProjectName::parse(&n).err())
                .flatten()
        })
    });
    let slug_error = Signal::derive(move || {
        field_error(error, "slug").get().or_else(|| {
            let s = slug.get();
            (slug_edited.get() && !s.is_empty())
                .then(|| Slug::parse(&s).err())
                .flatten()
        })
    });
    view! {
        <Title text="New project" />
        <main class="narrow">
            <h1>"New project"</h1>
            <ActionForm action attr:novalidate=true attr:aria-label="New project">
                <FormError error />
                <div class="field">
                    <label for="field-name">"Project name"</label>
                    <input
                        id="field-name"
                        name="name"
                        autocomplete="off"
                        value=name.get_untracked()
                        prop:value=name
                        on:input=move |ev| name.set(event_target_value(&ev))
                        aria-invalid=move || name_error.get().map(|_| "true")
                        aria-describedby="field-name-error"
                    />
                    <p class="field-error" id="field-name-error" aria-live="polite">
                        {move || name_error.get()}
                    </p>
                </div>
                <div class="field">
                    <label for="field-slug">"URL name"</label>
                    <input
                        id="field-slug"
                        name="slug"
                        autocomplete="off"
                        value=slug.get_untracked()
                        prop:value=slug
                        on:input=move |ev| {
                            slug_edited.set(true);
                            slug.set(event_target_value(&ev));
                        }
                        aria-invalid=move || slug_error.get().map(|_| "true")
                        aria-describedby="field-slug-hint field-slug-error"
                    />
                    <p class="hint" id="field-slug-hint">
                        {move || {
                            let s = slug.get();
                            if s.is_empty() {
                                "Lower-case letters, digits and hyphens. Leave empty to make one from the name.".to_owned()
                            } else {
                                format!("Your project will live at /p/{s}")
                            }
                        }}
                    </p>
                    <p class="field-error" id="field-slug-error" aria-live="polite">
                        {move || slug_error.get()}
                    </p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        "Create project"
                    </button>
                    <a href="/projects" class="button">
                        "Cancel"
                    </a>
                </div>
            </ActionForm>
        </main>
    }
}
