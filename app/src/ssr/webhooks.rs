//! Events for the hosting company's back office (issue 10): what members ask of it (an
//! operation, a payment) and what they write to it (a ticket, a reply). Each is written to the
//! webhook outbox in the transaction of the change it announces, so it is sent if and only if
//! the change happened; the server's worker POSTs it to `WEBHOOK_URL`, signed.

use super::store::webhooks as store;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    OperationRequested,
    PaymentRequested,
    TicketOpened,
    TicketReplied,
}

impl Event {
    pub fn key(self) -> &'static str {
        match self {
            Event::OperationRequested => "operation.requested",
            Event::PaymentRequested => "payment.requested",
            Event::TicketOpened => "ticket.opened",
            Event::TicketReplied => "ticket.replied",
        }
    }
}

/// Adds `event` about the project, with `data`, to the outbox in the caller's transaction. The
/// body is fixed now: `{"id", "type", "created_at" (Unix ms), "project" (its slug), "data"}`.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    event: Event,
    data: Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    let slug: String = sqlx::query_scalar("SELECT slug FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await?;
    let id = store::new_event_id();
    let body = json!({
        "id": id,
        "type": event.key(),
        "created_at": now,
        "project": slug,
        "data": data,
    })
    .to_string();
    store::enqueue(tx, &id, event.key(), &body, now).await
}

/// The `Roster-Signature` header of a delivery: `t=<Unix seconds>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>" under the shared secret>`. The timestamp is signed too, so a receiver that
/// refuses old timestamps also refuses a replayed delivery.
pub fn signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={timestamp},v1={:x}", mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_the_timestamp_and_the_body() {
        let s = signature(b"secret", 1_700_000_000, r#"{"a":1}"#);
        assert!(s.starts_with("t=1700000000,v1="), "{s}");
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(s, signature(b"secret", 1_700_000_001, r#"{"a":1}"#));
        assert_ne!(s, signature(b"secret", 1_700_000_000, r#"{"a":2}"#));
        assert_ne!(s, signature(b"other", 1_700_000_000, r#"{"a":1}"#));
    }
}
