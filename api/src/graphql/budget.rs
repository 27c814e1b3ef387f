//! A cost budget per user (per client address when signed out): each operation's
//! complexity — where a list counts its `first` times over — is taken from a token
//! bucket that refills steadily. A client that spends faster than that gets
//! `RATE_LIMITED` with `retryAfter` (seconds) until its bucket has refilled, while other
//! users keep their own budgets. Kept in memory per server process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Points a bucket holds: a few of the most expensive operations allowed at once.
pub const CAPACITY: f64 = 60_000.0;
/// Points it regains per second.
pub const REFILL_PER_SECOND: f64 = 6_000.0;
/// Buckets kept before full (idle) ones are dropped.
const MAX_BUCKETS: usize = 10_000;

struct Bucket {
    points: f64,
    at: Instant,
}

#[derive(Default)]
pub struct Budgets {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Budgets {
    /// Takes `cost` points from `who`'s bucket; `Err(seconds)` to wait when it is short.
    pub fn charge(&self, who: &str, cost: usize, now: Instant) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, b| level(b, now) < CAPACITY);
        }
        let bucket = buckets.entry(who.to_owned()).or_insert(Bucket {
            points: CAPACITY,
            at: now,
        });
        let available = level(bucket, now);
        #[expect(
            clippy::cast_precision_loss,
            clippy::as_conversions,
            reason = "costs are far below 2^52"
        )]
        let cost = cost as f64;
        if cost > available {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::as_conversions,
                reason = "a positive number of seconds below a minute"
            )]
            let wait = ((cost - available) / REFILL_PER_SECOND).ceil().max(1.0) as u64;
            return Err(wait);
        }
        bucket.points = available - cost;
        bucket.at = now;
        Ok(())
    }
}

fn level(bucket: &Bucket, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.points + elapsed * REFILL_PER_SECOND).min(CAPACITY)
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_bucket_runs_dry_and_refills() {
        let budgets = Budgets::default();
        let start = Instant::now();
        assert_eq!(budgets.charge("a", 50_000, start), Ok(()));
        assert_eq!(budgets.charge("a", 20_000, start), Err(2));
        assert_eq!(
            budgets.charge("b", 20_000, start),
            Ok(()),
            "others keep theirs"
        );
        let later = start + Duration::from_secs(2);
        assert_eq!(budgets.charge("a", 20_000, later), Ok(()));
    }
}
