use crate::api::notices::notice;
use crate::components::resource::{resource, Resource};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The notice in the address, verified by the server. One resource for the whole app, made
/// with the app's other top-level state: a resource made inside a page's boundary gets a
/// different place in the order resources are matched to their server-rendered data on each
/// side (the server renders a boundary's content twice), and its page then failed to hydrate.
#[derive(Clone, Copy)]
pub struct Notices(Resource<Result<Option<String>, crate::error::AppError>>);

/// Makes the app's notice resource; call once, above the routes.
pub fn provide_notices() {
    let query = use_query_map();
    let sealed = move || {
        let q = query.read();
        (
            q.get("notice").unwrap_or_default(),
            q.get("seal").unwrap_or_default(),
        )
    };
    let shown = resource(sealed, |(text, seal)| async move {
        if text.is_empty() {
            Ok(None)
        } else {
            notice(text, seal).await
        }
    });
    provide_context(Notices(shown));
}

/// What the action that led here did: the notice in the address a form post was sent on to
/// (`?notice=…&seal=…`, see `redirect_with_notice`), shown only when the server recognises its
/// seal, so a crafted link cannot speak in Roster's voice. In the app the address changes in
/// place, so this follows it.
#[component]
pub fn Notice() -> impl IntoView {
    let Notices(shown) = expect_context::<Notices>();
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
