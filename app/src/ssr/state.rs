use super::{clock::Clock, database::Db, live::Hub, throttle::Throttle};
use std::sync::Arc;
use tokio::sync::Notify;
use url::Url;

/// What every request handler and server function may reach: provided as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The address people use to reach Roster; every absolute link is built from it, never from
    /// the request's Host header.
    pub public_url: Url,
    pub clock: Clock,
    /// Wakes the mail worker after a transaction that wrote to the outbox commits.
    pub mail_wake: Arc<Notify>,
    /// Membership changes, fanned out to the live streams.
    pub live: Hub,
    /// Sign-in and sign-up limits.
    pub throttle: Throttle,
    /// The request header a trusted reverse proxy puts the client's address in (its last
    /// value counts); `None` uses the connection's own address.
    pub client_ip_header: Option<http::HeaderName>,
    /// Seals and opens secrets at rest (AI API keys).
    pub secrets: super::secrets::Secrets,
    /// Calls projects' AI providers.
    pub ai: super::ai::AiClient,
}

impl AppState {
    /// Cookies get `Secure` when Roster is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// A link into Roster, e.g. `link("/invite/abc")`.
    pub fn link(&self, path: &str) -> String {
        self.public_url
            .join(path)
            .map(String::from)
            .unwrap_or_else(|_| format!("{}{path}", self.public_origin()))
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}
