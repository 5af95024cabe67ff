//! What the benchmarks share: the median of several runs, one way of
//! printing a figure beside its reference and their ratio, running a tool
//! that must succeed, the tests' throw-away GnuPG home (its agent killed on
//! drop), and the large project (500 issues, 20,000 journal entries) the
//! store and UI benches measure.

#![allow(dead_code)] // each bench binary uses its own part

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use embargo::core::model::{
    CveState, Event, Issue, JournalEntry, PlaybookRef, Project, Recipient, RecipientRole, Severity,
};

#[path = "../../tests/support/mod.rs"]
mod tests_support;
#[allow(unused_imports)] // the signing benches use it, the others do not
pub use tests_support::Gpg;

/// Run `cmd`, which must succeed.
pub fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `gpg --batch` in the GnuPG home `home`, as the reference pipelines run it.
pub fn gpg(home: &Path) -> Command {
    let mut c = Command::new("gpg");
    c.arg("--homedir").arg(home).args(["--batch", "--no-tty"]);
    c
}

/// The median wall time of `runs` runs of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// How many runs to take the median of: `EMBARGO_BENCH_RUNS`, or `default`.
pub fn runs(default: usize) -> usize {
    std::env::var("EMBARGO_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// Print whether a ratio (ours / reference) meets the issue's target.
pub fn target(ratio: f64, at_most: f64) {
    let verdict = if ratio <= at_most { "within" } else { "OVER" };
    println!("  {verdict} the target ratio of at most {at_most}");
}

/// Print a figure: ours, the reference (a tool measured in the same run, or
/// a target when there is no tool to compare with), and ours / reference.
pub fn report(what: &str, ours: Duration, reference_name: &str, reference: Duration) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let w = reference_name.len().max(23);
    println!("{what}");
    println!("  {:<w$} {:>10.2} ms", "embargo", ms(ours));
    println!("  {reference_name:<w$} {:>10.2} ms", ms(reference));
    println!(
        "  {:<w$} {:>10.2}",
        "ratio",
        ours.as_secs_f64() / reference.as_secs_f64()
    );
}

/// A scratch directory on /tmp for one bench's files, removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("emb-bench")
        .tempdir_in("/tmp")
        .expect("temp dir")
}

/// `project` saved through the store as `big.embargo.ron` in `dir`.
pub fn save_big(dir: &tempfile::TempDir, project: &Project) -> std::path::PathBuf {
    let file = dir.path().join("big.embargo.ron");
    embargo::adapters::store::save(&file, project).expect("saved");
    file
}

/// A project with `issues` issues of `per_issue` journal entries each, plus
/// recipients and notes, as a busy team's file would be after years.
pub fn big_project(issues: usize, per_issue: usize) -> Project {
    let mut p = Project::new("Big", PlaybookRef::Builtin("exim".into()));
    let at = Utc
        .with_ymd_and_hms(2024, 1, 1, 9, 0, 0)
        .single()
        .expect("valid");
    for n in 0..40 {
        p.recipients.push(Recipient::new(
            format!("Vendor {n}"),
            format!("security@vendor{n}.example"),
            RecipientRole::Vendor,
        ));
    }
    for n in 0..issues {
        let opened = at + TimeDelta::hours(n as i64 * 7);
        let mut i = Issue::new(
            format!("BIG-{n}"),
            format!("Heap overflow number {n} in the SMTP parser"),
            opened,
        );
        i.description = "A crafted command overflows a buffer. ".repeat(12);
        i.severity = Some(Severity::High);
        if n % 2 == 0 {
            i.cve = CveState::Assigned {
                id: format!("CVE-2026-{:05}", 10000 + n),
            };
        }
        for k in 0..per_issue {
            i.journal.push(
                JournalEntry::new(
                    opened + TimeDelta::minutes(k as i64),
                    Some("keep_notes"),
                    Event::Note,
                )
                .with_note(format!("note {k}: talked to the reporter, checked the fix")),
            );
        }
        p.issues.push(i);
    }
    p
}
