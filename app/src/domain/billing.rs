//! A billing account's fields (seed 001 "legal entities").

use super::{trimmed_within, TextError};
use serde::{Deserialize, Serialize};

/// A VAT or company registration number: 2–40 of letters, digits, spaces and - . /
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxId(String);

impl TaxId {
    pub fn parse(input: &str) -> Result<Self, String> {
        let id = input.trim();
        let ok = (2..=40).contains(&id.chars().count())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " -./".contains(c));
        if ok {
            Ok(Self(id.to_uppercase()))
        } else {
            Err(
                "Enter the VAT or registration number: 2–40 letters, digits, spaces, - . or /."
                    .into(),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A postal address: 1–6 lines, 1–300 characters in all; line breaks are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress(String);

impl PostalAddress {
    pub fn parse(input: &str) -> Result<Self, String> {
        let lines: Vec<&str> = input
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err("Enter the postal address invoices are sent to.".into());
        }
        if lines.len() > 6 {
            return Err("An address has at most 6 lines.".into());
        }
        let joined = lines.join("\n");
        if joined.chars().count() > 300 {
            return Err("An address is at most 300 characters long.".into());
        }
        for line in &lines {
            if let Err(e) = trimmed_within(line, 1, 300) {
                return Err(match e {
                    TextError::InvisibleCharacter(c) => format!(
                        "The address contains an invisible character (U+{:04X}).",
                        c as u32
                    ),
                    _ => "The address cannot contain control characters.".into(),
                });
            }
        }
        Ok(Self(joined))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_ids() {
        assert_eq!(
            TaxId::parse(" nl123456789b01 ").unwrap().as_str(),
            "NL123456789B01"
        );
        assert!(TaxId::parse("x").is_err());
        assert!(TaxId::parse("NL<script>").is_err());
    }

    #[test]
    fn addresses_keep_their_lines() {
        let a =
            PostalAddress::parse("Acme B.V.\r\n  Keizersgracht 1 \n\n1015 CJ Amsterdam").unwrap();
        assert_eq!(a.as_str(), "Acme B.V.\nKeizersgracht 1\n1015 CJ Amsterdam");
        assert!(PostalAddress::parse(" \n ").is_err());
        assert!(PostalAddress::parse("a\nb\nc\nd\ne\nf\ng").is_err());
        assert!(PostalAddress::parse("Street\u{202E}1").is_err());
    }
}
