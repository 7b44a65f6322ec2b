//! The allocator of every process that links the server: the server itself, and its tests and
//! benchmarks, so that they measure the allocator that ships.

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
