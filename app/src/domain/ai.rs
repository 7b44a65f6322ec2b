//! A project's AI provider (seed 004, AI Settings): which provider, which model.

use super::one_line;
use serde::{Deserialize, Serialize};

keyed!(
    /// Seed 004's providers. Anthropic has its own API; the others speak OpenAI's.
    AiProvider, "an AI provider" {
        Anthropic = "anthropic", "Anthropic";
        OpenAi = "openai", "OpenAI";
        Groq = "groq", "Groq";
        Ollama = "ollama", "Ollama";
        Custom = "custom", "Custom";
    }
);

impl AiProvider {
    /// Seed 004: "Required for Ollama and Custom providers".
    pub fn needs_base_url(self) -> bool {
        matches!(self, AiProvider::Ollama | AiProvider::Custom)
    }

    /// Where the provider's API is when no base URL is given.
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            AiProvider::Anthropic => Some("https://api.anthropic.com"),
            AiProvider::OpenAi => Some("https://api.openai.com/v1"),
            AiProvider::Groq => Some("https://api.groq.com/openai/v1"),
            AiProvider::Ollama | AiProvider::Custom => None,
        }
    }

    /// Models offered as suggestions (any name may be typed).
    pub fn suggested_models(self) -> &'static [&'static str] {
        match self {
            AiProvider::Anthropic => &["claude-sonnet-4-6", "claude-haiku-4-5"],
            AiProvider::OpenAi => &["gpt-4o", "gpt-4o-mini"],
            AiProvider::Groq => &["llama-3.3-70b-versatile", "llama-3.1-8b-instant"],
            AiProvider::Ollama => &["llama3", "mistral"],
            AiProvider::Custom => &[],
        }
    }
}

/// A model's name as the provider knows it: one line, at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AiModel(String);

impl AiModel {
    pub fn parse(input: &str) -> Result<Self, String> {
        one_line(input, 100).map(AiModel)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(AiModel);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_and_models() {
        assert_eq!(AiProvider::parse("openai"), Ok(AiProvider::OpenAi));
        assert!(AiProvider::parse("skynet").is_err());
        assert!(AiProvider::Ollama.needs_base_url() && AiProvider::Custom.needs_base_url());
        assert!(!AiProvider::Anthropic.needs_base_url());
        assert_eq!(AiModel::parse(" gpt-4o ").unwrap().as_str(), "gpt-4o");
        assert!(AiModel::parse("").is_err());
        assert!(AiModel::parse("a\nb").is_err());
        assert!(AiModel::parse(&"x".repeat(101)).is_err());
    }
}
