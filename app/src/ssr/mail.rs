//! The emails Roster sends: plain text plus simple HTML, links built from `PUBLIC_URL`.

use super::dates;
use crate::domain::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The HTML body: a title, paragraphs and at most one button-like link, every piece of text
/// escaped. Written as plain markup rather than rendered with Leptos, whose output carries
/// hydration markers (`<!>`) that have no place in an email (issue 13).
fn html(title: String, paragraphs: Vec<String>, link: Option<(String, &'static str)>) -> String {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    let mut body = format!("<h1 style=\"font-size: 1.3rem\">{}</h1>", text(&title));
    for p in &paragraphs {
        body.push_str(&format!("<p>{}</p>", text(p)));
    }
    if let Some((href, label)) = link {
        body.push_str(&format!(
            "<p><a href=\"{}\" style=\"background: #1d5fd1; color: #fff; padding: 0.5rem 1rem; border-radius: 6px; text-decoration: none\">{}</a></p>\
             <p style=\"color: #5b6576; font-size: 0.9rem\">Or open this address: {}</p>",
            attr(&href),
            text(label),
            text(&href)
        ));
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: system-ui, sans-serif; color: #1c2330; line-height: 1.5\">{body}</body></html>",
        text(&title)
    )
}

pub struct Invitation<'a> {
    pub to: &'a str,
    pub project_name: &'a str,
    pub inviter_name: &'a str,
    pub role: Role,
    pub link: String,
    pub expires_at: i64,
}

pub fn invitation(i: Invitation<'_>) -> Message {
    let subject = format!(
        "{} invited you to {} on Roster",
        i.inviter_name, i.project_name
    );
    let intro = format!(
        "{} invited you to join the project “{}” as {}.",
        i.inviter_name, i.project_name, i.role
    );
    let expiry = format!(
        "The link works once and expires on {}. If you do not have a Roster account yet, you can create one from the link.",
        dates::moment(i.expires_at)
    );
    let text = format!("{intro}\n\nAccept the invitation: {}\n\n{expiry}\n", i.link);
    Message {
        to: i.to.to_owned(),
        html: html(
            subject.clone(),
            vec![intro, expiry],
            Some((i.link, "Accept invitation")),
        ),
        subject,
        text,
    }
}

pub fn removed(to: &str, project_name: &str, by: &str) -> Message {
    let subject = format!("You were removed from {project_name} on Roster");
    let body = format!(
        "{by} removed you from the project “{project_name}”. You no longer have access to it; your other projects are not affected."
    );
    Message {
        to: to.to_owned(),
        html: html(subject.clone(), vec![body.clone()], None),
        text: format!("{body}\n"),
        subject,
    }
}

pub fn role_changed(
    to: &str,
    project_name: &str,
    by: &str,
    old: Role,
    new: Role,
    link: String,
) -> Message {
    let subject = format!("Your role in {project_name} is now {new}");
    let body =
        format!("{by} changed your role in the project “{project_name}” from {old} to {new}.");
    Message {
        to: to.to_owned(),
        html: html(
            subject.clone(),
            vec![body.clone()],
            Some((link.clone(), "Open the project")),
        ),
        text: format!("{body}\n\nOpen the project: {link}\n"),
        subject,
    }
}

/// The link that proves a new account's owner reads the address's mail (issue 9).
pub fn confirm_address(to: &str, name: &str, link: String, expires_at: i64) -> Message {
    let subject = "Confirm your email address for Roster".to_owned();
    let intro = format!(
        "Hello {name}, open this link to confirm that {to} is your address. Invitations sent to it reach your account once it is confirmed."
    );
    let expiry = format!(
        "The link works once and expires on {}. If you did not create a Roster account, ignore this email: nothing happens without the link.",
        dates::moment(expires_at)
    );
    Message {
        to: to.to_owned(),
        html: html(
            subject.clone(),
            vec![intro.clone(), expiry.clone()],
            Some((link.clone(), "Confirm my address")),
        ),
        text: format!("{intro}\n\nConfirm your address: {link}\n\n{expiry}\n"),
        subject,
    }
}

/// Sent instead of a confirmation when someone signs up with an address that has an account:
/// the person at the sign-up form learns nothing, the owner of the address learns everything.
pub fn already_registered(to: &str, sign_in_link: String) -> Message {
    let subject = "Someone tried to create a Roster account with your address".to_owned();
    let body = format!(
        "Somebody, perhaps you, tried to create a Roster account for {to}. You already have one, so nothing was created. If it was you, sign in instead. If it was not, you can ignore this email: your account was not changed."
    );
    Message {
        to: to.to_owned(),
        html: html(
            subject.clone(),
            vec![body.clone()],
            Some((sign_in_link.clone(), "Sign in")),
        ),
        text: format!("{body}\n\nSign in: {sign_in_link}\n"),
        subject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_carries_the_link_and_escapes_names() {
        let m = invitation(Invitation {
            to: "grace@example.com",
            project_name: "<script>Acme</script>",
            inviter_name: "Ada",
            role: Role::Developer,
            link: "https://roster.example.com/invite/abc".into(),
            expires_at: 1_778_594_700_000,
        });
        assert!(m.text.contains("https://roster.example.com/invite/abc"));
        assert!(m.text.contains("as Developer"));
        assert!(m.text.contains("12 May 2026"));
        assert!(m
            .html
            .contains("href=\"https://roster.example.com/invite/abc\""));
        assert!(!m.html.contains("<script>"), "{}", m.html);
        assert!(m.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn no_email_carries_rendering_markers_and_each_is_one_document() {
        let link = || "https://roster.example.com/p/a?x=1&y=\"2\"".to_owned();
        let all = [
            invitation(Invitation {
                to: "g@example.com",
                project_name: "A & B",
                inviter_name: "Ada",
                role: Role::Admin,
                link: link(),
                expires_at: 0,
            }),
            removed("g@example.com", "A & B", "Ada"),
            role_changed(
                "g@example.com",
                "A",
                "Ada",
                Role::Member,
                Role::Admin,
                link(),
            ),
            confirm_address("g@example.com", "Grace", link(), 0),
            already_registered("g@example.com", link()),
        ];
        for m in all {
            assert!(!m.html.contains("<!>"), "{}", m.html);
            assert!(m.html.starts_with("<!DOCTYPE html><html>"), "{}", m.html);
            assert!(m.html.ends_with("</body></html>"), "{}", m.html);
            assert_eq!(m.html.matches("<p").count(), m.html.matches("</p>").count());
            // Attribute values cannot break out of their quotes.
            if m.html.contains("href=") {
                assert!(m.html.contains("&quot;2&quot;"), "{}", m.html);
            }
        }
    }
}
