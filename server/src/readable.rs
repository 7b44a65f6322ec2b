//! Text that is not text is refused where a request arrives, before any page, server function,
//! event stream or database sees it: bytes that are not UTF-8 once percent-decoded, and control
//! characters (NUL, escape, DEL, the C1 controls). PostgreSQL cannot store NUL at all, and
//! server_fn's form decoding would turn invalid UTF-8 into U+FFFD and carry on. Line breaks and
//! tabs are let through in a query and in a form's fields (a list of addresses may be one per
//! line, and a failed form's typed values come back in the query); the domain types refuse them
//! wherever a value must be a single line.

use app::error::{AppError, FieldError};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

const LINE_BREAKS_AND_TABS: &[char] = &['\t', '\n', '\r'];

/// Refuses an address whose path or query is not text (400).
pub async fn address(req: Request<Body>, next: Next) -> Response {
    let uri = req.uri();
    let path = unreadable(uri.path(), &[]);
    let query = uri
        .query()
        .and_then(|q| unreadable(q, LINE_BREAKS_AND_TABS));
    match path.or(query) {
        None => next.run(req).await,
        Some(problem) => {
            tracing::info!(path = %uri.path(), problem, "refused an unreadable address");
            let message = format!("This address cannot be used: it contains {problem}.");
            (StatusCode::BAD_REQUEST, message).into_response()
        }
    }
}

/// Refuses a form-encoded body with a field that is not text (422, naming the field, in the
/// server functions' error format). Other bodies pass: server functions refuse them anyway.
pub async fn form(req: Request<Body>, next: Next, limit: usize) -> Response {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "This request is too large.").into_response();
    };
    let bad_field = std::str::from_utf8(&bytes)
        .map_err(|_| (String::new(), "bytes that are not UTF-8 text"))
        .and_then(|text| {
            text.split('&').try_for_each(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                match unreadable(key, &[]).or_else(|| unreadable(value, LINE_BREAKS_AND_TABS)) {
                    None => Ok(()),
                    Some(problem) => Err((field_name(key), problem)),
                }
            })
        });
    match bad_field {
        Ok(()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err((field, problem)) => {
            tracing::info!(path = %parts.uri.path(), field, problem, "refused an unreadable form");
            let error = AppError::Invalid(vec![FieldError {
                message: format!(
                    "This field contains {problem}, which Roster does not accept. Type it again."
                ),
                field,
            }]);
            let body = serde_json::to_string(&error).unwrap_or_default();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        }
    }
}

/// A field's name as the form sent it, for the error (lossy: it is only shown).
fn field_name(raw: &str) -> String {
    let name = percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

/// What makes percent-encoded `raw` not text, if anything; `allowed` control characters pass.
fn unreadable(raw: &str, allowed: &[char]) -> Option<&'static str> {
    match percent_encoding::percent_decode_str(raw).decode_utf8() {
        Err(_) => Some("bytes that are not UTF-8 text"),
        Ok(text)
            if text
                .chars()
                .any(|c| c.is_control() && !allowed.contains(&c)) =>
        {
            Some("a control character")
        }
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::unreadable;

    #[test]
    fn text_passes_and_non_text_is_named() {
        assert_eq!(unreadable("/p/acme-web", &[]), None);
        assert_eq!(unreadable("Zo%C3%AB+%F0%9F%9A%80", &[]), None);
        assert_eq!(unreadable("a%0Ab", &['\n']), None);
        assert_eq!(unreadable("a%0Ab", &[]), Some("a control character"));
        assert_eq!(unreadable("a%00b", &['\n']), Some("a control character"));
        assert_eq!(unreadable("%C2%85", &[]), Some("a control character"));
        assert_eq!(unreadable("%7F", &[]), Some("a control character"));
        assert_eq!(
            unreadable("%FF%FE", &[]),
            Some("bytes that are not UTF-8 text")
        );
        assert_eq!(
            unreadable("%C3", &[]),
            Some("bytes that are not UTF-8 text")
        );
    }
}
