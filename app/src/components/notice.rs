use crate::api::notices::notice;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the action that led here did: the notice in the address a form post was sent on to
/// (`?notice=…&seal=…`, see `redirect_with_notice`), shown only when the server recognises its
/// seal, so a crafted link cannot speak in Roster's voice. In the app the address changes in
/// place, so this follows it.
#[component]
pub fn Notice() -> impl IntoView {
    let query = use_query_map();
    let sealed = move || {
        let q = query.read();
        (
            q.get("notice").unwrap_or_default(),
            q.get("seal").unwrap_or_default(),
        )
    };
    let shown = Resource::new(sealed, |(text, seal)| async move {
        if text.is_empty() {
            Ok(None)
        } else {
            notice(text, seal).await
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || {
                shown
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|n| view! { <p class="notice" role="status">{n}</p> })
            }}
        </Transition>
    }
}
