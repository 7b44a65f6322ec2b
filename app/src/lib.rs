//! Roster: projects, members and roles for a hosting control panel. This crate is shared by the
//! browser (feature `hydrate`: the whole app hydrates and then navigates in place) and the
//! server (feature `ssr`: every page is rendered there first, and every rule is enforced there).

// Nested view types of the larger pages go deeper than the default limit of 128.
#![recursion_limit = "256"]

pub mod access;
pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use components::header::Header;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};
use pages::{
    confirm_email::ConfirmEmailPage,
    home::HomePage,
    invite::InvitePage,
    new_project::NewProjectPage,
    not_found::NotFound,
    project::{dashboard::Dashboard, members::Members, settings::Settings, ProjectLayout},
    projects::ProjectsPage,
    sign_in::SignInPage,
    sign_up::SignUpPage,
    sign_up_sent::SignUpSentPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The map of every page. Every route renders completely on the server before it is sent
/// (`SsrMode::Async`) so pages work without JavaScript; in the browser the router then moves
/// between them without loading a new document.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Server only, and no view depends on it: the response header of this page.
    #[cfg(feature = "ssr")]
    ssr::security::set_page_policy();
    view! {
        <Stylesheet id="leptos" href="/pkg/roster.css" />
        <Title formatter=|page: String| if page.is_empty() { "Roster".to_owned() } else { format!("{page} · Roster") } />
        <Router>
            <components::auth::ProvideAuth>
                <Header />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/signup/sent") view=SignUpSentPage ssr=SsrMode::Async />
                    <Route path=path!("/confirm/:token") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/projects") view=ProjectsPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/projects/new") view=NewProjectPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("/p/:slug") view=ProjectLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=Dashboard ssr=SsrMode::Async />
                        <Route path=path!("members") view=Members ssr=SsrMode::Async />
                        <Route path=path!("settings") view=Settings ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </components::auth::ProvideAuth>
        </Router>
    }
}
