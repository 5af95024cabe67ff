//! Fuzz target: A project's own mail template, rendered for the example's issues.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| embargo::fuzzing::mail_template(data));
