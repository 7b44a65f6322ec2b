//! Server functions, one module per resource. Each is thin: authenticate, parse input into
//! domain types, ask `access::can`, call the store.

pub mod ai;
pub mod auth;
pub mod billing;
pub mod branding;
pub mod dashboard;
pub mod invitations;
pub mod invoices;
pub mod members;
pub mod notices;
pub mod permissions;
pub mod projects;
pub mod services;
pub mod ssh_keys;
pub mod tickets;
