//! Live pages. Pages are rendered on the server only (islands): this island is the part of a
//! page that runs in the browser. It follows the page's event stream and, when something
//! changed, fetches the page again and puts the new server-rendered content in place. It also
//! sends the forms inside it without leaving the page (a role chosen in a dropdown is saved at
//! once) as the same form posts that work without JavaScript, so errors, confirmations and
//! notices come back exactly as the server renders them: there is one way a form behaves.
//!
//! Without JavaScript the content is simply there and the page is not live.

#[cfg(feature = "hydrate")]
mod page;
#[cfg(feature = "hydrate")]
mod stream;

use leptos::html::Div;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    /// Not connected yet (always so before the island runs).
    Offline,
    Live,
    Reconnecting,
    /// The server ended access (removed from the project, signed out): no reconnecting.
    Ended,
}

/// A region of a page that stays current. `stream` is the page's event stream
/// (`/events/p/<slug>`, `/events/me`); `children` is the server-rendered content.
#[island]
pub fn LiveRegion(stream: String, children: Children) -> impl IntoView {
    let region = Region {
        status: RwSignal::new(LiveStatus::Offline),
        stale: RwSignal::new(false),
        error: RwSignal::new(None),
        content: NodeRef::new(),
        loads: StoredValue::new(0),
        sending: StoredValue::new(false),
        refreshing: StoredValue::new(false),
        again: StoredValue::new(false),
        queued: StoredValue::new(None),
        shown: StoredValue::new(String::new()),
    };
    region.follow(stream);
    view! {
        <div
            class="live-region"
            on:change=move |ev| region.changed(ev)
            on:submit=move |ev| region.submitted(ev)
            on:focusout=move |ev| region.left(ev)
        >
            <LiveIndicator status=region.status waiting=region.stale />
            <p class="form-error" role="alert">
                {move || region.error.get()}
            </p>
            <div class="live-content" data-live-content node_ref=region.content>
                {children()}
            </div>
        </div>
    }
}

#[component]
fn LiveIndicator(status: RwSignal<LiveStatus>, waiting: RwSignal<bool>) -> impl IntoView {
    let text = move || match status.get() {
        LiveStatus::Offline => "Not live: reload to see changes",
        LiveStatus::Live if waiting.get() => "Live: new changes will show when you finish",
        LiveStatus::Live => "Live",
        LiveStatus::Reconnecting => "Reconnecting…",
        LiveStatus::Ended => "Access ended",
    };
    let class = move || match status.get() {
        LiveStatus::Live => "live on",
        LiveStatus::Ended => "live ended",
        _ => "live off",
    };
    view! {
        <p class=class role="status" aria-live="polite" title="Changes made by others appear here without reloading">
            {text}
        </p>
    }
}

/// The island's state, shared by its event handlers and its stream.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Region {
    status: RwSignal<LiveStatus>,
    /// A change arrived while someone was typing, had a dialog open or was sending a form:
    /// it is loaded once they are done.
    stale: RwSignal<bool>,
    /// Why the last form could not be sent in place.
    error: RwSignal<Option<String>>,
    content: NodeRef<Div>,
    /// Counts page loads, so an older answer never replaces a newer one.
    loads: StoredValue<u64>,
    /// A form is being sent: its answer is the page to show.
    sending: StoredValue<bool>,
    /// A reload after a change is on its way; `again`: another change came meanwhile.
    refreshing: StoredValue<bool>,
    again: StoredValue<bool>,
    /// The latest form sent while another was on its way (action, URL-encoded body).
    queued: StoredValue<Option<(String, String)>>,
    /// The address whose content is shown (without its fragment).
    shown: StoredValue<String>,
}

#[cfg(not(feature = "hydrate"))]
impl Region {
    fn follow(self, _stream: String) {}
    fn changed(self, _ev: leptos::ev::Event) {}
    fn submitted(self, _ev: leptos::ev::SubmitEvent) {}
    fn left(self, _ev: leptos::ev::FocusEvent) {}
}
