//! Components used by several pages.

pub mod auth;
pub mod field;
pub mod header;
