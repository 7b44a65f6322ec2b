use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the action that led here did: the notice in the address a form post was sent on to
/// (`?notice=…`, see `redirect_with_notice`).
#[component]
pub fn Notice() -> impl IntoView {
    let notice = use_query_map().read_untracked().get("notice");
    notice.map(|n| view! { <p class="notice" role="status">{n}</p> })
}
