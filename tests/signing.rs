//! Signing and verification against real GnuPG: a throw-away GNUPGHOME with
//! its own gpg-agent (from `tests/support`, killed when the test ends), keys
//! made by gpg, and signatures checked both ways. Failure cases must give
//! their own message and leave no `.asc` behind. Every run of the binary is
//! bounded in time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use embargo::adapters::openpgp::{self, KeySource, OpenPgpError, Passphrase};
use embargo::core::ports::Watch;
use sequoia_openpgp as sq;
use sq::cert::CertBuilder;
use sq::serialize::SerializeInto;

mod support;

use support::{Gpg, mode, text};

fn embargo(args: &[&str], gnupghome: &Path, stdin: Option<&str>) -> Output {
    support::embargo_with_fd3(args, stdin.unwrap_or(""), None, |c| {
        c.env("GNUPGHOME", gnupghome);
    })
}

fn write(path: &Path, bytes: &[u8]) -> String {
    std::fs::write(path, bytes).expect("written");
    path.to_str().expect("utf-8").to_owned()
}

fn asc_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".asc") && !n.contains(".cert.") && !n.contains(".key."))
        .collect();
    v.sort();
    v
}

#[test]
fn agent_signatures_and_sums_pass_gpg_and_coreutils() {
    let g = Gpg::new();
    let fpr = g.make_key("Release Signer <sign@example.org>", "");
    let out = g.work().join("out");
    std::fs::create_dir(&out).expect("dir");
    // Bigger than one read chunk, and not a multiple of it.
    let big: Vec<u8> = (0..3_500_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let tarball = write(&out.join("postbote-4.99.3.tar.xz"), &big);
    let patch = write(&out.join("postbote-4.99.3.patch"), b"--- a\n+++ b\n");
    // An earlier checksum line for another file is kept.
    std::fs::write(
        out.join("SHA256SUMS"),
        format!("{}  old.tar.gz\n", "0".repeat(64)),
    )
    .expect("written");
    let home = g.home();
    let o = embargo(
        &[
            "sign",
            "--key",
            &fpr,
            "--homedir",
            home.to_str().expect("utf-8"),
            "--sums",
            "--json",
            &tarball,
            &patch,
        ],
        &home,
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["signer"], fpr.as_str());
    assert_eq!(json["files"][0]["size"], 3_500_000);
    assert_eq!(json["files"].as_array().map(Vec::len), Some(2));
    assert!(
        text(&o.stderr).contains("Release Signer"),
        "shows the signer"
    );
    // Every signature was verified after signing, as the app does.
    let verified = json["verified"].as_array().expect("verified listed");
    assert_eq!(verified.len(), 2, "{json}");
    for (v, file) in verified.iter().zip([&tarball, &patch]) {
        assert_eq!(v["signature"], format!("{file}.asc"));
        assert_eq!(v["signer"], fpr.as_str());
    }

    for file in [&tarball, &patch] {
        let v = g.run(&["--verify", &format!("{file}.asc"), file], None);
        assert!(
            v.status.success(),
            "gpg --verify {file}: {}",
            text(&v.stderr)
        );
        assert!(text(&v.stderr).contains("Good signature"));
    }
    for tool in ["sha256sum", "sha512sum"] {
        let list = if tool == "sha256sum" {
            "SHA256SUMS"
        } else {
            "SHA512SUMS"
        };
        let c = Command::new(tool)
            .args(["-c", "--ignore-missing", list])
            .current_dir(&out)
            .output()
            .expect("coreutils");
        assert!(c.status.success(), "{tool} -c: {}", text(&c.stdout));
        assert_eq!(text(&c.stdout).matches(": OK").count(), 2, "{tool}");
    }
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).expect("read");
    assert!(
        sums.starts_with(&format!("{}  old.tar.gz\n", "0".repeat(64))),
        "{sums}"
    );
}

#[test]
fn gpg_signatures_verify_with_embargo_and_tampering_is_caught() {
    let g = Gpg::new();
    let fpr = g.make_key("Someone <someone@example.org>", "");
    let file = write(&g.work().join("release.tar.gz"), b"the release\n");
    g.ok(&["--armor", "--detach-sign", "--local-user", &fpr, &file]);
    let cert = g.export_cert(&fpr);
    let cert = cert.to_str().expect("utf-8");
    let sig = format!("{file}.asc");
    let o = embargo(
        &["verify", "--cert", cert, &sig, &file, "--json"],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["good"], true);
    assert_eq!(json["signer"], fpr.as_str());

    std::fs::write(&file, b"the release, altered\n").expect("written");
    let o = embargo(&["verify", "--cert", cert, &sig, &file], &g.home(), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("BAD signature"),
        "{}",
        text(&o.stderr)
    );

    // Another key's certificate does not verify it either.
    let other = g.make_key("Other <other@example.org>", "");
    let other = g.export_cert(&other);
    std::fs::write(&file, b"the release\n").expect("written");
    let o = embargo(
        &[
            "verify",
            "--cert",
            other.to_str().expect("utf-8"),
            &sig,
            &file,
        ],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
}

#[test]
fn key_file_with_passphrase_and_its_failures() {
    let g = Gpg::new();
    let fpr = g.make_key("File Key <file@example.org>", "correct horse");
    let key = g.export_secret(&fpr, "correct horse");
    let key = key.to_str().expect("utf-8");
    let dir = g.work().join("files");
    std::fs::create_dir(&dir).expect("dir");
    let file = write(&dir.join("fix.patch"), b"+fixed\n");
    // An empty GnuPG home proves the key file alone is used.
    let empty = Gpg::new();

    let o = embargo(
        &["sign", "--key-file", key, "--passphrase-fd", "0", &file],
        &empty.home(),
        Some("wrong horse\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("wrong passphrase"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        asc_files(&dir).is_empty(),
        "no signature after a wrong passphrase"
    );

    let o = embargo(&["sign", "--key-file", key, &file], &empty.home(), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("protected by a passphrase"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&dir).is_empty());

    let o = embargo(
        &["sign", "--key-file", key, "--passphrase-fd", "0", &file],
        &empty.home(),
        Some("correct horse\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(asc_files(&dir), vec!["fix.patch.asc"]);
    assert!(
        text(&o.stderr).contains(&format!(
            "verified: {file}.asc is a good signature by {fpr}"
        )),
        "says the signature was verified: {}",
        text(&o.stderr)
    );
    let v = g.run(&["--verify", &format!("{file}.asc"), &file], None);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let asc = std::fs::read_to_string(format!("{file}.asc")).expect("read");
    assert!(asc.starts_with("-----BEGIN PGP SIGNATURE-----"), "{asc}");
    assert!(!asc.contains("correct horse"));
}

#[test]
fn missing_key_missing_file_and_bad_key_file_are_explained() {
    let g = Gpg::new();
    let fpr = g.make_key("Present <present@example.org>", "");
    let dir = g.work().join("files");
    std::fs::create_dir(&dir).expect("dir");
    let file = write(&dir.join("a.tar.gz"), b"a");
    let home = g.home();
    let home_s = home.to_str().expect("utf-8");

    let absent = "0123456789ABCDEF0123456789ABCDEF01234567";
    let o = embargo(
        &["sign", "--key", absent, "--homedir", home_s, &file],
        &home,
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("has no key"),
        "{}",
        text(&o.stderr)
    );

    // An unreadable (here: missing) file among good ones: nothing is signed.
    let missing = dir.join("missing.tar.gz");
    let o = embargo(
        &[
            "sign",
            "--key",
            &fpr,
            "--homedir",
            home_s,
            &file,
            missing.to_str().expect("utf-8"),
        ],
        &home,
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot read") && text(&o.stderr).contains("missing.tar.gz"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&dir).is_empty(), "all or nothing");

    let bogus = write(&dir.join("bogus.asc.key"), b"not a key at all");
    let o = embargo(&["sign", "--key-file", &bogus, &file], &home, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("holds no OpenPGP key"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&dir).is_empty());
}

/// A key made by sequoia with a chosen creation time and validity.
fn sequoia_key(
    dir: &Path,
    created_days_ago: u64,
    valid_days: Option<u64>,
    revoke: bool,
) -> PathBuf {
    let day = Duration::from_secs(86_400);
    sequoia_key_made(
        dir,
        day * created_days_ago as u32,
        valid_days.map(|d| day * d as u32),
        revoke,
    )
}

/// [`sequoia_key`] made `age` ago, valid for `validity`.
fn sequoia_key_made(
    dir: &Path,
    age: Duration,
    validity: Option<Duration>,
    revoke: bool,
) -> PathBuf {
    let created = SystemTime::now() - age;
    let (mut cert, rev) = CertBuilder::general_purpose(Some("Timed <timed@example.org>"))
        .set_creation_time(created)
        .set_validity_period(validity)
        .generate()
        .expect("generated");
    if revoke {
        cert = cert.insert_packets(rev).expect("revoked").0;
    }
    let path = dir.join(format!(
        "timed-{}-{:?}-{revoke}.key",
        age.as_secs(),
        validity.map(|v| v.as_secs())
    ));
    std::fs::write(&path, cert.as_tsk().armored().to_vec().expect("armored")).expect("written");
    path
}

#[test]
fn expired_revoked_and_soon_expiring_keys() {
    let g = Gpg::new();
    let dir = g.work();
    let file = write(&dir.join("r.tar.gz"), b"r");
    let sign = |key: &Path| {
        embargo(
            &["sign", "--key-file", key.to_str().expect("utf-8"), &file],
            &g.home(),
            None,
        )
    };

    let o = sign(&sequoia_key(&dir, 10, Some(1), false));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("expired on"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&dir).is_empty());

    let o = sign(&sequoia_key(&dir, 1, None, true));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("is revoked"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&dir).is_empty());

    let o = sign(&sequoia_key(&dir, 1, Some(11), false));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("warning: the key") && text(&o.stderr).contains("expires on"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(asc_files(&dir), vec!["r.tar.gz.asc"]);
}

/// Appends to the file being signed once its first chunk is read.
struct Appender(PathBuf);

impl Watch for Appender {
    fn item(&self, _file: usize, done: u64, _total: u64) {
        if done > 0 {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&self.0)
                .expect("open");
            f.write_all(b"tampered").expect("appended");
        }
    }
}

/// Cancels after the first chunk.
struct Canceller(std::sync::atomic::AtomicBool);

impl Watch for Canceller {
    fn item(&self, _file: usize, done: u64, _total: u64) {
        if done > 0 {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
fn a_file_changing_while_signed_or_a_cancel_leaves_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let key = sequoia_key(dir.path(), 1, None, false);
    let source = KeySource::File { path: key };
    let cert = openpgp::load_cert(&source).expect("cert");
    let mut signer = openpgp::unlock(&source, &cert, None, SystemTime::now()).expect("unlocked");
    let big = dir.path().join("big.tar.gz");
    std::fs::write(&big, vec![7u8; 3 << 20]).expect("written");
    let files = vec![big.clone()];

    let err = openpgp::sign_files(&mut signer, &files, true, &Appender(big.clone()))
        .expect_err("the file changed");
    assert!(matches!(err, OpenPgpError::Changed(_)), "{err}");
    assert!(
        err.to_string()
            .contains("changed while it was being signed")
    );
    let cancel = Canceller(Default::default());
    let err = openpgp::sign_files(&mut signer, &files, true, &cancel).expect_err("cancelled");
    assert!(matches!(err, OpenPgpError::Cancelled), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "big.tar.gz" && !n.starts_with("timed-"))
        .collect();
    assert!(left.is_empty(), "nothing written, no temporaries: {left:?}");

    // Unchanged, it signs, and the result verifies with the public part.
    let out = openpgp::sign_files(&mut signer, &files, false, &embargo::core::ports::Unwatched)
        .expect("signed");
    let v = openpgp::verify_detached(&cert, &out.files[0].signature, &big).expect("verifies");
    assert_eq!(v.signer, cert.fingerprint().to_hex());
}

#[test]
fn passphrase_debug_shows_nothing() {
    let p = Passphrase::new("hunter2".into());
    assert!(!format!("{p:?}").contains("hunter2"));
    let p = Passphrase::read_from(&b"pass word\r\nsecond line"[..]).expect("read");
    let dir = tempfile::tempdir().expect("dir");
    let (cert, _) = CertBuilder::general_purpose(Some("P <p@example.org>"))
        .set_password(Some("pass word".into()))
        .generate()
        .expect("generated");
    let path = dir.path().join("k.asc");
    std::fs::write(&path, cert.as_tsk().armored().to_vec().expect("armored")).expect("written");
    let source = KeySource::File { path };
    let cert = openpgp::load_cert(&source).expect("cert");
    openpgp::unlock(&source, &cert, Some(&p), SystemTime::now())
        .expect("the first line, without CR LF, is the passphrase");
}

#[test]
fn clear_signed_advisory_verifies_with_gpg() {
    let g = Gpg::new();
    let fpr = g.make_key("Postbote Security <security@postbote.example>", "s3cret");
    let key = g.export_secret(&fpr, "s3cret");
    let project = g.work().join("postbote.embargo.ron");
    std::fs::write(&project, embargo::adapters::store::EXAMPLE.1).expect("example");
    let out = g.work().join("adv");
    std::fs::create_dir(&out).expect("dir");
    let o = embargo(
        &[
            "export",
            project.to_str().expect("utf-8"),
            "--release",
            "4.12.2",
            "--format",
            "advisory",
            "--out",
            out.to_str().expect("utf-8"),
            "--sign",
            "--key-file",
            key.to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
        ],
        &g.home(),
        Some("s3cret\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let file = out.join("secadv_20261013.txt");
    let signed = std::fs::read_to_string(&file).expect("written");
    assert!(
        signed.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"),
        "{signed}"
    );
    let v = g.run(&["--verify", file.to_str().expect("utf-8")], None);
    assert!(v.status.success(), "gpg --verify: {}", text(&v.stderr));

    // Records are not clear-signed.
    let o = embargo(
        &[
            "export",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
            "--format",
            "cve-json",
            "--sign",
        ],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not clear-signed"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_key_expiring_within_hours_says_within_a_day() {
    let g = Gpg::new();
    let dir = g.work();
    let file = write(&dir.join("r.tar.gz"), b"r");
    let hour = Duration::from_secs(3600);
    // Made an hour ago, valid for a day: it expires in 23 hours.
    let key = sequoia_key_made(&dir, hour, Some(hour * 24), false);
    let o = embargo(
        &["sign", "--key-file", key.to_str().expect("utf-8"), &file],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("warning: the key") && err.contains("(within a day); extend it soon"),
        "{err}"
    );
    assert!(!err.contains("in 0 days"), "{err}");
}

/// Replaces the first file of the batch, once the second one is being
/// read: by a new file renamed over it, or by other bytes of the same size
/// written into it.
struct Replacer {
    first: PathBuf,
    in_place: bool,
    done: std::sync::atomic::AtomicBool,
}

impl Watch for Replacer {
    fn item(&self, file: usize, done: u64, _total: u64) {
        use std::sync::atomic::Ordering;
        if file != 1 || done == 0 || self.done.swap(true, Ordering::SeqCst) {
            return;
        }
        if self.in_place {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&self.first)
                .expect("open");
            f.write_all(b"EVIL").expect("rewritten");
        } else {
            let new = self
                .first
                .parent()
                .expect("dir")
                .join("staging")
                .join("new");
            std::fs::create_dir_all(new.parent().expect("dir")).expect("dir");
            std::fs::write(&new, b"+evil\n").expect("written");
            std::fs::rename(&new, &self.first).expect("replaced");
        }
    }
}

#[test]
fn a_file_replaced_after_its_read_while_a_later_one_is_read_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let key = sequoia_key(dir.path(), 1, None, false);
    let source = KeySource::File { path: key };
    let cert = openpgp::load_cert(&source).expect("cert");
    let mut signer = openpgp::unlock(&source, &cert, None, SystemTime::now()).expect("unlocked");
    for in_place in [false, true] {
        let first = dir.path().join("fix.patch");
        std::fs::write(&first, b"+fixed\n").expect("written");
        // Last changed an hour ago, so that a rewrite shows in its time.
        std::fs::File::options()
            .write(true)
            .open(&first)
            .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(3600)))
            .expect("dated");
        // Bigger than one read chunk, so it is read in several.
        let second = dir.path().join("big.tar.gz");
        std::fs::write(&second, vec![7u8; 3 << 20]).expect("written");
        let watch = Replacer {
            first: first.clone(),
            in_place,
            done: Default::default(),
        };
        let err = openpgp::sign_files(&mut signer, &[first.clone(), second], true, &watch)
            .expect_err("the first file is no longer what was signed");
        assert!(watch.done.into_inner(), "the replacement happened");
        match &err {
            OpenPgpError::Changed(p) => assert_eq!(p, &first, "in place: {in_place}"),
            other => panic!("in place {in_place}: {other}"),
        }
        assert!(
            err.to_string()
                .contains("changed while it was being signed")
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !["fix.patch", "big.tar.gz", "staging"].contains(&n.as_str())
                    && !n.starts_with("timed-")
            })
            .collect();
        assert!(
            left.is_empty(),
            "in place {in_place}: no signature, no sums, no temporaries: {left:?}"
        );
    }
}

#[test]
fn sums_are_never_read_or_written_through_a_link() {
    let g = Gpg::new();
    let key = sequoia_key(&g.work(), 1, None, false);
    let key = key.to_str().expect("utf-8");
    let out = g.work().join("out");
    std::fs::create_dir(&out).expect("dir");
    let file = write(&out.join("postbote-4.99.3.tar.gz"), b"release\n");
    // A list elsewhere, holding what must not leak into the release's sums.
    let secret = g.work().join("secret-notes");
    std::fs::write(&secret, "embargoed: CVE-2026-0001 is a heap overflow\n").expect("written");
    let link = out.join("SHA256SUMS");
    std::os::unix::fs::symlink(&secret, &link).expect("link");

    let o = embargo(
        &["sign", "--key-file", key, "--sums", &file],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains("SHA256SUMS is not a plain file") && err.contains("symbolic link"),
        "{err}"
    );
    assert!(asc_files(&out).is_empty(), "nothing signed");
    assert!(!out.join("SHA512SUMS").exists(), "nothing written");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("kept")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&secret).expect("read"),
        "embargoed: CVE-2026-0001 is a heap overflow\n"
    );

    // SHA512SUMS as a link (to a missing file) is refused just the same.
    std::fs::remove_file(&link).expect("removed");
    std::os::unix::fs::symlink("nowhere", out.join("SHA512SUMS")).expect("link");
    let o = embargo(
        &["sign", "--key-file", key, "--sums", &file],
        &g.home(),
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("SHA512SUMS is not a plain file"),
        "{}",
        text(&o.stderr)
    );
    assert!(asc_files(&out).is_empty());
    assert!(!out.join("SHA256SUMS").exists());
}

#[test]
fn sums_lines_are_replaced_whatever_the_name_and_every_output_is_private() {
    let g = Gpg::new();
    let key = sequoia_key(&g.work(), 1, None, false);
    let key = key.to_str().expect("utf-8");
    let out = g.work().join("out");
    std::fs::create_dir(&out).expect("dir");
    let names = ["*star.tar.gz", " space.tar.gz", "plain.tar.gz"];
    // Another file, listed by sha256sum itself in its escaped form, is kept;
    // two stale lines for one of ours are dropped.
    std::fs::write(out.join("back\\slash.txt"), b"other\n").expect("written");
    let listed = Command::new("sha256sum")
        .arg("back\\slash.txt")
        .current_dir(&out)
        .output()
        .expect("sha256sum");
    assert!(listed.stdout.starts_with(b"\\"), "{}", text(&listed.stdout));
    let mut existing = listed.stdout.clone();
    for _ in 0..2 {
        existing.extend_from_slice(format!("{}  plain.tar.gz\n", "0".repeat(64)).as_bytes());
    }
    std::fs::write(out.join("SHA256SUMS"), &existing).expect("written");

    for round in ["first", "second"] {
        let mut args = vec!["sign", "--key-file", key, "--sums"];
        let paths: Vec<String> = names
            .iter()
            .map(|n| write(&out.join(n), format!("{n} {round}\n").as_bytes()))
            .collect();
        args.extend(paths.iter().map(String::as_str));
        let o = embargo(&args, &g.home(), None);
        assert_eq!(o.status.code(), Some(0), "{round}: {}", text(&o.stderr));
    }
    for (tool, list, files) in [
        ("sha256sum", "SHA256SUMS", 4),
        ("sha512sum", "SHA512SUMS", 3),
    ] {
        let c = Command::new(tool)
            .args(["-c", "--strict", list])
            .current_dir(&out)
            .output()
            .expect("coreutils");
        assert!(
            c.status.success(),
            "{tool} -c: {}{}",
            text(&c.stdout),
            text(&c.stderr)
        );
        assert_eq!(text(&c.stdout).matches(": OK").count(), files, "{tool}");
        let lines = std::fs::read_to_string(out.join(list)).expect("read");
        assert_eq!(lines.lines().count(), files, "one line per file: {lines}");
        assert_eq!(mode(&out.join(list)), 0o600, "{list}");
    }
    assert_eq!(asc_files(&out).len(), 3);
    for name in names {
        // The signed files are the test's (0644); the signatures are private.
        assert_eq!(mode(&out.join(format!("{name}.asc"))), 0o600, "{name}.asc");
    }
}

#[test]
fn agent_passphrase_errors_read_like_the_key_file_ones() {
    let g = Gpg::new();
    let fpr = g.make_key("Agent Key <agent@example.org>", "s3cret");
    let home = g.home();
    let home_s = home.to_str().expect("utf-8").to_owned();
    let dir = g.work().join("files");
    std::fs::create_dir(&dir).expect("dir");
    let file = write(&dir.join("fix.patch"), b"+fixed\n");
    // A fresh agent with this configuration, nothing cached.
    let restart = |conf: &str| {
        std::fs::write(home.join("gpg-agent.conf"), conf).expect("conf");
        let o = Command::new("gpgconf")
            .arg("--homedir")
            .arg(&home)
            .args(["--kill", "gpg-agent"])
            .output()
            .expect("gpgconf");
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    let sign = |extra: &[&str], stdin: &str| {
        let mut args = vec!["sign", "--key", &fpr, "--homedir", &home_s];
        args.extend_from_slice(extra);
        args.push(&file);
        support::embargo_with_fd3(&args, stdin, None, |c| {
            c.env("GNUPGHOME", &home)
                .env_remove("GPG_TTY")
                .env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY");
        })
    };
    let needed = format!(
        "the key {fpr} is protected by a passphrase; enter it (in the CLI: --passphrase-fd N)"
    );

    for (conf, raw) in [
        // pinentry-curses without a terminal: "Inappropriate ioctl for
        // device <Pinentry>".
        ("pinentry-program /usr/bin/pinentry-curses\n", "<Pinentry>"),
        // No pinentry that works: "No pinentry <GPG Agent>".
        ("pinentry-program /bin/false\n", "<GPG Agent>"),
    ] {
        restart(conf);
        let o = sign(&[], "");
        assert_eq!(o.status.code(), Some(1), "{conf}: {}", text(&o.stdout));
        let err = text(&o.stderr);
        assert!(err.contains(&needed), "{conf}: {err}");
        assert!(
            !err.contains(raw) && !err.contains("gpg-agent could not"),
            "{conf}: {err}"
        );
        assert!(asc_files(&dir).is_empty(), "{conf}");
    }

    restart("");
    let o = sign(&["--passphrase-fd", "0"], "wrong horse\n");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "wrong passphrase for the key {fpr}; type it again"
        )),
        "{err}"
    );
    assert!(
        !err.contains("<GPG Agent>") && !err.contains("gpg-agent could not"),
        "{err}"
    );
    assert!(asc_files(&dir).is_empty());

    let o = sign(&["--passphrase-fd", "0"], "s3cret\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(asc_files(&dir), vec!["fix.patch.asc"]);
}
