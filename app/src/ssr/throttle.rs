//! Limits on signing in and signing up (issue 9): per account and per client address; and on
//! calls to a project's AI provider (Draft with AI, Test connection), per project, since each
//! one spends the customer's provider credit and holds a connection for seconds. Each is a
//! token bucket (governor). Beyond a limit the answer is 429 with `Retry-After`. Counted in
//! memory, per replica: a restart forgets, and N replicas allow N times the rate.

use crate::error::AppError;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::{net::IpAddr, num::NonZeroU32, sync::Arc, time::Duration};

/// How many attempts each bucket holds; it refills evenly over its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-in attempts for one address per 15 minutes (right or wrong password).
    pub sign_in_per_account: u32,
    /// Sign-in attempts from one client address per minute.
    pub sign_in_per_ip: u32,
    /// Sign-ups from one client address per hour.
    pub sign_up_per_ip: u32,
    /// Calls to one project's AI provider per minute, by all its members together.
    pub ai_calls_per_project: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sign_in_per_account: 10,
            sign_in_per_ip: 30,
            sign_up_per_ip: 20,
            ai_calls_per_project: 20,
        }
    }
}

type Bucket<K> = Arc<DefaultKeyedRateLimiter<K>>;

#[derive(Clone)]
pub struct Throttle {
    sign_in_account: Bucket<String>,
    sign_in_ip: Bucket<IpAddr>,
    sign_up_ip: Bucket<IpAddr>,
    ai_project: Bucket<String>,
}

fn quota(per: u32, window: Duration) -> Quota {
    let n = NonZeroU32::new(per.max(1)).expect("at least one");
    Quota::with_period(window / n.get())
        .expect("a window longer than zero")
        .allow_burst(n)
}

fn bucket<K: std::hash::Hash + Eq + Clone>(q: Quota) -> Bucket<K> {
    Arc::new(DefaultKeyedRateLimiter::keyed(q))
}

const MINUTE: Duration = Duration::from_secs(60);

impl Throttle {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            sign_in_account: bucket(quota(limits.sign_in_per_account, 15 * MINUTE)),
            sign_in_ip: bucket(quota(limits.sign_in_per_ip, MINUTE)),
            sign_up_ip: bucket(quota(limits.sign_up_per_ip, 60 * MINUTE)),
            ai_project: bucket(quota(limits.ai_calls_per_project, MINUTE)),
        }
    }

    /// One sign-in attempt for `email` from `ip` (unknown when the connection's address is not
    /// available, as in-process tests: then only the account counts).
    pub fn sign_in(&self, email: &str, ip: Option<IpAddr>) -> Result<(), AppError> {
        if let Some(ip) = ip {
            take(&self.sign_in_ip, &ip, "sign-in attempts from your network")?;
        }
        take(
            &self.sign_in_account,
            &email.to_owned(),
            "sign-in attempts for this account",
        )
    }

    pub fn sign_up(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        match ip {
            Some(ip) => take(&self.sign_up_ip, &ip, "sign-ups from your network"),
            None => Ok(()),
        }
    }

    /// One call to the AI provider of the project `project_id`. Asked after the caller's
    /// access is checked, so that nobody outside a project can use up its calls.
    pub fn ai_call(&self, project_id: &str) -> Result<(), AppError> {
        take(
            &self.ai_project,
            &project_id.to_owned(),
            "AI requests for this project",
        )
    }

    /// Drops buckets that are full again, so memory follows the recent attempts only.
    pub fn forget_idle(&self) {
        self.sign_in_account.retain_recent();
        self.sign_in_ip.retain_recent();
        self.sign_up_ip.retain_recent();
        self.ai_project.retain_recent();
    }
}

fn take<K: std::hash::Hash + Eq + Clone>(
    bucket: &Bucket<K>,
    key: &K,
    what: &str,
) -> Result<(), AppError> {
    bucket.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ));
        AppError::RateLimited(format!(
            "Too many {what}. Try again in {} seconds.",
            wait.as_secs().max(1)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gets_its_attempts_then_waits() {
        let t = Throttle::new(RateLimits {
            sign_in_per_account: 3,
            ..RateLimits::default()
        });
        for _ in 0..3 {
            t.sign_in("ada@example.com", None).unwrap();
        }
        let err = t.sign_in("ada@example.com", None).unwrap_err();
        assert!(matches!(err, AppError::RateLimited(_)), "{err:?}");
        assert!(err.to_string().contains("Try again in"), "{err}");
        // Another account is not affected.
        t.sign_in("grace@example.com", None).unwrap();
    }

    #[test]
    fn a_project_gets_its_ai_calls_then_waits() {
        let t = Throttle::new(RateLimits {
            ai_calls_per_project: 2,
            ..RateLimits::default()
        });
        t.ai_call("p1").unwrap();
        t.ai_call("p1").unwrap();
        let err = t.ai_call("p1").unwrap_err();
        assert!(matches!(err, AppError::RateLimited(_)), "{err:?}");
        assert!(err.to_string().contains("AI requests"), "{err}");
        // Another project is not affected.
        t.ai_call("p2").unwrap();
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let t = Throttle::new(RateLimits {
            sign_in_per_ip: 2,
            ..RateLimits::default()
        });
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        t.sign_in("a@example.com", Some(ip)).unwrap();
        t.sign_in("b@example.com", Some(ip)).unwrap();
        assert!(t.sign_in("c@example.com", Some(ip)).is_err());
        t.sign_in("c@example.com", Some("203.0.113.8".parse().unwrap()))
            .unwrap();
    }
}
