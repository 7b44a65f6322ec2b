use super::{text, trimmed_within, TextError};
use serde::{Deserialize, Serialize};

/// A ticket's subject: one line of 1–120 visible characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketSubject(String);

impl TicketSubject {
    pub const MAX_LEN: usize = 120;

    pub fn parse(input: &str) -> Result<Self, String> {
        trimmed_within(input, 1, Self::MAX_LEN)
            .map(Self)
            .map_err(|e| match e {
                TextError::TooShort => "Say in a few words what the ticket is about.".to_owned(),
                TextError::TooLong => format!(
                    "A subject can be at most {} characters long; put the details in the message.",
                    Self::MAX_LEN
                ),
                TextError::ControlCharacter => {
                    "A subject is one line: no line breaks or control characters.".to_owned()
                }
                TextError::InvisibleCharacter(c) => invisible("A subject", c),
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ticket message: 1–10,000 characters; line breaks and tabs are kept, other control
/// characters and invisible or text-direction characters are refused (they could make the
/// message read differently to staff than to the person who wrote it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageBody(String);

impl MessageBody {
    pub const MAX_LEN: usize = 10_000;

    pub fn parse(input: &str) -> Result<Self, String> {
        // Browsers post line breaks as CRLF; store one kind.
        let body = input.replace("\r\n", "\n").trim().to_owned();
        let len = body.chars().count();
        if len == 0 {
            return Err("Write a message.".to_owned());
        }
        if len > Self::MAX_LEN {
            return Err(format!(
                "A message can be at most {} characters long (this one has {len}).",
                Self::MAX_LEN
            ));
        }
        for line in body.split('\n') {
            if let Some(c) = text::first_invisible(&line.replace('\t', " ")) {
                return Err(if c.is_control() {
                    "A message cannot contain control characters other than line breaks and tabs."
                        .to_owned()
                } else {
                    invisible("A message", c)
                });
            }
        }
        Ok(Self(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn invisible(what: &str, c: char) -> String {
    format!(
        "{what} cannot contain invisible or text-direction control characters (this one has \
         U+{:04X}). Type it rather than pasting it.",
        u32::from(c)
    )
}

string_type!(TicketSubject);
string_type!(MessageBody);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_one_visible_line() {
        assert_eq!(
            TicketSubject::parse("  VPS down ").unwrap().as_str(),
            "VPS down"
        );
        assert!(TicketSubject::parse("   ").is_err());
        assert!(TicketSubject::parse("two\nlines").is_err());
        assert!(TicketSubject::parse("evil\u{202E}txt").is_err());
        assert!(TicketSubject::parse(&"x".repeat(121)).is_err());
        assert!(TicketSubject::parse(&"é".repeat(120)).is_ok());
    }

    #[test]
    fn messages_keep_their_lines() {
        let m = MessageBody::parse("Hello,\r\n\r\n\tthe VPS is down.\r\n").unwrap();
        assert_eq!(m.as_str(), "Hello,\n\n\tthe VPS is down.");
        assert!(MessageBody::parse(" \n ").is_err());
        assert!(MessageBody::parse("bell\u{7}").is_err());
        assert!(MessageBody::parse("rtl\u{202E}override").is_err());
        assert!(MessageBody::parse(&"x".repeat(10_001)).is_err());
        assert!(MessageBody::parse("emoji 👩‍💻 ok").is_ok());
    }
}
