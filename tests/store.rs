//! Project files on disk: bad files each get their own clear error and stay
//! untouched, saves are atomic with a backup and mode 0600, the lock refuses a
//! second writer, and a writer killed at random moments never leaves a file
//! that does not load.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
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
    let ours = format!("schema: {},", embargo::core::model::SCHEMA_VERSION);
    assert!(good.contains(&ours));
    let newer = good.replacen(&ours, "schema: 7,", 1);
    let older = good.replacen(&ours, "schema: 0,", 1);
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
    let (mut a, mut b) = (big("A"), big("B"));
    // Loaded, the entries have the ids saving gives them.
    a.fill_ids();
    b.fill_ids();
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

/// Line and column (1-based) of the first `needle` in `text`.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("the fixture holds the needle");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, column)
}

#[test]
fn a_misspelled_or_unknown_field_is_refused_with_its_place_and_the_nearest_name() {
    // Accepted and dropped on the next save, a misspelled `must_encrypt`
    // would send that recipient plain mail.
    let dir = tempfile::tempdir().expect("temp dir");
    let good = store::project_to_string(&example());
    let typo = good.replacen("must_encrypt: true", "must_encrpyt: true", 1);
    assert_ne!(
        typo, good,
        "the example has a recipient who must get encrypted mail"
    );
    let (line, column) = place_of(&typo, "must_encrpyt");
    let path = write(dir.path(), "typo.embargo.ron", typo.as_bytes());
    let before = snapshot(&path);
    let err = store::load(&path).expect_err("an unknown field is refused");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:{line}:", path.display())),
        "names the line {line} (column {column}): {message}"
    );
    for says in [
        "`must_encrpyt`",
        "`Recipient`",
        "did you mean `must_encrypt`?",
    ] {
        assert!(message.contains(says), "{says}: {message}");
    }
    assert_eq!(snapshot(&path), before, "the file was touched");

    // Far from every known name: the known ones are listed instead.
    let odd = good.replacen("must_encrypt: true", "colour: true", 1);
    let path = write(dir.path(), "odd.embargo.ron", odd.as_bytes());
    let message = store::load(&path).expect_err("refused").to_string();
    assert!(message.contains("`colour`"), "{message}");
    assert!(!message.contains("did you mean"), "{message}");
    assert!(
        message.contains("must_encrypt"),
        "lists the known fields: {message}"
    );

    // Deep inside an issue, in a struct variant of an enum, and at the top.
    for (from, to, within) in [
        ("description: \"", "desciption: \"", "desciption"),
        ("message_id: \"", "mesage_id: \"", "mesage_id"),
        ("    journal: [", "    jornal: [", "jornal"),
    ] {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good, "{from}");
        let path = write(dir.path(), "deep.embargo.ron", bad.as_bytes());
        let message = store::load(&path).expect_err(within).to_string();
        assert!(message.contains(&format!("`{within}`")), "{message}");
        assert!(message.contains("did you mean"), "{message}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!("\u{feff}{}", store::EXAMPLE.1);
    let path = write(dir.path(), "bom.embargo.ron", text.as_bytes());
    assert_eq!(store::load(&path).expect("loads"), example());
}

#[test]
fn very_deep_nesting_names_the_line_and_no_parser_internals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deep = format!(
        "EmbargoProject(\n    schema: 1,\n    name: {}\n",
        "[".repeat(10_000)
    );
    let path = write(dir.path(), "deep.embargo.ron", deep.as_bytes());
    let message = store::load(&path).expect_err("refused").to_string();
    for says in ["nested too deeply", "line 3", "not a project Embargo wrote"] {
        assert!(message.contains(says), "{says}: {message}");
    }
    for internal in ["recursion_limit", "serde_stacker"] {
        assert!(!message.contains(internal), "{message}");
    }
}

/// `store::load` on another thread, given `secs` seconds to answer.
fn load_within(path: &Path, secs: u64) -> Option<Result<Project, StoreError>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(store::load(&p));
    });
    rx.recv_timeout(Duration::from_secs(secs)).ok()
}

#[test]
fn only_regular_files_of_sane_size_are_read() {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("fifo.embargo.ron");
    mknodat(CWD, &fifo, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).expect("mkfifo");
    let err = load_within(&fifo, 10)
        .expect("a FIFO must not hang the load")
        .expect_err("a FIFO is not a project");
    assert!(matches!(err, StoreError::NotAFile { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("named pipe"), "{message}");
    assert!(message.contains("not a regular file"), "{message}");

    // A writer's lock is released again (and removed) when the load refuses.
    let lock = ProjectLock::acquire(&fifo, "test").expect("lock");
    assert!(load_within(&fifo, 10).expect("answers").is_err());
    drop(lock);
    assert!(!store::lock_path(&fifo).exists(), "no lock left behind");

    for (path, what) in [
        (PathBuf::from("/dev/zero"), "a device"),
        (dir.path().to_owned(), "a directory"),
    ] {
        let err = load_within(&path, 10)
            .expect("answers at once")
            .expect_err("not a project");
        assert!(err.to_string().contains(what), "{err}");
    }

    // A sparse file of 257 MiB is refused before a byte is read.
    let huge = dir.path().join("huge.embargo.ron");
    let f = fs::File::create(&huge).expect("created");
    f.set_len(257 << 20).expect("sparse");
    let err = load_within(&huge, 10)
        .expect("answers at once")
        .expect_err("too large");
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("256 MiB"), "{err}");

    // Nor is a save written over something that is not a regular file.
    let err = store::save(&fifo, &example()).expect_err("not over a FIFO");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(
        fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_symlinked_project_is_saved_through_the_link_to_its_target() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).expect("dir");
    let target = real_dir.join("p.embargo.ron");
    let mut project = example();
    store::save(&target, &project).expect("saved");
    let link = dir.path().join("link.embargo.ron");
    symlink(&target, &link).expect("symlink");

    let lock = ProjectLock::acquire(&link, "test").expect("locked through the link");
    assert_eq!(
        lock.path(),
        store::lock_path(&target),
        "the lock is the target's, so both names share it"
    );
    assert!(
        matches!(
            ProjectLock::acquire(&target, "other"),
            Err(StoreError::Locked { .. })
        ),
        "the target's own name is locked too"
    );
    project.name = "Through the link".into();
    store::save(&link, &project).expect("saved through the link");
    drop(lock);

    let meta = fs::symlink_metadata(&link).expect("the link");
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    assert_eq!(fs::read_link(&link).expect("points"), target);
    assert_eq!(
        store::load(&target).expect("loads").name,
        "Through the link"
    );
    let bak = store::backup_path(&target);
    let bak_meta = fs::symlink_metadata(&bak).expect("the backup beside the target");
    assert!(bak_meta.file_type().is_file(), "the backup is a plain file");
    assert_eq!(store::load(&bak).expect("backup loads").name, "Postbote");
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["link.embargo.ron", "real"],
        "nothing beside the link"
    );

    // A link to nothing is refused, naming both.
    let dangling = dir.path().join("dangling.embargo.ron");
    symlink(dir.path().join("gone.embargo.ron"), &dangling).expect("symlink");
    let err = store::save(&dangling, &project).expect_err("dangling");
    let message = err.to_string();
    assert!(message.contains("gone.embargo.ron"), "{message}");
    assert!(message.contains("does not exist"), "{message}");
    assert!(!dir.path().join("gone.embargo.ron").exists());
    assert!(
        fs::symlink_metadata(&dangling)
            .expect("kept")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_planted_lock_link_or_hard_link_is_never_written_through() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let victim = dir.path().join("authorized_keys");
    fs::write(&victim, "ssh-ed25519 AAAA the user's key\n").expect("written");
    let path = dir.path().join("p.embargo.ron");
    symlink(&victim, store::lock_path(&path)).expect("planted");
    let err = ProjectLock::acquire(&path, "test").expect_err("a link is not a lock");
    let message = err.to_string();
    assert!(message.contains("symbolic link"), "{message}");
    assert!(
        message.contains(&store::lock_path(&path).display().to_string()),
        "{message}"
    );
    assert_eq!(
        fs::read_to_string(&victim).expect("victim"),
        "ssh-ed25519 AAAA the user's key\n",
        "the link's target was written"
    );

    fs::remove_file(store::lock_path(&path)).expect("removed");
    fs::hard_link(&victim, store::lock_path(&path)).expect("planted");
    let err = ProjectLock::acquire(&path, "test").expect_err("a hard link is not a lock");
    assert!(err.to_string().contains("other names"), "{err}");
    assert_eq!(
        fs::read_to_string(&victim).expect("victim"),
        "ssh-ed25519 AAAA the user's key\n",
        "the hard link's file was written"
    );
}

#[test]
fn a_directory_other_users_can_write_is_refused_unless_sticky_and_ours() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let path = d.join("p.embargo.ron");
    store::save(&path, &example()).expect("saved while the directory is private");
    let chmod = |mode| fs::set_permissions(d, fs::Permissions::from_mode(mode)).expect("chmod");
    for (mode, why) in [(0o777, "world-writable"), (0o770, "group-writable")] {
        chmod(mode);
        let before = snapshot(&path);
        let err = ProjectLock::acquire(&path, "test").expect_err("refused");
        let message = err.to_string();
        for says in [why, &format!("chmod go-w {}", d.display()), "other users"] {
            assert!(message.contains(says), "{mode:o}: {says}: {message}");
        }
        let err = store::save(&path, &example()).expect_err("refused");
        assert!(err.to_string().contains(why), "{err}");
        assert_eq!(snapshot(&path), before);
        assert!(!store::lock_path(&path).exists());
    }
    // Sticky and ours, as a shared /tmp-like directory of our own.
    chmod(0o1777);
    drop(ProjectLock::acquire(&path, "test").expect("sticky and ours is fine"));
    store::save(&path, &example()).expect("saved");
    // Sticky but someone else's: only root can make one here.
    if rustix::process::geteuid().is_root() {
        std::os::unix::fs::chown(d, Some(65534), None).expect("chown");
        let err = ProjectLock::acquire(&path, "test").expect_err("not ours");
        assert!(err.to_string().contains("owned by"), "{err}");
        std::os::unix::fs::chown(d, Some(0), None).expect("chown back");
    }
    chmod(0o700);
}

#[test]
fn a_project_that_does_not_validate_is_never_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.embargo.ron");
    store::save(&path, &example()).expect("saved");
    let before = snapshot(&path);
    let mut dup = example();
    let again = dup.issues[0].clone();
    dup.issues.push(again);
    let err = store::save(&path, &dup).expect_err("duplicate IDs are refused");
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{} is not a valid project:", path.display())),
        "{message}"
    );
    assert!(
        message.contains("the ID is used by two issues"),
        "{message}"
    );
    assert_eq!(snapshot(&path), before, "nothing was written");
    assert!(!store::backup_path(&path).exists());
}
