//! Everything that only exists on the server: database access, sessions, password hashing and the
//! glue between server functions and the HTTP request they run in.

pub mod accounts;
pub mod ai;
pub mod authorize;
pub mod billing;
pub mod branding;
pub mod clock;
pub mod database;
pub mod dates;
pub mod invoices;
pub mod live;
pub mod logo;
pub mod mail;
pub mod mailer;
pub mod membership;
pub mod money;
pub mod notices;
pub mod password_hash;
pub mod permissions;
pub mod request;
pub mod secrets;
pub mod security;
pub mod services;
pub mod session;
pub mod ssh;
pub mod state;
pub mod store;
pub mod streams;
pub mod throttle;
pub mod tickets;
pub mod webhooks;
