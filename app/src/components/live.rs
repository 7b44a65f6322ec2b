//! Live pages. Pages are rendered on the server only (islands): this island is the part of a
//! page that runs in the browser. It follows the page's event stream and, when something
//! changed, fetches the page again and puts the new server-rendered content in place. It also
//! sends the forms inside it without leaving the page (a role chosen in a dropdown is saved at
//! once) as the same plain form posts that work without JavaScript, so errors, confirmations
//! and notices come back exactly as the server renders them: there is one way a form behaves.
//!
//! Without JavaScript the content is simply there and the page is not live.

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
        content: NodeRef::new(),
        loads: StoredValue::new(0),
        stale: RwSignal::new(false),
        sending: StoredValue::new(false),
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
struct Region {
    status: RwSignal<LiveStatus>,
    content: NodeRef<Div>,
    /// Counts page loads, so an older answer never replaces a newer one.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    loads: StoredValue<u64>,
    /// A change arrived while someone was typing or had a dialog open: load it afterwards.
    stale: RwSignal<bool>,
    /// A form is being sent: its answer is the page to show, and a change waits for it.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    sending: StoredValue<bool>,
}

#[cfg(not(feature = "hydrate"))]
impl Region {
    fn follow(self, _stream: String) {}
    fn changed(self, _ev: leptos::ev::Event) {}
    fn submitted(self, _ev: leptos::ev::SubmitEvent) {}
    fn left(self, _ev: leptos::ev::FocusEvent) {}
}

#[cfg(feature = "hydrate")]
mod client {
    use super::{LiveStatus, Region};
    use futures::{stream::select_all, StreamExt};
    use gloo_net::{eventsource::futures::EventSource, http::Request};
    use leptos::ev::FocusEvent;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::{prelude::*, task::spawn_local};
    use web_sys::{
        DomParser, Element, FormData, HtmlElement, HtmlFormElement, HtmlInputElement,
        HtmlSelectElement, HtmlTextAreaElement, Node, SubmitEvent, SupportedType, UrlSearchParams,
    };

    const FIRST_RETRY_MS: u32 = 1_000;
    const LAST_RETRY_MS: u32 = 30_000;

    impl Region {
        pub(super) fn follow(self, stream: String) {
            spawn_local(run(stream, self));
            // Back and Forward move between the addresses this page showed in place: show
            // what the server renders for the one arrived at.
            let handle = window_event_listener(leptos::ev::popstate, move |_| {
                self.stale.set(false);
                self.load_here();
            });
            // Islands live as long as their page.
            std::mem::forget(handle);
        }

        /// A dropdown in a row form saves at once (the form's Save button is for plain pages).
        pub(super) fn changed(self, ev: leptos::ev::Event) {
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|select| select.form())
                .filter(|form| form.class_list().contains("role-form"));
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }

        /// Posts a form inside the region as the browser would, and shows the page it leads to.
        pub(super) fn submitted(self, ev: SubmitEvent) {
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            if !form.method().eq_ignore_ascii_case("post") {
                return;
            }
            ev.prevent_default();
            if self.sending.get_value() {
                return;
            }
            let Some(body) = form_body(&form, &ev) else {
                return form.submit().unwrap_or_default();
            };
            self.sending.set_value(true);
            let _ = form.set_attribute("aria-busy", "true");
            let request = page_request("POST", &form.action(), Some(&body));
            spawn_local(async move {
                let shown = self.show(request).await;
                let _ = form.remove_attribute("aria-busy");
                self.sending.set_value(false);
                // Anything unexpected (server down, not a page of ours): let the browser post it.
                if !shown {
                    let _ = form.submit();
                    return;
                }
                self.focus_answer();
                if self.stale.get_untracked() {
                    self.refresh();
                }
            });
        }

        /// Focus left a control: a change that waited for it can be shown now (unless the
        /// focus only moved to another control of the region, or something typed is unsaved).
        pub(super) fn left(self, ev: FocusEvent) {
            let (Some(content), true) = (self.content.get_untracked(), self.stale.get_untracked())
            else {
                return;
            };
            let to = ev.related_target().and_then(|t| t.dyn_into::<Node>().ok());
            if to.is_some_and(|to| content.contains(Some(&to))) {
                return;
            }
            self.refresh();
        }

        /// After a form was sent in place, the focus goes where the answer is: the field to
        /// correct, the dialog it opened, its error, or its notice (the element focused before
        /// is gone).
        fn focus_answer(self) {
            let Some(content) = self.content.get_untracked() else {
                return;
            };
            let target = [
                "[aria-invalid=true]",
                "dialog[open] textarea, dialog[open] input:not([type=hidden])",
                "dialog[open] button",
                "[role=alert]:not(:empty)",
                ".notice",
            ]
            .into_iter()
            .find_map(|selector| content.query_selector(selector).ok().flatten());
            if let Some(el) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                if !el.has_attribute("tabindex") && el.tag_name() != "BUTTON" {
                    let _ = el.set_attribute("tabindex", "-1");
                }
                let _ = el.focus();
            }
        }

        /// Loads the page again, unless that would throw away what someone is typing.
        fn refresh(self) {
            if self.busy() {
                self.stale.set(true);
                return;
            }
            self.stale.set(false);
            self.load_here();
        }

        /// Loads this address again and shows it.
        fn load_here(self) {
            let Some(href) = location().href().ok() else {
                return;
            };
            spawn_local(async move {
                let _ = self.show(page_request("GET", &href, None)).await;
            });
        }

        /// A form is being sent, a dialog is open, or someone is typing in the region: a text
        /// field has the focus, or holds something typed and not sent.
        fn busy(self) -> bool {
            if self.sending.get_value() {
                return true;
            }
            let Some(content) = self.content.get_untracked() else {
                return false;
            };
            let dialog = content
                .query_selector("dialog[open]")
                .ok()
                .flatten()
                .is_some();
            let typing = document().active_element().is_some_and(|el| {
                content.contains(Some(&el))
                    && matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA")
            });
            dialog || typing || unsent(&content)
        }

        /// Sends `request` and shows the page it ends on. Another page than this one is
        /// opened normally. False when the answer is not a page to show.
        async fn show(self, request: impl Into<Option<Request>>) -> bool {
            let Some(request) = request.into() else {
                return false;
            };
            let load = self.loads.get_value() + 1;
            self.loads.set_value(load);
            // Any status: "Project unavailable" is a page to show too (a 403).
            let Ok(response) = request.send().await else {
                return false;
            };
            let url = response.url();
            let Ok(html) = response.text().await else {
                return false;
            };
            if self.loads.get_value() != load {
                // A newer load is on its way.
                return true;
            }
            let here = location().pathname().unwrap_or_default();
            let there = web_sys::Url::new(&url)
                .map(|u| u.pathname())
                .unwrap_or_default();
            if here != there {
                return location().assign(&url).is_ok();
            }
            let Some(content) = self.content.get_untracked() else {
                return false;
            };
            let Some(new) = DomParser::new()
                .and_then(|p| p.parse_from_string(&html, SupportedType::TextHtml))
                .ok()
            else {
                return false;
            };
            let Some(new_content) = new.query_selector("[data-live-content]").ok().flatten() else {
                return false;
            };
            content.set_inner_html(&new_content.inner_html());
            document().set_title(&new.title());
            if location().href().ok().as_deref() != Some(url.as_str()) {
                let _ = window()
                    .history()
                    .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&url)));
            }
            true
        }
    }

    /// A request for a page (`Accept: text/html`: a form post answers with a redirect to one).
    /// Built from web-sys, as gloo-net 0.6's builder appends a `&` to a URL that has a query.
    fn page_request(method: &str, url: &str, body: Option<&JsValue>) -> Option<Request> {
        let headers = web_sys::Headers::new().ok()?;
        headers.set("Accept", "text/html").ok()?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_headers(&headers);
        if let Some(body) = body {
            init.set_body(body);
        }
        web_sys::Request::new_with_str_and_init(url, &init)
            .ok()
            .map(Request::from)
    }

    /// A text field of the region whose value is not the one the page came with.
    fn unsent(content: &Element) -> bool {
        let Ok(fields) = content.query_selector_all("input, textarea") else {
            return false;
        };
        (0..fields.length())
            .filter_map(|i| fields.item(i))
            .any(|field| {
                if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                    input.type_() != "hidden" && input.value() != input.default_value()
                } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                    area.default_value()
                        .is_ok_and(|default| area.value() != default)
                } else {
                    false
                }
            })
    }

    /// The form's fields, and the button that sent it, URL-encoded.
    fn form_body(form: &HtmlFormElement, ev: &SubmitEvent) -> Option<UrlSearchParams> {
        let data = FormData::new_with_form(form).ok()?;
        if let Some(button) = ev
            .submitter()
            .and_then(|s| s.dyn_into::<web_sys::HtmlButtonElement>().ok())
            .filter(|b| !b.name().is_empty())
        {
            data.append_with_str(&button.name(), &button.value()).ok()?;
        }
        UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
    }

    /// Follows the stream, reconnecting with backoff and resuming from the last event id seen.
    async fn run(url: String, region: Region) {
        let status = region.status;
        let mut last_id: Option<String> = None;
        let mut retry = FIRST_RETRY_MS;
        let mut reconnecting = false;
        loop {
            let address = match &last_id {
                Some(id) => format!("{url}?last_event_id={id}"),
                None => url.clone(),
            };
            let Ok(mut source) = EventSource::new(&address) else {
                status.set(LiveStatus::Offline);
                return;
            };
            let subscriptions = ["ready", "change", "reload", "revoked"]
                .into_iter()
                .filter_map(|kind| source.subscribe(kind).ok())
                .collect::<Vec<_>>();
            let mut events = select_all(subscriptions);
            let (mut ended, mut opened) = (false, false);
            while let Some(item) = events.next().await {
                let Ok((kind, message)) = item else {
                    // Lost: close it and come back on our own terms (backoff, position).
                    break;
                };
                let id = message.last_event_id();
                if !id.is_empty() {
                    last_id = Some(id);
                }
                match kind.as_str() {
                    "ready" => {
                        opened = true;
                        status.set(LiveStatus::Live);
                        retry = FIRST_RETRY_MS;
                        // What happened while away that no replay covers: load it.
                        if reconnecting {
                            region.refresh();
                        }
                    }
                    "revoked" => {
                        status.set(LiveStatus::Ended);
                        region.refresh();
                        ended = true;
                        break;
                    }
                    _ => region.refresh(),
                }
            }
            drop(events);
            source.close();
            if ended {
                return;
            }
            status.set(LiveStatus::Reconnecting);
            // Refused before it opened (access ended? server down?): show what is true now
            // rather than what the page showed before.
            if !opened {
                region.refresh();
            }
            reconnecting = true;
            gloo_timers::future::TimeoutFuture::new(retry).await;
            retry = (retry * 2).min(LAST_RETRY_MS);
        }
    }
}
