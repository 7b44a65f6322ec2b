//! Where pages are rendered: each on one thread of a small pool, with the tasks it spawns
//! (its resources' fetches, its Suspense boundaries' effects) kept on that same thread.
//!
//! Rendered on the shared multi-threaded runtime, about one page in ten thousand (several
//! people loading project pages at once) blocked its worker thread for good: a synchronous read
//! of a resource (`.get()`, `.with()`, in a memo or a view) waited on the resource's async
//! RwLock while the task writing the resource's value had been woken into the same worker's
//! LIFO slot, which no other worker may take (a backtrace of a stuck server showed exactly
//! that; tests/isolation.rs reproduces it at 400 rounds). On one thread a render's reads and
//! its resources' writes take turns, so a read never meets a write in progress. Leptos 0.6
//! rendered on such a pool for the same kind of reason.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use axum::{body::Body, http::Request, middleware::Next, response::Response};
use std::{cell::Cell, sync::LazyLock};
use tokio_util::task::LocalPoolHandle;

thread_local! {
    /// Set on the pool's threads: what Leptos spawns there stays there.
    static ON_POOL: Cell<bool> = const { Cell::new(false) };
}

/// One thread per core: rendering is CPU work, and a page waiting for its data lets another
/// page on the same thread go on.
static POOL: LazyLock<LocalPoolHandle> = LazyLock::new(|| {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    LocalPoolHandle::new(threads)
});

struct Spawner;

impl CustomExecutor for Spawner {
    fn spawn(&self, fut: PinnedFuture<()>) {
        if ON_POOL.with(Cell::get) {
            tokio::task::spawn_local(fut);
        } else {
            tokio::spawn(fut);
        }
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut);
    }

    fn poll_local(&self) {}
}

/// Makes Leptos spawn through [`Spawner`]. Must run before any page or server function is
/// served (leptos_axum sets plain Tokio otherwise, and the first setting stays).
pub fn init() {
    let _ = Executor::init_custom_executor(Spawner);
}

/// Renders the page on the pool (every other request passes straight through).
pub async fn on_pool(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    let is_page = req.method() == axum::http::Method::GET
        && !["/api/", "/events/", "/pkg/", "/healthz"]
            .iter()
            .any(|prefix| path.starts_with(prefix));
    if !is_page {
        return next.run(req).await;
    }
    let rendered = POOL
        .spawn_pinned(move || async move {
            ON_POOL.with(|on| on.set(true));
            next.run(req).await
        })
        .await;
    match rendered {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "a page's render ended without an answer");
            axum::response::IntoResponse::into_response((
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again in a moment.",
            ))
        }
    }
}
