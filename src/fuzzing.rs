//! What the fuzz targets in `fuzz/` run, and what `tests/fuzz_regressions.rs`
//! replays on every input a fuzzer has found (kept under
//! `fuzz/regressions/`): each entry point takes arbitrary bytes and must
//! neither panic nor hang. Beyond "no panic" each checks a property: a
//! project that loads saves to text that loads to the same project; a
//! playbook that loads gives every step of the example issues a status; a
//! mail template either renders or is refused with an error.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};

use crate::adapters::store;
use crate::core::model::Project;
use crate::core::playbook::{self, step_states};
use crate::core::render::mail;

fn example() -> &'static Project {
    static EXAMPLE: OnceLock<Project> = OnceLock::new();
    EXAMPLE.get_or_init(|| store::example().expect("the example project loads"))
}

/// The project loader on `data`; a project that loads must round-trip.
pub fn project_file(data: &[u8]) {
    let path = Path::new("fuzz.embargo.ron");
    let Ok(project) = store::parse_bytes(data.to_vec(), path) else {
        return;
    };
    let text = store::project_to_string(&project);
    let again = store::parse_project(&text, path)
        .unwrap_or_else(|e| panic!("a loaded project saves to text that does not load: {e}"));
    assert!(again == project, "a loaded project changes when saved");
}

/// The playbook loader on `data`; a playbook that loads must give each
/// step of the example's issues a status.
pub fn playbook_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(book) = playbook::parse(text, "fuzz") else {
        return;
    };
    let project = example();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("valid");
    for issue in &project.issues {
        let states = step_states(project, issue, &book, now);
        assert_eq!(states.len(), book.steps.len(), "a step without a status");
    }
}

/// A project's own mail template (`templates/NAME.txt.j2`) on `data`,
/// rendered for each of the example's issues.
pub fn mail_template(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let project = example();
    let book = playbook::builtin("exim").expect("built in");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("valid");
    for issue in &project.issues {
        let _ = mail::render(
            project,
            &book,
            issue,
            "advance-notice",
            Some(text),
            &[],
            None,
            now,
        );
    }
}
