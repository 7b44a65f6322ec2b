//! All SQL lives here, written once in the subset SQLite and PostgreSQL both accept: `$n`
//! placeholders, TEXT ids, BIGINT Unix-millisecond timestamps, no booleans.

pub mod activity;
pub mod ai;
pub mod billing_accounts;
pub mod branding;
pub mod confirmations;
pub mod invitations;
pub mod invoices;
pub mod members;
pub mod outbox;
pub mod permissions;
pub mod projects;
pub mod role_questions;
pub mod services;
pub mod sessions;
pub mod ssh_keys;
pub mod tickets;
pub mod users;
pub mod webhooks;

use uuid::Uuid;

/// A stored key (a status, a kind) read back through its domain type's parser: a value the
/// parser refuses is a decoding error, never a panic.
fn decode<T>(parsed: Result<T, String>) -> Result<T, sqlx::Error> {
    parsed.map_err(|e| sqlx::Error::Decode(e.into()))
}

pub fn new_id() -> String {
    Uuid::new_v4().to_string()
}

/// Whether `raw` can be an id of ours: anything else (a NUL byte, invalid text, junk) is
/// known to match nothing, and is answered as "not found" before it reaches the database
/// (PostgreSQL refuses NUL in text with an error, SQLite would just not find it).
pub fn is_id(raw: &str) -> bool {
    Uuid::try_parse(raw).is_ok()
}
