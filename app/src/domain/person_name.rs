use super::{trimmed_within, LengthError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The name a person goes by, shown to the other members of their projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, String> {
        trimmed_within(input, 1, Self::MAX_LEN)
            .map(Self)
            .map_err(|e| match e {
                LengthError::TooShort => "Enter your name.".to_owned(),
                LengthError::TooLong => {
                    format!("A name can be at most {} characters long.", Self::MAX_LEN)
                }
                LengthError::ControlCharacter => {
                    "A name cannot contain line breaks or control characters.".to_owned()
                }
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds() {
        assert_eq!(PersonName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        assert!(PersonName::parse(&"é".repeat(101)).is_err());
        assert!(PersonName::parse("Ada\nLovelace").is_err());
    }
}
