//! All SQL lives here, written once in the subset SQLite and PostgreSQL both accept: `$n`
//! placeholders, TEXT ids, BIGINT Unix-millisecond timestamps, no booleans.

pub mod activity;
pub mod confirmations;
pub mod invitations;
pub mod members;
pub mod outbox;
pub mod projects;
pub mod role_questions;
pub mod sessions;
pub mod users;

use uuid::Uuid;

pub fn new_id() -> String {
    Uuid::new_v4().to_string()
}
