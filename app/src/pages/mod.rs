//! One module per page.

pub mod home;
pub mod new_project;
pub mod not_found;
pub mod project;
pub mod projects;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query parameter as it was when the page loaded: how a form gets back what was typed
/// before a failed plain-form submission.
pub(crate) fn initial_query(key: &'static str) -> String {
    use_query_map()
        .read_untracked()
        .get(key)
        .unwrap_or_default()
}
