//! The browser entry point: hydrates the server-rendered page into the single-page app. From
//! here on the router navigates in place, and every view renders with the same access table
//! the server enforces. Each page's code is a WASM chunk fetched when the page is first needed
//! (see `lazy_page!` in the app), so hydration waits for the current page's chunk.

mod recovery;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        recovery::after_panic();
    }));
    recovery::follow_navigation();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        // Lets browser tests (and curious people) tell a hydrated page from a plain one.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
