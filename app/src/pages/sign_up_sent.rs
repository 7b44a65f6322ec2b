use leptos::prelude::*;
use leptos_meta::Title;

/// Where every sign-up lands (issue 9): the same page whether or not the address already had an
/// account, so the form tells nobody which addresses are registered.
#[component]
pub fn SignUpSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email" />
        <main class="narrow">
            <h1>"Check your email"</h1>
            <p role="status">
                "We sent a link to the address you entered. Open it within 24 hours to confirm the address and start using Roster."
            </p>
            <p>
                "No email after a few minutes? Check your spam folder. If the address already has a Roster account, the email says so: sign in instead."
            </p>
            <p>
                "You can also sign in now: your own projects work before you confirm, and invitations sent to your address reach you once it is confirmed."
            </p>
            <p class="actions">
                <a class="button" href="/signin">
                    "Sign in"
                </a>
            </p>
        </main>
    }
}
