use super::auth::use_auth;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::{hooks::use_location, location::Url};

/// The bar at the top of every page: the menu for a signed-in person, sign-in links otherwise.
#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
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
