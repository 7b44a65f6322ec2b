use crate::api::auth::{current_user, Me, SignOut};
use crate::components::form::FormAction;
use crate::components::resource::{resource, Resource};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person, shared by the header and the pages, and the ways to change it.
///
/// Sign-in and sign-up actions live on their pages (inside `<Routes>`, where a plain-form error
/// in the URL reaches them); those pages call [`Auth::refresh_after`] with their action, since
/// in the app signing in navigates in place and the header must learn who is here now.
#[derive(Clone, Copy)]
pub struct Auth {
    pub sign_out: FormAction<SignOut>,
    pub me: Resource<Result<Option<Me>, AppError>>,
    changed: RwSignal<u32>,
}

impl Auth {
    /// Fetch the signed-in person again whenever `version` (an action's completion count) moves.
    pub fn refresh_after(&self, version: impl Fn() -> usize + Send + Sync + 'static) {
        super::count_changes(self.changed, version);
    }
}

#[component]
pub fn ProvideAuth(children: Children) -> impl IntoView {
    let sign_out = FormAction::<SignOut>::new();
    let changed = RwSignal::new(0u32);
    let me = resource(
        move || (sign_out.version().get(), changed.get()),
        |_| current_user(),
    );
    provide_context(Auth {
        sign_out,
        me,
        changed,
    });
    super::notice::provide_notices();
    children()
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
