//! Fuzz target: The playbook loader: parse, and a loaded playbook must give every step a status.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| embargo::fuzzing::playbook_file(data));
