//! Tables with a form in every row (a role dropdown, a button). The forms are plain HTML that
//! posts without JavaScript; once hydrated, one listener on the table handles them all, instead
//! of a component and closures per row.
//!
//! The role forms are also rendered as one HTML string per cell (`inner_html`): built element by
//! element, 250 of them were most of the Members page's rendering time (measured: the page went
//! from ~46% to ~63% of the JSON baseline's throughput, issue 3's budget being 50%). Nothing in
//! them is reactive, and the table's listener needs no per-element hydration.

use crate::domain::Role;
use html_escape::encode_double_quoted_attribute as attr;
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

/// A row's inline role form: hidden `slug` and row id, the dropdown, and Save for use without
/// JavaScript.
pub struct RoleForm<'a> {
    /// The server function's URL.
    pub action: &'a str,
    pub slug: &'a str,
    /// The row's id field: (`user_id`, id) or (`invitation_id`, id).
    pub id: (&'static str, &'a str),
    /// The dropdown's accessible name, e.g. "Role of Ada".
    pub label: &'a str,
    /// The roles offered (the current one among them).
    pub choices: &'a [Role],
    pub current: Role,
}

impl RoleForm<'_> {
    /// The form as HTML; every value that is not a constant is attribute-escaped.
    pub fn html(&self) -> String {
        let mut html = String::with_capacity(640);
        html.push_str(&format!(
            r#"<form action="{}" method="post" class="inline role-form"><input type="hidden" name="slug" value="{}"><input type="hidden" name="{}" value="{}"><select name="role" aria-label="{}">"#,
            attr(self.action),
            attr(self.slug),
            self.id.0,
            attr(self.id.1),
            attr(self.label),
        ));
        for role in self.choices {
            html.push_str(&format!(
                r#"<option value="{}"{}>{}</option>"#,
                role.key(),
                if *role == self.current {
                    " selected"
                } else {
                    ""
                },
                role.label()
            ));
        }
        html.push_str(r#"</select><button type="submit" class="small">Save</button></form>"#);
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_form_escapes_what_people_typed_and_marks_the_current_role() {
        let html = RoleForm {
            action: "/api/change_role",
            slug: "acme",
            id: ("user_id", "u1"),
            label: r#"Role of <b>"Eve" & co</b>"#,
            choices: &[Role::Admin, Role::Member],
            current: Role::Member,
        }
        .html();
        assert!(
            html.contains(r#"aria-label="Role of &lt;b&gt;&quot;Eve&quot; &amp; co&lt;/b&gt;""#),
            "{html}"
        );
        assert!(
            !html.contains("<b>") && !html.contains(r#""Eve""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<option value="member" selected>Member</option>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<option value="admin">Admin</option>"#),
            "{html}"
        );
        assert!(html.contains(r#"name="user_id" value="u1""#), "{html}");
    }
}
