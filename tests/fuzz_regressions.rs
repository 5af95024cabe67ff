//! Replays what the fuzzers have found (`fuzz/regressions/TARGET/`, filled
//! by `scripts/fuzz.sh`) and the seeds they start from (the shipped
//! example, playbooks and templates) through the same entry points the fuzz
//! targets run (`embargo::fuzzing`): no input may panic or run longer than
//! the fuzzers' own time limit. Also the one hang the fuzzing led to: a
//! template that loops without end is stopped with a clear error.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The fuzzers' `-timeout`: an input that runs longer is a hang.
const LIMIT: Duration = Duration::from_secs(10);

fn inputs(dirs: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(d)) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Run `f` on every input, each bounded by [`LIMIT`].
fn replay(dirs: &[&str], min: usize, f: fn(&[u8])) {
    let files = inputs(dirs);
    assert!(
        files.len() >= min,
        "expected at least {min} inputs in {dirs:?}, found {}",
        files.len()
    );
    for file in files {
        let data = std::fs::read(&file).expect("readable");
        let (tx, rx) = mpsc::channel();
        let name = file.display().to_string();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| f(&data));
            let _ = tx.send(outcome.is_ok());
        });
        match rx.recv_timeout(LIMIT) {
            Ok(true) => {}
            Ok(false) => panic!("{name}: panicked (see above)"),
            Err(_) => panic!("{name}: still running after {LIMIT:?}: a hang"),
        }
    }
}

#[test]
fn project_loader_inputs() {
    replay(
        &["assets/examples", "fuzz/regressions/project"],
        1,
        embargo::fuzzing::project_file,
    );
}

#[test]
fn playbook_loader_inputs() {
    replay(
        &["assets/playbooks", "fuzz/regressions/playbook"],
        2,
        embargo::fuzzing::playbook_file,
    );
}

#[test]
fn mail_template_inputs() {
    replay(
        &["assets/templates", "fuzz/regressions/template"],
        10,
        embargo::fuzzing::mail_template,
    );
}

#[test]
fn a_template_that_loops_without_end_is_stopped_with_a_clear_error() {
    use chrono::{TimeZone, Utc};
    use embargo::core::render::mail;
    let project = embargo::adapters::store::example().expect("example");
    let book = embargo::core::playbook::builtin("exim").expect("built in");
    let text = "Subject: x\n\n{% for a in range(100000) %}{% for b in range(100000) %}.{% endfor %}{% endfor %}\n";
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("valid");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = mail::render(
            &project,
            &book,
            &project.issues[0],
            "advance-notice",
            Some(text),
            &[],
            None,
            now,
        );
        let _ = tx.send(r.map(|_| ()).map_err(|e| e.to_string()));
    });
    let outcome = rx.recv_timeout(LIMIT).expect("stopped in time");
    let err = outcome.expect_err("refused");
    assert!(err.contains("runs too long"), "{err}");
}
