//! The glue between a server function and the HTTP request it is running in.

use super::{session::SessionUser, state::AppState};
use crate::error::AppError;
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_axum::ResponseOptions;

/// The server's state. It is missing only when the client went away mid-render: its request's
/// reactive owner is disposed while a spawned part of the page still runs. Nobody is left to
/// answer then, so an error ends that work quietly where a panic would be logged.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

/// The signed-in person, if the request carried a valid session.
pub fn session() -> Option<SessionUser> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<SessionUser>().cloned())
}

pub fn require_session() -> Result<SessionUser, AppError> {
    session().ok_or(AppError::Unauthenticated)
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(header::SET_COOKIE, value);
    }
}

/// A form post (a browser wants a page back) rather than an API call (JSON back).
fn wants_page(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Finishes a server function that a form calls, so an error reaches the person either way:
/// - called as an API (an island, a script), the error is answered with its 4xx/5xx status;
/// - from a form post (sent in place by a live region or not), the browser is sent back to the
///   form with the error and the fields it typed (never passwords) in the query, so the
///   re-rendered form shows the message next to the field and keeps what was typed. A browser
///   cannot follow a 4xx, so this one answer is a redirect.
pub fn finish_form<T>(
    fn_path: &str,
    typed: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let (Some(parts), Some(res)) = (use_context::<Parts>(), use_context::<ResponseOptions>())
    else {
        return result;
    };
    let Err(err) = &result else {
        // Done: back to the form's page (unless the function chose where), without what a
        // failed attempt put in its address, which would show that error again.
        let chosen = res
            .0
            .read()
            .is_ok_and(|r| r.headers.contains_key(header::LOCATION));
        if wants_page(&parts) && !chosen {
            if let Some(back) = referer_without_attempt(&parts, typed) {
                leptos_axum::redirect(&path_and_query(&back));
            }
        }
        return result;
    };
    if wants_page(&parts) {
        if let Some(back) = referer_without_attempt(&parts, typed) {
            if let Ok(mut url) = ServerFnUrlError::new(fn_path, err.clone()).to_url(back.as_str()) {
                url.query_pairs_mut().extend_pairs(typed.iter().copied());
                if let Ok(value) = HeaderValue::from_str(&path_and_query(&url)) {
                    res.insert_header(header::LOCATION, value);
                }
            }
        }
    } else {
        res.set_status(StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST));
    }
    result
}

/// The page a form was posted from, without what a failed attempt put in its query (the error,
/// the typed `fields`) nor a notice of an earlier success.
fn referer_without_attempt(parts: &Parts, fields: &[(&str, &str)]) -> Option<url::Url> {
    let mut back = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())?;
    let keep: Vec<(String, String)> = back
        .query_pairs()
        .filter(|(k, _)| {
            !["__path", "__err", "notice"].contains(&k.as_ref())
                && !fields.iter().any(|(f, _)| f == k)
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    back.query_pairs_mut().clear().extend_pairs(keep);
    Some(back)
}

/// A URL of this site as a redirect target: never another origin (the Referer is the client's).
fn path_and_query(url: &url::Url) -> String {
    match url.query().filter(|q| !q.is_empty()) {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Sends a browser that posted a form on to `path`, with a notice for the person if any.
pub fn redirect_with_notice(path: &str, notice: Option<&str>) {
    match notice {
        Some(notice) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("notice", notice)
                .finish();
            leptos_axum::redirect(&format!("{path}?{query}"));
        }
        None => leptos_axum::redirect(path),
    }
}

/// Sets the status of an error answered to a data request (not a form).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(err), Some(res)) = (&result, use_context::<ResponseOptions>()) {
        res.set_status(StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST));
    }
    result
}

/// A path inside Roster to go to after signing in; anything else (another site, `//evil`) is
/// replaced by the Projects page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/projects".to_owned(),
    }
}
