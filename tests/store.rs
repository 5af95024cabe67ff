//! Project files on disk: bad files each get their own clear error and stay
//! untouched, saves are atomic with a backup and mode 0600, the lock refuses a
//! second writer, and a writer killed at random moments never leaves a file
//! that does not load.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use chrono::{TimeZone, Utc};
use embargo::adapters::store::{self, ProjectLock, StoreError};
use embargo::core::model::{Event, Issue, JournalEntry, PlaybookRef, Project};

fn example() -> Project {
    store::example().expect("the example project loads")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).expect("fixture written");
    p
}

fn snapshot(p: &Path) -> (Vec<u8>, SystemTime) {
    (
        fs::read(p).expect("readable"),
        fs::metadata(p).and_then(|m| m.modified()).expect("mtime"),
    )
}

#[test]
fn example_round_trips_byte_for_byte() {
    // The shipped example is in the canonical format: saving it changes nothing.
    let text = store::EXAMPLE.1;
    let project = example();
    assert_eq!(
        store::project_to_string(&project),
        text,
        "re-save assets/examples/postbote.embargo.ron"
    );
}

#[test]
fn typed_share_credentials_of_older_files_load_and_are_dropped_on_save() {
    // Before the embargoed download kept only hashes, a notice held the
    // share's credentials as typed. Such files still load, and the next
    // save removes the plain-text password from the disk.
    let mut p = example();
    p.issues[0]
        .notice_mut("distros@vs.openwall.org")
        .wants_patch = true;
    let text = store::project_to_string(&p);
    let old = text.replacen(
        "wants_patch: true,",
        "wants_patch: true,\n                    share_url: \"https://s.example/\",\n                    share_credentials: \"distros / hunter2-plain\",",
        1,
    );
    assert_ne!(old, text, "the fixture must carry the old fields");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "old.embargo.ron", old.as_bytes());
    let loaded = store::load(&file).expect("an older file loads");
    assert!(
        loaded.issues[0]
            .notice("distros@vs.openwall.org")
            .expect("notice")
            .wants_patch
    );
    store::save(&file, &loaded).expect("saved");
    let saved = fs::read_to_string(&file).expect("read");
    assert!(!saved.contains("hunter2-plain"), "{saved}");
    assert!(!saved.contains("share_credentials"), "{saved}");
    // The backup is the previous version by design; the next save turns it over.
    store::save(&file, &loaded).expect("saved again");
    let backup = fs::read_to_string(store::backup_path(&file)).expect("backup");
    assert!(!backup.contains("hunter2-plain"), "{backup}");
}

/// A bad file: its name, its bytes, the error it must give, a phrase the message must carry.
type Case = (&'static str, Vec<u8>, fn(&StoreError) -> bool, &'static str);

#[test]
fn bad_files_each_get_their_own_error_and_stay_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = store::project_to_string(&example());
    let truncated = &good[..good.len() / 2];
    let newer = good.replacen("schema: 1,", "schema: 7,", 1);
    let older = good.replacen("schema: 1,", "schema: 0,", 1);
    // A newer Embargo may also have added fields this build does not know.
    let newer_fields = newer.replacen("schema: 7,", "schema: 7,\n    vault: Sealed(3),", 1);
    let corrupt = good.replacen(
        "severity: Some(Critical)",
        "severity: Some(Catastrophic)",
        1,
    );
    let cases: Vec<Case> = vec![
        (
            "empty",
            b"  \n".to_vec(),
            |e| matches!(e, StoreError::Empty { .. }),
            "is empty",
        ),
        (
            "binary",
            vec![0x1f, 0x8b, 0xff, 0xfe, 0x00, 0x01],
            |e| matches!(e, StoreError::NotText { .. }),
            "not a text file",
        ),
        (
            "truncated",
            truncated.as_bytes().to_vec(),
            |e| matches!(e, StoreError::Malformed { .. }),
            "restore",
        ),
        (
            "corrupt",
            corrupt.into_bytes(),
            |e| matches!(e, StoreError::Malformed { .. }),
            "Catastrophic",
        ),
        (
            "newer",
            newer.into_bytes(),
            |e| matches!(e, StoreError::NewerSchema { found: 7, .. }),
            "upgrade Embargo",
        ),
        (
            "newer with new fields",
            newer_fields.into_bytes(),
            |e| matches!(e, StoreError::NewerSchema { found: 7, .. }),
            "upgrade Embargo",
        ),
        (
            "wrong version",
            older.into_bytes(),
            |e| matches!(e, StoreError::UnknownSchema { found: 0, .. }),
            "schema version 0",
        ),
        (
            "other RON",
            b"Config(window: (w: 3, h: 4), theme: \"dark\")".to_vec(),
            |e| matches!(e, StoreError::NotAProject { .. }),
            "`Config`",
        ),
        (
            "RON without schema",
            b"(name: \"x\")".to_vec(),
            |e| matches!(e, StoreError::NotAProject { .. }),
            "no `schema`",
        ),
    ];
    for (name, bytes, is_expected, says) in cases {
        let path = write(dir.path(), &format!("{name}.embargo.ron"), &bytes);
        let before = snapshot(&path);
        let err = store::load(&path).expect_err(name);
        assert!(is_expected(&err), "{name}: unexpected error {err:?}");
        let message = err.to_string();
        assert!(message.contains(says), "{name}: {message}");
        assert!(
            message.contains(&path.display().to_string()),
            "{name}: names the file: {message}"
        );
        assert_eq!(
            snapshot(&path),
            before,
            "{name}: the file was touched by a failed load"
        );
        assert!(
            !store::backup_path(&path).exists(),
            "{name}: a failed load wrote a backup"
        );
    }
}

#[test]
fn malformed_file_error_has_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = store::project_to_string(&example());
    let bad = good.replacen("    name: \"Postbote\",", "    name: Postbote\",", 1);
    let path = write(dir.path(), "x.embargo.ron", bad.as_bytes());
    match store::load(&path) {
        Err(StoreError::Malformed { line, column, .. }) => {
            assert_eq!(line, 3);
            assert!(column >= 11, "column {column}");
        }
        other => panic!("expected a malformed-file error, got {other:?}"),
    }
}

#[test]
fn save_is_private_keeps_a_backup_and_leaves_no_temporaries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.embargo.ron");
    // A file made by someone else with a permissive mode.
    fs::write(&path, "old").expect("written");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");

    let mut project = example();
    store::save(&path, &project).expect("saved");
    let mode = |p: &Path| fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    let bak = store::backup_path(&path);
    assert_eq!(fs::read_to_string(&bak).expect("backup"), "old");
    assert_eq!(mode(&bak), 0o600, "the backup holds the same secrets");

    project.name = "Renamed".into();
    store::save(&path, &project).expect("saved again");
    assert_eq!(store::load(&path).expect("loads").name, "Renamed");
    assert_eq!(store::load(&bak).expect("backup loads").name, "Postbote");
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["p.embargo.ron", "p.embargo.ron.bak"], "{names:?}");
}

#[test]
fn save_into_a_missing_directory_fails_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nope").join("p.embargo.ron");
    let err = store::save(&path, &example()).expect_err("no directory");
    assert!(
        err.to_string()
            .contains("cannot create a temporary file in"),
        "{err}"
    );
}

#[test]
fn the_lock_refuses_a_second_writer_and_names_the_holder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.embargo.ron");
    let first = ProjectLock::acquire(&path, "embargo test").expect("first lock");
    assert!(first.stale.is_none());
    match ProjectLock::acquire(&path, "second") {
        Err(StoreError::Locked { holder, .. }) => {
            assert_eq!(holder.pid, std::process::id());
            assert_eq!(holder.program, "embargo test");
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    // Another process (the CLI) is refused too, with a message naming us.
    let out = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args([
            "step",
            path.to_str().expect("utf-8"),
            "--issue",
            "X",
            "--done",
            "keep_notes",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("process {}", std::process::id())),
        "{stderr}"
    );
    drop(first);
    assert!(
        !store::lock_path(&path).exists(),
        "released locks are removed"
    );
    ProjectLock::acquire(&path, "third").expect("free again");
}

#[test]
fn a_stale_lock_of_a_dead_process_is_taken_over_with_a_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.embargo.ron");
    // A process that held the lock and died: its lock file stays, unlocked.
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("--version")
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    let dead = child.id();
    child.wait().expect("exits");
    fs::write(
        store::lock_path(&path),
        format!("{dead} somehost embargo (desktop app)\n"),
    )
    .expect("written");
    let lock = ProjectLock::acquire(&path, "test").expect("stale lock taken over");
    let stale = lock.stale.clone().expect("the takeover is reported");
    assert_eq!(stale.pid, dead);
    assert_eq!(stale.host, "somehost");
}

/// A large project whose content says which of two versions it is.
fn big(version: &str) -> Project {
    let mut p = Project::new(
        format!("Big {version}"),
        PlaybookRef::Builtin("exim".into()),
    );
    let at = Utc
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("valid");
    for n in 0..300 {
        let mut i = Issue::new(
            format!("BIG-{n}"),
            format!("issue {n} of version {version}"),
            at,
        );
        i.description = format!("{version} ").repeat(50);
        for k in 0..10 {
            i.journal.push(
                JournalEntry::new(at, Some("keep_notes"), Event::Note)
                    .with_note(format!("{version} {k}")),
            );
        }
        p.issues.push(i);
    }
    p
}

/// Run as a child process by `crash_safety_under_random_kills`: save the two
/// versions in turn until killed.
#[test]
#[ignore = "helper process for crash_safety_under_random_kills"]
fn save_loop_child() {
    let path =
        PathBuf::from(std::env::var("EMBARGO_SAVE_LOOP").expect("run by the crash-safety test"));
    let (a, b) = (big("A"), big("B"));
    loop {
        store::save(&path, &a).expect("save A");
        store::save(&path, &b).expect("save B");
    }
}

/// How many times the saving child is killed at a random moment.
const ROUNDS: usize = 200;

#[test]
fn crash_safety_under_random_kills() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.embargo.ron");
    let (a, b) = (big("A"), big("B"));
    store::save(&path, &a).expect("initial save");
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_nanos() as u64
        | 1;
    let mut x = seed;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut seen_b = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--ignored",
                "--exact",
                "save_loop_child",
                "--test-threads",
                "1",
            ])
            .env("EMBARGO_SAVE_LOOP", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        std::thread::sleep(Duration::from_millis(20 + next() % 150));
        child.kill().expect("kill");
        child.wait().expect("reaped");
        let loaded =
            store::load(&path).unwrap_or_else(|e| panic!("round {round} (seed {seed}): {e}"));
        assert!(
            loaded == a || loaded == b,
            "round {round} (seed {seed}): neither version"
        );
        if loaded == b {
            seen_b += 1;
        }
        if let Ok(bak) = store::load(&store::backup_path(&path)) {
            assert!(
                bak == a || bak == b,
                "round {round}: the backup is a whole version"
            );
        }
    }
    assert!(
        seen_b > 0,
        "the child never completed a save: the test did not exercise anything"
    );
    // Temporaries of killed saves are cleaned up by the next lock holder.
    drop(ProjectLock::acquire(&path, "cleanup").expect("lock"));
    let leftovers = fs::read_dir(dir.path())
        .expect("listable")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        })
        .count();
    assert_eq!(leftovers, 0);
}
