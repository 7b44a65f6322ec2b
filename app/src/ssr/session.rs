//! Sign-in sessions: a random 256-bit token in an `HttpOnly` cookie; the database keeps only its
//! SHA-256, so a leaked table opens no session.

use super::state::AppState;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use cookie::{Cookie, SameSite};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "roster_session";
/// Over HTTPS the cookie is `__Host-` prefixed: browsers then accept it only when it is
/// `Secure`, host-only and for `/`, so a sibling subdomain cannot plant or shadow it.
pub const SECURE_COOKIE_NAME: &str = "__Host-roster_session";

fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies() {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}
/// A session not used for this long ends.
pub const IDLE_TIMEOUT_MS: i64 = 7 * 24 * 3600 * 1000;
/// A session ends this long after sign-in however much it is used.
pub const ABSOLUTE_TIMEOUT_MS: i64 = 30 * 24 * 3600 * 1000;
/// `last_seen_at` is written at most this often, so reading a page is not a write every time.
pub const TOUCH_INTERVAL_MS: i64 = 60 * 1000;

/// The signed-in person, as attached to each request by the session middleware.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// The address is proven (issue 9): only then do invitations sent to it reach this account.
    pub email_confirmed: bool,
    pub token_hash: String,
}

/// A new random token (given to the browser) and its hash (kept in the database).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that hands a session to the browser.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    Cookie::build((cookie_name(state), token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.secure_cookies())
        .max_age(cookie::time::Duration::milliseconds(ABSOLUTE_TIMEOUT_MS))
        .build()
        .to_string()
}

/// The `Set-Cookie` value that makes the browser forget its session.
pub fn clearing_cookie(state: &AppState) -> String {
    Cookie::build((cookie_name(state), ""))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.secure_cookies())
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token in a `Cookie` header, if any.
/// Both names are read: the prefix depends on how Roster is served, not on the request.
pub fn token_from_cookie_header(header: &str) -> Option<String> {
    Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| {
            (c.name() == COOKIE_NAME || c.name() == SECURE_COOKIE_NAME) && !c.value().is_empty()
        })
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_unique() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_eq!(ha, hash_token(&a));
        assert_eq!(ha.len(), 64);
        assert!(!ha.contains(&a));
    }

    #[test]
    fn finds_the_token_among_other_cookies() {
        let header = format!("theme=dark; {COOKIE_NAME}=abc123; other=1");
        assert_eq!(token_from_cookie_header(&header).as_deref(), Some("abc123"));
        assert_eq!(token_from_cookie_header("theme=dark"), None);
    }
}
