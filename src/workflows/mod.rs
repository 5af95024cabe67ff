//! The release operations, each one blocking function that the app and the
//! command line both call: the CLI calls it and prints, a UI job is a
//! one-line call of it on a worker thread. It sits between [`crate::core`]
//! (the rules, no I/O) and the two front ends, as gitui's `asyncgit::sync`
//! sits below its async wrappers. Every function takes one
//! [`Watch`](crate::core::ports::Watch) for progress and cancelling and
//! returns typed results and errors; whatever the two front ends once did
//! differently is decided here, once.

pub mod artifacts;
pub mod export;
pub mod guard;
pub mod keys;
pub mod notice;
pub mod share;
pub mod sign;
pub mod sync;
