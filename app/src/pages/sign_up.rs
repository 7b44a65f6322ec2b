use super::initial_query;
use crate::api::auth::SignUp;
use crate::components::auth::use_auth;
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::location::Url;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = FormAction::<SignUp>::new();
    let error = last_error(action.value());
    // Signing in navigates in place: the header must learn who is here now.
    use_auth().refresh_after(move || action.version().get());
    let next = initial_query("next");
    // Arriving from an invitation: the invited address is the account's address.
    let invited_email = initial_query("email");
    let fixed = next.starts_with("/invite/") && !invited_email.is_empty();
    let sign_in_href = if next.is_empty() {
        "/signin".to_owned()
    } else {
        format!("/signin?next={}", Url::escape(&next))
    };
    view! {
        <Title text="Create your account" />
        <main class="narrow">
            <h1>"Create your Roster account"</h1>
            <p>"Your first project is created for you, with you as its Team Owner."</p>
            <ActionForm action attr:novalidate=true attr:aria-label="Create account">
                <FormError error />
                <Field
                    label="Name"
                    name="name"
                    autocomplete="name"
                    value=initial_query("name")
                    error=field_error(error, "name")
                />
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    value=invited_email
                    readonly=fixed
                    hint=if fixed { "The address the invitation was sent to." } else { "" }
                    error=field_error(error, "email")
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 10 characters."
                    error=field_error(error, "password")
                />
                <input type="hidden" name="next" value=next />
                <button type="submit" class="primary">
                    "Create account"
                </button>
            </ActionForm>
            <p>"Already have an account? " <a href=sign_in_href>"Sign in"</a></p>
        </main>
    }
}
