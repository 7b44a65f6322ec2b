//! Every page under `/p/<slug>/…`: a sidebar of the sections the caller's role may open, and the
//! section itself.

pub mod dashboard;
pub mod members;
pub mod settings;

use crate::access::{can, Action};
use crate::api::projects::{get_project, ProjectContext, RenameProject};
use crate::components::live::{follow, Live, LiveIndicator};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, A},
    hooks::use_params_map,
};

/// The rename action, shared by the layout (whose sidebar shows the name) and Settings, and the
/// project's live stream, which every section's data follows.
#[derive(Clone, Copy)]
pub struct CurrentProject {
    pub rename: ServerAction<RenameProject>,
    pub live: Live,
}

impl CurrentProject {
    /// A resource of the current project, fetched again after a rename or a live change (a new
    /// role re-renders what the page offers; a removal shows that access ended). Each `<Transition>`
    /// gets its own: one resource read under two Suspense boundaries can leave a server-rendered
    /// response hanging (leptos #4851). The second fetch is free: the membership is cached for
    /// the request and `get_project` runs no other query.
    pub fn resource(self) -> Resource<Result<ProjectContext, AppError>> {
        let params = use_params_map();
        let (rename, live) = (self.rename, self.live);
        Resource::new(
            move || {
                (
                    params.read().get("slug").unwrap_or_default(),
                    rename.version().get(),
                    live.version.get(),
                )
            },
            |(slug, ..)| get_project(slug),
        )
    }
}

#[component]
pub fn ProjectLayout() -> impl IntoView {
    let rename = ServerAction::<RenameProject>::new();
    let params = use_params_map();
    let live = follow(move || {
        format!(
            "/events/p/{}",
            params.read().get("slug").unwrap_or_default()
        )
    });
    let current = CurrentProject { rename, live };
    provide_context(current);
    let context = current.resource();
    view! {
        <div class="project">
            <Transition fallback=|| view! { <p>"Loading project…"</p> }>
                {move || Suspend::new(async move {
                    match context.await {
                        Ok(project) => view! { <Sidebar project live /> }.into_any(),
                        Err(e) => {
                            view! {
                                <main class="narrow">
                                    <h1>"Project unavailable"</h1>
                                    <p role="alert">{e.to_string()}</p>
                                    <LiveIndicator live />
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
    }
}

#[component]
fn Sidebar(project: ProjectContext, live: Live) -> impl IntoView {
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
            <LiveIndicator live />
        </nav>
    }
}
