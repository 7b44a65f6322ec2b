use super::CurrentProject;
use leptos::prelude::*;
use leptos_meta::Title;

/// The project's summary (seed 000): what it is called, who you are in it, how many members.
#[component]
pub fn Dashboard() -> impl IntoView {
    let context = expect_context::<CurrentProject>().resource();
    view! {
        <Transition fallback=|| ()>
            {move || {
                context
                    .get()
                    .and_then(Result::ok)
                    .map(|project| {
                        view! {
                            <Title text=project.name.clone() />
                            <main class="section">
                                <h1>{project.name.clone()}</h1>
                                <dl class="cards">
                                    <div class="card">
                                        <dt>"Your role"</dt>
                                        <dd>{project.actor.role.label()}</dd>
                                    </div>
                                    <div class="card">
                                        <dt>"Members"</dt>
                                        <dd>{project.member_count}</dd>
                                    </div>
                                    <div class="card">
                                        <dt>"Address"</dt>
                                        <dd class="mono">{format!("/p/{}", project.slug)}</dd>
                                    </div>
                                </dl>
                            </main>
                        }
                    })
            }}
        </Transition>
    }
}
