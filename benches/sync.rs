//! Benchmark: `embargo sync` of an unchanged project of 500 issues and
//! 20,000 journal entries with its team's bare repository on this machine
//! (issue #23): open the file, check the remote, compare with the last
//! commit, fetch, find nothing to merge, push nothing. Beside it, the
//! reference: git's own `git fetch` and `git push` of the same clone, the
//! network part any sync must do. Target: under 1 s.
//!
//! `cargo bench --bench sync` (median of 7 runs; needs git).

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use embargo::adapters::store;
use embargo::core::ports::Unwatched;
use embargo::workflows::sync::{self, Merge, Options};

const RUNS: usize = 7;
const TARGET: Duration = Duration::from_secs(1);

/// `git -C dir ARGS…` with no user's configuration, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    support::run(
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir),
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let mut project = support::big_project(500, 40);
    project.fill_ids();
    git(d, &["init", "-q", "--bare", "-b", "main", "team.git"]);
    git(d, &["clone", "-q", "team.git", "ada"]);
    let ada = d.join("ada");
    git(&ada, &["config", "user.name", "Ada"]);
    git(&ada, &["config", "user.email", "ada@example.org"]);
    let file = ada.join("p.embargo.ron");
    store::save(&file, &project).expect("saved");
    git(&ada, &["add", "p.embargo.ron"]);
    git(&ada, &["commit", "-q", "-m", "the project"]);
    git(&ada, &["push", "-q", "origin", "main"]);
    let bytes = std::fs::metadata(&file).expect("saved").len();
    println!(
        "project: 500 issues, {} journal entries, {:.1} MB",
        project
            .issues
            .iter()
            .map(|i| i.journal.len())
            .sum::<usize>(),
        bytes as f64 / 1e6
    );
    let options = Options::default();
    let time = support::median(RUNS, || {
        let r = sync::sync(&file, &options, &Unwatched).expect("syncs");
        assert_eq!((r.merge, r.pushed), (Merge::UpToDate, false));
    });
    let reference = support::median(RUNS, || {
        git(&ada, &["fetch", "-q", "origin"]);
        git(&ada, &["push", "-q", "origin", "main"]);
    });
    support::report(
        "sync (unchanged project)",
        time,
        "git fetch + git push",
        reference,
    );
    let verdict = if time <= TARGET { "within" } else { "OVER" };
    println!("  sync: {verdict} the {} s target", TARGET.as_secs());
}
