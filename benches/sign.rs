//! Benchmark: sign a large file and write both checksum lists, against the
//! tools maintainers use today run one after another on the same file in the
//! same run: `sha256sum; sha512sum; gpg --detach-sign --armor`.
//!
//! `cargo bench --bench sign` (size: `EMBARGO_BENCH_MIB`, default 1024).
//! Both sides sign with the same Ed25519 key through the same gpg-agent in a
//! throw-away GNUPGHOME; the file is read once beforehand so both start from
//! the page cache. Prints each time and the ratio (ours / reference).

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

mod support;

use support::{gpg, run};

use embargo::adapters::openpgp::{self, KeySource, Unwatched};

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn main() {
    let mib: usize = std::env::var("EMBARGO_BENCH_MIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::Builder::new()
        .prefix("emb-bench")
        .tempdir_in("/tmp")
        .expect("temp dir");
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
    let ours = best_of(3, || {
        openpgp::sign_files(&mut key, &files, true, &Unwatched).expect("signed");
    });
    let reference = best_of(3, || {
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
    println!("sign {mib} MiB + SHA256SUMS + SHA512SUMS (best of 3)");
    println!(
        "  embargo sign --sums                      {:>8.3} s",
        ours.as_secs_f64()
    );
    println!(
        "  sha256sum; sha512sum; gpg --detach-sign  {:>8.3} s",
        reference.as_secs_f64()
    );
    println!(
        "  ratio embargo / reference                {:>8.2}",
        ours.as_secs_f64() / reference.as_secs_f64()
    );
}
