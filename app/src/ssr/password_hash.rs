//! Argon2id password hashing with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
//! Hashing is CPU-bound for tens of milliseconds, so it runs on the blocking pool, and at most
//! one hash per core runs at a time: a burst of sign-ins waits in a short queue (or is turned
//! away with 429) instead of holding 19 MiB per request and starving everything else.
//!
//! Each turn also brings its own 19 MiB of working memory, allocated once and reused: letting
//! argon2 allocate per hash left the allocator holding ~19 MiB per hash ever run (576 MiB after
//! 30 sign-ins), so hashing memory is now fixed at one buffer per core.

use crate::domain::Password;
use argon2::{
    password_hash::{
        rand_core::OsRng, Output, ParamsString, PasswordHash, PasswordVerifier, Salt, SaltString,
    },
    Algorithm, Argon2, Block, Params, Version,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    LazyLock, Mutex,
};
use tokio::sync::Semaphore;

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// Hashes in flight at once: one per core.
static SLOTS: LazyLock<(Semaphore, usize)> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (Semaphore::new(cores), cores)
});
/// Requests waiting for a slot, per slot, before more are turned away.
const QUEUE_PER_SLOT: usize = 16;
static WAITING: AtomicUsize = AtomicUsize::new(0);
/// Working memory of finished turns, for the next ones (at most one per slot ever exists).
/// Kept only while requests are waiting: in a burst each turn reuses the last one's memory;
/// once the queue is empty it is freed, so an idle server gives it back (issue 13: 19 MiB per
/// core stayed resident for good).
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// A turn at hashing: a slot and its working memory, given back when dropped.
struct Turn {
    _permit: tokio::sync::SemaphorePermit<'static>,
    memory: Vec<Block>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        let mut kept = MEMORY.lock().unwrap_or_else(|e| e.into_inner());
        if WAITING.load(Ordering::Acquire) > 0 {
            if !memory.is_empty() {
                kept.push(memory);
            }
        } else {
            // Nobody is waiting: free this turn's memory and any kept from the burst.
            kept.clear();
        }
    }
}

/// A turn, or a refusal when the queue is full.
async fn turn() -> Result<Turn, crate::error::AppError> {
    let (slots, cores) = &*SLOTS;
    if WAITING.fetch_add(1, Ordering::AcqRel) >= cores * QUEUE_PER_SLOT {
        WAITING.fetch_sub(1, Ordering::AcqRel);
        tracing::warn!("password hashing queue full; refusing a request");
        return Err(crate::error::AppError::RateLimited(
            "Roster is busy signing people in. Try again in a minute.".into(),
        ));
    }
    // Counted out when the wait ends, also when the request is dropped while it waits (a client
    // that went away must not keep a place in the queue for ever).
    struct Waiting;
    impl Drop for Waiting {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, Ordering::AcqRel);
        }
    }
    let waiting = Waiting;
    let permit = slots.acquire().await;
    drop(waiting);
    let permit = permit.map_err(|e| internal("hash queue", e))?;
    let memory = MEMORY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop()
        .unwrap_or_else(|| vec![Block::default(); params().block_count()]);
    Ok(Turn {
        _permit: permit,
        memory,
    })
}

/// Runs argon2 in `memory` (as `hash_password` does, without allocating its own).
fn compute(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'_>,
    output_len: usize,
    memory: &mut [Block],
) -> Result<Output, argon2::password_hash::Error> {
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buf)?;
    Output::init_with(output_len, |out| {
        argon
            .hash_password_into_with_memory(password, salt_bytes, out, &mut *memory)
            .map_err(Into::into)
    })
}

fn hash_in(password: &str, memory: &mut [Block]) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let params = params();
    let output = compute(
        &argon2(),
        password.as_bytes(),
        salt.as_salt(),
        params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN),
        memory,
    )?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

fn verify_in(password: &str, stored: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let same_cost = Params::try_from(&parsed).is_ok_and(|p| p.block_count() == memory.len());
    let argon = (
        Algorithm::try_from(parsed.algorithm),
        parsed.version.map_or(Ok(Version::V0x13), Version::try_from),
        Params::try_from(&parsed),
    );
    match argon {
        (Ok(algorithm), Ok(version), Ok(params)) if same_cost => {
            let argon = Argon2::new(algorithm, version, params);
            // `Output`'s equality is constant-time.
            compute(&argon, password.as_bytes(), salt, expected.len(), memory)
                .is_ok_and(|computed| computed == expected)
        }
        // A hash made with other parameters (none today): argon2's own path.
        _ => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
    }
}

/// A hash of a random password, verified against when the account does not exist so that a
/// wrong email costs the same time as a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut memory = vec![Block::default(); params().block_count()];
    let random = SaltString::generate(&mut OsRng);
    hash_in(random.as_str(), &mut memory).expect("hashing a decoy password")
});

pub async fn hash(password: Password) -> Result<String, crate::error::AppError> {
    let mut turn = turn().await?;
    let (result, turn) = tokio::task::spawn_blocking(move || {
        let result = hash_in(password.expose(), &mut turn.memory);
        (result, turn)
    })
    .await
    .map_err(|e| internal("hash task", e))?;
    drop(turn);
    result.map_err(|e| internal("hash", e))
}

/// Checks a password against a stored hash, or against the decoy when there is none.
pub async fn verify(
    password: String,
    stored: Option<String>,
) -> Result<bool, crate::error::AppError> {
    let mut turn = turn().await?;
    let exists = stored.is_some();
    let ok = tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DECOY_HASH.clone());
        let ok = verify_in(&password, &stored, &mut turn.memory);
        drop(turn);
        ok
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_made_in_reused_memory_is_a_standard_argon2id_hash() {
        let mut memory = vec![Block::default(); params().block_count()];
        let hash = hash_in("correct horse battery", &mut memory).unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        // argon2's own verifier agrees, and so does ours (in the same, now dirty, memory).
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(argon2()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        assert!(verify_in("correct horse battery", &hash, &mut memory));
        assert!(!verify_in("wrong horse battery", &hash, &mut memory));
        // A hash made the ordinary way verifies too.
        let salt = SaltString::generate(&mut OsRng);
        let ordinary = argon2::PasswordHasher::hash_password(&argon2(), b"pw pw pw pw", &salt)
            .unwrap()
            .to_string();
        assert!(verify_in("pw pw pw pw", &ordinary, &mut memory));
        assert!(!verify_in("pw pw pw px", &ordinary, &mut memory));
        assert!(!verify_in("anything", "not a hash", &mut memory));
    }
}
