//! Traits the adapters implement, so the core and the UI can be driven by
//! fakes in tests. More ports (signing, git, mail) join as those adapters do.

use chrono::{DateTime, Utc};

/// The source of the present instant. Rules and step status take `now` as an
/// argument; this is where the UI and the CLI get it from.
pub trait Clock: Send + Sync {
    /// The present instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests and reproducible exports.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
