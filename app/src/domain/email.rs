use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// An email address as Roster stores it: trimmed and lower-cased, so that one person cannot hold
/// two accounts by changing the case of their address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, String> {
        let candidate = input.trim().to_lowercase();
        if candidate.is_empty() {
            return Err("Enter your email address.".into());
        }
        if candidate.len() > Self::MAX_LEN {
            return Err(format!(
                "An email address can be at most {} characters long.",
                Self::MAX_LEN
            ));
        }
        // Bytes that were not UTF-8 arrive as U+FFFD: that is no one's address.
        if candidate.contains('\u{FFFD}') {
            return Err(
                "That email address contains characters that could not be read. Type it again."
                    .into(),
            );
        }
        // Others see this address (pending invitations): no text-direction tricks in it.
        if let Some(c) = super::text::first_invisible(&candidate) {
            return Err(format!(
                "An email address cannot contain invisible or control characters (this one has U+{:04X}).",
                c as u32
            ));
        }
        let parsed = email_address::EmailAddress::from_str(&candidate)
            .map_err(|_| format!("“{}” is not a valid email address.", input.trim()))?;
        // The RFC allows dotless and bracketed domains; nobody receives mail there.
        let domain = parsed.domain();
        if !domain.contains('.') || domain.starts_with('[') || domain.ends_with('.') {
            return Err(format!(
                "“{}” is not a valid email address: the part after @ must be a domain like example.com.",
                input.trim()
            ));
        }
        if parsed.display_part() != "" || candidate.contains(' ') {
            return Err(format!("“{}” is not a valid email address.", input.trim()));
        }
        Ok(Self(candidate))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_was_not_utf8() {
        assert!(Email::parse("\u{FFFD}\u{FFFD}@x.test")
            .unwrap_err()
            .contains("could not be read"));
    }

    #[test]
    fn refuses_text_direction_and_invisible_characters() {
        for bad in [
            "ad\u{202E}a@example.com",
            "ada\u{200B}@example.com",
            "ada@exa\u{0085}mple.com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(err.contains("invisible or control"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn normalises_case_and_whitespace() {
        assert_eq!(
            Email::parse("  Ada.Lovelace@Example.COM ")
                .unwrap()
                .as_str(),
            "ada.lovelace@example.com"
        );
    }

    #[test]
    fn accepts_plus_addressing_and_subdomains() {
        assert!(Email::parse("ops+roster@mail.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "ada@",
            "ada@localhost",
            "ada@@example.com",
            "ada lovelace@example.com",
            "Ada <ada@example.com>",
            "ada@[127.0.0.1]",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn rejects_over_long_addresses() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).unwrap_err().contains("at most 254"));
    }

    #[test]
    fn deserialising_parses() {
        let err = serde_json::from_str::<Email>("\"nope\"");
        assert!(err.is_err());
    }
}
