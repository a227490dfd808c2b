//! [`RetryPolicy`]: how long a start-up waits for a database that is not up yet.

use std::time::Duration;

/// Bounded attempts with exponential backoff: replicas often start before their
/// database (a container still booting, a failover), and a start-up that gives up at
/// once turns that into a crash loop, while one that retries forever hides a wrong URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Connection attempts in all, the first included (at least one is made).
    pub attempts: u32,
    /// The wait after the first failure; each later wait doubles, up to `max_delay`.
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Ten attempts, 250 ms doubling up to 5 s: about half a minute in all.
    fn default() -> Self {
        RetryPolicy {
            attempts: 10,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn none() -> Self {
        RetryPolicy {
            attempts: 1,
            ..Self::default()
        }
    }

    /// The wait after failed attempt number `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let doubled = self
            .initial_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        doubled.min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::default();
        let delays: Vec<u64> = (1..=7)
            .map(|n| policy.delay(n).as_millis() as u64)
            .collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(policy.delay(u32::MAX), policy.max_delay);
    }
}
