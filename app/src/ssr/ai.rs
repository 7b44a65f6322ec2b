//! Calls to a project's AI provider (seed 004's AI Settings): Anthropic's Messages API, or the
//! OpenAI-compatible chat API that OpenAI, Groq, Ollama and most others speak. Every failure is
//! said in words for the person who configured it; the key never appears in one.

use crate::domain::AiProvider;
use serde_json::{json, Value};
use std::{net::IpAddr, time::Duration};

/// A project's settings with the key opened, for one call.
pub struct Provider {
    pub provider: AiProvider,
    pub model: String,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
}

/// How Roster reaches providers: one HTTP client, a time limit, and whether a base URL may
/// point into the server's own networks.
#[derive(Clone, Debug)]
pub struct AiClient {
    http: reqwest::Client,
    timeout: Duration,
    allow_private: bool,
}

impl AiClient {
    /// `allow_private`: whether a base URL may name a loopback or private address. Off in
    /// production: customers' settings must not make the server call its own network (the
    /// tests' providers run on loopback).
    pub fn new(timeout: Duration, allow_private: bool) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            // A redirect could lead past the address check below.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        AiClient {
            http,
            timeout,
            allow_private,
        }
    }

    /// Sends `prompt` (with `system` instructions) and returns the model's text.
    pub async fn complete(
        &self,
        p: &Provider,
        system: &str,
        prompt: &str,
        max_tokens: u32,
    ) -> Result<String, String> {
        let base = p
            .base_url
            .as_deref()
            .or(p.provider.default_base_url())
            .ok_or("Set a base URL for this provider in Settings → AI.")?
            .trim_end_matches('/');
        self.check_address(base).await?;
        let request = match p.provider {
            AiProvider::Anthropic => {
                let mut r = self
                    .http
                    .post(format!("{base}/v1/messages"))
                    .header("anthropic-version", "2023-06-01")
                    .json(&json!({
                        "model": p.model,
                        "max_tokens": max_tokens,
                        "system": system,
                        "messages": [{"role": "user", "content": prompt}],
                    }));
                if let Some(key) = &p.api_key {
                    r = r.header("x-api-key", key);
                }
                r
            }
            _ => {
                let mut r = self
                    .http
                    .post(format!("{base}/chat/completions"))
                    .json(&json!({
                        "model": p.model,
                        "max_tokens": max_tokens,
                        "messages": [
                            {"role": "system", "content": system},
                            {"role": "user", "content": prompt},
                        ],
                    }));
                if let Some(key) = &p.api_key {
                    r = r.bearer_auth(key);
                }
                r
            }
        };
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                format!(
                    "{} did not answer within {} seconds.",
                    p.provider,
                    self.timeout.as_secs()
                )
            } else {
                format!("Could not reach {} at {base}.", p.provider)
            }
        })?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            // Both APIs put the reason in error.message.
            let reason = body["error"]["message"]
                .as_str()
                .map(|m| m.chars().take(300).collect::<String>())
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("no reason").to_owned());
            return Err(format!(
                "{} refused the request ({}): {}",
                p.provider,
                status.as_u16(),
                reason.replace(['\r', '\n'], " ")
            ));
        }
        let text = match p.provider {
            AiProvider::Anthropic => body["content"][0]["text"].as_str(),
            _ => body["choices"][0]["message"]["content"].as_str(),
        };
        text.map(str::to_owned).ok_or_else(|| {
            format!(
                "{} answered, but not with text Roster can read.",
                p.provider
            )
        })
    }

    /// Refuses a base URL that is not http(s), or whose host is (or resolves to) a loopback,
    /// private or link-local address, unless those are allowed.
    async fn check_address(&self, base: &str) -> Result<(), String> {
        let url = url::Url::parse(base).map_err(|_| "The base URL is not a valid address.")?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("The base URL must start with http:// or https://.".into());
        }
        if self.allow_private {
            return Ok(());
        }
        let host = url.host_str().ok_or("The base URL has no host.")?;
        let port = url.port_or_known_default().unwrap_or(443);
        let addresses = tokio::net::lookup_host((host, port))
            .await
            .map_err(|_| format!("Could not find {host}."))?;
        for addr in addresses {
            if is_internal(addr.ip()) {
                return Err(format!(
                    "{host} is a private or local address; Roster only calls providers on the internet."
                ));
            }
        }
        Ok(())
    }
}

fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64 // shared 100.64/10
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local
                || (v6.segments()[0] & 0xffc0) == 0xfe80 // link local
                || v6.to_ipv4_mapped().is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

/// A ticket's subject and body drafted from `description` (issue 12's AI-assisted feature):
/// the project's services are given as context, and the model is asked for JSON.
pub fn draft_prompt(description: &str, services: &[String]) -> (String, String) {
    let system = "You help a hosting company's customer write a support ticket. Answer with JSON \
                  only: {\"subject\": one line of at most 100 characters, \"body\": the message, \
                  plain text}. Use only facts from the customer's description and their services; \
                  do not invent details."
        .to_owned();
    let services = if services.is_empty() {
        "(none)".to_owned()
    } else {
        services.join("\n")
    };
    let prompt = format!("My services:\n{services}\n\nWhat is wrong:\n{description}");
    (system, prompt)
}

/// The subject and body in a model's answer: its JSON, or else its first line and the rest.
pub fn parse_draft(answer: &str) -> (String, String) {
    let trimmed = answer.trim();
    // Models often fence JSON in a code block.
    let json_text = trimmed
        .find('{')
        .zip(trimmed.rfind('}'))
        .map(|(a, b)| &trimmed[a..=b]);
    if let Some(v) = json_text.and_then(|t| serde_json::from_str::<Value>(t).ok()) {
        if let (Some(s), Some(b)) = (v["subject"].as_str(), v["body"].as_str()) {
            return (s.trim().to_owned(), b.trim().to_owned());
        }
    }
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    (first.trim().to_owned(), rest.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn drafts_are_read_from_json_or_lines() {
        let (s, b) =
            parse_draft("```json\n{\"subject\": \"VPS down\", \"body\": \"web-1 stopped.\"}\n```");
        assert_eq!((s.as_str(), b.as_str()), ("VPS down", "web-1 stopped."));
        let (s, b) = parse_draft("VPS down\nweb-1 stopped answering.");
        assert_eq!(
            (s.as_str(), b.as_str()),
            ("VPS down", "web-1 stopped answering.")
        );
    }

    #[tokio::test]
    async fn private_base_urls_are_refused_in_production() {
        let client = AiClient::new(Duration::from_secs(1), false);
        let p = Provider {
            provider: AiProvider::Ollama,
            model: "llama3".into(),
            base_url: Some("http://127.0.0.1:11434/v1".into()),
            api_key: None,
        };
        let err = client.complete(&p, "s", "u", 10).await.unwrap_err();
        assert!(err.contains("private or local"), "{err}");
        let p = Provider {
            base_url: Some("ftp://example.com".into()),
            ..p
        };
        let err = client.complete(&p, "s", "u", 10).await.unwrap_err();
        assert!(err.contains("http:// or https://"), "{err}");
    }
}
