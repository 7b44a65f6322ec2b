use crate::api::auth::{confirmation_address, ConfirmEmail};
use crate::components::auth::use_auth;
use crate::components::field::{field_error, last_error, Field, FormError};
use crate::components::form::{ActionForm, FormAction};
use crate::components::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The page behind a confirmation email's link. Opening it only asks: the address is confirmed
/// by the button, with the account's password (the link proves the mailbox, the password the
/// account), so a mail scanner that follows links confirms nothing.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let address = resource(token, confirmation_address);
    let action = FormAction::<ConfirmEmail>::new();
    let error = last_error(action.value());
    // Confirming signs this browser in and navigates in place: the header must follow.
    use_auth().refresh_after(move || action.version().get());
    view! {
        <Title text="Confirm your address" />
        <main class="narrow">
            <Suspense fallback=|| view! { <p>"Opening your link…"</p> }>
                {move || Suspend::new(async move {
                    match address.await {
                        Ok(email) => view! {
                            <h1>"Confirm your address"</h1>
                            <p>{format!("Confirm that {email} is your address to finish setting up your Roster account. Enter the password you chose when you signed up.")}</p>
                            <ActionForm action attr:novalidate=true attr:aria-label="Confirm address">
                                <FormError error />
                                <input type="hidden" name="token" value=token() />
                                <Field
                                    label="Password"
                                    name="password"
                                    kind="password"
                                    autocomplete="current-password"
                                    error=field_error(error, "password")
                                />
                                <button type="submit" class="primary">"Confirm my address"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(e) => view! {
                            <h1>"Link unavailable"</h1>
                            <p role="alert">{e.to_string()}</p>
                            <p><a href="/signin">"Sign in"</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
