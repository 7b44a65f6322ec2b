use super::initial_query;
use crate::api::projects::{suggest_slug, CreateProject};
use crate::components::field::{field_error, last_error, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::domain::{ProjectName, Slug};
use leptos::prelude::*;
use leptos_meta::Title;

/// "+ New Project": a name, and the URL name generated from it as the person types (seed 004).
/// The server suggests the URL name (it knows which slugs are taken, so a collision's suffix is
/// visible and editable before saving).
#[component]
pub fn NewProjectPage() -> impl IntoView {
    let action = FormAction::<CreateProject>::new();
    let error = last_error(action.value());
    view! {
        <Title text="New project" />
        <main class="narrow">
            <h1>"New project"</h1>
            <ActionForm action attr:novalidate=true attr:aria-label="New project">
                <FormError error />
                <ProjectFields
                    name=initial_query("name")
                    slug=initial_query("slug")
                    name_error=field_error(error, "name")
                    slug_error=field_error(error, "slug")
                    attempts=Signal::derive(move || action.version().get())
                />
                <div class="actions">
                    <button type="submit" class="primary">
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

/// The name and URL name fields. `name`/`slug` are what was typed before a failed plain-form
/// submission, with the server's errors for them; `attempts` counts submissions sent in place.
#[component]
fn ProjectFields(
    name: String,
    slug: String,
    name_error: Signal<Option<String>>,
    slug_error: Signal<Option<String>>,
    attempts: Signal<usize>,
) -> impl IntoView {
    let slug_edited = RwSignal::new(!slug.is_empty());
    let (name, slug) = (RwSignal::new(name), RwSignal::new(slug));
    // The server's error stands until the field it is about changes (or the next submission).
    let (name_typed, slug_typed) = (RwSignal::new(false), RwSignal::new(false));
    Effect::new(move |_| {
        attempts.track();
        name_typed.set(false);
        slug_typed.set(false);
    });
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
        if !name_typed.get() {
            return name_error.get();
        }
        let n = name.get();
        (n.chars().count() > ProjectName::MAX_LEN)
            .then(|| ProjectName::parse(&n).err())
            .flatten()
    });
    let slug_error = Signal::derive(move || {
        if !slug_typed.get() {
            return slug_error.get();
        }
        let s = slug.get();
        (!s.is_empty()).then(|| Slug::parse(&s).err()).flatten()
    });
    view! {
        <div class="field">
            <label for="field-name">"Project name"</label>
            <input
                id="field-name"
                name="name"
                autocomplete="off"
                value=name.get_untracked()
                prop:value=name
                on:input=move |ev| {
                    name_typed.set(true);
                    name.set(event_target_value(&ev));
                }
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
                    slug_typed.set(true);
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
    }
}
