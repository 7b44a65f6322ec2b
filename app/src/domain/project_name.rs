use super::{trimmed_within, TextError};
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
                TextError::TooShort => "Give the project a name.".to_owned(),
                TextError::TooLong => format!(
                    "A project name can be at most {} characters long.",
                    Self::MAX_LEN
                ),
                TextError::ControlCharacter => {
                    "A project name cannot contain line breaks or control characters.".to_owned()
                }
                TextError::InvisibleCharacter(c) => format!(
                    "A project name cannot contain invisible or text-direction control \
                     characters (this one has U+{:04X}). Type it rather than pasting it.",
                    u32::from(c)
                ),
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
    fn refuses_text_direction_controls_and_names_the_character() {
        assert_eq!(
            ProjectName::parse("Acme \u{2067}beW\u{2069}").unwrap_err(),
            "A project name cannot contain invisible or text-direction control characters \
             (this one has U+2067). Type it rather than pasting it."
        );
        for c in [
            '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{061C}',
        ] {
            let err = ProjectName::parse(&format!("Acme{c}")).unwrap_err();
            assert!(err.contains("text-direction"), "{c:?}: {err}");
        }
    }

    #[test]
    fn refuses_invisible_and_control_characters() {
        for name in [
            "\u{200B}",
            "Acme\u{FEFF}",
            "Ac\u{00AD}me",
            "Acme\u{2060}Web",
            "\u{3164}",
        ] {
            let err = ProjectName::parse(name).unwrap_err();
            assert!(err.contains("invisible"), "{name:?}: {err}");
        }
        for name in ["Acme\0", "Acme\nWeb", "Acme\u{9F}"] {
            assert_eq!(
                ProjectName::parse(name).unwrap_err(),
                "A project name cannot contain line breaks or control characters.",
                "{name:?}"
            );
        }
    }

    #[test]
    fn keeps_joiners_inside_emoji_and_words() {
        assert!(ProjectName::parse("Acme ❤\u{FE0F}\u{200D}🔥").is_ok());
        assert!(ProjectName::parse("Acme\u{200D}").is_err());
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
        // Cut inside an emoji sequence, right after its joiner: still a valid name.
        let emoji = PersonName::parse(&format!("{}👩\u{200D}💻", "n".repeat(68))).unwrap();
        let name = ProjectName::first_project_of(&emoji);
        assert!(ProjectName::parse(name.as_str()).is_ok(), "{name:?}");
    }
}
