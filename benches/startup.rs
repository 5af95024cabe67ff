//! Benchmark: start-up to the first frame. Runs `embargo example` with
//! `EMBARGO_EXIT_AFTER_FIRST_FRAME=1` (the app closes itself once its first
//! frame is drawn) on a private Xvfb display, beside the reference: the
//! smallest eframe app (`examples/bare_window.rs`) doing the same. Median
//! of 7 runs each; the ratio shows what Embargo adds to eframe's own
//! start-up.
//!
//! `cargo build --release --example bare_window && cargo bench --bench
//! startup` (scripts/bench.sh does both). Needs `Xvfb` (installed by
//! scripts/setup-system.sh).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 7;

/// A private X server, killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Self {
        let n = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("a free display number");
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1400x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (scripts/setup-system.sh installs it)");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, display }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `program` to its exit on `display`, failing after 60 s.
fn run_to_exit(program: &Path, args: &[&str], display: &str, config: &Path) {
    let mut child = Command::new(program)
        .args(args)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_CONFIG_HOME", config)
        .env("EMBARGO_EXIT_AFTER_FIRST_FRAME", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            assert!(
                status.success(),
                "{} failed: {}",
                program.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} did not close after its first frame", program.display());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let embargo = PathBuf::from(env!("CARGO_BIN_EXE_embargo"));
    // target/release/deps/startup-HASH → target/release/examples/bare_window
    let bare = std::env::current_exe()
        .expect("own path")
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("examples").join("bare_window"))
        .filter(|p| p.exists())
        .expect("build the reference first: cargo build --release --example bare_window");
    let x = Xvfb::start();
    let config = tempfile::tempdir().expect("temp dir");
    // One run each first, so both start with the binary and libraries cached.
    run_to_exit(&embargo, &["example"], &x.display, config.path());
    run_to_exit(&bare, &[], &x.display, config.path());
    let ours = support::median(RUNS, || {
        run_to_exit(&embargo, &["example"], &x.display, config.path());
    });
    let reference = support::median(RUNS, || run_to_exit(&bare, &[], &x.display, config.path()));
    support::report(
        "start-up to the first frame (example project, Xvfb)",
        ours,
        "bare eframe window",
        reference,
    );
}
