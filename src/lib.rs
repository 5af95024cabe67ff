//! Embargo: a desktop application and command line for the person who
//! coordinates the security release of an open-source project, from the
//! private report to the public release and the write-up.
//!
//! [`core`] holds the domain (no GUI, no I/O), [`adapters`] the blocking I/O
//! behind it, [`workflows`] the release operations both front ends call,
//! [`jobs`] runs them off the UI thread, [`ui`] is the egui app and [`cli`]
//! the subcommands.

pub mod adapters;
pub mod cli;
pub mod core;
#[doc(hidden)]
pub mod fuzzing;
pub mod jobs;
pub mod ui;
pub mod workflows;
