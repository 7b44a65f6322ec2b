//! Every page under `/p/<slug>/…`: a sidebar of the sections the caller's role may open, and the
//! section itself. The layout follows the project's live stream; every section's data follows
//! it too, so a change by anyone refetches what the pages show.

pub mod billing;
pub mod dashboard;
pub mod invoices;
pub mod members;
pub mod services;
pub mod settings;
pub mod ssh_keys;
pub mod tickets;

use crate::access::{can, Action, Scope};
use crate::api::projects::{get_project, ProjectContext};
use crate::components::live::{follow, Live, LiveIndicator};
use crate::components::resource::{resource, Resource};
use crate::error::AppError;
use leptos::{either::Either, prelude::*};
use leptos_meta::Stylesheet;
use leptos_router::{
    components::{Outlet, A},
    hooks::use_params_map,
};

/// What every section of a project shares: its live stream, which every section's data
/// follows, and a count of changes made from its pages (Settings renames the project the
/// sidebar names).
#[derive(Clone, Copy)]
pub struct CurrentProject {
    changed: RwSignal<u32>,
    pub live: Live,
}

impl CurrentProject {
    /// A resource of the current project, fetched again after a settings change or a live
    /// change (a new role changes what the page offers; a removal shows that access ended).
    /// Each `<Transition>` gets its own: one resource read under two Suspense boundaries can
    /// leave a server-rendered response hanging (leptos #4851). The second fetch is free: the
    /// membership is cached for the request and `get_project` runs no other query.
    ///
    /// Pages read resources synchronously (`.get()`, `.with()`, in memos and views); the server
    /// renders each page on one thread for that reason (server/src/render.rs).
    pub fn resource(self) -> Resource<Result<ProjectContext, AppError>> {
        let params = use_params_map();
        resource(
            move || {
                (
                    params.read().get("slug").unwrap_or_default(),
                    self.changed.get(),
                    self.live.version.get(),
                )
            },
            |(slug, ..)| get_project(slug),
        )
    }

    /// Fetch the project again whenever `version` (actions' completion counts) moves. The
    /// actions belong to the page that dispatches them, so their code is in that page's chunk
    /// and not in the main module every page downloads (issue 8).
    pub fn refresh_after(self, version: impl Fn() -> usize + Send + Sync + 'static) {
        crate::components::count_changes(self.changed, version);
    }
}

/// The section a project page is in (its path after `/p/<slug>/`, a detail page counting as its
/// list) and what opening it takes, as the sidebar offers it: where the project switcher leads.
pub fn section_of(tail: &str) -> (&'static str, Action) {
    let first = tail.split('/').next().unwrap_or_default();
    match first {
        "members" => ("members", Action::ViewMembers),
        "settings" if tail.starts_with("settings/billing") => {
            ("settings/billing", Action::PayInvoices)
        }
        "settings" => ("settings", Action::EditSettings),
        "services" => ("services", Action::ViewServices),
        "ssh-keys" => ("ssh-keys", Action::ViewServices),
        "invoices" => ("invoices", Action::ViewInvoices),
        "tickets" => ("tickets", Action::UseTickets),
        _ => ("", Action::ViewDashboard),
    }
}

/// Seed 004: "Switching workspaces changes the navigation context for all pages": the same
/// section in project `slug` if `actor` may open it there, else that project's dashboard.
pub fn switch_href(slug: &str, tail: &str, actor: &crate::access::Actor) -> String {
    match section_of(tail) {
        (section, action) if !section.is_empty() && can(actor, action, Scope::Project) => {
            format!("/p/{slug}/{section}")
        }
        _ => format!("/p/{slug}"),
    }
}

#[component]
pub fn ProjectLayout() -> impl IntoView {
    let params = use_params_map();
    let live = follow(move || {
        format!(
            "/events/p/{}",
            params.read().get("slug").unwrap_or_default()
        )
    });
    let current = CurrentProject {
        changed: RwSignal::new(0),
        live,
    };
    provide_context(current);
    let context = current.resource();
    view! {
        <div class="project">
            <Transition fallback=|| view! { <p>"Loading project…"</p> }>
                {move || {
                    context
                        .get()
                        .map(|project| match project {
                            Ok(project) => Either::Left(view! { <Sidebar project live /> }),
                            Err(e) => {
                                Either::Right(
                                    view! {
                                        <main class="narrow">
                                            <h1>"Project unavailable"</h1>
                                            <p role="alert">{e.to_string()}</p>
                                            <LiveIndicator live />
                                            <p>
                                                <a href="/projects">"Back to your projects"</a>
                                            </p>
                                        </main>
                                    },
                                )
                            }
                        })
                }}
            </Transition>
            <Outlet />
        </div>
    }
}

/// The project's sections that the caller's role may open: the browser asks the same access
/// table the server enforces.
#[component]
fn Sidebar(project: ProjectContext, live: Live) -> impl IntoView {
    let base = format!("/p/{}", project.slug);
    // Seed 003: the Accountant's Settings is billing only.
    let settings = if can(&project.actor, Action::EditSettings, Scope::Project) {
        Some(format!("{base}/settings"))
    } else if can(&project.actor, Action::PayInvoices, Scope::Project) {
        Some(format!("{base}/settings/billing"))
    } else {
        None
    };
    view! {
        <nav class="sidebar" aria-label="Project sections">
            // Seed 004: the project's colour and logo. Both come from the server as files, by
            // version, since the page's security policy allows no inline style.
            {project.brand_color.as_ref().map(|c| {
                let href = format!("/brand/{}/theme.css?v={}", project.slug, c.trim_start_matches('#'));
                view! { <Stylesheet id="brand" href /> }
            })}
            <p class="project-name">
                {project.logo.as_ref().map(|v| {
                    let src = format!("/brand/{}/logo.png?v={v}", project.slug);
                    view! { <img class="logo" src=src alt=format!("{} logo", project.name) /> }
                })}
                {project.name.clone()}
            </p>
            <ul>
                <li>
                    <A href=base.clone() exact=true>
                        "Dashboard"
                    </A>
                </li>
                <li>
                    <A href=format!("{base}/members")>"Members"</A>
                </li>
                {can(&project.actor, Action::ViewServices, Scope::Project)
                    .then(|| {
                        view! {
                            <li>
                                <A href=format!("{base}/services")>"Services"</A>
                            </li>
                            <li>
                                <A href=format!("{base}/ssh-keys")>"SSH keys"</A>
                            </li>
                        }
                    })}
                {can(&project.actor, Action::ViewInvoices, Scope::Project)
                    .then(|| {
                        view! {
                            <li>
                                <A href=format!("{base}/invoices")>"Invoices"</A>
                            </li>
                        }
                    })}
                {can(&project.actor, Action::UseTickets, Scope::Project)
                    .then(|| {
                        view! {
                            <li>
                                <A href=format!("{base}/tickets")>"Tickets"</A>
                            </li>
                        }
                    })}
                {settings
                    .map(|href| {
                        view! {
                            <li>
                                <A href=href>"Settings"</A>
                            </li>
                        }
                    })}
            </ul>
            <LiveIndicator live />
        </nav>
    }
}
