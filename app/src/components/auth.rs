use crate::api::auth::{current_user, Me, SignOut};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person, shared by the header and the pages, and the ways to change it.
///
/// Sign-in and sign-up actions live on their pages (inside `<Routes>`, where a plain-form error
/// in the URL reaches them); those pages call [`Auth::refresh`] when their action completes.
#[derive(Clone, Copy)]
pub struct Auth {
    pub sign_out: ServerAction<SignOut>,
    pub me: Resource<Result<Option<Me>, AppError>>,
    changed: RwSignal<u32>,
}

impl Auth {
    /// Fetch the signed-in person again.
    pub fn refresh(&self) {
        self.changed.update(|n| *n += 1);
    }

    /// Refresh whenever `version` (an action's completion count) moves.
    pub fn refresh_after(&self, version: impl Fn() -> usize + Send + Sync + 'static) {
        let auth = *self;
        Effect::new(move |_| {
            if version() > 0 {
                auth.refresh();
            }
        });
    }
}

#[component]
pub fn ProvideAuth(children: Children) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let changed = RwSignal::new(0u32);
    let me = Resource::new(
        move || (sign_out.version().get(), changed.get()),
        |_| current_user(),
    );
    provide_context(Auth {
        sign_out,
        me,
        changed,
    });
    children()
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
