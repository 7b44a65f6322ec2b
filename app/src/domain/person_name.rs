use super::{trimmed_within, TextError};
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
                TextError::TooShort => "Enter your name.".to_owned(),
                TextError::TooLong => {
                    format!("A name can be at most {} characters long.", Self::MAX_LEN)
                }
                TextError::ControlCharacter => {
                    "A name cannot contain line breaks or control characters.".to_owned()
                }
                TextError::InvisibleCharacter(c) => format!(
                    "A name cannot contain invisible or text-direction control characters \
                     (this one has U+{:04X}). Type it rather than pasting it.",
                    u32::from(c)
                ),
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

    #[test]
    fn refuses_text_direction_controls_and_names_the_character() {
        // "Ada" followed by a right-to-left override: what comes after is shown reversed.
        assert_eq!(
            PersonName::parse("Ada\u{202E}ecalevoL").unwrap_err(),
            "A name cannot contain invisible or text-direction control characters \
             (this one has U+202E). Type it rather than pasting it."
        );
        for c in [
            '\u{200E}', '\u{200F}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{061C}',
        ] {
            let err = PersonName::parse(&format!("Ada{c}")).unwrap_err();
            assert!(err.contains("text-direction"), "{c:?}: {err}");
        }
    }

    #[test]
    fn refuses_invisible_characters_trimming_does_not_remove() {
        for name in [
            "\u{200B}",
            "Ada\u{200B}Lovelace",
            "\u{FEFF}Ada",
            "Ada\u{00AD}",
            "Ada\u{2060}",
            "\u{3164}",
            "Ada\u{E0041}",
        ] {
            let err = PersonName::parse(name).unwrap_err();
            assert!(err.contains("invisible"), "{name:?}: {err}");
        }
    }

    #[test]
    fn refuses_control_characters_including_c1() {
        // Inside the name: at either end, trimming removes those that are white space (U+0085).
        for name in [
            "Ada\0",
            "Ada\tLovelace",
            "Ada\rLovelace",
            "Ada\u{85}Lovelace",
            "Ada\u{9B}",
        ] {
            assert_eq!(
                PersonName::parse(name).unwrap_err(),
                "A name cannot contain line breaks or control characters.",
                "{name:?}"
            );
        }
    }

    #[test]
    fn keeps_joiners_inside_emoji_and_words() {
        assert!(PersonName::parse("Ada 👩\u{200D}💻").is_ok());
        assert!(PersonName::parse("می\u{200C}خواهم").is_ok());
        assert!(PersonName::parse("Ada\u{200D}").is_err());
        assert!(PersonName::parse("\u{200D}").is_err());
    }
}
