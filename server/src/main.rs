use server::{config::Config, shutdown_signal, Application};
use tracing_subscriber::{fmt, EnvFilter};

/// jemalloc rather than glibc's malloc, for Rust and (unprefixed) for the C code linked in,
/// SQLite's page caches included: after a burst (300 sign-ins hashing at once, 50 users
/// browsing) glibc kept the freed memory mapped, so the server stayed at its peak size while
/// idle (issue 13). jemalloc returns freed pages to the system in the background.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (before `main`): a background thread purges pages
/// unused for a second, so memory falls back soon after a burst even when no request comes.
#[allow(non_upper_case_globals)]
#[no_mangle]
pub static malloc_conf: Option<&'static std::ffi::c_char> = Some(unsafe {
    // SAFETY: a pointer to the first byte of a NUL-terminated string with a 'static lifetime,
    // which is what jemalloc reads `malloc_conf` as (a `const char *`).
    &*c"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr()
});

/// Stack for each worker thread. Server-side rendering recurses through a page's view tree; an
/// unoptimised (development) build of the Members page needs more than tokio's 2 MiB default.
const WORKER_STACK: usize = 8 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK)
        .build()
    {
        Ok(runtime) => runtime.block_on(serve()),
        Err(e) => {
            eprintln!("could not start the async runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        fmt().json().with_env_filter(filter).init();
    } else {
        fmt().with_env_filter(filter).init();
    }

    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "invalid configuration");
            return std::process::ExitCode::FAILURE;
        }
    };
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "could not start");
            return std::process::ExitCode::FAILURE;
        }
    };
    let state = app.state();
    tracing::info!(
        listen = %app.local_addr(),
        public_url = %state.public_url,
        "Roster is serving at {}",
        state.public_url
    );
    match app.run_until(shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
