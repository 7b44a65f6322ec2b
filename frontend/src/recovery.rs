//! What the browser does when the app stops. A panic ends the WASM module (panic = abort), and
//! with split code the likeliest cause is a page's chunk that failed to download (Leptos 0.8
//! panics then). The server renders every page completely, so the way back is to load the page
//! the person was going to (the router changes the address only once the page's code is in):
//! once, as that usually fetches the chunk; if the app stops again soon after, loading in a
//! loop would help nobody, so the page says what happened and offers a reload (a plain form:
//! the stopped app's own handlers can no longer be trusted with a click).

use std::cell::{Cell, RefCell};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::window;

thread_local! {
    /// The same-site link last clicked: where the app was going when it stopped.
    static GOING_TO: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The page already says that the app stopped.
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Remembers where each click on a link leads (before the router takes it over) and forgets it
/// on Back and Forward, which change the address at once.
pub fn follow_navigation() {
    let Some(window) = window() else { return };
    let origin = window.location().origin().unwrap_or_default();
    let clicked = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            .map(|a| a.href())
            .filter(|href| href.starts_with(&format!("{origin}/")));
        GOING_TO.with(|going| *going.borrow_mut() = link);
    });
    let moved = Closure::<dyn Fn(web_sys::Event)>::new(|_: web_sys::Event| {
        GOING_TO.with(|going| *going.borrow_mut() = None);
    });
    // Capturing on the window runs before the router's own handler.
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        clicked.as_ref().unchecked_ref(),
        true,
    );
    let _ = window.add_event_listener_with_callback("popstate", moved.as_ref().unchecked_ref());
    // They live as long as the page.
    clicked.forget();
    moved.forget();
}

/// When the last automatic reload happened (sessionStorage: per tab, gone with it).
const RELOADED_AT: &str = "roster:reloaded-at";
/// A second stop within this long after an automatic reload is not retried.
const RETRY_AFTER_MS: u64 = 60_000;

pub fn after_panic() {
    let Some(window) = window() else { return };
    // Whole milliseconds: formatting and parsing an f64 would add some 20 KB of float code to
    // the main module for no gain in precision that matters here.
    let now = js_sys::Date::now() as u64;
    let storage = window.session_storage().ok().flatten();
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(RELOADED_AT).ok().flatten())
        .and_then(|v| v.parse::<u64>().ok());
    let recently = last.is_some_and(|at| now.saturating_sub(at) < RETRY_AFTER_MS);
    if let (false, Some(storage)) = (recently, storage) {
        if storage.set_item(RELOADED_AT, &now.to_string()).is_ok() {
            let location = window.location();
            let loading = match GOING_TO.with(|going| going.borrow_mut().take()) {
                Some(target) => location.assign(&target),
                None => location.reload(),
            };
            if loading.is_ok() {
                return;
            }
        }
    }
    show_failure(&window);
}

/// Says on the page that it no longer responds as an app, with a way to try again.
fn show_failure(window: &web_sys::Window) {
    let Some(document) = window.document() else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-hydrated");
    }
    let (Some(body), Ok(alert), Ok(form), Ok(button)) = (
        document.body(),
        document.create_element("div"),
        document.create_element("form"),
        document.create_element("button"),
    ) else {
        return;
    };
    let _ = alert.set_attribute("role", "alert");
    let _ = alert.set_attribute("class", "app-stopped");
    alert.set_text_content(Some(
        "Part of Roster could not be loaded, so this page may not respond. ",
    ));
    // A plain GET form: the browser loads the page itself, whatever state the app is in.
    let _ = form.set_attribute("method", "get");
    let _ = form.set_attribute("action", &window.location().pathname().unwrap_or_default());
    let _ = button.set_attribute("type", "submit");
    button.set_text_content(Some("Reload the page"));
    let _ = form.append_child(&button);
    let _ = alert.append_child(&form);
    let _ = body.prepend_with_node_1(&alert);
}
