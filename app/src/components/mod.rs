//! Components used by several pages.

pub mod auth;
pub mod confirm;
pub mod field;
pub mod header;
pub mod hydration;
pub mod live;
pub mod notice;
