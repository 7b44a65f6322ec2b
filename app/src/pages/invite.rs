use crate::api::invitations::{open_invitation, InvitationLanding};
use crate::components::auth::use_auth;
use crate::components::form::ActionForm;
use crate::components::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_params_map, location::Url};

/// The page behind an invitation email's link (seeds 000, 001): joins a signed-in invitee on
/// visit, or explains what to do.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let landing = resource(token, open_invitation);
    let sign_out = use_auth().sign_out;
    view! {
        <Title text="Invitation" />
        <main class="narrow">
            <Suspense fallback=|| view! { <p>"Opening your invitation…"</p> }>
                {move || Suspend::new(async move {
                    let here = format!("/invite/{}", token());
                    match landing.await {
                        Ok(InvitationLanding::Joined { slug, project_name, role }) => view! {
                            <h1>"You joined " {project_name.clone()}</h1>
                            <p role="status">{format!("You are now a member of {project_name} as {role}.")}</p>
                            <p><a class="button primary" href=format!("/p/{slug}")>{format!("Open {project_name}")}</a></p>
                        }
                        .into_any(),
                        Ok(InvitationLanding::SignInFirst { project_name, role, inviter, email }) => {
                            let q = format!("?email={}&next={}", Url::escape(&email), Url::escape(&here));
                            view! {
                                <h1>"Join " {project_name.clone()}</h1>
                                <p>{format!("{inviter} invited {email} to the project {project_name} as {role}.")}</p>
                                <p>"Sign in with that address to accept, or create your account: the invitation is accepted right after."</p>
                                <p class="actions">
                                    <a class="button primary" href=format!("/signup{q}")>"Create account"</a>
                                    <a class="button" href=format!("/signin{q}")>"Sign in"</a>
                                </p>
                            }
                            .into_any()
                        }
                        Ok(InvitationLanding::WrongAccount { project_name, invited, signed_in_as }) => {
                            let next = format!("/signin?email={}&next={}", Url::escape(&invited), Url::escape(&here));
                            view! {
                                <h1>"This invitation is for someone else"</h1>
                                <p role="alert">{format!("The invitation to {project_name} was sent to {invited}, but you are signed in as {signed_in_as}. It stays waiting for {invited}.")}</p>
                                <ActionForm action=sign_out attr:class="inline">
                                    <input type="hidden" name="next" value=next />
                                    <button type="submit" class="primary">{format!("Sign out and sign in as {invited}")}</button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Ok(InvitationLanding::Unavailable { message }) => view! {
                            <h1>"Invitation unavailable"</h1>
                            <p role="alert">{message}</p>
                            <p><a href="/projects">"Go to your projects"</a></p>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
