//! Fuzz target: The RON project loader: parse, and a loaded project must round-trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| embargo::fuzzing::project_file(data));
