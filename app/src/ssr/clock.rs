use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

/// The time as the application sees it, in Unix milliseconds UTC. Tests move it forward instead
/// of sleeping (expiry is then checked, not waited for).
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}
