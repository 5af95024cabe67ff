//! Exports are written whole or not at all (workflows::export, which the
//! app's exports use too): when the disk refuses the write half-way (here a
//! file size limit, `ulimit -f`, on the real binary) the file that was
//! there stays as it was and no partial or temporary file is left.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::{bounded, text};

/// `embargo ARGS` under a file size limit of `blocks` (of 512 or 1024
/// bytes, as the shell counts), with SIGXFSZ ignored so that the write
/// fails instead of the process being killed.
fn limited(blocks: u32, args: &[&str]) -> Output {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", "2026-11-23T12:00:00Z")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    bounded(child)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_write_up_that_the_disk_refuses_half_way_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("postbote.embargo.ron");
    std::fs::write(&project, embargo::adapters::store::EXAMPLE.1).expect("example");
    let project = project.to_str().expect("utf-8").to_owned();
    let out = dir.path().join("writeup.md");
    std::fs::write(&out, "the old write-up\n").expect("written");
    let out_s = out.to_str().expect("utf-8").to_owned();
    let args = ["report", &project, "--issue", "POSTBOTE-2", "--out", &out_s];

    // Without a limit it is written, and it is larger than the limit below.
    let o = limited(100_000, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let whole = std::fs::read_to_string(&out).expect("written");
    assert!(whole.len() > 1024, "{} bytes", whole.len());
    std::fs::write(&out, "the old write-up\n").expect("written");
    let before = names(dir.path());

    let o = limited(1, &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains(&format!("cannot write {out_s}")), "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("kept"),
        "the old write-up\n"
    );
    assert_eq!(names(dir.path()), before, "no partial or temporary file");
}

#[test]
fn an_osv_record_that_the_disk_refuses_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("postbote.embargo.ron");
    std::fs::write(&project, embargo::adapters::store::EXAMPLE.1).expect("example");
    let project = project.to_str().expect("utf-8").to_owned();
    let out = dir.path().join("records");
    std::fs::create_dir(&out).expect("dir");
    let out_s = out.to_str().expect("utf-8").to_owned();
    let args = [
        "export",
        &project,
        "--issue",
        "POSTBOTE-2",
        "--format",
        "osv",
        "--out",
        &out_s,
    ];
    let o = limited(100_000, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let written = names(&out);
    assert_eq!(written.len(), 1, "{written:?}");
    let file = out.join(&written[0]);
    let size = std::fs::metadata(&file).expect("written").len();
    std::fs::write(&file, "old\n").expect("written");
    // A limit below the record's size: the old file stays, nothing beside it.
    if size <= 1024 {
        panic!("the record is only {size} bytes: the limit cannot cut it");
    }
    let o = limited(1, &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("cannot write"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "old\n");
    assert_eq!(names(&out), written, "no partial or temporary file");
}
