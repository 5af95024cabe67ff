//! The command line's [`Watch`]: what an operation does goes to stderr, one
//! line per step, and a byte count is shown as a percentage on a terminal.
//! `--json` runs stay quiet so stdout and stderr hold only what scripts read.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use crate::core::ports::Watch;

/// Prints an operation's progress on stderr unless `quiet`.
#[derive(Debug, Default)]
pub struct Terminal {
    quiet: bool,
    /// The last whole percentage shown, so a line is redrawn only when it
    /// changes.
    shown: Mutex<Option<u64>>,
}

impl Terminal {
    /// A watcher that prints, or stays silent when `quiet` (for `--json`).
    pub fn new(quiet: bool) -> Self {
        Self {
            quiet,
            shown: Mutex::new(None),
        }
    }
}

impl Watch for Terminal {
    fn say(&self, what: &str) {
        if self.quiet {
            return;
        }
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.take().is_some() {
            eprintln!();
        }
        eprintln!("{what}");
    }

    fn set(&self, done: u64, total: u64) {
        if self.quiet || total == 0 || !std::io::stderr().is_terminal() {
            return;
        }
        let percent = done.min(total) * 100 / total;
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if *shown != Some(percent) {
            *shown = Some(percent);
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{percent:3}%");
            let _ = err.flush();
        }
    }
}
