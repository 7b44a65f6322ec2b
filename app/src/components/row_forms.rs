//! Tables with a form in every row (a role dropdown, a button). The forms are plain HTML that
//! posts without JavaScript; once hydrated, one listener on the table handles them all, instead
//! of a component and closures per row, so a 250-row Members page stays cheap to render
//! (issue 3's throughput budget).

use leptos::form::{form_data_from_event, FromFormData};
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Event, FormData, HtmlFormElement, HtmlSelectElement, SubmitEvent};

/// The row form an event inside the table came from: its `action` and its data (with the
/// button that submitted it, if any).
pub struct RowForm {
    action: String,
    data: FormData,
}

impl RowForm {
    /// From a `submit` event (the form itself) or a `change` event (a control inside it).
    pub fn of(ev: &Event) -> Option<Self> {
        let target = ev.target()?;
        let (form, data) = if let Some(form) = target.dyn_ref::<HtmlFormElement>() {
            let data = form_data_from_event(ev.unchecked_ref::<SubmitEvent>()).ok()?;
            (form.clone(), data)
        } else {
            let form = target.dyn_ref::<HtmlSelectElement>()?.form()?;
            let data = FormData::new_with_form(&form).ok()?;
            (form, data)
        };
        Some(Self {
            action: form.get_attribute("action").unwrap_or_default(),
            data,
        })
    }

    /// The form's data as the input of server function `T`, if the form posts to `T`.
    pub fn input<T: ServerFn + FromFormData>(&self) -> Option<T> {
        (self.action == T::url())
            .then(|| T::from_form_data(&self.data).ok())
            .flatten()
    }
}
