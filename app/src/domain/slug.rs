use serde::{Deserialize, Serialize};
use std::fmt;

/// The URL-safe identifier of a project: every project page lives under `/p/<slug>/…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 48;

    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.len() < Self::MIN_LEN || s.len() > Self::MAX_LEN {
            return Err(format!(
                "A URL name must be {}–{} characters long.",
                Self::MIN_LEN,
                Self::MAX_LEN
            ));
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "A URL name may contain only lower-case letters a–z, digits and hyphens (not “{bad}”)."
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The slug a name suggests, before any collision suffix: transliterated to ASCII, lower
    /// case, words joined by single hyphens, cut to leave room for a `-NN` suffix.
    #[cfg(feature = "ssr")]
    pub fn suggest_base(name: &str) -> String {
        const ROOM_FOR_SUFFIX: usize = 4;
        let mut base = slug::slugify(name);
        base.truncate(Self::MAX_LEN - ROOM_FOR_SUFFIX);
        let base = base.trim_end_matches('-').to_owned();
        match base.len() {
            0 => "project".to_owned(),
            n if n < Self::MIN_LEN => format!("{base}-project"),
            _ => base,
        }
    }

    /// Candidate slugs for a base, in the order they should be tried: `base`, `base-2`, `base-3` …
    #[cfg(feature = "ssr")]
    pub fn candidates(base: &str) -> impl Iterator<Item = Slug> + '_ {
        std::iter::once(base.to_owned())
            .chain((2..).map(move |n| format!("{base}-{n}")))
            .filter_map(|s| Slug::parse(&s).ok())
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_alphabet() {
        for ok in ["abc", "acme-web", "a-1", "x".repeat(48).as_str(), "123"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "ab",
            "Acme",
            "acme web",
            "acme_web",
            "ácme",
            "a/b",
            &"x".repeat(49),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert!(Slug::parse("Acme").unwrap_err().contains("“A”"));
    }

    #[cfg(feature = "ssr")]
    mod generation {
        use super::*;

        #[test]
        fn ascii_names() {
            assert_eq!(Slug::suggest_base("Acme Web"), "acme-web");
            assert_eq!(Slug::suggest_base("  Acme   Web!!  "), "acme-web");
            assert_eq!(Slug::suggest_base("Ada's project"), "ada-s-project");
        }

        #[test]
        fn unicode_names_are_transliterated() {
            assert_eq!(Slug::suggest_base("Café Ünïcode"), "cafe-unicode");
            assert_eq!(Slug::suggest_base("Ελληνικά"), "ellenika");
            assert_eq!(Slug::suggest_base("Привет мир"), "privet-mir");
            let cjk = Slug::suggest_base("東京");
            assert!(Slug::parse(&cjk).is_ok(), "{cjk}");
        }

        #[test]
        fn punctuation_only_and_short_names_still_give_a_valid_slug() {
            assert_eq!(Slug::suggest_base("!!!"), "project");
            assert_eq!(Slug::suggest_base("🚀"), Slug::suggest_base("🚀"));
            assert!(Slug::parse(&Slug::suggest_base("🚀")).is_ok());
            assert_eq!(Slug::suggest_base("A"), "a-project");
        }

        #[test]
        fn long_names_leave_room_for_a_suffix() {
            let base = Slug::suggest_base(&"word ".repeat(40));
            assert!(base.len() <= 44);
            assert!(!base.ends_with('-'));
            let tenth = Slug::candidates(&base).nth(9).unwrap();
            assert!(tenth.as_str().ends_with("-10"));
            assert!(Slug::parse(tenth.as_str()).is_ok());
        }

        #[test]
        fn collisions_get_numbered_suffixes() {
            let c: Vec<_> = Slug::candidates("acme-web")
                .take(3)
                .map(String::from)
                .collect();
            assert_eq!(c, ["acme-web", "acme-web-2", "acme-web-3"]);
        }
    }
}
