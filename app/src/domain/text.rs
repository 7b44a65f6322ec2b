//! Which characters a name shown to other people may not contain: the ones nobody can see.
//!
//! Control characters (Unicode category Cc: NUL, tab, line breaks, the C1 controls) and format
//! characters (Cf: zero-width space, soft hyphen, word joiner, byte order mark, tag characters,
//! and the bidi marks, embeddings, overrides and isolates U+200E–U+200F, U+202A–U+202E,
//! U+2066–U+2069, U+061C) make a name look like another, hide text, or reverse the text shown
//! after it ("Trojan Source"). The Cf list is written out below because no crate that knows
//! general categories is in the browser build; it is Unicode 18's (unchanged since Unicode 15).
//!
//! The one exception is a joiner between two visible characters; see [`joins_visible`]. Tag
//! characters stay refused although the flags of England, Scotland and Wales are spelled with
//! them: they are also a way to hide text, and those three flags are rare in a name.

/// The first character in `text` that no one would see, if any.
pub(super) fn first_invisible(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let allowed = if is_joiner(c) {
            joins_visible(&chars, i)
        } else {
            !is_invisible(c)
        };
        (!allowed).then_some(c)
    })
}

/// ZERO WIDTH JOINER (U+200D) and ZERO WIDTH NON-JOINER (U+200C) are format characters too, but
/// names need them: the joiner builds emoji sequences (👩‍💻, ❤️‍🔥) and Indic conjuncts, and the
/// non-joiner is part of ordinary Persian spelling (می‌خواهم) and of Indic scripts. They are
/// allowed only between two characters that are neither invisible nor white space, so they can
/// shape what is written but cannot make a name of nothing, pad one, or stack unseen.
fn joins_visible(chars: &[char], at: usize) -> bool {
    let visible = |c: Option<&char>| c.is_some_and(|&c| !is_invisible(c) && !c.is_whitespace());
    at > 0 && visible(chars.get(at - 1)) && visible(chars.get(at + 1))
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

fn is_invisible(c: char) -> bool {
    c.is_control() || is_format(c) || is_filler(c)
}

/// Unicode general category Cf (format), as of Unicode 18.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{0600}'..='\u{0605}'   // Arabic number signs
        | '\u{061C}'                // Arabic letter mark (bidi)
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'                // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'   // bidi isolates, deprecated format characters
        | '\u{FEFF}'                // zero-width no-break space, byte order mark
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' // Egyptian hieroglyph format controls
        | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}' // musical symbol format controls
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}' // tag characters
    )
}

/// Hangul fillers: letters (Lo), not format characters, but drawn as nothing and not used in
/// modern Korean text, so the classic way to make a name that looks empty.
fn is_filler(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_passes() {
        for text in [
            "Ada Lovelace",
            "Zoë Ångström-Øre",
            "Δημήτρης",
            "محمد",
            "אבי",
            "李小龍",
            "한국어",
            "Ana 🚀",
        ] {
            assert_eq!(first_invisible(text), None, "{text:?}");
        }
    }

    #[test]
    fn bidi_controls_are_found() {
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            assert_eq!(first_invisible(&format!("Ada{c}Lovelace")), Some(c));
        }
    }

    #[test]
    fn other_invisible_characters_are_found() {
        for c in [
            '\0',
            '\t',
            '\n',
            '\r',
            '\u{1B}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{AD}',
            '\u{180E}',
            '\u{200B}',
            '\u{2060}',
            '\u{2064}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{3164}',
        ] {
            assert_eq!(first_invisible(&format!("Ada{c}")), Some(c), "{c:?}");
            assert_eq!(first_invisible(&format!("{c}Ada")), Some(c), "{c:?}");
        }
    }

    #[test]
    fn joiners_are_allowed_between_visible_characters_only() {
        assert_eq!(first_invisible("👩\u{200D}💻"), None);
        assert_eq!(first_invisible("❤\u{FE0F}\u{200D}🔥"), None);
        assert_eq!(first_invisible("👩\u{1F3FD}\u{200D}💻"), None);
        assert_eq!(first_invisible("می\u{200C}خواهم"), None);

        assert_eq!(first_invisible("\u{200D}"), Some('\u{200D}'));
        assert_eq!(first_invisible("\u{200D}Ada"), Some('\u{200D}'));
        assert_eq!(first_invisible("Ada\u{200C}"), Some('\u{200C}'));
        assert_eq!(
            first_invisible("Ada\u{200D}\u{200D}Lovelace"),
            Some('\u{200D}')
        );
        assert_eq!(first_invisible("Ada \u{200D}Lovelace"), Some('\u{200D}'));
        assert_eq!(first_invisible("Ada\u{200D}\u{202E}x"), Some('\u{200D}'));
    }
}
