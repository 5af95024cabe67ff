//! The secrets audit: the example's release flow through the real binary
//! with a signing key protected by a passphrase and an SMTP login with a
//! password, then a search of every byte the runs could leave behind for
//! either secret. The passphrase reaches `embargo` only on standard input,
//! the SMTP password only on file descriptor 3, the way a script hands them
//! over; neither may appear in the project file or its backup, in any file
//! under the project's directory (signed files, sums, signatures, drafts,
//! saved mails, advisories, tarballs), in the mail the server received, in
//! any file under the private TMPDIR and HOME the runs were given, or in
//! anything a run printed. The search itself is checked: secrets planted in
//! those places are found.
//!
//! The SMTP server (aiosmtpd, `tests/support/smtp_sink.py`) accepts only
//! this user with this password, so a mail it received proves the password
//! was sent, and a wrong one is refused. Every run is bounded in time; the
//! server and the gpg-agent stop with the test.

mod support;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{KeyLocation, SigningKeyRef};
use support::{Gpg, Smtp, SmtpAuth, bounded, free_port, text};

/// The signing key's passphrase. Spaces and punctuation, as people type them.
const P1: &str = "Pa55 phrase-one: staple & battery #7";
/// The SMTP password.
const P2: &str = "smtp pass-two/9 Tr0ub4dor";
/// A wrong SMTP password, which must not leak either.
const WRONG: &str = "not the smtp password 4c2f";

const ISSUE: &str = "POSTBOTE-2";
const USER: &str = "security";

/// Where the runs may write: the project's directory, and a private root
/// holding their TMPDIR, HOME and XDG directories.
struct Flow {
    project_dir: tempfile::TempDir,
    private: tempfile::TempDir,
    /// An empty GnuPG home for the runs (keys come from the key file).
    gnupg: Gpg,
    now: DateTime<Utc>,
    /// Every run: what it was, and its output.
    runs: Vec<(String, Output)>,
}

impl Flow {
    fn new(key_file: &Path, fingerprint: &str) -> Self {
        let project_dir = tempfile::tempdir().expect("temp dir");
        let private = tempfile::tempdir().expect("temp dir");
        for d in [
            "tmp",
            "home",
            "home/.config",
            "home/.local/share",
            "home/.cache",
        ] {
            std::fs::create_dir_all(private.path().join(d)).expect("dir");
        }
        let (now, release) = support::now_and_release();
        let mut p = store::example().expect("example");
        p.signing = Some(SigningKeyRef {
            fingerprint: fingerprint.to_owned(),
            location: KeyLocation::KeyFile {
                path: key_file.display().to_string(),
            },
        });
        p.mail.smtp_user = USER.into();
        support::plan_with_maintainers_only(&mut p, ISSUE, release);
        let flow = Self {
            project_dir,
            private,
            gnupg: Gpg::new(),
            now,
            runs: Vec::new(),
        };
        store::save(&flow.file(), &p).expect("saved");
        flow
    }

    fn file(&self) -> PathBuf {
        self.project_dir.path().join("postbote.embargo.ron")
    }

    fn dir(&self) -> &Path {
        self.project_dir.path()
    }

    /// Run `embargo ARGS` with `stdin` on fd 0 and, if given, `fd3` on file
    /// descriptor 3 (through bash's here-string, as a script does; the
    /// secret passes bash in its environment, which it drops before `exec`,
    /// so `embargo` gets it on the descriptor only). Every child gets the
    /// private TMPDIR, HOME and XDG directories.
    fn run(&mut self, label: &str, args: &[OsString], stdin: &str, fd3: Option<&str>) -> &Output {
        let p = self.private.path();
        let output = support::embargo_with_fd3(args, stdin, fd3, |cmd| {
            cmd.current_dir(self.dir())
                .env("TMPDIR", p.join("tmp"))
                .env("HOME", p.join("home"))
                .env("XDG_CONFIG_HOME", p.join("home/.config"))
                .env("XDG_DATA_HOME", p.join("home/.local/share"))
                .env("XDG_CACHE_HOME", p.join("home/.cache"))
                .env("GNUPGHOME", self.gnupg.home())
                .env("EMBARGO_NOW", self.now.to_rfc3339());
        });
        self.runs.push((label.to_owned(), output));
        &self.runs.last().expect("just pushed").1
    }

    /// `embargo mail FILE --issue POSTBOTE-2 --template advance-notice`
    /// with ARGS, the passphrase on fd 0 and `password` on fd 3.
    fn mail(&mut self, label: &str, args: &[&str], password: Option<&str>) -> &Output {
        let mut all: Vec<OsString> = vec!["mail".into(), self.file().into()];
        for a in ["--issue", ISSUE, "--template", "advance-notice"]
            .iter()
            .chain(args)
        {
            all.push(a.into());
        }
        all.extend(["--passphrase-fd".into(), "0".into()]);
        if password.is_some() {
            all.extend(["--password-fd".into(), "3".into()]);
        }
        self.run(label, &all, &format!("{P1}\n"), password)
    }

    fn drafts(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.dir().join("drafts")) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// Every regular file under `root`, symbolic links not followed.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![root.to_owned()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("listable") {
            let entry = entry.expect("entry");
            let kind = entry.file_type().expect("type");
            if kind.is_dir() {
                todo.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every place in `roots` and `outputs` where one of the secrets occurs:
/// `"PLACE holds NAME"`.
fn leaks(roots: &[&Path], outputs: &[(String, Output)]) -> Vec<String> {
    let secrets = [("P1", P1), ("P2", P2), ("the wrong password", WRONG)];
    let mut places: Vec<(String, Vec<u8>)> = Vec::new();
    for root in roots {
        for f in files_under(root) {
            let bytes = std::fs::read(&f).expect("readable");
            places.push((f.display().to_string(), bytes));
        }
    }
    for (label, o) in outputs {
        places.push((format!("stdout of {label}"), o.stdout.clone()));
        places.push((format!("stderr of {label}"), o.stderr.clone()));
    }
    let mut found = Vec::new();
    for (place, bytes) in &places {
        for (name, secret) in secrets {
            if contains(bytes, secret.as_bytes()) {
                found.push(format!("{place} holds {name}"));
            }
        }
    }
    found
}

/// A git repository with a tagged release, for `embargo artifacts`.
fn repository(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join("src")).expect("dir");
    std::fs::write(repo.join("src/auth.c"), "int decode(void) { return 1; }\n").expect("written");
    let git = |args: &[&str]| {
        let child = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(args)
            .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
            .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("git runs");
        let o = bounded(child);
        assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Rel Eng"]);
    git(&["config", "user.email", "releng@postbote.example"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "Postbote 4.12.3"]);
    git(&["tag", "-a", "postbote-4.12.3", "-m", "4.12.3"]);
    repo
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

#[test]
fn no_passphrase_or_password_is_left_anywhere() {
    let keys = Gpg::new();
    let fpr = keys.make_key("Postbote Security <security@postbote.example>", P1);
    let key_file = keys.export_secret(&fpr, P1);
    let smtp = Smtp::start(SmtpAuth::Login {
        user: USER.into(),
        password: P2.into(),
    });
    let mut flow = Flow::new(&key_file, &fpr);
    let file = flow.file();
    let dir = flow.dir().to_owned();
    let key = key_file.display().to_string();

    // Sign release files in the project's directory, with sums, recorded in
    // the project (which turns the previous version into the backup).
    let tarball = dir.join("postbote-4.12.3.tar.gz");
    let patch = dir.join("postbote-4.12.3.patch");
    std::fs::write(&tarball, b"not really a tarball\n").expect("written");
    std::fs::write(&patch, b"--- a/src/auth.c\n+++ b/src/auth.c\n").expect("written");
    let mut args = os(&["sign", "--key-file", &key, "--passphrase-fd", "0", "--sums"]);
    args.extend([
        "--project".into(),
        file.clone().into(),
        "--release".into(),
        "4.12.3".into(),
        tarball.clone().into(),
        patch.clone().into(),
    ]);
    let o = flow.run("embargo sign", &args, &format!("{P1}\n"), None);
    assert!(o.status.success(), "sign: {}", text(&o.stderr));
    for f in [&tarball, &patch] {
        let asc = PathBuf::from(format!("{}.asc", f.display()));
        let v = keys.run(
            &[
                "--verify",
                asc.to_str().expect("utf-8"),
                f.to_str().expect("utf-8"),
            ],
            None,
        );
        assert!(v.status.success(), "gpg --verify: {}", text(&v.stderr));
    }

    // The notice saved as a signed .eml in the project's directory.
    let eml_dir = dir.join("eml");
    let eml = eml_dir.display().to_string();
    let o = flow.mail("embargo mail --eml", &["--eml", &eml], None);
    assert!(o.status.success(), "mail --eml: {}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("saved signed mail"),
        "{}",
        text(&o.stdout)
    );

    // Sent to a closed port: kept as a draft.
    let closed = format!("127.0.0.1:{}", free_port());
    let o = flow.mail(
        "embargo mail to a closed port",
        &["--send", "--smtp", &closed],
        Some(P2),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("cannot connect to the SMTP server"),
        "{}",
        text(&o.stderr)
    );
    assert!(!flow.drafts().is_empty(), "a draft is kept");

    // A wrong password is refused by the server: it checks the password.
    let server = smtp.address();
    let o = flow.mail(
        "embargo mail with a wrong password",
        &["--send", "--smtp", &server],
        Some(WRONG),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains(&format!("refused the login of `{USER}`")),
        "{}",
        text(&o.stderr)
    );
    assert!(smtp.received().is_empty());

    // The right one: the server took the login and the signed mail.
    let o = flow.mail(
        "embargo mail --send",
        &["--send", "--smtp", &server],
        Some(P2),
    );
    assert!(o.status.success(), "mail --send: {}", text(&o.stderr));
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let m = mailparse::parse_mail(&received[0].0).expect("parses");
    assert_eq!(m.ctype.mimetype, "multipart/signed");

    // The advisory, clear-signed with the project's key.
    let adv = dir.join("adv");
    std::fs::create_dir(&adv).expect("dir");
    let mut args = os(&["export"]);
    args.push(file.clone().into());
    args.extend(os(&[
        "--release",
        "4.12.2",
        "--format",
        "advisory",
        "--sign",
        "--passphrase-fd",
        "0",
        "--out",
    ]));
    args.push(adv.clone().into());
    let o = flow.run("embargo export --sign", &args, &format!("{P1}\n"), None);
    assert!(o.status.success(), "export: {}", text(&o.stderr));
    let advisory = std::fs::read_to_string(adv.join("secadv_20261013.txt")).expect("written");
    assert!(advisory.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"));

    // Release artifacts signed with the key file.
    let repo_dir = tempfile::tempdir().expect("temp dir");
    let repo = repository(repo_dir.path());
    let release = dir.join("release");
    std::fs::create_dir(&release).expect("dir");
    let mut args = os(&["artifacts", "--repo"]);
    args.push(repo.clone().into());
    args.extend(os(&[
        "--tag",
        "postbote-4.12.3",
        "--name",
        "postbote",
        "--version",
        "4.12.3",
        "--formats",
        "gz",
        "--key-file",
        &key,
        "--passphrase-fd",
        "0",
        "--out",
    ]));
    args.push(release.clone().into());
    let o = flow.run("embargo artifacts", &args, &format!("{P1}\n"), None);
    assert!(o.status.success(), "artifacts: {}", text(&o.stderr));

    // The search covers what the flow made: nothing is searched in vain.
    let roots = [
        flow.project_dir.path(),
        flow.private.path(),
        smtp.dir.path(),
        &flow.gnupg.work(),
        repo_dir.path(),
    ];
    let scanned: Vec<String> = roots
        .iter()
        .flat_map(|r| files_under(r))
        .map(|p| p.display().to_string())
        .collect();
    let bak = store::backup_path(&file);
    for must in [
        file.display().to_string(),
        bak.display().to_string(),
        dir.join("SHA256SUMS").display().to_string(),
        dir.join("SHA512SUMS").display().to_string(),
        format!("{}.asc", tarball.display()),
        format!("{}.asc", patch.display()),
        adv.join("secadv_20261013.txt").display().to_string(),
        release
            .join("postbote-4.12.3.tar.gz.asc")
            .display()
            .to_string(),
    ] {
        assert!(
            scanned.contains(&must),
            "{must} was not searched: {scanned:#?}"
        );
    }
    let under = |d: &Path| {
        scanned
            .iter()
            .any(|s| s.starts_with(&d.display().to_string()) && s.ends_with(".eml"))
    };
    assert!(under(&dir.join("drafts")), "no draft searched");
    assert!(under(&eml_dir), "no saved mail searched");
    assert!(under(smtp.dir.path()), "no received mail searched");
    assert_eq!(flow.runs.len(), 7, "every run's output is searched");

    let found = leaks(&roots, &flow.runs);
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));

    // The search finds what is there: plant each secret deep in two of the
    // places, between other bytes, and it names exactly those files.
    let planted_draft = dir.join("drafts").join("planted.eml");
    let mut bytes = b"Subject: x\r\n\r\n\x00\xff".to_vec();
    bytes.extend(P1.as_bytes());
    bytes.extend(b"\r\n");
    std::fs::write(&planted_draft, bytes).expect("written");
    let deep = flow.private.path().join("tmp/a/b");
    std::fs::create_dir_all(&deep).expect("dir");
    std::fs::write(deep.join("c"), format!("x{P2}y")).expect("written");
    let mut outputs = std::mem::take(&mut flow.runs);
    outputs[0].1.stderr.extend(WRONG.as_bytes());
    let found = leaks(&roots, &outputs);
    assert_eq!(
        found,
        [
            format!("{} holds P1", planted_draft.display()),
            format!("{} holds P2", deep.join("c").display()),
            "stderr of embargo sign holds the wrong password".to_owned(),
        ],
        "the search must find planted secrets"
    );
}
