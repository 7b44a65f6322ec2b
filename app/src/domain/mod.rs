//! Value types that can only hold valid values. Each `parse` is the single place its rules live,
//! and runs the same in the browser and on the server.

mod email;
mod password;
mod person_name;
mod project_name;
mod role;
mod slug;

pub use email::Email;
pub use password::Password;
pub use person_name::PersonName;
pub use project_name::ProjectName;
pub use role::Role;
pub use slug::Slug;

/// Trims and checks a length in characters (not bytes: names are often not ASCII).
fn trimmed_within(input: &str, min: usize, max: usize) -> Result<String, LengthError> {
    let trimmed = input.trim();
    let len = trimmed.chars().count();
    if len < min {
        Err(LengthError::TooShort)
    } else if len > max {
        Err(LengthError::TooLong)
    } else if trimmed.chars().any(char::is_control) {
        Err(LengthError::ControlCharacter)
    } else {
        Ok(trimmed.to_owned())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum LengthError {
    TooShort,
    TooLong,
    ControlCharacter,
}
