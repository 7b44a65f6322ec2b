//! Tables with a form in every row (a role dropdown, a button). The forms are plain HTML that
//! posts without JavaScript; in the browser the page's live region sends them in place, and a
//! chosen role is saved at once.
//!
//! The role forms are rendered as one HTML string per cell (`inner_html`): built element by
//! element, 250 of them were most of the Members page's rendering time (measured: the page went
//! from ~46% to ~63% of the JSON baseline's throughput, issue 3's budget being 50%).

use crate::domain::Role;
use html_escape::encode_double_quoted_attribute as attr;

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
