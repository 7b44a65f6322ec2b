//! The page's Content-Security-Policy (issue 9): scripts only from this site or inline with the
//! nonce Leptos puts on its own (hydration, resource data), WebAssembly allowed to compile,
//! nothing framed, no plugins, forms only to this site.

use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the policy on the page being rendered (called from `App` on the server, where the
/// nonce of this response is known).
pub fn set_page_policy() {
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    {
        if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}
