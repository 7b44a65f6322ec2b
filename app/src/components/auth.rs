use crate::api::auth::{current_user, Me, SignOut};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person, shared by the header and the pages. Pages are rendered on the server
/// per request, so this is the person of the request; signing in or out loads a new page.
#[derive(Clone, Copy)]
pub struct Auth {
    pub sign_out: ServerAction<SignOut>,
    pub me: Resource<Result<Option<Me>, AppError>>,
}

#[component]
pub fn ProvideAuth(children: Children) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let me = Resource::new(|| (), |_| current_user());
    provide_context(Auth { sign_out, me });
    children()
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
