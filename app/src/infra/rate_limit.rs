//! A rate limit per key (an attempt's answer saves, for one): a client sending far more than a
//! person could (a script, a stuck loop) is answered 429 with `Retry-After` and slowed down,
//! without slowing anyone else. Kept in memory: each node limits what reaches it.

use crate::error::AppError;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct KeyedLimiter {
    limiter: DefaultKeyedRateLimiter<i64>,
    checks: AtomicU64,
}

impl KeyedLimiter {
    pub fn new(per_second: u32, burst: u32) -> KeyedLimiter {
        let quota = Quota::per_second(NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN)).allow_burst(NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN));
        KeyedLimiter { limiter: DefaultKeyedRateLimiter::keyed(quota), checks: AtomicU64::new(0) }
    }

    /// Counts one request of `key`; refuses it when the key is over its limit.
    pub fn check(&self, key: i64) -> Result<(), AppError> {
        // Keys that went quiet are forgotten now and then, so the map stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 100_000 == 99_999 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&key).map_err(|_| AppError::RateLimited { retry_after_secs: 1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_refused_after_the_burst_and_others_are_not_slowed() {
        let limiter = KeyedLimiter::new(10, 40);
        let allowed = (0..100).filter(|_| limiter.check(7).is_ok()).count();
        assert!((40..=42).contains(&allowed), "about the burst goes through at once, got {allowed}");
        assert_eq!(limiter.check(7), Err(AppError::RateLimited { retry_after_secs: 1 }));
        assert!(limiter.check(8).is_ok(), "another attempt is not affected");
    }
}
