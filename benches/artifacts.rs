//! Benchmark: a release's artifacts from a tag of a mid-size C project
//! (a generated tree of several thousand files): Embargo's one pass (tar
//! made once, gz/bz2/xz compressed in parallel, then sums and signatures in
//! one read per file) beside the shell pipeline maintainers run today, one
//! step after another: `git archive | gzip -9`, `bzip2 -9`, `xz -9`,
//! `sha256sum`, `sha512sum`, `gpg --detach-sign --armor` for each file.
//!
//! `cargo bench --bench artifacts` (files: `EMBARGO_BENCH_FILES`, default
//! 4000; runs: `EMBARGO_BENCH_RUNS`, default 3, the median printed; target
//! ratio at most 0.6). Note the levels differ where git's byte-identical output demands
//! it: our gzip is level 6 (as `git archive --format=tar.gz`), our xz preset 6.

use std::process::{Command, Stdio};

use embargo::adapters::git;
mod support;

use support::{gpg, run};

use embargo::adapters::openpgp::{self, KeySource};
use embargo::core::model::TarballFormat;
use embargo::core::ports::Unwatched;

fn main() {
    let files: usize = std::env::var("EMBARGO_BENCH_FILES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let dir = support::scratch();
    let repo = dir.path().join("repo");
    for i in 0..files {
        let sub = repo.join(format!("src/mod{:03}", i / 50));
        std::fs::create_dir_all(&sub).expect("dir");
        let body: String = (0..120)
            .map(|l| format!("int f{i}_{l}(int x) {{ return x * {l} + {i}; /* line {l} */ }}\n"))
            .collect();
        std::fs::write(sub.join(format!("file{i}.c")), body).expect("file");
    }
    run(Command::new("git")
        .arg("-C")
        .arg(&repo)
        .args(["init", "-q"]));
    run(Command::new("git").arg("-C").arg(&repo).args(["add", "-A"]));
    run(Command::new("git").arg("-C").arg(&repo).args([
        "-c",
        "user.name=B",
        "-c",
        "user.email=b@example.org",
        "commit",
        "-qm",
        "release",
    ]));
    run(Command::new("git").arg("-C").arg(&repo).args([
        "-c",
        "user.name=B",
        "-c",
        "user.email=b@example.org",
        "tag",
        "-a",
        "v1.0",
        "-m",
        "1.0",
    ]));

    // The agent is killed when `keys` is dropped at the end.
    let keys = support::Gpg::new();
    let fpr = keys.make_key("Bench <bench@example.org>", "");
    let home = keys.home();

    // Ours.
    let runs = support::runs(3);
    let mut run_no = 0;
    let r = git::open(&repo.display().to_string()).expect("repo");
    let source = KeySource::Agent {
        fingerprint: fpr.clone(),
        homedir: Some(home.clone()),
    };
    let cert = openpgp::load_cert(&source).expect("cert");
    let mut key = openpgp::unlock(&source, &cert, None, std::time::SystemTime::now()).expect("key");
    let ours = support::median(runs, || {
        run_no += 1;
        let ours_dir = dir.path().join(format!("ours{run_no}"));
        let commit = git::commit_of(&r, "v1.0").expect("commit");
        let made = git::archive::write_tarballs(
            &r,
            &commit,
            "proj-1.0",
            &[TarballFormat::Gz, TarballFormat::Bz2, TarballFormat::Xz],
            &ours_dir,
            &Unwatched,
        )
        .expect("tarballs");
        openpgp::sign_files(&mut key, &made, true, &Unwatched).expect("signed");
    });

    // The shell pipeline, one step after another.
    let mut tar = dir.path().join("proj-1.0.tar");
    let theirs = support::median(runs, || {
        run_no += 1;
        let theirs_dir = dir.path().join(format!("theirs{run_no}"));
        std::fs::create_dir(&theirs_dir).expect("dir");
        tar = theirs_dir.join("proj-1.0.tar");
        run(Command::new("sh").arg("-c").arg(format!(
            "git -C '{}' archive --format=tar --prefix=proj-1.0/ v1.0 > '{}'",
            repo.display(),
            tar.display()
        )));
        run(Command::new("gzip").args(["-9", "-k"]).arg(&tar));
        run(Command::new("bzip2").args(["-9", "-k"]).arg(&tar));
        run(Command::new("xz").args(["-9", "-k"]).arg(&tar));
        let outs: Vec<String> = [".gz", ".bz2", ".xz"]
            .iter()
            .map(|e| format!("proj-1.0.tar{e}"))
            .collect();
        for tool in ["sha256sum", "sha512sum"] {
            run(Command::new(tool)
                .args(&outs)
                .current_dir(&theirs_dir)
                .stdout(Stdio::null()));
        }
        for f in &outs {
            run(gpg(&home)
                .args(["--yes", "--armor", "--detach-sign"])
                .arg(theirs_dir.join(f)));
        }
    });
    let tar_size = std::fs::metadata(&tar).map(|m| m.len()).unwrap_or(0);
    support::report(
        &format!(
            "release artifacts of a {files}-file tree ({} MiB of tar, median of {runs})",
            tar_size >> 20
        ),
        ours,
        "git archive; gzip -9; bzip2 -9; xz -9; sha*sum; gpg x3",
        theirs,
    );
    support::target(ours.as_secs_f64() / theirs.as_secs_f64(), 0.6);
}
