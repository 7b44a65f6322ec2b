//! The browser entry point. Pages are rendered on the server only; what runs here are the
//! islands (`#[island]` in `app`), which the page's script hydrates one by one after this.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Links the app crate, whose islands are this module's exports.
    #[allow(unused_imports)]
    use app::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Lets browser tests (and curious people) tell a page whose islands run from a plain one.
    // The islands of the page are hydrated right after this returns, before any other task.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
