//! Configuration from the environment (documented in README).

use crate::serve::ConnectionLimits;
use app::ssr::{clock::Clock, database::DEFAULT_SQLITE_URL, throttle::RateLimits};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use url::Url;

#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`; unset means a SQLite file under `data/`.
    pub database_url: String,
    /// `PUBLIC_URL`; unset means `http://<the address we listen on>`.
    pub public_url: Option<Url>,
    /// `LEPTOS_SITE_ADDR` (cargo-leptos sets it from Cargo.toml).
    pub listen_addr: SocketAddr,
    pub leptos: LeptosOptions,
    /// Tests pass a clock they can move; the server runs on the system clock.
    pub clock: Option<Clock>,
    /// How often an open event stream checks again that its session and membership hold.
    pub stream_recheck: std::time::Duration,
    /// Sign-in, sign-up and AI call limits (`SIGN_IN_PER_ACCOUNT`, `SIGN_IN_PER_IP`,
    /// `SIGN_UP_PER_IP`, `AI_CALLS_PER_PROJECT`).
    pub rate_limits: RateLimits,
    /// `CLIENT_IP_HEADER`: the header a trusted reverse proxy sets to the client's address.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// `SMTP_URL` (e.g. `smtp://127.0.0.1:2525`, `smtps://user:pass@host`); unset writes `.eml`
    /// files to `mail_dir` instead.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`.
    pub mail_from: String,
    /// `MAIL_DIR`, default `data/mail`.
    pub mail_dir: std::path::PathBuf,
    /// `MAX_CONNECTIONS`, `HEADER_TIMEOUT_SECS`.
    pub connections: ConnectionLimits,
    /// `OPERATOR_TOKEN`: the bearer tokens of the operator API, comma-separated. None set means
    /// the API answers 401 to everything.
    pub operator_tokens: Vec<String>,
    /// `WEBHOOK_URL` and `WEBHOOK_SECRET`: where the back office's events are POSTed, and the
    /// key they are signed with. Unset: events are kept a day, then forgotten.
    pub webhook: Option<WebhookTarget>,
    /// `ROSTER_DEMO=1`: fill an empty database with the demo customer and run the demo back
    /// office (see `demo.rs`).
    pub demo: bool,
    /// `ROSTER_SECRET_KEY`: 32 bytes in base64, the key that seals stored secrets (AI API keys).
    /// Unset: the key in `secret_key_file`, generated there on first start.
    pub secret_key: Option<String>,
    /// `ROSTER_SECRET_KEY_FILE`, default `data/secret.key`.
    pub secret_key_file: std::path::PathBuf,
    /// `AI_TIMEOUT_SECS` (default 30): how long a call to a project's AI provider may take.
    pub ai_timeout: std::time::Duration,
    /// `AI_ALLOW_PRIVATE_HOSTS=1`: let projects' AI base URLs name loopback or private
    /// addresses (a provider on the same network; the tests' fake providers). Off by default.
    pub ai_allow_private: bool,
}

/// Where webhooks go and how they are signed.
#[derive(Clone, Debug)]
pub struct WebhookTarget {
    pub url: Url,
    pub secret: String,
}

pub const DEFAULT_MAIL_FROM: &str = "Roster <roster@localhost>";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PUBLIC_URL must be an absolute http(s) URL: {0}")]
    PublicUrl(String),
    #[error("Leptos configuration: {0}")]
    Leptos(String),
    #[error("{0} is not valid: {1:?}")]
    Setting(&'static str, String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let leptos = match leptos::config::get_configuration(None) {
            Ok(conf) => conf.leptos_options,
            // A binary not built by cargo-leptos: fall back to the workspace metadata.
            Err(_) => {
                leptos::config::get_configuration(Some("Cargo.toml"))
                    .map_err(|e| ConfigError::Leptos(e.to_string()))?
                    .leptos_options
            }
        };
        let public_url = match std::env::var("PUBLIC_URL") {
            Ok(raw) if !raw.trim().is_empty() => {
                let url =
                    Url::parse(raw.trim()).map_err(|e| ConfigError::PublicUrl(e.to_string()))?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(ConfigError::PublicUrl(raw));
                }
                Some(url)
            }
            _ => None,
        };
        Ok(Self {
            database_url: std::env::var("DATABASE_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_SQLITE_URL.to_owned()),
            public_url,
            listen_addr: leptos.site_addr,
            leptos,
            clock: None,
            stream_recheck: std::time::Duration::from_secs(30),
            rate_limits: RateLimits {
                sign_in_per_account: env_u32("SIGN_IN_PER_ACCOUNT")?
                    .unwrap_or(RateLimits::default().sign_in_per_account),
                sign_in_per_ip: env_u32("SIGN_IN_PER_IP")?
                    .unwrap_or(RateLimits::default().sign_in_per_ip),
                sign_up_per_ip: env_u32("SIGN_UP_PER_IP")?
                    .unwrap_or(RateLimits::default().sign_up_per_ip),
                ai_calls_per_project: env_u32("AI_CALLS_PER_PROJECT")?
                    .unwrap_or(RateLimits::default().ai_calls_per_project),
            },
            client_ip_header: match env_opt("CLIENT_IP_HEADER") {
                Some(name) => Some(
                    axum::http::HeaderName::try_from(name.trim())
                        .map_err(|_| ConfigError::Setting("CLIENT_IP_HEADER", name))?,
                ),
                None => None,
            },
            smtp_url: env_opt("SMTP_URL"),
            mail_from: env_opt("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
            mail_dir: env_opt("MAIL_DIR")
                .unwrap_or_else(|| "data/mail".to_owned())
                .into(),
            connections: ConnectionLimits {
                max_connections: match env_u32("MAX_CONNECTIONS")? {
                    Some(n) => n as usize,
                    None => ConnectionLimits::default().max_connections,
                },
                header_timeout: match env_u32("HEADER_TIMEOUT_SECS")? {
                    Some(s) => std::time::Duration::from_secs(s.into()),
                    None => ConnectionLimits::default().header_timeout,
                },
            },
            operator_tokens: operator_tokens(env_opt("OPERATOR_TOKEN").as_deref())?,
            webhook: webhook(env_opt("WEBHOOK_URL"), env_opt("WEBHOOK_SECRET"))?,
            demo: matches!(
                env_opt("ROSTER_DEMO").as_deref().map(str::trim),
                Some("1" | "true" | "yes")
            ),
            secret_key: env_opt("ROSTER_SECRET_KEY"),
            secret_key_file: env_opt("ROSTER_SECRET_KEY_FILE")
                .unwrap_or_else(|| "data/secret.key".to_owned())
                .into(),
            ai_timeout: std::time::Duration::from_secs(
                env_u32("AI_TIMEOUT_SECS")?.unwrap_or(30).into(),
            ),
            ai_allow_private: matches!(
                env_opt("AI_ALLOW_PRIVATE_HOSTS").as_deref().map(str::trim),
                Some("1" | "true" | "yes")
            ),
        })
    }

    /// A configuration for tests: a given database, port 0, no site assets needed, mail
    /// written as files to `mail_dir`.
    pub fn for_tests(database_url: &str, mail_dir: std::path::PathBuf) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("roster")
            .site_root("target/site")
            .site_pkg_dir("pkg")
            .build();
        Self {
            database_url: database_url.to_owned(),
            public_url: None,
            listen_addr: "127.0.0.1:0".parse().expect("valid address"),
            leptos,
            clock: Some(Clock::default()),
            // Tests move the clock and expect streams to notice soon.
            stream_recheck: std::time::Duration::from_millis(100),
            rate_limits: RateLimits::default(),
            client_ip_header: None,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            mail_dir,
            connections: ConnectionLimits::default(),
            operator_tokens: Vec::new(),
            webhook: None,
            demo: false,
            // A fixed key: tests never write a key file.
            secret_key: Some("VGhpcyBpcyB0aGUga2V5IG9mIHRoZSB0ZXN0cyEhISE=".to_owned()),
            secret_key_file: std::path::PathBuf::from("unused-in-tests.key"),
            ai_timeout: std::time::Duration::from_secs(2),
            ai_allow_private: true,
        }
    }
}

/// The shortest operator token accepted: a short one could be guessed.
pub const MIN_OPERATOR_TOKEN_LEN: usize = 32;

/// `OPERATOR_TOKEN` split into its tokens. A token that is short or has characters a header
/// cannot carry stops the server, without printing the secret.
fn operator_tokens(raw: Option<&str>) -> Result<Vec<String>, ConfigError> {
    let tokens: Vec<String> = raw
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    match tokens
        .iter()
        .position(|t| t.len() < MIN_OPERATOR_TOKEN_LEN || !t.bytes().all(|b| b.is_ascii_graphic()))
    {
        Some(i) => Err(ConfigError::Setting(
            "OPERATOR_TOKEN",
            format!(
                "token {} of {} (at least {MIN_OPERATOR_TOKEN_LEN} visible ASCII characters each)",
                i + 1,
                tokens.len()
            ),
        )),
        None => Ok(tokens),
    }
}

/// `WEBHOOK_URL` needs an http(s) address and a `WEBHOOK_SECRET` at least as long as an
/// operator token; one without the other stops the server.
fn webhook(
    url: Option<String>,
    secret: Option<String>,
) -> Result<Option<WebhookTarget>, ConfigError> {
    match (url, secret) {
        (None, None) => Ok(None),
        (Some(url), secret) => {
            let parsed = Url::parse(url.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                .ok_or_else(|| ConfigError::Setting("WEBHOOK_URL", url.clone()))?;
            let secret = secret
                .map(|s| s.trim().to_owned())
                .filter(|s| s.len() >= MIN_OPERATOR_TOKEN_LEN)
                .ok_or_else(|| {
                    ConfigError::Setting(
                        "WEBHOOK_SECRET",
                        format!("at least {MIN_OPERATOR_TOKEN_LEN} characters, required with WEBHOOK_URL"),
                    )
                })?;
            Ok(Some(WebhookTarget {
                url: parsed,
                secret,
            }))
        }
        (None, Some(_)) => Err(ConfigError::Setting(
            "WEBHOOK_URL",
            "unset, while WEBHOOK_SECRET is set".into(),
        )),
    }
}

fn env_u32(name: &'static str) -> Result<Option<u32>, ConfigError> {
    env_opt(name)
        .map(|v| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError::Setting(name, v))
        })
        .transpose()
}

fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_tokens_are_long_and_printable() {
        let good = "a".repeat(32);
        assert_eq!(operator_tokens(None).unwrap(), Vec::<String>::new());
        assert_eq!(
            operator_tokens(Some(&format!(" {good} , ,{good}x"))).unwrap(),
            vec![good.clone(), format!("{good}x")]
        );
        assert!(operator_tokens(Some("short")).is_err());
        assert!(operator_tokens(Some(&format!("{good},{}é", "b".repeat(32)))).is_err());
    }

    #[test]
    fn webhooks_need_an_http_address_and_a_long_secret() {
        let secret = Some("s".repeat(32));
        assert!(webhook(None, None).unwrap().is_none());
        let target = webhook(Some("https://ops.example/hooks".into()), secret.clone())
            .unwrap()
            .unwrap();
        assert_eq!(target.url.as_str(), "https://ops.example/hooks");
        assert!(webhook(Some("ftp://ops.example".into()), secret.clone()).is_err());
        assert!(webhook(Some("https://ops.example".into()), Some("short".into())).is_err());
        assert!(webhook(Some("https://ops.example".into()), None).is_err());
        assert!(webhook(None, secret).is_err());
    }
}
