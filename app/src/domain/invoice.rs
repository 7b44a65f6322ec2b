//! Invoices and payments (issue 10): what the back office issued, where it stands, and the
//! words on its lines.

use super::one_line;
use serde::{Deserialize, Serialize};

keyed!(
    /// An invoice as stored: the back office issues it unpaid, then it is paid or voided.
    InvoiceStatus, "an invoice status" {
        Unpaid = "unpaid", "Unpaid";
        Paid = "paid", "Paid";
        Void = "void", "Void";
    }
);

keyed!(
    /// A payment asked for from the Invoices page, until the back office has an answer.
    PaymentStatus, "a payment status" {
        Pending = "pending", "Pending";
        Confirmed = "confirmed", "Confirmed";
        Failed = "failed", "Failed";
    }
);

keyed!(
    /// An invoice as people read it: its status, with "overdue" and "payment pending" told
    /// apart from plain "unpaid".
    InvoiceState, "an invoice state" {
        Unpaid = "unpaid", "Unpaid";
        Overdue = "overdue", "Overdue";
        PaymentPending = "payment_pending", "Payment pending";
        Paid = "paid", "Paid";
        Void = "void", "Void";
    }
);

impl InvoiceState {
    /// `due_on` and `now` in Unix milliseconds; an invoice is overdue from the day after its
    /// due date.
    pub fn of(status: InvoiceStatus, payment_pending: bool, due_on: i64, now: i64) -> Self {
        const DAY_MS: i64 = 24 * 3600 * 1000;
        match status {
            InvoiceStatus::Paid => InvoiceState::Paid,
            InvoiceStatus::Void => InvoiceState::Void,
            InvoiceStatus::Unpaid if payment_pending => InvoiceState::PaymentPending,
            InvoiceStatus::Unpaid if now >= due_on + DAY_MS => InvoiceState::Overdue,
            InvoiceStatus::Unpaid => InvoiceState::Unpaid,
        }
    }

    /// Whether Pay is offered (the server checks the same).
    pub fn payable(self) -> bool {
        matches!(self, InvoiceState::Unpaid | InvoiceState::Overdue)
    }
}

/// A line's description or service name, or a payment method's label: one line of 1–200
/// visible characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InvoiceText(String);

impl InvoiceText {
    pub const MAX_LEN: usize = 200;

    pub fn parse(input: &str) -> Result<Self, String> {
        one_line(input, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_type!(InvoiceText);

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600 * 1000;

    #[test]
    fn states() {
        use InvoiceState as S;
        let due = 10 * DAY;
        assert_eq!(S::of(InvoiceStatus::Unpaid, false, due, due), S::Unpaid);
        assert_eq!(
            S::of(InvoiceStatus::Unpaid, false, due, due + DAY - 1),
            S::Unpaid
        );
        assert_eq!(
            S::of(InvoiceStatus::Unpaid, false, due, due + DAY),
            S::Overdue
        );
        assert_eq!(
            S::of(InvoiceStatus::Unpaid, true, due, due + DAY),
            S::PaymentPending
        );
        assert_eq!(S::of(InvoiceStatus::Paid, false, due, due + DAY), S::Paid);
        assert_eq!(S::of(InvoiceStatus::Void, false, due, 0), S::Void);
        assert!(S::Overdue.payable() && S::Unpaid.payable());
        assert!(!S::PaymentPending.payable() && !S::Paid.payable() && !S::Void.payable());
    }

    #[test]
    fn keys_round_trip() {
        for s in InvoiceState::ALL {
            assert_eq!(InvoiceState::parse(s.key()), Ok(*s));
        }
        assert!(PaymentStatus::parse("refunded").is_err());
    }
}
