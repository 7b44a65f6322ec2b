//! Page data loaded through server functions: [`resource`] makes a [`Resource`] whose value the
//! server sends along with the page, to be read back in the browser when it hydrates.
//!
//! Such a value is decoded in two places: from the page (a string) and from a server function's
//! reply (bytes). Leptos' default codec reads the page's copy with `serde_json::from_str` and
//! server_fn reads a reply with `from_slice`, so the browser carried every data type's
//! deserializer twice, once per reader (issue 8). [`Json`] reads the page's copy as bytes too,
//! so both use one.

use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON, written as text and read as bytes (see the module's documentation).
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A resource sent with the page in [`Json`].
pub type Resource<T> = leptos::prelude::Resource<T, Json>;

/// `Resource::new`, in [`Json`].
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
}
