use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the action that led here did: the notice in the address a form post was sent on to
/// (`?notice=…`, see `redirect_with_notice`). In the app the address changes in place, so this
/// follows it.
#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("notice")
            .map(|n| view! { <p class="notice" role="status">{n}</p> })
    }
}
