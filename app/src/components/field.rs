use crate::error::AppError;
use leptos::prelude::*;

/// A labelled input with its error message beneath it, announced to screen readers.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    /// What the field starts with (the value typed before a failed plain-form submission).
    #[prop(optional, into)]
    value: String,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] readonly: bool,
    /// A multi-line text box of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let area = NodeRef::<leptos::html::Textarea>::new();
    // After a submission sent in place fails, the first field to correct gets the focus, as a
    // page reloaded by a plain form post would show it (the server renders it invalid).
    Effect::new(move |was_invalid: Option<bool>| {
        let invalid = error.with(Option::is_some);
        if invalid && was_invalid == Some(false) {
            let element: Option<leptos::web_sys::HtmlElement> = input
                .get_untracked()
                .map(Into::into)
                .or_else(|| area.get_untracked().map(Into::into));
            if let Some(element) = element {
                let first = element
                    .closest("form")
                    .ok()
                    .flatten()
                    .and_then(|form| form.query_selector("[aria-invalid=true]").ok().flatten());
                if first.is_some_and(|first| first.id() == element.id()) {
                    let _ = element.focus();
                }
            }
        }
        invalid
    });
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some_and(|h| !h.is_empty()) {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {match rows {
                None => view! {
                    <input
                        node_ref=input
                        id=id
                        name=name
                        type=kind
                        value=value
                        autocomplete=autocomplete
                        readonly=readonly
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=described_by
                    />
                }
                    .into_any(),
                Some(rows) => view! {
                    <textarea
                        node_ref=area
                        id=id
                        name=name
                        rows=rows
                        readonly=readonly
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=described_by
                    >
                        {value}
                    </textarea>
                }
                    .into_any(),
            }}
            {hint.filter(|h| !h.is_empty()).map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The error an action's last run ended with, if it failed.
pub fn last_error<T>(value: MappedSignal<Option<Result<T, AppError>>>) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message of an error that belongs to `field`.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.for_field(field))))
}

/// An error that is not about one field, shown above the form.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.with(|e| e.as_ref().and_then(AppError::form_message));
    view! {
        <Show when=move || message().is_some()>
            <p class="form-error" role="alert">
                {message}
            </p>
        </Show>
    }
}
