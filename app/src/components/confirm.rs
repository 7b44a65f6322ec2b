use leptos::prelude::*;

/// A modal confirmation with its own form; "Cancel" goes back to the plain page.
#[component]
pub fn Confirm(
    title: String,
    message: String,
    cancel_href: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="backdrop">
            <dialog open aria-modal="true" aria-labelledby="confirm-title" class="confirm">
                <h2 id="confirm-title">{title}</h2>
                <p>{message}</p>
                <div class="actions">
                    {children()}
                    <a class="button" href=cancel_href>
                        "Cancel"
                    </a>
                </div>
            </dialog>
        </div>
    }
}
