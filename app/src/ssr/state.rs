use super::{clock::Clock, database::Db};
use url::Url;

/// What every request handler and server function may reach: provided as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The address people use to reach Roster; every absolute link is built from it, never from
    /// the request's Host header.
    pub public_url: Url,
    pub clock: Clock,
}

impl AppState {
    /// Cookies get `Secure` when Roster is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }
}
