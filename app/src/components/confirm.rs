use leptos::prelude::*;

/// A modal confirmation with its own form; "Cancel" goes back to the plain page. Without
/// `cancel_href` the children bring their own way out (a dialog that exists only in the app).
#[component]
pub fn Confirm(
    title: String,
    message: String,
    #[prop(optional, into)] cancel_href: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="backdrop">
            <dialog open aria-modal="true" aria-labelledby="confirm-title" class="confirm">
                <h2 id="confirm-title">{title}</h2>
                <p>{message}</p>
                <div class="actions">
                    {children()}
                    {cancel_href.map(|href| view! { <a class="button" href=href>"Cancel"</a> })}
                </div>
            </dialog>
        </div>
    }
}
