use super::initial_query;
use crate::api::auth::SignIn;
use crate::components::auth::use_auth;
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::location::Url;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = FormAction::<SignIn>::new();
    let error = last_error(action.value());
    // Signing in navigates in place: the header must learn who is here now.
    use_auth().refresh_after(move || action.version().get());
    let next = initial_query("next");
    let sign_up_href = if next.is_empty() {
        "/signup".to_owned()
    } else {
        format!("/signup?next={}", Url::escape(&next))
    };
    view! {
        <Title text="Sign in" />
        <main class="narrow">
            <h1>"Sign in to Roster"</h1>
            <ActionForm action attr:novalidate=true attr:aria-label="Sign in">
                <FormError error />
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="username"
                    value=initial_query("email")
                    error=field_error(error, "email")
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error=field_error(error, "password")
                />
                <input type="hidden" name="next" value=next />
                <button type="submit" class="primary">
                    "Sign in"
                </button>
            </ActionForm>
            <p>"New to Roster? " <a href=sign_up_href>"Create an account"</a></p>
        </main>
    }
}
