//! Argon2id password hashing with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
//! Hashing is CPU-bound for tens of milliseconds, so it runs on the blocking pool, and at most
//! one hash per core runs at a time: a burst of sign-ins waits in a short queue (or is turned
//! away with 429) instead of holding 19 MiB per request and starving everything else.

use crate::domain::Password;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    LazyLock,
};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Hashes in flight at once: one per core.
static SLOTS: LazyLock<(Semaphore, usize)> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (Semaphore::new(cores), cores)
});
/// Requests waiting for a slot, per slot, before more are turned away.
const QUEUE_PER_SLOT: usize = 16;
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// A turn at hashing, or a refusal when the queue is full.
async fn turn() -> Result<SemaphorePermit<'static>, crate::error::AppError> {
    let (slots, cores) = &*SLOTS;
    if WAITING.fetch_add(1, Ordering::AcqRel) >= cores * QUEUE_PER_SLOT {
        WAITING.fetch_sub(1, Ordering::AcqRel);
        tracing::warn!("password hashing queue full; refusing a request");
        return Err(crate::error::AppError::RateLimited(
            "Roster is busy signing people in. Try again in a minute.".into(),
        ));
    }
    let permit = slots.acquire().await;
    WAITING.fetch_sub(1, Ordering::AcqRel);
    permit.map_err(|e| internal("hash queue", e))
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified against when the account does not exist so that a
/// wrong email costs the same time as a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(salt.as_str().as_bytes(), &salt)
        .expect("hashing a decoy password")
        .to_string()
});

pub async fn hash(password: Password) -> Result<String, crate::error::AppError> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal("hash task", e))?
    .map_err(|e| internal("hash", e))
}

/// Checks a password against a stored hash, or against the decoy when there is none.
pub async fn verify(
    password: String,
    stored: Option<String>,
) -> Result<bool, crate::error::AppError> {
    let _turn = turn().await?;
    let exists = stored.is_some();
    let ok = tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DECOY_HASH.clone());
        PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    Ok(ok && exists)
}

/// Computes the decoy hash ahead of the first sign-in, so that request is not the slow one.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

fn internal(what: &str, err: impl std::fmt::Display) -> crate::error::AppError {
    tracing::error!(error = %err, "password {what} failed");
    crate::error::AppError::Internal
}
