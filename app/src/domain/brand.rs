//! A project's primary colour (seed 004, Workspace Customization): a hex code that white text
//! stays readable on. Links are drawn in it on white and buttons fill with it under white text,
//! so one contrast check against white covers both.

use serde::{Deserialize, Serialize};

/// WCAG 2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The swatches offered beside the hex field: each passes the check.
pub const SWATCHES: [(&str, &str); 8] = [
    ("#1F5FBF", "Blue"),
    ("#0B6E4F", "Green"),
    ("#8A2BE2", "Violet"),
    ("#B3261E", "Red"),
    ("#A14F00", "Orange"),
    ("#006D77", "Teal"),
    ("#C2185B", "Pink"),
    ("#37474F", "Slate"),
];

/// `#RRGGBB`, upper case, with enough contrast against white.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BrandColor(String);

impl BrandColor {
    /// Accepts `#RGB` or `#RRGGBB` (the `#` optional, any case); refuses a colour white text is
    /// hard to read on, with the measured ratio.
    pub fn parse(input: &str) -> Result<Self, String> {
        let hex = input.trim().trim_start_matches('#');
        let full: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_owned(),
            _ => return Err("Enter a colour as a hex code, such as #1F5FBF.".into()),
        };
        if !full.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err("Enter a colour as a hex code, such as #1F5FBF.".into());
        }
        let color = BrandColor(format!("#{}", full.to_ascii_uppercase()));
        let ratio = color.contrast_with_white();
        if ratio < MIN_CONTRAST {
            return Err(format!(
                "White text on {} has a contrast of {:.2}:1; it needs at least {MIN_CONTRAST}:1 \
                 (WCAG AA) to stay readable. Choose a darker colour.",
                color.0,
                (ratio * 100.0).floor() / 100.0
            ));
        }
        Ok(color)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// WCAG 2 contrast ratio of this colour against white.
    pub fn contrast_with_white(&self) -> f64 {
        let channel = |i: usize| {
            let v = u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        1.05 / (luminance + 0.05)
    }
}

string_type!(BrandColor);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_codes_parse_and_normalise() {
        assert_eq!(BrandColor::parse("#1f5fbf").unwrap().as_str(), "#1F5FBF");
        assert_eq!(BrandColor::parse("000").unwrap().as_str(), "#000000");
        for bad in ["", "#12", "#12345G", "blue", "#1234567", "rgb(0,0,0)"] {
            assert!(BrandColor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_colour_white_text_cannot_be_read_on_is_refused_with_its_ratio() {
        let err = BrandColor::parse("#FFD700").unwrap_err();
        assert!(err.contains("1.4"), "{err}");
        assert!(err.contains("4.5:1"), "{err}");
        // Black on white is the maximum, 21:1.
        let black = BrandColor::parse("#000").unwrap();
        assert!((black.contrast_with_white() - 21.0).abs() < 0.01);
        // #767676 is the classic lightest grey that passes AA on white (4.54:1).
        assert!(BrandColor::parse("#767676").is_ok());
        assert!(BrandColor::parse("#777777").is_err());
    }

    #[test]
    fn every_swatch_passes_and_the_stylesheet_draws_it() {
        let css = include_str!("../../../style/main.css");
        for (i, (hex, name)) in SWATCHES.iter().enumerate() {
            assert!(BrandColor::parse(hex).is_ok(), "{name} {hex}");
            let rule = format!(".swatch-{i} {{ background: {hex}; }}");
            assert!(css.contains(&rule), "style/main.css lacks {rule}");
        }
    }
}
