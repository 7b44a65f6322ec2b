//! One module per page.

pub mod confirm_email;
pub mod home;
pub mod invite;
pub mod new_project;
pub mod not_found;
pub mod project;
pub mod projects;
pub mod sign_in;
pub mod sign_up;
pub mod sign_up_sent;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What was typed into a field before a failed plain-form submission (the server sends the
/// browser back with it in the query, next to the error). Empty when the page was not reached
/// through such a failure, so a stale query never overrides current data.
pub(crate) fn initial_query(key: &'static str) -> String {
    let query = use_query_map().read_untracked();
    let invited = key == "email"
        && query
            .get_str("next")
            .is_some_and(|n| n.starts_with("/invite/"));
    if query.get_str("__err").is_some() || key == "next" || invited {
        query.get(key).unwrap_or_default()
    } else {
        String::new()
    }
}

/// The HTTP status of the page being rendered on the server (a page that refuses or finds
/// nothing says so to the browser and to scripts, not only in words). Pages render completely
/// before they are sent (`SsrMode::Async`), so this may run after data has loaded. In the
/// browser it does nothing.
pub(crate) fn respond_with(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
