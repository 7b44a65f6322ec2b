use super::{trimmed_within, LengthError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A project's display name: 1–80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectName(String);

impl ProjectName {
    pub const MAX_LEN: usize = 80;

    pub fn parse(input: &str) -> Result<Self, String> {
        trimmed_within(input, 1, Self::MAX_LEN)
            .map(Self)
            .map_err(|e| match e {
                LengthError::TooShort => "Give the project a name.".to_owned(),
                LengthError::TooLong => format!(
                    "A project name can be at most {} characters long.",
                    Self::MAX_LEN
                ),
                LengthError::ControlCharacter => {
                    "A project name cannot contain line breaks or control characters.".to_owned()
                }
            })
    }

    /// The name of the project every account gets at registration (seed 000).
    pub fn first_project_of(owner: &super::PersonName) -> Self {
        let suffix = "'s project";
        let room = Self::MAX_LEN - suffix.chars().count();
        let owner: String = owner.as_str().chars().take(room).collect();
        Self(format!("{}{suffix}", owner.trim_end()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProjectName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ProjectName> for String {
    fn from(value: ProjectName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonName;

    #[test]
    fn bounds_after_trimming() {
        assert_eq!(
            ProjectName::parse("  Acme Web ").unwrap().as_str(),
            "Acme Web"
        );
        assert!(ProjectName::parse("").is_err());
        assert!(ProjectName::parse(" \t ").is_err());
        assert!(ProjectName::parse(&"x".repeat(80)).is_ok());
        assert!(ProjectName::parse(&"x".repeat(81)).is_err());
        assert!(ProjectName::parse(&format!("  {}  ", "ж".repeat(80))).is_ok());
    }

    #[test]
    fn first_project_is_named_after_its_owner_and_fits() {
        let ada = PersonName::parse("Ada").unwrap();
        assert_eq!(
            ProjectName::first_project_of(&ada).as_str(),
            "Ada's project"
        );
        let long = PersonName::parse(&"n".repeat(100)).unwrap();
        let name = ProjectName::first_project_of(&long);
        assert!(ProjectName::parse(name.as_str()).is_ok());
    }
}
