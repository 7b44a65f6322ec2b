//! Showing the page again in place (hydrate only): after a change, after a form was sent, and
//! on Back and Forward.

use super::{stream, Region};
use gloo_net::http::Request;
use leptos::ev::FocusEvent;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::{prelude::*, task::spawn_local};
use web_sys::{
    DomParser, Element, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement,
    HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Node, RequestMode, SubmitEvent,
    SupportedType, UrlSearchParams,
};

/// What to load.
enum Load {
    /// This address again.
    Here,
    /// A form post: (action, URL-encoded body).
    Post(String, String),
}

/// How a load ended.
enum Shown {
    /// In place (or a newer load will show instead).
    Here,
    /// The answer is another page, which the browser opens.
    Elsewhere,
}

impl Region {
    pub(super) fn follow(self, stream: String) {
        self.shown.set_value(here());
        spawn_local(stream::run(stream, self));
        // Back and Forward move between the addresses this page showed in place: show what the
        // server renders for the one arrived at (a change of fragment alone is not a page).
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            if here() != self.shown.get_value() {
                self.stale.set(false);
                spawn_local(async move {
                    let _ = self.load(Load::Here).await;
                });
            }
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
        let submitter = ev
            .submitter()
            .and_then(|s| s.dyn_into::<HtmlButtonElement>().ok());
        let Some(body) = form_body(&form, submitter.as_ref()) else {
            // Nothing sent yet: the browser posts it.
            return;
        };
        let action = submitter
            .filter(|b| b.has_attribute("formaction"))
            .map(|b| b.form_action())
            .unwrap_or_else(|| form.action());
        ev.prevent_default();
        self.send(action, body);
    }

    fn send(self, action: String, body: String) {
        if self.sending.get_value() {
            // Only the last choice matters (a role picked twice quickly).
            self.queued.set_value(Some((action, body)));
            return;
        }
        self.sending.set_value(true);
        self.error.set(None);
        let content = self.content.get_untracked();
        if let Some(content) = &content {
            let _ = content.set_attribute("aria-busy", "true");
        }
        spawn_local(async move {
            let shown = self.load(Load::Post(action, body)).await;
            if let Some(content) = &content {
                let _ = content.remove_attribute("aria-busy");
            }
            self.sending.set_value(false);
            match shown {
                Ok(Shown::Here) => self.focus_answer(),
                Ok(Shown::Elsewhere) => return,
                Err(message) => self.error.set(Some(message.to_owned())),
            }
            if let Some((action, body)) = self.queued.try_update_value(Option::take).flatten() {
                self.send(action, body);
            } else if self.stale.get_untracked() {
                self.refresh();
            }
        });
    }

    /// Focus left a control: a change that waited for it can be shown now (unless the focus
    /// only moved to another control of the region, or something typed is unsent).
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

    /// Loads the page again, unless that would throw away what someone is doing.
    pub(super) fn refresh(self) {
        if self.sending.get_value() || self.typing() {
            self.stale.set(true);
            return;
        }
        self.stale.set(false);
        // A burst of changes costs two loads (the one running and one after it), not one each.
        if self.refreshing.get_value() {
            self.again.set_value(true);
            return;
        }
        self.refreshing.set_value(true);
        spawn_local(async move {
            loop {
                let _ = self.load(Load::Here).await;
                if !self.again.try_update_value(std::mem::take).unwrap_or(false) {
                    break;
                }
            }
            self.refreshing.set_value(false);
        });
    }

    /// A dialog is open, or someone is typing in the region: a text field has the focus, or
    /// holds something typed and not sent.
    fn typing(self) -> bool {
        let Some(content) = self.content.get_untracked() else {
            return false;
        };
        let dialog = content
            .query_selector("dialog[open]")
            .ok()
            .flatten()
            .is_some();
        let focused = document().active_element().is_some_and(|el| {
            content.contains(Some(&el)) && matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA")
        });
        dialog || focused || unsent(&content)
    }

    /// Sends the request and shows the page it ends on. The error is the message for the person
    /// when a form could not be sent in place.
    async fn load(self, what: Load) -> Result<Shown, &'static str> {
        const UNREACHABLE: &str =
            "Could not reach the server. Check your connection, then try again.";
        let load = self.loads.get_value() + 1;
        self.loads.set_value(load);
        let post = matches!(what, Load::Post(..));
        let request = match &what {
            Load::Here => page_request("GET", &location().href().unwrap_or_default(), None),
            Load::Post(action, body) => page_request("POST", action, Some(body)),
        };
        let response = request.ok_or(UNREACHABLE)?.send().await;
        let response = response.map_err(|_| UNREACHABLE)?;
        // A form post is answered with a redirect to the page to show; anything else (a
        // refused cross-site request, a server error) is not a page of ours.
        if post && !response.redirected() {
            return Err("The server did not accept this. Reload the page, then try again.");
        }
        let url = response.url();
        let Ok(there) = web_sys::Url::new(&url) else {
            return Err(UNREACHABLE);
        };
        if there.origin() != location().origin().unwrap_or_default() {
            return Err(UNREACHABLE);
        }
        let html = response.text().await.map_err(|_| UNREACHABLE)?;
        if self.loads.get_value() != load {
            return Ok(Shown::Here);
        }
        let fresh = DomParser::new()
            .and_then(|p| p.parse_from_string(&html, SupportedType::TextHtml))
            .ok();
        let new_content = fresh
            .as_ref()
            .and_then(|doc| doc.query_selector("[data-live-content]").ok().flatten());
        let (Some(content), Some(fresh), Some(new_content), true) = (
            self.content.get_untracked(),
            fresh,
            new_content,
            there.pathname() == location().pathname().unwrap_or_default(),
        ) else {
            // Another page (after leaving a project, say): open it.
            let _ = location().assign(&url);
            return Ok(Shown::Elsewhere);
        };
        // Someone started typing while a change was on its way: it waits for them.
        if !post && self.typing() {
            self.stale.set(true);
            return Ok(Shown::Here);
        }
        swap(&content, &new_content);
        document().set_title(&fresh.title());
        let address = url.split('#').next().unwrap_or_default().to_owned();
        if address != here() {
            if let Ok(history) = window().history() {
                let _ = if post {
                    history.push_state_with_url(&JsValue::NULL, "", Some(&url))
                } else {
                    history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
                };
            }
        }
        self.shown.set_value(address);
        Ok(Shown::Here)
    }

    /// After a form was sent in place and nothing in the region kept the focus, it goes where
    /// the answer is: the field to correct, the dialog it opened, its error, or its notice.
    fn focus_answer(self) {
        let Some(content) = self.content.get_untracked() else {
            return;
        };
        if document()
            .active_element()
            .is_some_and(|el| content.contains(Some(&el)))
        {
            return;
        }
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
            // Messages are not in the tab order; fields and buttons keep their place in it.
            if el.tab_index() < 0 {
                let _ = el.set_attribute("tabindex", "-1");
            }
            let _ = el.focus();
        }
    }
}

/// The address shown, without its fragment.
fn here() -> String {
    let href = location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Puts the new content in place, moving the parsed nodes rather than serialising them again,
/// and gives the focus back to the control that had it (the same dropdown, say).
fn swap(content: &Element, new_content: &Element) {
    let focused = document()
        .active_element()
        .filter(|el| content.contains(Some(el)));
    let key = focused.as_ref().and_then(FocusKey::of);
    let doc = document();
    let Ok(fragment) = doc.create_document_fragment().dyn_into::<Node>() else {
        return;
    };
    while let Some(child) = new_content.first_child() {
        match doc.adopt_node(&child) {
            Ok(node) => {
                let _ = fragment.append_child(&node);
            }
            Err(_) => {
                let _ = new_content.remove_child(&child);
            }
        }
    }
    content.replace_children_with_node_1(&fragment);
    if let Some(el) = key.and_then(|k| k.find(content)) {
        let _ = el.focus();
    }
}

/// How to find a control again in new content.
enum FocusKey {
    Id(String),
    Label(String),
}

impl FocusKey {
    fn of(el: &Element) -> Option<Self> {
        if !el.id().is_empty() {
            return Some(Self::Id(el.id()));
        }
        el.get_attribute("aria-label").map(Self::Label)
    }

    fn find(self, content: &Element) -> Option<HtmlElement> {
        let found = match self {
            Self::Id(id) => document().get_element_by_id(&id),
            Self::Label(label) => {
                let all = content.query_selector_all("[aria-label]").ok()?;
                (0..all.length())
                    .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
                    .find(|el| el.get_attribute("aria-label").as_deref() == Some(label.as_str()))
            }
        };
        found.and_then(|el| el.dyn_into::<HtmlElement>().ok())
    }
}

/// A request for a page of this site (`Accept: text/html`: a form post is answered with a
/// redirect to one). Built from web-sys, as gloo-net 0.6's builder appends a `&` to a URL
/// that has a query.
fn page_request(method: &str, url: &str, body: Option<&str>) -> Option<Request> {
    let headers = web_sys::Headers::new().ok()?;
    headers.set("Accept", "text/html").ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::SameOrigin);
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .ok()?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
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
fn form_body(form: &HtmlFormElement, submitter: Option<&HtmlButtonElement>) -> Option<String> {
    let data = FormData::new_with_form(form).ok()?;
    if let Some(button) = submitter.filter(|b| !b.name().is_empty()) {
        data.append_with_str(&button.name(), &button.value()).ok()?;
    }
    UrlSearchParams::new_with_str_sequence_sequence(&data)
        .ok()
        .map(|params| String::from(params.to_string()))
}
