use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <main class="home">
            <h1>"Your projects, your people, your rules."</h1>
            <p class="lede">
                "Roster groups your services, invoices and support tickets into projects, and lets you decide who on your team can see and do what."
            </p>
            <p class="actions">
                <a class="button primary" href="/signup">
                    "Create an account"
                </a>
                <a class="button" href="/signin">
                    "Sign in"
                </a>
            </p>
        </main>
    }
}
