//! Every page under `/p/<slug>/…`: a sidebar of the sections the caller's role may open, and the
//! section itself, inside the project's live region (a change by anyone loads it again).

pub mod dashboard;
pub mod members;
pub mod settings;

use crate::access::{can, Action};
use crate::api::projects::{get_project, ProjectContext};
use crate::components::live::LiveRegion;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, A},
    hooks::use_params_map,
};

/// A resource of the current project. Each `<Transition>` gets its own: one resource read
/// under two Suspense boundaries can leave a server-rendered response hanging (leptos #4851).
/// The second fetch is free: the membership is cached for the request and `get_project` runs
/// no other query.
pub fn project_resource() -> Resource<Result<ProjectContext, AppError>> {
    let params = use_params_map();
    Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_project,
    )
}

#[component]
pub fn ProjectLayout() -> impl IntoView {
    let params = use_params_map();
    let stream = format!(
        "/events/p/{}",
        params.read_untracked().get("slug").unwrap_or_default()
    );
    let context = project_resource();
    view! {
        <LiveRegion stream>
            <div class="project">
                <Transition fallback=|| view! { <p>"Loading project…"</p> }>
                    {move || Suspend::new(async move {
                        match context.await {
                            Ok(project) => view! { <Sidebar project /> }.into_any(),
                            Err(e) => {
                                view! {
                                    <main class="narrow">
                                        <h1>"Project unavailable"</h1>
                                        <p role="alert">{e.to_string()}</p>
                                        <p>
                                            <a href="/projects">"Back to your projects"</a>
                                        </p>
                                    </main>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
                <Outlet />
            </div>
        </LiveRegion>
    }
}

#[component]
fn Sidebar(project: ProjectContext) -> impl IntoView {
    let base = format!("/p/{}", project.slug);
    let settings = can(&project.actor, Action::EditSettings);
    view! {
        <nav class="sidebar" aria-label="Project sections">
            <p class="project-name">{project.name.clone()}</p>
            <ul>
                <li>
                    <A href=base.clone() exact=true>
                        "Dashboard"
                    </A>
                </li>
                <li>
                    <A href=format!("{base}/members")>"Members"</A>
                </li>
                {settings
                    .then(|| {
                        view! {
                            <li>
                                <A href=format!("{base}/settings")>"Settings"</A>
                            </li>
                        }
                    })}
            </ul>
        </nav>
    }
}
