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

/// The client's address: the connection's, or (behind a trusted reverse proxy, when
/// `CLIENT_IP_HEADER` names the header it sets) the last value of that header.
pub fn client_ip() -> Option<std::net::IpAddr> {
    let parts = use_context::<Parts>()?;
    let connection = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let Some(name) = use_context::<AppState>().and_then(|s| s.client_ip_header) else {
        return connection;
    };
    let last = parts
        .headers
        .get_all(&name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .map(str::trim);
    let parsed = last.and_then(|v| {
        v.parse::<std::net::IpAddr>()
            .ok()
            .or_else(|| v.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
    });
    // A header the proxy did not set as expected must not switch the limits off.
    if parsed.is_none() {
        tracing::warn!(header = %name, "client address header missing or unreadable; using the connection's");
    }
    parsed.or(connection)
}

/// Sets the status of an error, and for a 429 when to come back.
fn set_error_status(res: &ResponseOptions, err: &AppError) {
    res.set_status(StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST));
    if let AppError::RateLimited(_) = err {
        res.insert_header(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
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
/// Was this request a browser's plain form post (it wants a page back), not a call in place?
pub fn posted_from_page() -> bool {
    use_context::<Parts>().is_some_and(|parts| wants_page(&parts))
}

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
        set_error_status(&res, err);
    }
    result
}

/// The page a form was posted from, without what a failed attempt put in its query (the error,
/// the typed `fields`) nor a notice of an earlier success. `None` if there is no Referer or its
/// path would not stay on this site as a redirect (`https://evil.test//evil.test` has the path
/// `//evil.test`, which a browser reads as another host).
fn referer_without_attempt(parts: &Parts, fields: &[(&str, &str)]) -> Option<url::Url> {
    let mut back = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|r| same_site_path(&path_and_query(r)).is_some())?;
    let keep: Vec<(String, String)> = back
        .query_pairs()
        .filter(|(k, _)| {
            !["__path", "__err", "notice", "seal"].contains(&k.as_ref())
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

/// Sends a browser that posted a form on to `path`, with a notice for the person if any. The
/// notice travels in the address with a seal for this session, so a crafted link's text is
/// never shown as Roster's (see `ssr::notices`).
pub fn redirect_with_notice(path: &str, notice: Option<&str>) {
    match notice.zip(session()) {
        Some((notice, session)) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("notice", notice)
                .append_pair("seal", &super::notices::seal(&session.token_hash, notice))
                .finish();
            leptos_axum::redirect(&format!("{path}?{query}"));
        }
        None => leptos_axum::redirect(path),
    }
}

/// Sets the status of an error answered to a data request (not a form).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(err), Some(res)) = (&result, use_context::<ResponseOptions>()) {
        set_error_status(&res, err);
    }
    result
}

/// A path inside Roster to go to after signing in, up, or out (`next`, e.g. `/invite/<token>`):
/// resolved against this site and returned as its normalised path and query, so the answer is
/// always a valid `Location` (`leptos_axum::redirect` panics on one that is not, and axum's
/// `Redirect` answers 500). Anything else (another site, `//evil`, `/\t/evil`, a line break, an
/// over-long value) is replaced by the Projects page.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.len() <= MAX_NEXT_LEN)
        .and_then(same_site_path)
        .filter(|path| path.len() <= MAX_NEXT_LEN)
        .unwrap_or_else(|| "/projects".to_owned())
}

/// Longer than any address Roster makes; refusing more keeps headers and logs small.
const MAX_NEXT_LEN: usize = 2048;

/// `raw` as a path and query of this site (fragment dropped), or `None` if it could lead anywhere
/// else. The raw text is checked before parsing because the URL parser silently removes tabs and
/// line breaks (`/\t/evil.test` would become `//evil.test`) and turns `\` into `/`.
fn same_site_path(raw: &str) -> Option<String> {
    let plain = !raw
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let one_slash = raw.starts_with('/') && !raw.starts_with("//");
    if !(plain && one_slash) {
        return None;
    }
    // Only the origin matters: the answer is a path, so any base on one origin gives the same.
    let base = url::Url::parse("https://roster.invalid/").ok()?;
    let resolved = base.join(raw).ok()?;
    // The path is checked again after `..` segments are resolved.
    (resolved.origin() == base.origin() && !resolved.path().starts_with("//"))
        .then(|| path_and_query(&resolved))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a browser would be sent to, checked to be a header value (never a panic).
    fn next(raw: &str) -> String {
        let target = safe_next(Some(raw));
        assert!(
            HeaderValue::from_str(&target).is_ok(),
            "{raw:?} gave the invalid Location {target:?}"
        );
        target
    }

    #[test]
    fn safe_next_keeps_paths_of_this_site() {
        assert_eq!(next("/projects"), "/projects");
        assert_eq!(next("/p/acme-web/members?x=1"), "/p/acme-web/members?x=1");
        assert_eq!(next("/invite/abc_DEF-123"), "/invite/abc_DEF-123");
    }

    #[test]
    fn safe_next_normalises_what_it_keeps() {
        assert_eq!(next("/../../etc"), "/etc");
        assert_eq!(next("/p/acme#members"), "/p/acme");
        assert_eq!(next("/p/café"), "/p/caf%C3%A9");
        // Percent-encoded stays encoded: a valid header value, not a line break.
        assert_eq!(next("/%0a"), "/%0a");
        assert_eq!(next("/%0d%0aSet-Cookie:%20x"), "/%0d%0aSet-Cookie:%20x");
    }

    #[test]
    fn safe_next_sends_other_sites_to_projects() {
        for raw in [
            "//evil.test",
            "/\\evil.test",
            "\\\\evil.test",
            "https://evil.test",
            "https://roster.invalid/projects",
            "javascript:alert(1)",
            "evil.test",
            "projects",
            "/..//evil.test",
            "/.//evil.test",
            "/a/..//evil.test",
            "",
        ] {
            assert_eq!(next(raw), "/projects", "{raw:?}");
        }
    }

    #[test]
    fn safe_next_refuses_control_characters_and_whitespace_anywhere() {
        for raw in [
            "/\t/evil.test",
            "/\n/evil.test",
            "/\r/evil.test",
            "\n",
            "/\n",
            "/ok\r\nSet-Cookie: x",
            "/ok\0",
            "/ok\u{7f}",
            "/ok\u{85}",
            "/p/acme members",
            "/p/acme\u{a0}",
        ] {
            assert_eq!(next(raw), "/projects", "{raw:?}");
        }
    }

    #[test]
    fn safe_next_refuses_over_long_values() {
        let at_limit = format!("/{}", "a".repeat(MAX_NEXT_LEN - 1));
        assert_eq!(next(&at_limit), at_limit);
        assert_eq!(next(&format!("/{}", "a".repeat(3000))), "/projects");
        // Short enough as typed, too long once its non-ASCII characters are percent-encoded.
        assert_eq!(next(&format!("/{}", "é".repeat(1000))), "/projects");
    }

    #[test]
    fn safe_next_without_a_value_is_projects() {
        assert_eq!(safe_next(None), "/projects");
    }

    #[test]
    fn same_site_path_refuses_a_referer_path_another_host_would_be_read_from() {
        let referer = |r: &str| same_site_path(&path_and_query(&url::Url::parse(r).unwrap()));
        assert_eq!(
            referer("https://roster.example/p/acme/members?x=1").as_deref(),
            Some("/p/acme/members?x=1")
        );
        assert_eq!(referer("https://evil.test//evil.test/x"), None);
        assert_eq!(referer("https://evil.test/\\evil.test"), None);
        assert_eq!(referer("javascript:alert(1)"), None);
    }
}
