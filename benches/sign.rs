//! Benchmark: sign a large file and write both checksum lists, against the
//! tools maintainers use today run one after another on the same file in the
//! same run: `sha256sum; sha512sum; gpg --detach-sign --armor`.
//!
//! `cargo bench --bench sign` (size: `EMBARGO_BENCH_MIB`, default 1024).
//! Both sides sign with the same Ed25519 key through the same gpg-agent in a
//! throw-away GNUPGHOME; the file is read once beforehand so both start from
//! the page cache. Prints the median of `EMBARGO_BENCH_RUNS` runs (default
//! 5) of each and the ratio (ours / reference); target at most 0.3.

use std::io::Write;
use std::process::Command;

mod support;

use support::{gpg, run};

use embargo::adapters::openpgp::{self, KeySource};
use embargo::core::ports::Unwatched;

fn main() {
    let mib: usize = std::env::var("EMBARGO_BENCH_MIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1024);
    let dir = support::scratch();
    // The agent is killed when `keys` is dropped at the end.
    let keys = support::Gpg::new();
    let fpr = keys.make_key("Bench <bench@example.org>", "");
    let home = keys.home();

    let file = dir.path().join("release.tar.xz");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).expect("file"));
        let block: Vec<u8> = (0..1 << 20)
            .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        for _ in 0..mib {
            f.write_all(&block).expect("written");
        }
    }
    run(Command::new("cat")
        .arg(&file)
        .stdout(std::process::Stdio::null()));

    let source = KeySource::Agent {
        fingerprint: fpr,
        homedir: Some(home.clone()),
    };
    let cert = openpgp::load_cert(&source).expect("cert");
    let mut key =
        openpgp::unlock(&source, &cert, None, std::time::SystemTime::now()).expect("unlocked");
    let files = vec![file.clone()];
    let runs = support::runs(5);
    let ours = support::median(runs, || {
        openpgp::sign_files(&mut key, &files, true, &Unwatched).expect("signed");
    });
    let reference = support::median(runs, || {
        run(Command::new("sha256sum")
            .arg(&file)
            .stdout(std::process::Stdio::null()));
        run(Command::new("sha512sum")
            .arg(&file)
            .stdout(std::process::Stdio::null()));
        run(gpg(&home)
            .args(["--yes", "--armor", "--detach-sign", "--output"])
            .arg(dir.path().join("gpg.asc"))
            .arg(&file));
    });
    support::report(
        &format!("sign {mib} MiB + SHA256SUMS + SHA512SUMS (median of {runs})"),
        ours,
        "sha256sum; sha512sum; gpg --detach-sign",
        reference,
    );
    support::target(ours.as_secs_f64() / reference.as_secs_f64(), 0.3);
}
