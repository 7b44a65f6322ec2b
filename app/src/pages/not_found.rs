use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    super::respond_with(404);
    view! {
        <Title text="Page not found" />
        <main class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. "<a href="/projects">"Go to your projects"</a></p>
        </main>
    }
}
