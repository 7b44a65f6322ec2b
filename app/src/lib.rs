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
    path, Lazy, SsrMode,
};
use pages::{not_found::NotFound, project::ProjectLayout};

/// Declares the route of a page whose code the browser fetches only when the page is first
/// opened: `cargo leptos build --split` turns the view below, and everything only it uses, into
/// a WASM chunk of its own, so no page pays for the others in its download (issue 8). On the
/// server the same route renders at once.
macro_rules! lazy_page {
    ($($route:ident => $page:path),* $(,)?) => {$(
        struct $route;
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_page! {
    Home => pages::home::HomePage,
    SignUp => pages::sign_up::SignUpPage,
    SignUpSent => pages::sign_up_sent::SignUpSentPage,
    ConfirmEmail => pages::confirm_email::ConfirmEmailPage,
    SignIn => pages::sign_in::SignInPage,
    Projects => pages::projects::ProjectsPage,
    Invite => pages::invite::InvitePage,
    NewProject => pages::new_project::NewProjectPage,
    Dashboard => pages::project::dashboard::Dashboard,
    Members => pages::project::members::Members,
    Settings => pages::project::settings::Settings,
    Billing => pages::project::billing::Billing,
    Services => pages::project::services::Services,
    Service => pages::project::services::Service,
    Invoices => pages::project::invoices::Invoices,
    Invoice => pages::project::invoices::Invoice,
    SshKeys => pages::project::ssh_keys::SshKeys,
    Tickets => pages::project::tickets::Tickets,
    Ticket => pages::project::tickets::Ticket,
}

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
                    <Route path=path!("/") view={Lazy::<Home>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signup") view={Lazy::<SignUp>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signup/sent") view={Lazy::<SignUpSent>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/confirm/:token") view={Lazy::<ConfirmEmail>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signin") view={Lazy::<SignIn>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/projects") view={Lazy::<Projects>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view={Lazy::<Invite>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/projects/new") view={Lazy::<NewProject>::new()} ssr=SsrMode::Async />
                    <ParentRoute path=path!("/p/:slug") view=ProjectLayout ssr=SsrMode::Async>
                        <Route path=path!("") view={Lazy::<Dashboard>::new()} ssr=SsrMode::Async />
                        <Route path=path!("members") view={Lazy::<Members>::new()} ssr=SsrMode::Async />
                        <Route path=path!("settings") view={Lazy::<Settings>::new()} ssr=SsrMode::Async />
                        <Route path=path!("settings/billing") view={Lazy::<Billing>::new()} ssr=SsrMode::Async />
                        <Route path=path!("services") view={Lazy::<Services>::new()} ssr=SsrMode::Async />
                        <Route path=path!("services/:id") view={Lazy::<Service>::new()} ssr=SsrMode::Async />
                        <Route path=path!("invoices") view={Lazy::<Invoices>::new()} ssr=SsrMode::Async />
                        <Route path=path!("invoices/:id") view={Lazy::<Invoice>::new()} ssr=SsrMode::Async />
                        <Route path=path!("ssh-keys") view={Lazy::<SshKeys>::new()} ssr=SsrMode::Async />
                        <Route path=path!("tickets") view={Lazy::<Tickets>::new()} ssr=SsrMode::Async />
                        <Route path=path!("tickets/:number") view={Lazy::<Ticket>::new()} ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </components::auth::ProvideAuth>
        </Router>
    }
}
