use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a support ticket stands (issue 10): waiting for the staff, waiting for the customer,
/// or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketStatus {
    /// Waiting for the hosting company's staff.
    Open,
    /// The staff answered; waiting for the customer.
    AwaitingReply,
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 3] = [Self::Open, Self::AwaitingReply, Self::Closed];

    /// As stored and as the operator API writes it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::AwaitingReply => "awaiting_reply",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::AwaitingReply => "Awaiting your reply",
            Self::Closed => "Closed",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.key() == input.trim())
            .ok_or_else(|| {
                format!("“{input}” is not a ticket status: use open, awaiting_reply or closed.")
            })
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(s.key()), Ok(s));
        }
        assert!(TicketStatus::parse("reopened").is_err());
    }
}
