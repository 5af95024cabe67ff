//! Saving where the disk says no: a directory that cannot be written and a
//! full disk, made for real. Each save must fail with its own message naming
//! the file and what to do, leave the previous file (and its backup) byte
//! for byte as it was and loading, and leave no temporary file behind; the
//! CLI says the same and succeeds once the fault is gone.
//!
//! A read-only directory is made every way the platform allows: `chmod
//! 0555` (not for root, who ignores directory permissions), a read-only
//! bind mount and `chattr +i` (both need root). A full disk is a 256 KiB
//! tmpfs (needs root). Every mount, flag and mode is undone by a guard when
//! its test ends, failed or not. Where no way works the test says why on
//! stderr and passes, unless `EMBARGO_REQUIRE_FAULTS` is set, which makes
//! that a failure (for CI, which runs as root).

mod support;

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use embargo::adapters::store::{self, ProjectLock, StoreError};
use embargo::core::model::Project;
use support::{bounded, text};

/// Say on the real stderr (not the captured one) why a case cannot run
/// here; fail instead when `EMBARGO_REQUIRE_FAULTS` is set.
fn skip(test: &str, why: &str) {
    if std::env::var_os("EMBARGO_REQUIRE_FAULTS").is_some() {
        panic!("{test} cannot run here, and EMBARGO_REQUIRE_FAULTS is set: {why}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Run a system command; its stderr when it fails.
fn run<S: AsRef<OsStr>>(program: &str, args: &[S]) -> Result<(), String> {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let o = bounded(child);
    if o.status.success() {
        Ok(())
    } else {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            text(&o.stderr).trim()
        ))
    }
}

/// A file system mounted on a directory; unmounted on drop.
struct Mounted(PathBuf);

impl Mounted {
    /// A tmpfs of `size` (as `mount -o size=` takes it) on `dir`.
    fn tmpfs(dir: &Path, size: &str) -> Result<Self, String> {
        let options = format!("size={size},mode=0700");
        run(
            "mount",
            &[
                OsStr::new("-t"),
                OsStr::new("tmpfs"),
                OsStr::new("-o"),
                OsStr::new(&options),
                OsStr::new("tmpfs"),
                dir.as_os_str(),
            ],
        )?;
        Ok(Self(dir.to_owned()))
    }

    /// `dir` bound onto itself read-only: its files stay, nothing can be
    /// created, changed, renamed or removed in it.
    fn read_only(dir: &Path) -> Result<Self, String> {
        run(
            "mount",
            &[OsStr::new("--bind"), dir.as_os_str(), dir.as_os_str()],
        )?;
        let mounted = Self(dir.to_owned());
        run(
            "mount",
            &[
                OsStr::new("-o"),
                OsStr::new("remount,bind,ro"),
                dir.as_os_str(),
            ],
        )?;
        Ok(mounted)
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Err(e) = run("umount", &[&self.0]) {
            // Busy: detach it now, the kernel frees it when it can.
            let lazy = run("umount", &[OsStr::new("-l"), self.0.as_os_str()]);
            let _ = writeln!(std::io::stderr(), "{e}; lazy unmount: {lazy:?}");
        }
    }
}

/// A directory made immutable with `chattr +i`; made mutable again on drop.
struct Immutable(PathBuf);

impl Immutable {
    fn new(dir: &Path) -> Result<Self, String> {
        run("chattr", &[OsStr::new("+i"), dir.as_os_str()])?;
        Ok(Self(dir.to_owned()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = run("chattr", &[OsStr::new("-i"), self.0.as_os_str()]);
    }
}

/// A directory with mode 0555; back to 0700 on drop.
struct ReadOnlyMode(PathBuf);

impl ReadOnlyMode {
    fn new(dir: &Path) -> Result<Self, String> {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555))
            .map_err(|e| format!("chmod 0555: {e}"))?;
        Ok(Self(dir.to_owned()))
    }
}

impl Drop for ReadOnlyMode {
    fn drop(&mut self) {
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o700));
    }
}

/// Something that undoes a fault when dropped.
type Guard = Box<dyn std::any::Any>;

fn guard<T: 'static>(made: Result<T, String>) -> Result<Guard, String> {
    made.map(|g| Box::new(g) as Guard)
}

/// Makes a directory read-only one way; the guard undoes it.
type MakeReadOnly = fn(&Path) -> Result<Guard, String>;

/// The ways to make a directory read-only.
const WAYS: [(&str, MakeReadOnly); 3] = [
    ("chmod 0555", |d| guard(ReadOnlyMode::new(d))),
    ("read-only bind mount", |d| guard(Mounted::read_only(d))),
    ("chattr +i", |d| guard(Immutable::new(d))),
];

/// Whether a file can still be created in `dir` (it is removed again).
fn can_create_in(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let made = fs::write(&probe, b"x").is_ok();
    let _ = fs::remove_file(&probe);
    made
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The project and its backup, byte for byte, and the directory's names.
fn state(file: &Path) -> (Vec<u8>, Vec<u8>, Vec<String>) {
    (
        fs::read(file).expect("the project file"),
        fs::read(store::backup_path(file)).expect("its backup"),
        names(file.parent().expect("a directory")),
    )
}

/// A project file and its backup in `dir`: the example, saved twice.
fn saved_twice(dir: &Path) -> (PathBuf, Project) {
    let file = dir.join("postbote.embargo.ron");
    let mut p = store::example().expect("example");
    store::save(&file, &p).expect("first save");
    p.name = "Postbote (second save)".into();
    store::save(&file, &p).expect("second save");
    (file, p)
}

/// The project a little changed, as a next save would write it.
fn changed(p: &Project) -> Project {
    let mut p = p.clone();
    p.name = "Postbote (not saved)".into();
    p
}

/// `embargo step FILE` skipping a step of POSTBOTE-3 with `note`.
fn cli_step(file: &Path, note: &str) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("step")
        .arg(file)
        .args([
            "--issue",
            "POSTBOTE-3",
            "--skip",
            "cve_id",
            "--reason",
            "no CVE for this one",
            "--note",
            note,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    bounded(child)
}

#[test]
fn saving_into_a_read_only_directory_says_so_and_keeps_the_file() {
    let mut worked = Vec::new();
    let mut why_not = Vec::new();
    for (way, make) in WAYS {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, saved) = saved_twice(dir.path());
        let before = state(&file);
        let guard = match make(dir.path()) {
            Ok(g) => g,
            Err(e) => {
                why_not.push(format!("{way}: {e}"));
                continue;
            }
        };
        if can_create_in(dir.path()) {
            drop(guard);
            why_not.push(format!(
                "{way}: files can still be created (running as root, who ignores directory permissions?)"
            ));
            continue;
        }

        let err = store::save(&file, &changed(&saved)).expect_err(way);
        assert!(
            matches!(&err, StoreError::NotWritable { path, dir: d, .. } if *path == file && d == dir.path()),
            "{way}: {err:?}"
        );
        let message = err.to_string();
        for says in [
            &format!("cannot save {}", file.display()),
            "cannot be written",
            "the file was not changed",
            "make the directory writable",
            "save the project in another directory",
        ] {
            assert!(message.contains(says), "{way}: {message}");
        }
        assert!(
            !message.contains(".postbote.embargo.ron."),
            "{way}: no temporary name: {message}"
        );
        assert_eq!(state(&file), before, "{way}: something changed");
        assert_eq!(store::load(&file).expect("still loads"), saved, "{way}");

        // The lock a writer takes first says the same.
        let err = ProjectLock::acquire(&file, "test").expect_err(way);
        assert!(
            matches!(err, StoreError::NotWritable { .. }),
            "{way}: {err:?}"
        );

        // So does the CLI, and it succeeds once the directory is writable.
        let o = cli_step(&file, "skipped from the CLI");
        assert_eq!(o.status.code(), Some(1), "{way}: {}", text(&o.stdout));
        let stderr = text(&o.stderr);
        assert!(
            stderr.contains(&format!("cannot save {}", file.display()))
                && stderr.contains("make the directory writable"),
            "{way}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{way}: one message: {stderr}");
        assert_eq!(state(&file), before, "{way}: the CLI changed something");

        drop(guard);
        let o = cli_step(&file, "skipped from the CLI");
        assert_eq!(o.status.code(), Some(0), "{way}: {}", text(&o.stderr));
        let after = store::load(&file).expect("loads");
        let last = after.issue("POSTBOTE-3").expect("issue").journal.last();
        assert_eq!(
            last.map(|e| e.note.as_str()),
            Some("skipped from the CLI"),
            "{way}"
        );
        worked.push(way);
    }
    if worked.is_empty() {
        skip(
            "saving_into_a_read_only_directory_says_so_and_keeps_the_file",
            &format!(
                "no way to make a read-only directory: {}",
                why_not.join("; ")
            ),
        );
    } else if !why_not.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "read-only directory tested by {worked:?}; not by: {}",
            why_not.join("; ")
        );
    }
}

/// A project that cannot fit on a 256 KiB disk: a megabyte of description.
fn too_big(p: &Project) -> Project {
    let mut p = p.clone();
    p.issues[0].description = "The overflow happens when ".repeat(40_000);
    p
}

/// Fill the file system holding `dir` until it is full, then give back
/// `spare` bytes; the filler file's path.
fn fill(dir: &Path, spare: u64) -> PathBuf {
    let filler = dir.join("filler");
    let mut f = fs::File::create(&filler).expect("filler");
    let chunk = vec![0u8; 4096];
    loop {
        match f.write_all(&chunk) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    let len = f.metadata().expect("size").len();
    f.set_len(len.saturating_sub(spare)).expect("truncated");
    filler
}

#[test]
fn saving_onto_a_full_disk_says_so_and_keeps_the_file() {
    let test = "saving_onto_a_full_disk_says_so_and_keeps_the_file";
    let dir = tempfile::tempdir().expect("temp dir");
    let disk = match Mounted::tmpfs(dir.path(), "256k") {
        Ok(m) => m,
        Err(e) => return skip(test, &format!("cannot mount a small tmpfs: {e}")),
    };
    let (file, saved) = saved_twice(dir.path());
    let before = state(&file);
    assert_eq!(
        before.2,
        ["postbote.embargo.ron", "postbote.embargo.ron.bak"]
    );

    let big = too_big(&saved);
    let size = store::project_to_string(&big).len() as u64;
    assert!(size > 512 * 1024, "the new version must not fit: {size}");
    let err = store::save(&file, &big).expect_err("the disk is full");
    match &err {
        StoreError::DiskFull { path, needed, .. } => {
            assert_eq!(*path, file);
            assert_eq!(*needed, size);
        }
        other => panic!("expected DiskFull, got {other:?}"),
    }
    let message = err.to_string();
    for says in [
        &format!("cannot save {}", file.display()),
        "is full",
        &format!("needs {size} bytes"),
        "the file was not changed",
        "free some space",
    ] {
        assert!(message.contains(says), "{message}");
    }
    assert!(
        !message.contains(".postbote.embargo.ron."),
        "no temporary name: {message}"
    );
    assert_eq!(state(&file), before, "no change and no temporary left");
    assert_eq!(store::load(&file).expect("still loads"), saved);
    assert_eq!(
        store::load(&store::backup_path(&file))
            .expect("the backup loads")
            .name,
        "Postbote"
    );

    // The CLI on a disk with room for its lock but not for the project.
    let filler = fill(dir.path(), 8 * 1024);
    let o = cli_step(&file, "skipped on a full disk");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains(&format!("cannot save {}", file.display()))
            && stderr.contains("is full")
            && stderr.contains("free some space"),
        "{stderr}"
    );
    let mut with_filler = before.2.clone();
    with_filler.push("filler".into());
    with_filler.sort();
    assert_eq!(
        state(&file),
        (before.0.clone(), before.1.clone(), with_filler)
    );
    fs::remove_file(&filler).expect("space freed");
    let o = cli_step(&file, "skipped on a full disk");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let after = store::load(&file).expect("loads");
    let last = after.issue("POSTBOTE-3").expect("issue").journal.last();
    assert_eq!(
        last.map(|e| e.note.as_str()),
        Some("skipped on a full disk")
    );
    drop(disk);
}

#[test]
fn a_lock_that_does_not_fit_on_a_full_disk_is_not_left_behind() {
    let test = "a_lock_that_does_not_fit_on_a_full_disk_is_not_left_behind";
    let dir = tempfile::tempdir().expect("temp dir");
    let disk = match Mounted::tmpfs(dir.path(), "256k") {
        Ok(m) => m,
        Err(e) => return skip(test, &format!("cannot mount a small tmpfs: {e}")),
    };
    let (file, _) = saved_twice(dir.path());
    let before = state(&file);
    // Not a byte left: the lock file can be created (an inode) but not written.
    let filler = fill(dir.path(), 0);
    let o = cli_step(&file, "skipped on a full disk");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains(&file.display().to_string())
            && stderr.contains("is full")
            && stderr.contains("free some space"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(
        !store::lock_path(&file).exists(),
        "a 0-byte lock was left behind: {:?}",
        names(dir.path())
    );
    let mut with_filler = before.2.clone();
    with_filler.push("filler".into());
    with_filler.sort();
    assert_eq!(state(&file), (before.0, before.1, with_filler));
    fs::remove_file(&filler).expect("space freed");
    let o = cli_step(&file, "skipped once there is room");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    drop(disk);
}
