use serde::{Deserialize, Serialize};
use std::fmt;

/// A password that meets the length policy. It never prints: `Debug` is redacted so it cannot
/// leak into logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 1024;

    pub fn parse(input: &str) -> Result<Self, String> {
        let len = input.chars().count();
        if len < Self::MIN_LEN {
            Err(format!(
                "Use at least {} characters for your password.",
                Self::MIN_LEN
            ))
        } else if len > Self::MAX_LEN {
            Err(format!(
                "A password can be at most {} characters long.",
                Self::MAX_LEN
            ))
        } else if input.chars().any(char::is_control) {
            // Nobody can type them reliably again (a line break, NUL, an escape), so they are
            // refused when a password is chosen rather than found to lock someone out later.
            Err("A password cannot contain control characters such as line breaks or tabs.".into())
        } else {
            Ok(Self(input.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(********)")
    }
}

impl TryFrom<String> for Password {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Password> for String {
    fn from(value: Password) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_in_characters() {
        assert!(Password::parse("123456789").is_err());
        assert!(Password::parse("1234567890").is_ok());
        // Ten multi-byte characters are ten characters.
        assert!(Password::parse("ééééééééééé").is_ok());
        assert!(Password::parse(&"x".repeat(1024)).is_ok());
        assert!(Password::parse(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn refuses_control_characters() {
        for bad in [
            "correct horse\0battery",
            "correct horse\nbattery",
            "correct\thorse battery",
        ] {
            assert!(Password::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Password::parse("correct horse 🐎 battery").is_ok());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
