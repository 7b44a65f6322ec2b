//! The notice a form post left in the address, shown only if its seal is this session's.

use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "notice")]
pub async fn notice(text: String, seal: String) -> Result<Option<String>, AppError> {
    use crate::ssr::{notices, request};
    Ok(request::session()
        .filter(|s| notices::is_sealed(&s.token_hash, &text, &seal))
        .map(|_| text))
}
