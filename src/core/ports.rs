//! Traits the adapters implement, so the core and the UI can be driven by
//! fakes in tests: the clock, and [`Watch`], the one progress-and-cancel
//! handle every long release operation takes (the app's jobs, the CLI's
//! terminal and the tests each give their own).

use chrono::{DateTime, Utc};

/// The source of the present instant. Rules and step status take `now` as an
/// argument; this is where the UI and the CLI get it from.
pub trait Clock: Send + Sync {
    /// The present instant.
    fn now(&self) -> DateTime<Utc>;

    /// The instant the clock was set to at start ([`NOW_VAR`]), when it is
    /// not the system's: the app says so in its status bar.
    fn set_at(&self) -> Option<DateTime<Utc>> {
        None
    }
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The environment variable that sets the present instant (RFC 3339), for
/// reproducible scripts and tests and to rehearse a release day.
pub const NOW_VAR: &str = "EMBARGO_NOW";

/// `EMBARGO_NOW` holds no RFC 3339 instant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("EMBARGO_NOW=`{value}` is not an RFC 3339 instant such as 2026-12-08T14:00:00Z")]
pub struct BadNow {
    /// The value given.
    pub value: String,
    /// Why it does not parse.
    pub reason: String,
}

/// The present instant [`NOW_VAR`] sets, given its value (`None`: unset,
/// the system clock holds). The one rule the CLI (each run's present) and
/// the app (its clock at start) read it by.
pub fn set_now(value: Option<&str>) -> Result<Option<DateTime<Utc>>, BadNow> {
    let Some(value) = value else {
        return Ok(None);
    };
    DateTime::parse_from_rfc3339(value)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| BadNow {
            value: value.to_owned(),
            reason: e.to_string(),
        })
}

/// A clock set to an instant at start that runs on from there: the app's
/// clock while [`NOW_VAR`] is set, so that a release day can be rehearsed
/// and the hours still pass.
#[derive(Clone, Copy, Debug)]
pub struct SetClock {
    start: DateTime<Utc>,
    since: std::time::Instant,
}

impl SetClock {
    /// A clock reading `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            start,
            since: std::time::Instant::now(),
        }
    }
}

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        let run = chrono::Duration::from_std(self.since.elapsed()).unwrap_or_default();
        self.start + run
    }

    fn set_at(&self) -> Option<DateTime<Utc>> {
        Some(self.start)
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

/// The one handle a long operation (signing, building artifacts, sending a
/// notice, serving downloads) reports through and is stopped through. The
/// app's job progress implements it, the CLI prints it, tests record it.
/// Every method has a default, so a watcher implements only what it shows.
/// Operations call it from their worker thread, hence `Sync`.
pub trait Watch: Sync {
    /// Say what the operation does now, in a few words ("signing",
    /// "tagging v4.12.3").
    fn say(&self, _what: &str) {}
    /// `done` of `total` units (bytes or files) of the whole operation.
    fn set(&self, _done: u64, _total: u64) {}
    /// `done` of `total` bytes of item number `index` of a batch (a file
    /// among those being signed), for per-item bars.
    fn item(&self, _index: usize, _done: u64, _total: u64) {}
    /// Whether the user asked to stop. Operations check it between units
    /// and stop with their error's `Cancelled` case, leaving no partial
    /// output behind.
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// A watcher that shows nothing and never cancels.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unwatched;

impl Watch for Unwatched {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records what an operation said; cancels once it said "stop here".
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Watch for Recorder {
        fn say(&self, what: &str) {
            self.0.lock().expect("not poisoned").push(what.to_owned());
        }
        fn is_cancelled(&self) -> bool {
            self.0
                .lock()
                .expect("not poisoned")
                .iter()
                .any(|s| s == "stop here")
        }
    }

    fn operation(watch: &dyn Watch) -> usize {
        let mut steps = 0;
        for step in ["one", "stop here", "three"] {
            if watch.is_cancelled() {
                break;
            }
            watch.say(step);
            steps += 1;
        }
        steps
    }

    #[test]
    fn an_operation_stops_when_its_watcher_cancels() {
        let recorder = Recorder::default();
        assert_eq!(operation(&recorder), 2);
        assert_eq!(
            *recorder.0.lock().expect("not poisoned"),
            ["one", "stop here"]
        );
        assert_eq!(operation(&Unwatched), 3);
    }
}
