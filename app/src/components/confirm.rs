use leptos::prelude::*;

/// A modal dialog named by its heading (`title_id` labels it, so keep it unique on the page).
#[component]
pub fn Modal(title: String, title_id: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="backdrop">
            <dialog open aria-modal="true" aria-labelledby=title_id class="confirm">
                <h2 id=title_id>{title}</h2>
                {children()}
            </dialog>
        </div>
    }
}

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
        <Modal title title_id="confirm-title">
            <p>{message}</p>
            <div class="actions">
                {children()}
                {cancel_href.map(|href| view! { <a class="button" href=href>"Cancel"</a> })}
            </div>
        </Modal>
    }
}
