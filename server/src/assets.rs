//! The site's build output under `/pkg` (WASM, JS glue, CSS). `scripts/build.sh` leaves a
//! gzip copy beside each file (`roster.wasm.gz`), compressed once with zopfli: some 5% smaller
//! than gzip at its best level and far smaller than the on-the-fly compression of every other
//! answer, and no CPU spent on it per request (issue 8 counts the bytes on the wire).
//!
//! A copy older than its file is stale (a build that did not write copies, such as
//! `cargo leptos watch`, replaced the file): it is ignored, and the file is compressed on the fly
//! like any other answer.

use axum::{
    body::Body,
    http::{header::VARY, HeaderValue, Request, Uri},
    response::{IntoResponse, Response},
};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::services::ServeDir;

#[derive(Clone)]
pub struct Pkg {
    dir: PathBuf,
    precompressed: ServeDir,
    plain: ServeDir,
}

impl Pkg {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Pkg {
            precompressed: ServeDir::new(&dir).precompressed_gzip(),
            plain: ServeDir::new(&dir),
            dir,
        }
    }

    /// Answers `req`, whose path is relative to `/pkg`.
    pub async fn serve(self, req: Request<Body>) -> Response {
        let fresh = self.copy_is_fresh(req.uri()).await;
        let dir = if fresh {
            self.precompressed
        } else {
            self.plain
        };
        let mut res = match dir.oneshot(req).await {
            Ok(res) => res.into_response(),
            Err(never) => match never {},
        };
        // The answer depends on what the browser accepts: a cache must not hand the gzip copy
        // to one that does not (on-the-fly compression says so itself).
        if fresh {
            res.headers_mut()
                .insert(VARY, HeaderValue::from_static("accept-encoding"));
        }
        res
    }

    /// Is there a compressed copy of the requested file at least as new as the file? Paths that
    /// try to leave the directory are for `ServeDir` to refuse; they never match here.
    async fn copy_is_fresh(&self, uri: &Uri) -> bool {
        let name = uri.path().trim_start_matches('/');
        if name.is_empty() || name.split('/').any(|part| part == ".." || part.is_empty()) {
            return false;
        }
        let file = self.dir.join(name);
        let copy = self.dir.join(format!("{name}.gz"));
        let modified = |path: PathBuf| async move {
            tokio::fs::metadata(path)
                .await
                .and_then(|m| m.modified())
                .ok()
        };
        match (modified(file).await, modified(copy).await) {
            (Some(file), Some(copy)) => copy >= file,
            _ => false,
        }
    }
}
