use super::auth::use_auth;
use super::form::ActionForm;
use crate::api::projects::list_projects;
use crate::components::resource::{resource, Resource};
use crate::pages::project::switch_href;
use leptos::{html, prelude::*};
use leptos_router::{hooks::use_location, location::Url};

/// The bar at the top of every page: the menu for a signed-in person, sign-in links otherwise.
#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let switcher = Switcher::new(location.clone());
    // On an invitation's page, signing in or up from the header comes back to it, so the
    // invitation is accepted right after (as the page's own buttons do).
    let keep = move |page: &str| {
        let path = location.pathname.get();
        if path.starts_with("/invite/") {
            format!("{page}?next={}", Url::escape(&path))
        } else {
            page.to_owned()
        }
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "Roster"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.me.await {
                        Ok(Some(me)) => {
                            view! {
                                <nav aria-label="Main menu" class="menu">
                                    <a href="/projects">"Projects"</a>
                                    <ProjectSwitcher switcher />
                                </nav>
                                <div class="account">
                                    <span class="who" title=me.email.clone()>
                                        {me.name.clone()}
                                    </span>
                                    <ActionForm action=auth.sign_out attr:class="inline">
                                        <button type="submit" class="link">
                                            "Sign out"
                                        </button>
                                    </ActionForm>
                                </div>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <div class="account">
                                    <a href=move || keep("/signin")>"Sign in"</a>
                                    <a href=move || keep("/signup") class="button">
                                        "Sign up"
                                    </a>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </header>
    }
}

/// Inside a project, a menu of the person's other projects: each leads to the same section there
/// when their role and permissions open it, else to its dashboard (seed 004). A `<details>`, so
/// it works without JavaScript too.
#[component]
fn ProjectSwitcher(switcher: Switcher) -> impl IntoView {
    let Switcher { here, projects } = switcher;
    let menu = NodeRef::<html::Details>::new();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let (slug, tail) = here.get()?;
                let list = projects.get()?.ok()?;
                let here = list.iter().find(|p| p.slug == slug)?;
                let current = here.name.clone();
                let logo = here
                    .logo
                    .as_ref()
                    .map(|v| view! { <img class="logo" src=format!("/brand/{slug}/logo.png?v={v}") alt="" /> });
                let others: Vec<_> = list
                    .into_iter()
                    .filter(|p| p.slug != slug)
                    .map(|p| (switch_href(&p.slug, &tail, &p.actor), p.name))
                    .collect();
                (!others.is_empty())
                    .then(|| {
                        view! {
                            <details class="menu-button switcher" node_ref=menu>
                                <summary aria-label=format!("Switch project: now {current}")>{logo}{current.clone()}</summary>
                                <ul class="menu-items" on:click=move |_| {
                                    if let Some(d) = menu.get_untracked() {
                                        d.set_open(false);
                                    }
                                }>
                                    {others
                                        .into_iter()
                                        .map(|(href, name)| view! { <li><a href=href>{name}</a></li> })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })
            }}
        </Transition>
    }
}

/// The project switcher's data. Its resource is made with the header, not inside the header's
/// `Suspend`: resources are matched to their server-rendered data by the order they are made,
/// and one made inside an async block comes at a different point on each side.
#[derive(Clone, Copy)]
struct Switcher {
    /// (slug, the rest of the path) on a project's pages.
    here: Memo<Option<(String, String)>>,
    projects: Resource<Result<Vec<crate::api::projects::ProjectSummary>, crate::error::AppError>>,
}

impl Switcher {
    fn new(location: leptos_router::location::Location) -> Self {
        let here = Memo::new(move |_| {
            location.pathname.with(|path| {
                path.strip_prefix("/p/").map(|rest| {
                    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
                    (slug.to_owned(), tail.to_owned())
                })
            })
        });
        let inside = Memo::new(move |_| here.with(Option::is_some));
        let projects = resource(
            move || inside.get(),
            |inside| async move {
                if !inside {
                    return Ok(Vec::new());
                }
                list_projects().await.map(|o| {
                    let mut all = o.yours;
                    all.extend(o.shared);
                    // By slug: lower case already, so no Unicode case tables in the main module.
                    all.sort_by(|a, b| a.slug.cmp(&b.slug));
                    all
                })
            },
        );
        Switcher { here, projects }
    }
}
