//! Benchmark: the three-way merge of two versions of a project of 500
//! issues and 20,000 journal entries (issue #23): each side changes fields
//! of 50 issues (10 of them changed on both sides, in different fields) and
//! adds 500 journal entries, and the merge matches issues by ID and
//! journals by entry id. Beside it, the floor: comparing the two versions
//! with the base (`==`), which any merge must at least do. Target: under
//! 100 ms.
//!
//! `cargo bench --bench merge` (median of 11 runs).

mod support;

use std::time::Duration;

use chrono::TimeDelta;
use embargo::core::merge;
use embargo::core::model::{Event, JournalEntry, Project, Severity};

const RUNS: usize = 11;
const TARGET: Duration = Duration::from_millis(100);

fn side(base: &Project, first: usize, who: &str) -> Project {
    let mut p = base.clone();
    for (n, i) in p.issues.iter_mut().skip(first).take(50).enumerate() {
        if n % 2 == 0 {
            i.severity = Some(Severity::High);
        }
        if who == "ada" {
            i.mitigation = format!("Mitigation {n} by {who}");
        } else {
            i.impact = format!("Impact {n} by {who}");
        }
        let last = i.journal.last().map(|e| e.at).unwrap_or_default();
        for k in 0..10 {
            i.journal.push(
                JournalEntry::new(
                    last + TimeDelta::minutes(k),
                    None,
                    Event::FieldChanged {
                        field: "mitigation".into(),
                        value: format!("{who} {k}"),
                    },
                )
                .by(format!("{who}@example.org")),
            );
        }
    }
    p.fill_ids();
    p
}

fn main() {
    let mut base = support::big_project(500, 40);
    base.fill_ids();
    let entries: usize = base.issues.iter().map(|i| i.journal.len()).sum();
    // Ada edits issues 0..50, Ben 40..90: ten issues changed on both sides.
    let ours = side(&base, 0, "ada");
    let theirs = side(&base, 40, "ben");
    println!(
        "project: {} issues, {entries} journal entries; each side changes 50 issues and adds 500 entries",
        base.issues.len()
    );
    let merged = merge::merge(&base, &ours, &theirs);
    assert!(merged.is_clean(), "{:#?}", merged.conflicts);
    let after: usize = merged.project.issues.iter().map(|i| i.journal.len()).sum();
    assert_eq!(after, entries + 1000, "nothing lost or doubled");

    let time = support::median(RUNS, || {
        let m = merge::merge(&base, &ours, &theirs);
        assert_eq!(m.project.issues.len(), 500);
    });
    let floor = support::median(RUNS, || {
        assert!(ours != base && theirs != base);
    });
    support::report(
        "merge (three-way, 2 × 50 issues)",
        time,
        "compare with base (==)",
        floor,
    );
    let verdict = if time <= TARGET { "within" } else { "OVER" };
    println!("  merge: {verdict} the {} ms target", TARGET.as_millis());
}
