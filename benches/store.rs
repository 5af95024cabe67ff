//! Benchmark: load and save a project of 500 issues and 20,000 journal
//! entries through Embargo's store (parse and check on load; atomic write
//! with fsync, backup and private mode on save), beside the floor the
//! format allows: the same project through `ron` alone, read or written
//! with no checks, no backup and no fsync. Target: under 50 ms each.
//!
//! `cargo bench --bench store` (median of 11 runs).

mod support;

use std::time::Duration;

use embargo::adapters::store;
use embargo::core::model::Project;

const RUNS: usize = 11;
const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let project = support::big_project(500, 40);
    let entries: usize = project.issues.iter().map(|i| i.journal.len()).sum();
    let dir = support::scratch();
    let file = support::save_big(&dir, &project);
    let size = std::fs::metadata(&file).expect("written").len();
    println!(
        "project: {} issues, {entries} journal entries, {:.1} MiB on disk",
        project.issues.len(),
        size as f64 / (1 << 20) as f64
    );

    let save = support::median(RUNS, || store::save(&file, &project).expect("saved"));
    let plain = dir.path().join("plain.ron");
    let save_floor = support::median(RUNS, || {
        let text = ron::ser::to_string_pretty(&project, ron::ser::PrettyConfig::default())
            .expect("serialises");
        std::fs::write(&plain, text).expect("written");
    });
    let load = support::median(RUNS, || {
        let p = store::load(&file).expect("loads");
        assert_eq!(p.issues.len(), 500);
    });
    let load_floor = support::median(RUNS, || {
        let text = std::fs::read_to_string(&plain).expect("read");
        let p: Project = ron::from_str(&text).expect("parses");
        assert_eq!(p.issues.len(), 500);
    });
    support::report(
        "save (atomic, fsync, backup)",
        save,
        "ron + fs::write",
        save_floor,
    );
    support::report("load (parse and check)", load, "fs::read + ron", load_floor);
    for (what, d) in [("save", save), ("load", load)] {
        let verdict = if d <= TARGET { "within" } else { "OVER" };
        println!("  {what}: {verdict} the {} ms target", TARGET.as_millis());
    }
}
