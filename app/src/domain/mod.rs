//! Value types that can only hold valid values. Each `parse` is the single place its rules live,
//! and runs the same in the browser and on the server.

/// Generates a closed set of keyed values: `key` (as stored and as the operator API writes it),
/// `label` (as people read it), `ALL`, `parse` and `Display`.
macro_rules! keyed {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $key:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(input: &str) -> Result<Self, String> {
                let keys = [$($key),+];
                Self::ALL.iter().copied().find(|v| v.key() == input.trim()).ok_or_else(|| {
                    format!("“{input}” is not {}: use {}.", $what, keys.join(", "))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

/// `Display`, and the conversions serde uses, for a type that wraps a parsed `String`.
macro_rules! string_type {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$t> for String {
            fn from(value: $t) -> Self {
                value.0
            }
        }
    };
}
mod ai;
mod billing;
mod brand;
mod email;
mod invoice;
mod password;
mod person_name;
mod project_name;
mod role;
mod service;
mod slug;
mod text;
mod ticket_status;
mod ticket_text;

pub use ai::{AiModel, AiProvider};
pub use billing::{PostalAddress, TaxId};
pub use brand::{BrandColor, MIN_CONTRAST, SWATCHES};
pub use email::Email;
pub use invoice::{InvoiceState, InvoiceStatus, InvoiceText, PaymentStatus};
pub use password::Password;
pub use person_name::PersonName;
pub use project_name::ProjectName;
pub use role::{NewMemberAccess, Role};
pub use service::{OperationStatus, ServiceAction, ServiceKind, ServiceStatus, ServiceText};
pub use slug::Slug;
pub use ticket_status::TicketStatus;
pub use ticket_text::{MessageBody, TicketSubject};

/// Trims and checks a length in characters (not bytes: names are often not ASCII), and that
/// every character left can be seen (see [`text`]).
fn trimmed_within(input: &str, min: usize, max: usize) -> Result<String, TextError> {
    let trimmed = input.trim();
    let len = trimmed.chars().count();
    if len < min {
        Err(TextError::TooShort)
    } else if len > max {
        Err(TextError::TooLong)
    } else if let Some(c) = text::first_invisible(trimmed) {
        Err(if c.is_control() {
            TextError::ControlCharacter
        } else {
            TextError::InvisibleCharacter(c)
        })
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Why a name's text was refused; each name type words its own message.
#[derive(Debug, PartialEq, Eq)]
enum TextError {
    TooShort,
    TooLong,
    /// A line break, tab or other control character (Unicode Cc).
    ControlCharacter,
    /// A character that is drawn as nothing or changes the direction of the text around it.
    InvisibleCharacter(char),
}

/// One line of 1–`max` visible characters, trimmed: a service's name, plan or region, an
/// invoice line's words, a payment method's label.
fn one_line(input: &str, max: usize) -> Result<String, String> {
    trimmed_within(input, 1, max).map_err(|e| match e {
        TextError::TooShort => "Cannot be empty.".to_owned(),
        TextError::TooLong => format!("At most {max} characters."),
        TextError::ControlCharacter => "One line: no line breaks or control characters.".to_owned(),
        TextError::InvisibleCharacter(c) => {
            format!("Contains an invisible character (U+{:04X}).", c as u32)
        }
    })
}
