//! Encryption at rest through the real binary, with real gpg and gpg-agent
//! in a throw-away GnuPG home: `embargo encrypt` turns a project into
//! `NAME.embargo.ron.pgp` to the coordinator's certificate (GnuPG decrypts
//! it to the same text); other subcommands open it with the agent or a key
//! file and save it encrypted again, with an encrypted backup and no plain
//! text left in the directory; the wrong key, a wrong or missing passphrase
//! and a foreign agent each get their own message and change nothing;
//! `embargo decrypt` gives the plain file back.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use embargo::adapters::store::{self, StoreError};
use support::{Gpg, embargo_with_fd3, text};

const NOW: &str = "2026-11-20T10:00:00Z";
/// A phrase of the project that must never be on disk in plain text.
const SECRET_TITLE: &str = "Heap overflow in the quoted-printable decoder";
const PASSPHRASE: &str = "at rest 4 ever";

fn embargo(gpg: &Gpg, args: &[&str], fd3: Option<&str>) -> Output {
    let home = gpg.home();
    embargo_with_fd3(args, "", fd3, |c| {
        c.env("GNUPGHOME", &home).env("EMBARGO_NOW", NOW);
    })
}

/// `embargo step FILE --issue ID --skip intake_record --reason REASON`,
/// which opens the project, journals and saves it, with `extra` flags.
fn skip_intake(
    gpg: &Gpg,
    file: &str,
    id: &str,
    reason: &str,
    extra: &[&str],
    fd3: Option<&str>,
) -> Output {
    let mut args = vec![
        "step",
        file,
        "--issue",
        id,
        "--skip",
        "intake_record",
        "--reason",
        reason,
    ];
    args.extend_from_slice(extra);
    embargo(gpg, &args, fd3)
}

fn ok(o: &Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

fn refused(o: &Output, what: &str, says: &str) {
    assert_eq!(o.status.code(), Some(1), "{what}: {}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains(says), "{what}: {err}");
}

/// Every file in `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).expect("readable");
            (p, b)
        })
        .collect();
    out.sort();
    out
}

fn assert_no_plain_text(dir: &Path) {
    for (p, bytes) in files(dir) {
        assert!(
            !text(&bytes).contains(SECRET_TITLE) && !text(&bytes).contains("EmbargoProject"),
            "{} holds the project in plain text",
            p.display()
        );
    }
}

/// A project with one issue whose title is [`SECRET_TITLE`], signing with
/// the agent's key `signing` if given.
fn project(dir: &Path, signing: Option<&str>) -> (PathBuf, String) {
    let file = dir.join("acme.embargo.ron");
    let mut p = embargo::core::model::Project::new(
        "Acme",
        embargo::core::model::PlaybookRef::Builtin("openssl".into()),
    );
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .expect("valid")
        .to_utc();
    let id = embargo::core::ops::add_issue(&mut p, SECRET_TITLE, now).expect("added");
    p.signing = signing.map(|fpr| embargo::core::model::SigningKeyRef {
        fingerprint: fpr.to_owned(),
        location: embargo::core::model::KeyLocation::GpgAgent { homedir: None },
    });
    store::save(&file, &p).expect("saved");
    store::save(&file, &p).expect("saved again, so that a backup exists");
    (file, id)
}

#[test]
fn an_encrypted_project_is_opened_with_its_key_and_saved_encrypted() {
    let gpg = Gpg::new();
    let fpr = gpg.make_mail_key("Coordinator <sec@example.org>", "");
    let dir = tempfile::tempdir().expect("temp dir");
    let (plain, id) = project(dir.path(), Some(&fpr));
    let f = plain.to_str().expect("utf-8");

    // To the project's own signing key, the coordinator's.
    let o = embargo(&gpg, &["encrypt", f, "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&ok(&o, "encrypt")).expect("JSON");
    let sealed = store::sealed_path(&plain);
    assert_eq!(v["file"], sealed.to_str().expect("utf-8"));
    assert_eq!(v["encrypted_to"], fpr.as_str());
    assert!(!plain.exists(), "the plain file is removed");
    assert!(!store::backup_path(&plain).exists(), "the plain backup too");
    let bytes = std::fs::read(&sealed).expect("written");
    assert!(text(&bytes).starts_with("-----BEGIN PGP MESSAGE-----"));
    assert_no_plain_text(dir.path());

    // GnuPG reads it: a standard OpenPGP message of the project's text.
    let s = sealed.to_str().expect("utf-8");
    let o = gpg.ok(&["--decrypt", s]);
    assert!(text(&o.stdout).contains(SECRET_TITLE));
    assert!(text(&o.stdout).starts_with("EmbargoProject("));

    // The library refuses to read or write it without the key.
    assert!(matches!(
        store::load(&sealed),
        Err(StoreError::Encrypted { .. })
    ));
    let p = store::example().expect("the example");
    assert!(matches!(
        store::save(&sealed, &p),
        Err(StoreError::Encrypted { .. })
    ));
    assert_eq!(std::fs::read(&sealed).expect("still there"), bytes);

    // Other subcommands open it through the agent and save it encrypted.
    let o = embargo(&gpg, &["check", s], None);
    assert!(ok(&o, "check").contains(&id));
    let o = skip_intake(&gpg, s, &id, "reported in person", &[], None);
    ok(&o, "step");
    let after = std::fs::read(&sealed).expect("saved");
    assert_ne!(after, bytes, "saved again");
    assert!(text(&after).starts_with("-----BEGIN PGP MESSAGE-----"));
    // The backup is the previous version, encrypted too.
    let bak = store::backup_path(&sealed);
    assert_eq!(std::fs::read(&bak).expect("backup"), bytes);
    assert_no_plain_text(dir.path());
    let o = gpg.ok(&["--decrypt", s]);
    assert!(text(&o.stdout).contains("reported in person"));

    // Back to plain text.
    let o = embargo(&gpg, &["decrypt", s], None);
    ok(&o, "decrypt");
    assert!(!sealed.exists() && !bak.exists());
    let p = store::load(&plain).expect("plain again");
    assert_eq!(p.issues[0].title, SECRET_TITLE);
    assert!(
        p.issues[0]
            .journal
            .iter()
            .any(|e| matches!(&e.event, embargo::core::model::Event::StepSkipped { reason } if reason == "reported in person"))
    );
}

#[test]
fn a_key_file_opens_it_and_every_wrong_key_is_explained() {
    let gpg = Gpg::new();
    let fpr = gpg.make_mail_key("Coordinator <sec@example.org>", PASSPHRASE);
    let other = gpg.make_mail_key("Someone Else <else@example.org>", "");
    let key_file = gpg.export_secret(&fpr, PASSPHRASE);
    let other_key = gpg.export_secret(&other, "");
    let cert = gpg.export_cert(&fpr);
    let dir = tempfile::tempdir().expect("temp dir");
    let (plain, id) = project(dir.path(), None);
    let f = plain.to_str().expect("utf-8");

    // To a certificate in a file, e.g. one the coordinator carries along.
    let o = embargo(
        &gpg,
        &["encrypt", f, "--cert", cert.to_str().expect("utf-8")],
        None,
    );
    ok(&o, "encrypt --cert");
    let sealed = store::sealed_path(&plain);
    let s = sealed.to_str().expect("utf-8");
    let before = files(dir.path());

    let k = key_file.to_str().expect("utf-8");
    let o = embargo(&gpg, &["check", s, "--project-key-file", k], None);
    refused(&o, "no passphrase", "protected by a passphrase");
    // The project key's own flag, not the signing key's --passphrase-fd.
    refused(
        &o,
        "no passphrase",
        &format!(
            "the key {fpr} is protected by a passphrase; enter it (in the CLI: --project-passphrase-fd N)"
        ),
    );
    let o = embargo(
        &gpg,
        &[
            "check",
            s,
            "--project-key-file",
            k,
            "--project-passphrase-fd",
            "3",
        ],
        Some("not it"),
    );
    refused(&o, "wrong passphrase", "wrong passphrase");
    let o = embargo(
        &gpg,
        &[
            "check",
            s,
            "--project-key-file",
            other_key.to_str().expect("utf-8"),
        ],
        None,
    );
    refused(&o, "another key", "does not hold");
    // An agent in another GnuPG home, which has never seen the key.
    let stranger = Gpg::new();
    let o = embargo(&stranger, &["check", s], None);
    refused(&o, "foreign agent", "which gpg-agent does not hold");
    assert_eq!(files(dir.path()), before, "a refused open changed nothing");

    let o = skip_intake(
        &gpg,
        s,
        &id,
        "by phone",
        &["--project-key-file", k, "--project-passphrase-fd", "3"],
        Some(PASSPHRASE),
    );
    ok(&o, "step with the key file");
    assert_no_plain_text(dir.path());
    for (p, bytes) in files(dir.path()) {
        assert!(
            !text(&bytes).contains(PASSPHRASE),
            "{} holds the passphrase",
            p.display()
        );
    }
    let o = gpg.ok(&[
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        PASSPHRASE,
        "--decrypt",
        s,
    ]);
    assert!(text(&o.stdout).contains("by phone"));

    // A plain name is refused for an encrypted project, and the reverse.
    let o = embargo(&gpg, &["encrypt", s, "--to", &fpr], None);
    refused(&o, "encrypt twice", "is encrypted already");
    std::fs::write(&plain, b"x").expect("written");
    let o = embargo(
        &gpg,
        &[
            "decrypt",
            s,
            "--project-key-file",
            k,
            "--project-passphrase-fd",
            "3",
        ],
        Some(PASSPHRASE),
    );
    refused(&o, "decrypt over an existing file", "exists already");
    assert!(sealed.exists());
}

#[test]
fn a_key_that_cannot_encrypt_or_none_at_all_is_refused() {
    let gpg = Gpg::new();
    let fpr = gpg.make_key("Sign Only <sign@example.org>", "");
    let dir = tempfile::tempdir().expect("temp dir");
    let (plain, _) = project(dir.path(), None);
    let f = plain.to_str().expect("utf-8");
    let before = files(dir.path());
    let o = embargo(&gpg, &["encrypt", f, "--to", &fpr], None);
    refused(&o, "sign-only key", "has no valid encryption subkey");
    let o = embargo(&gpg, &["encrypt", f], None);
    refused(&o, "no key named", "names no signing key");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_project_that_does_not_validate_is_encrypted_and_decrypted_as_it_is_but_never_changed() {
    // Only the file's form changes, so that it can be decrypted and mended
    // by hand; every other writer refuses it as `embargo check` does.
    let gpg = Gpg::new();
    let fpr = gpg.make_mail_key("Coordinator <sec@example.org>", "");
    let dir = tempfile::tempdir().expect("temp dir");
    let (plain, id) = project(dir.path(), Some(&fpr));
    let mut p = store::load(&plain).expect("loads");
    p.issues.push(p.issues[0].clone());
    let dup = store::project_to_string(&p);
    std::fs::write(&plain, &dup).expect("written by hand");
    let f = plain.to_str().expect("utf-8");
    ok(&embargo(&gpg, &["encrypt", f], None), "encrypt");
    let sealed = store::sealed_path(&plain);
    let s = sealed.to_str().expect("utf-8");
    let bytes = std::fs::read(&sealed).expect("encrypted");
    let o = skip_intake(&gpg, s, &id, "in person", &[], None);
    refused(&o, "step", "is not a valid project");
    assert!(text(&o.stderr).contains("the ID is used by two issues"));
    assert_eq!(std::fs::read(&sealed).expect("kept"), bytes, "unchanged");
    ok(&embargo(&gpg, &["decrypt", s], None), "decrypt");
    assert_eq!(std::fs::read_to_string(&plain).expect("plain again"), dup);
}
