//! The git side against real repositories made by the `git` command in a
//! temporary directory: tarballs byte-identical to `git archive`, a signed
//! tag that `git verify-tag` and `git fsck --strict` accept, the standalone
//! patch that `git apply --check` takes, the guard and its pre-push hook
//! against bare "public" and "private" remotes, and each refusal.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{FixCommit, PlaybookRef, Project, TarballFormat};
use embargo::core::ops;
use sequoia_openpgp::cert::CertBuilder;
use sequoia_openpgp::serialize::SerializeInto;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
        .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
        .output()
        .expect("git runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("dir");
    }
    std::fs::write(path, text).expect("written");
}

fn embargo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .current_dir(cwd)
        .env("EMBARGO_NOW", "2026-11-23T12:00:00Z")
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A repository with a released 1.0.0 and an embargoed fix for 1.0.1; its
/// tree has an executable, a symlink, a path over 100 bytes, a path over
/// 255 bytes, a directory whose files are all export-ignored (git keeps the
/// directory) and export-ignored files and directories.
struct Fixture {
    dir: tempfile::TempDir,
    fix: String,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).expect("repo dir");
        ok(&repo, &["init", "-q", "-b", "main"]);
        ok(&repo, &["config", "user.name", "Rel Eng"]);
        ok(&repo, &["config", "user.email", "releng@postbote.example"]);
        write(
            &repo.join("src/version.h"),
            "#define POSTBOTE_VERSION \"1.0.0\"\n",
        );
        write(&repo.join("src/auth.c"), "int decode(void) { return 0; }\n");
        write(&repo.join("build.sh"), "#!/bin/sh\nmake\n");
        std::fs::set_permissions(
            repo.join("build.sh"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        std::os::unix::fs::symlink("src/auth.c", repo.join("auth-link")).expect("symlink");
        let long = format!("doc/{}/{}/notes.txt", "a".repeat(70), "b".repeat(60));
        write(&repo.join(&long), "long path\n");
        let longer = format!("doc/{}.txt", "c".repeat(200));
        write(&repo.join(&longer), "very long name\n");
        write(&repo.join("ci/only.yml"), "ci\n");
        write(&repo.join("tests/t.c"), "test\n");
        write(&repo.join("src/notes.orig"), "x\n");
        write(
            &repo.join(".gitattributes"),
            "/tests export-ignore\n*.orig export-ignore\nci/* export-ignore\n",
        );
        ok(&repo, &["add", "-A"]);
        ok(&repo, &["commit", "-qm", "Postbote 1.0.0"]);
        ok(&repo, &["tag", "-a", "postbote-1.0.0", "-m", "1.0.0"]);
        write(
            &repo.join("src/version.h"),
            "#define POSTBOTE_VERSION \"1.0.1\"\n",
        );
        write(&repo.join("src/auth.c"), "int decode(void) { return 1; }\n");
        ok(
            &repo,
            &["commit", "-qam", "auth: size the buffer (CVE-2026-41807)"],
        );
        let fix = ok(&repo, &["rev-parse", "HEAD"]);
        Self { dir, fix }
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// A project over the repository with the fix's issue in release 1.0.1.
    fn project(&self) -> PathBuf {
        let mut p = Project::new("Postbote", PlaybookRef::Builtin("exim".into()));
        p.repo.path = self.repo().display().to_string();
        p.repo.public_remotes = vec!["origin".into()];
        p.repo.private_remotes = vec!["security".into()];
        p.repo.version_file = "src/version.h".into();
        p.repo.version_pattern = "#define POSTBOTE_VERSION \"{version}\"".into();
        p.repo.tag_template = "postbote-{version}".into();
        p.repo.tarball_template = "postbote-{version}".into();
        p.repo.tarball_formats = vec![TarballFormat::Gz, TarballFormat::Xz];
        let id = ops::add_issue(&mut p, "Heap overflow in AUTH PLAIN", now()).expect("issue");
        p.issues[0].fix_commits.push(FixCommit {
            id: self.fix.clone(),
            branch: "main".into(),
            summary: "auth: size the buffer".into(),
        });
        ops::plan_release(&mut p, &id, "1.0.1", None, now()).expect("planned");
        p.releases[0].base_tag = Some("postbote-1.0.0".into());
        let path = self.dir.path().join("postbote.embargo.ron");
        store::save(&path, &p).expect("saved");
        path
    }

    fn key_file(&self) -> (PathBuf, sequoia_openpgp::Cert) {
        // Made before the fixed EMBARGO_NOW, at which the key is judged.
        let made = std::time::SystemTime::from(now() - chrono::TimeDelta::days(30));
        let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@postbote.example>"))
            .set_creation_time(made)
            .generate()
            .expect("key");
        let path = self.dir.path().join("release.key");
        std::fs::write(&path, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
        (path, cert)
    }
}

#[test]
fn tar_and_tar_gz_are_byte_identical_to_git_archive() {
    let fx = Fixture::new();
    let repo = fx.repo();
    ok(&repo, &["tag", "-a", "postbote-1.0.1", "-m", "1.0.1"]);
    let out = fx.dir.path().join("out");
    let o = embargo(
        &[
            "artifacts",
            "--repo",
            repo.to_str().expect("utf-8"),
            "--tag",
            "postbote-1.0.1",
            "--name",
            "postbote",
            "--version",
            "1.0.1",
            "--formats",
            "tar,gz,bz2,xz",
            "--no-sign",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for (format, ext) in [("tar", "tar"), ("tar.gz", "tar.gz")] {
        let theirs = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args([
                "archive",
                &format!("--format={format}"),
                "--prefix=postbote-1.0.1/",
                "postbote-1.0.1",
            ])
            .output()
            .expect("git archive");
        assert!(theirs.status.success());
        let ours = std::fs::read(out.join(format!("postbote-1.0.1.{ext}"))).expect("ours");
        assert!(
            ours == theirs.stdout,
            "{ext} differs from git archive's ({} vs {} bytes)",
            ours.len(),
            theirs.stdout.len()
        );
    }
    // The compressed ones hold the very same tar.
    let tar = std::fs::read(out.join("postbote-1.0.1.tar")).expect("tar");
    let mut from_xz = Vec::new();
    liblzma::read::XzDecoder::new(
        std::fs::File::open(out.join("postbote-1.0.1.tar.xz")).expect("xz"),
    )
    .read_to_end(&mut from_xz)
    .expect("xz decodes");
    assert!(from_xz == tar, "xz holds the tar");
    let mut from_bz = Vec::new();
    bzip2::read::BzDecoder::new(
        std::fs::File::open(out.join("postbote-1.0.1.tar.bz2")).expect("bz2"),
    )
    .read_to_end(&mut from_bz)
    .expect("bz2 decodes");
    assert!(from_bz == tar, "bz2 holds the tar");
    // export-ignore was honoured (by both).
    let listing = Command::new("tar")
        .arg("-tf")
        .arg(out.join("postbote-1.0.1.tar"))
        .output()
        .expect("tar");
    let listing = text(&listing.stdout);
    assert!(
        !listing.contains("tests/")
            && !listing.contains(".orig")
            && !listing.contains("ci/only.yml"),
        "{listing}"
    );
    assert!(listing.contains("postbote-1.0.1/auth-link"), "{listing}");
}

#[test]
fn project_artifacts_make_a_verifiable_signed_tag_patch_and_signatures() {
    let fx = Fixture::new();
    let project = fx.project();
    let (key, cert) = fx.key_file();
    let out = fx.dir.path().join("out");
    let o = embargo(
        &[
            "artifacts",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
            "--key-file",
            key.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--json",
        ],
        fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["tag"], "postbote-1.0.1");
    assert_eq!(
        json["files"].as_array().map(Vec::len),
        Some(3),
        "gz, xz, patch: {json}"
    );
    assert_eq!(json["signatures"].as_array().map(Vec::len), Some(3));
    // Every signature was verified after building, as the app does.
    let fpr = cert.fingerprint().to_hex();
    assert_eq!(json["signer"], fpr.as_str());
    let verified = json["verified"].as_array().expect("verified listed");
    assert_eq!(verified.len(), 3, "{json}");
    for (v, sig) in verified
        .iter()
        .zip(json["signatures"].as_array().expect("sigs"))
    {
        assert_eq!(&v["signature"], sig);
        assert_eq!(v["signer"], fpr.as_str());
    }

    // git verifies the tag with the signer's public key in a fresh GNUPGHOME.
    let gnupg = tempfile::Builder::new()
        .prefix("emb-g")
        .tempdir_in("/tmp")
        .expect("home");
    let public = fx.dir.path().join("release.pub");
    std::fs::write(&public, cert.armored().to_vec().expect("armored")).expect("pub");
    let import = Command::new("gpg")
        .arg("--homedir")
        .arg(gnupg.path())
        .args(["--batch", "--import"])
        .arg(&public)
        .output()
        .expect("gpg");
    assert!(import.status.success(), "{}", text(&import.stderr));
    let verify = Command::new("git")
        .arg("-C")
        .arg(fx.repo())
        .args(["verify-tag", "postbote-1.0.1"])
        .env("GNUPGHOME", gnupg.path())
        .output()
        .expect("git verify-tag");
    assert!(
        verify.status.success(),
        "verify-tag: {}",
        text(&verify.stderr)
    );
    assert!(
        text(&verify.stderr).contains("Good signature"),
        "{}",
        text(&verify.stderr)
    );
    ok(&fx.repo(), &["fsck", "--strict"]);
    let _ = Command::new("gpgconf")
        .arg("--homedir")
        .arg(gnupg.path())
        .args(["--kill", "all"])
        .output();

    // The patch applies on the base release.
    let patch = out.join("postbote-1.0.1.patch");
    let mail = std::fs::read_to_string(&patch).expect("patch");
    assert!(mail.starts_with("From "), "mailbox form: {mail}");
    assert!(
        mail.contains("Subject: [PATCH] auth: size the buffer"),
        "{mail}"
    );
    ok(&fx.repo(), &["checkout", "-q", "postbote-1.0.0"]);
    ok(
        &fx.repo(),
        &["apply", "--check", patch.to_str().expect("utf-8")],
    );

    // Recorded in the release.
    let saved = store::load(&project).expect("project");
    assert_eq!(saved.releases[0].artifacts.len(), 5, "3 files and 2 sums");
}

#[test]
fn artifacts_tarballs_patch_signatures_and_sums_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    let project = fx.project();
    let (key, _) = fx.key_file();
    let out = fx.dir.path().join("out");
    let o = embargo(
        &[
            "artifacts",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
            "--key-file",
            key.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
        fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stderr).matches("is a good signature by").count(),
        3,
        "says each signature was verified: {}",
        text(&o.stderr)
    );
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&out).expect("out") {
        let path = entry.expect("entry").path();
        let mode = std::fs::symlink_metadata(&path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{} is private", path.display());
        names.push(
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
        );
    }
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "SHA512SUMS",
            "postbote-1.0.1.patch",
            "postbote-1.0.1.patch.asc",
            "postbote-1.0.1.tar.gz",
            "postbote-1.0.1.tar.gz.asc",
            "postbote-1.0.1.tar.xz",
            "postbote-1.0.1.tar.xz.asc",
        ],
        "tarballs, patch, signatures and sums, no temporaries"
    );
}

#[test]
fn refusals_are_explained() {
    let fx = Fixture::new();
    let project = fx.project();
    let out = fx.dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "artifacts",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
            "--no-sign",
            "--out",
            out.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        embargo(&args, fx.dir.path())
    };

    // A dirty work tree.
    write(&fx.repo().join("src/auth.c"), "uncommitted\n");
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("uncommitted changes"),
        "{}",
        text(&o.stderr)
    );
    ok(&fx.repo(), &["checkout", "--", "src/auth.c"]);

    // The version file says another version at the commit.
    let first = ok(&fx.repo(), &["rev-parse", "postbote-1.0.0"]);
    let o = run(&["--commit", &first]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("does not carry version 1.0.1 (found: 1.0.0)"),
        "{}",
        text(&o.stderr)
    );

    // The tag exists.
    ok(&fx.repo(), &["tag", "postbote-1.0.1"]);
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("tag postbote-1.0.1 exists already"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.join("postbote-1.0.1.tar.gz").exists(), "nothing built");

    // A missing repository.
    let mut p = store::load(&project).expect("project");
    p.repo.path = fx.dir.path().join("nowhere").display().to_string();
    store::save(&project, &p).expect("saved");
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no git repository at"),
        "{}",
        text(&o.stderr)
    );
    let o = embargo(&["guard", project.to_str().expect("utf-8")], fx.dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no git repository at"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn guard_and_pre_push_hook_keep_fixes_off_public_remotes() {
    let fx = Fixture::new();
    let project = fx.project();
    let project_s = project.to_str().expect("utf-8");
    let repo = fx.repo();
    for remote in ["origin", "security"] {
        let bare = fx.dir.path().join(format!("{remote}.git"));
        let o = Command::new("git")
            .args(["init", "-q", "--bare"])
            .arg(&bare)
            .output()
            .expect("git init");
        assert!(o.status.success());
        ok(
            &repo,
            &["remote", "add", remote, bare.to_str().expect("utf-8")],
        );
    }
    // The released state is public; the fix is not.
    ok(
        &repo,
        &[
            "push",
            "-q",
            "origin",
            "postbote-1.0.0^{commit}:refs/heads/main",
        ],
    );
    ok(&repo, &["fetch", "-q", "origin"]);
    let o = embargo(&["guard", project_s, "--json"], fx.dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["ok"], true);
    assert_eq!(json["checked"], 1);

    let o = embargo(&["guard", project_s, "--install-hook"], fx.dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(repo.join(".git/hooks/pre-push").exists());

    // To the public remote: refused by the hook.
    let push = git(&repo, &["push", "origin", "main"]);
    assert!(!push.status.success(), "the push went through");
    assert!(
        text(&push.stderr).contains("REFUSED"),
        "{}",
        text(&push.stderr)
    );
    // To the private remote: allowed.
    let push = git(&repo, &["push", "security", "main"]);
    assert!(push.status.success(), "{}", text(&push.stderr));

    // Forced past the hook, the guard sees the leak.
    ok(&repo, &["push", "-q", "--no-verify", "origin", "main"]);
    ok(&repo, &["fetch", "-q", "origin"]);
    let o = embargo(&["guard", project_s, "--json"], fx.dir.path());
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["ok"], false);
    assert_eq!(json["leaks"][0]["commit"], fx.fix.as_str());
    assert_eq!(json["leaks"][0]["refs"][0], "origin/main");

    // Once released, the same state is fine.
    let mut p = store::load(&project).expect("project");
    p.releases[0].published = Some(now() - chrono::Duration::hours(1));
    store::save(&project, &p).expect("saved");
    let o = embargo(&["guard", project_s], fx.dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));

    let o = embargo(&["guard", project_s, "--remove-hook"], fx.dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(!repo.join(".git/hooks/pre-push").exists());
}

/// A directory name holding every shell-special thing a path can hold: a
/// quote, double quotes, a command substitution, a space and a newline.
const HOSTILE: &str = "it's \"q\" $(touch PWNED) `touch PWNED2` dir\nnext";

/// Every file below `dir` named like the commands `HOSTILE` would run.
fn pwned_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with("PWNED") {
                found.push(path.clone());
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(path);
            }
        }
    }
    found
}

/// A public bare remote `origin` holding the released 1.0.0 (not the fix).
fn public_origin(fx: &Fixture) {
    let bare = fx.dir.path().join("origin.git");
    let o = Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(&bare)
        .output()
        .expect("git init");
    assert!(o.status.success());
    let repo = fx.repo();
    ok(
        &repo,
        &["remote", "add", "origin", bare.to_str().expect("utf-8")],
    );
    ok(
        &repo,
        &[
            "push",
            "-q",
            "origin",
            "postbote-1.0.0^{commit}:refs/heads/main",
        ],
    );
    ok(&repo, &["fetch", "-q", "origin"]);
}

#[test]
fn the_pre_push_hook_of_a_project_with_shell_characters_in_its_path_runs_only_the_guard() {
    let fx = Fixture::new();
    let made = fx.project();
    let odd_dir = fx.dir.path().join(HOSTILE);
    std::fs::create_dir(&odd_dir).expect("dir");
    let project = odd_dir.join("postbote.embargo.ron");
    std::fs::copy(&made, &project).expect("copied");
    std::fs::remove_file(&made).expect("only the odd path holds the project");
    public_origin(&fx);
    let repo = fx.repo();

    let project_s = project.to_str().expect("utf-8");
    let o = embargo(&["guard", project_s, "--install-hook"], fx.dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // The hook runs the guard on that file: the embargoed fix is refused…
    let push = git(&repo, &["push", "origin", "main"]);
    assert!(!push.status.success(), "the push went through");
    let err = text(&push.stderr);
    assert!(
        err.contains("push to public remote `origin` REFUSED") && err.contains("POSTBOTE-1"),
        "{err}"
    );
    assert_eq!(pwned_below(fx.dir.path()), Vec::<PathBuf>::new(), "{err}");

    // …and once that file says the release is out, the same push passes.
    let mut p = store::load(&project).expect("project");
    p.releases[0].published = Some(now() - chrono::Duration::hours(1));
    store::save(&project, &p).expect("saved");
    let push = git(&repo, &["push", "origin", "main"]);
    assert!(push.status.success(), "{}", text(&push.stderr));
    assert_eq!(pwned_below(fx.dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn the_pre_push_hook_passes_odd_binary_and_project_paths_as_single_words() {
    let fx = Fixture::new();
    public_origin(&fx);
    let repo = fx.repo();
    // A stand-in for the embargo binary, in a hostile directory, that
    // records the arguments it gets, NUL-separated.
    let bin_dir = fx.dir.path().join(format!("bin {HOSTILE}"));
    std::fs::create_dir(&bin_dir).expect("dir");
    let exe = bin_dir.join("emb'argo");
    let log = fx.dir.path().join("args");
    write(
        &exe,
        &format!("#!/bin/sh\nprintf '%s\\0' \"$@\" > '{}'\n", log.display()),
    );
    std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let project = fx.dir.path().join(HOSTILE).join("p'$(id).embargo.ron");
    let r = git2::Repository::open(&repo).expect("repo");
    embargo::adapters::git::install_hook(&r, &exe, &project).expect("installed");
    assert!(embargo::adapters::git::hook_installed(&r));

    let push = git(&repo, &["push", "origin", "main"]);
    assert!(push.status.success(), "{}", text(&push.stderr));
    let args = std::fs::read(&log).expect("the hook ran the binary");
    let args: Vec<String> = text(&args)
        .split_terminator('\0')
        .map(str::to_owned)
        .collect();
    assert_eq!(
        args,
        [
            "guard",
            project.to_str().expect("utf-8"),
            "--pre-push",
            "origin"
        ]
    );
    assert_eq!(pwned_below(fx.dir.path()), Vec::<PathBuf>::new());
    assert!(embargo::adapters::git::remove_hook(&r).expect("removed"));
}

#[test]
fn a_tarball_name_template_that_leaves_the_output_directory_is_refused() {
    let fx = Fixture::new();
    let project = fx.project();
    // Written as text: a program could hand-edit the file like this.
    let text_before = std::fs::read_to_string(&project).expect("project");
    let hostile = text_before.replace(
        "tarball_template: \"postbote-{version}\"",
        "tarball_template: \"../../escape-{version}\"",
    );
    assert_ne!(hostile, text_before, "the template is in the file");
    std::fs::write(&project, hostile).expect("written");
    let out = fx.dir.path().join("a/b/out");
    let o = embargo(
        &[
            "artifacts",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
            "--no-sign",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains("../../escape-") && err.contains("file name"),
        "{err}"
    );
    // Refused before anything is done, with `embargo check`'s message: the
    // project does not validate, so no writer works on it.
    assert!(err.contains("is not a valid project"), "{err}");
    // Nothing was made, inside or outside, and no tag was left behind.
    assert!(!fx.dir.path().join("a").exists(), "nothing written");
    assert!(
        git(
            &fx.repo(),
            &["rev-parse", "-q", "--verify", "refs/tags/postbote-1.0.1"]
        )
        .stdout
        .is_empty(),
        "no tag"
    );

    // Without a project, a --name with `/` is refused the same way.
    let o = embargo(
        &[
            "artifacts",
            "--repo",
            fx.repo().to_str().expect("utf-8"),
            "--tag",
            "postbote-1.0.0",
            "--name",
            "../../escape",
            "--version",
            "1.0.0",
            "--no-sign",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("`../../escape-1.0.0` cannot be used as a file name"),
        "{}",
        text(&o.stderr)
    );
    assert!(!fx.dir.path().join("a").exists(), "nothing written");

    // The library refuses such a base too, so no tarball member is `../…`.
    let r = git2::Repository::open(fx.repo()).expect("repo");
    let commit = r
        .revparse_single("postbote-1.0.0")
        .and_then(|o| o.peel_to_commit())
        .expect("commit");
    for base in ["../x", "..", ".x", "a/b", ""] {
        let e = embargo::adapters::git::archive::write_tarballs(
            &r,
            &commit,
            base,
            &[TarballFormat::Tar],
            &out,
            &embargo::core::ports::Unwatched,
        )
        .expect_err(base);
        assert!(
            e.to_string().contains("cannot be used as a file name"),
            "{e}"
        );
        assert!(
            embargo::adapters::git::patch_path(&out, base).is_err(),
            "{base}"
        );
    }
    assert!(!fx.dir.path().join("a").exists(), "nothing written");
}

/// `embargo artifacts` judges the key at the CLI's present (EMBARGO_NOW),
/// as `embargo sign` and `embargo mail` do (it used the system clock): a
/// key expired at that instant is refused before anything is made.
#[test]
fn artifacts_judge_the_key_at_embargo_now_like_sign_and_mail() {
    let fx = Fixture::new();
    let project = fx.project();
    let made = std::time::SystemTime::from(now() - chrono::TimeDelta::days(30));
    let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@postbote.example>"))
        .set_creation_time(made)
        .set_validity_period(std::time::Duration::from_secs(365 * 86_400))
        .generate()
        .expect("key");
    let key = fx.dir.path().join("year.key");
    std::fs::write(&key, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
    let out = fx.dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["artifacts", project.to_str().expect("utf-8")])
        .args(["--issue", "POSTBOTE-1", "--key-file"])
        .arg(&key)
        .arg("--out")
        .arg(&out)
        .current_dir(fx.dir.path())
        .env(
            "EMBARGO_NOW",
            (now() + chrono::TimeDelta::days(400)).to_rfc3339(),
        )
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("expired"), "{}", text(&o.stderr));
    assert!(!out.exists(), "nothing made");
    assert!(
        git(
            &fx.repo(),
            &["rev-parse", "-q", "--verify", "refs/tags/postbote-1.0.1"]
        )
        .stdout
        .is_empty(),
        "no tag"
    );
}

/// The fixture's project with its issue's CVE ID recorded.
fn project_with_cve(fx: &Fixture) -> PathBuf {
    let project = fx.project();
    let mut p = store::load(&project).expect("project");
    p.issues[0].cve = embargo::core::model::CveState::Assigned {
        id: "CVE-2026-41807".into(),
    };
    store::save(&project, &p).expect("saved");
    project
}

fn guard_json(project: &Path, cwd: &Path) -> (Option<i32>, serde_json::Value) {
    let o = embargo(&["guard", project.to_str().expect("utf-8"), "--json"], cwd);
    let json = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", text(&o.stdout), text(&o.stderr)));
    (o.status.code(), json)
}

#[test]
fn the_leak_check_finds_the_issue_named_on_the_public_remotes() {
    let fx = Fixture::new();
    let project = project_with_cve(&fx);
    public_origin(&fx);
    let repo = fx.repo();
    let cwd = fx.dir.path();

    // The released history names nothing under embargo (its tag
    // postbote-1.0.0 is a version, not the issue POSTBOTE-1).
    let (code, json) = guard_json(&project, cwd);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["exposures"], serde_json::json!([]));

    // Someone's clone of the public repository pushes a branch named
    // after the CVE.
    let clone = cwd.join("clone");
    ok(
        cwd,
        &[
            "clone",
            "-q",
            "-b",
            "main",
            cwd.join("origin.git").to_str().expect("utf-8"),
            clone.to_str().expect("utf-8"),
        ],
    );
    ok(&clone, &["config", "user.name", "Someone"]);
    ok(&clone, &["config", "user.email", "someone@example.org"]);
    ok(&clone, &["checkout", "-q", "-b", "fix/CVE-2026-41807"]);
    ok(&clone, &["push", "-q", "origin", "fix/CVE-2026-41807"]);
    ok(&repo, &["fetch", "-q", "origin"]);
    let (code, json) = guard_json(&project, cwd);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["ok"], false);
    assert_eq!(
        json["leaks"],
        serde_json::json!([]),
        "the fix itself is not public"
    );
    assert_eq!(
        json["exposures"],
        serde_json::json!([{
            "issue": "POSTBOTE-1",
            "matched": "CVE-2026-41807",
            "clue": "identifier",
            "place": "branch_name",
            "reference": "origin/fix/CVE-2026-41807",
        }])
    );
    let o = embargo(&["guard", project.to_str().expect("utf-8")], cwd);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("the public remotes name issues under embargo")
            && text(&o.stderr).contains(
                "“CVE-2026-41807” (identifier of POSTBOTE-1) in the branch name origin/fix/CVE-2026-41807"
            ),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );

    // The branch goes; a commit message on the public main names the issue.
    ok(
        &clone,
        &["push", "-q", "origin", "--delete", "fix/CVE-2026-41807"],
    );
    ok(&clone, &["checkout", "-q", "main"]);
    ok(
        &clone,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "NEWS: leave room for POSTBOTE-1\n\nDetails follow with the release.",
        ],
    );
    let leaking = ok(&clone, &["rev-parse", "HEAD"]);
    ok(&clone, &["push", "-q", "origin", "main"]);
    ok(&repo, &["fetch", "-q", "--prune", "origin"]);
    let (code, json) = guard_json(&project, cwd);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(
        json["exposures"],
        serde_json::json!([{
            "issue": "POSTBOTE-1",
            "matched": "POSTBOTE-1",
            "clue": "issue_id",
            "place": "commit_message",
            "reference": "origin/main",
            "commit": leaking,
        }])
    );

    // A tag on the public history named after the CVE (git push --tags
    // would publish it) is found too.
    ok(&repo, &["tag", "cve-2026-41807-notes", "origin/main"]);
    let (_, json) = guard_json(&project, cwd);
    let places: Vec<&str> = json["exposures"]
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["place"].as_str().expect("place"))
        .collect();
    assert_eq!(places, ["tag_name", "commit_message"], "{json}");
    assert_eq!(json["exposures"][0]["reference"], "cve-2026-41807-notes");

    // Once the release is public, the names give nothing away any more.
    let mut p = store::load(&project).expect("project");
    p.releases[0].published = Some(now() - chrono::Duration::hours(1));
    store::save(&project, &p).expect("saved");
    let (code, json) = guard_json(&project, cwd);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["exposures"], serde_json::json!([]));
}

#[test]
fn the_pre_push_hook_refuses_a_commit_that_names_the_cve() {
    let fx = Fixture::new();
    let project = project_with_cve(&fx);
    public_origin(&fx);
    let repo = fx.repo();
    let cwd = fx.dir.path();
    let bare = cwd.join("security.git");
    ok(
        cwd,
        &["init", "-q", "--bare", bare.to_str().expect("utf-8")],
    );
    ok(
        &repo,
        &["remote", "add", "security", bare.to_str().expect("utf-8")],
    );
    let o = embargo(
        &["guard", project.to_str().expect("utf-8"), "--install-hook"],
        cwd,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // A branch from the release, without the fix, whose commit names the CVE.
    ok(&repo, &["checkout", "-q", "-b", "notes", "postbote-1.0.0"]);
    ok(
        &repo,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "docs: credit the reporter of CVE-2026-41807",
        ],
    );
    let naming = ok(&repo, &["rev-parse", "HEAD"]);
    let push = git(&repo, &["push", "origin", "notes"]);
    assert!(!push.status.success(), "the push went through");
    let err = text(&push.stderr);
    assert!(
        err.contains("push to public remote `origin` REFUSED: it would name issues under embargo")
            && err.contains(&format!(
                "“CVE-2026-41807” (identifier of POSTBOTE-1) in the commit message of {} (origin refs/heads/notes)",
                &naming[..12]
            )),
        "{err}"
    );
    assert!(
        !err.contains("would publish embargoed fixes"),
        "the fix is not in it: {err}"
    );
    assert!(
        ok(&repo, &["ls-remote", "origin"])
            .lines()
            .all(|l| !l.contains("notes"))
    );
    // The private remote takes it.
    let push = git(&repo, &["push", "security", "notes"]);
    assert!(push.status.success(), "{}", text(&push.stderr));

    // A clean commit passes; under a branch name that names the CVE, not.
    ok(&repo, &["checkout", "-q", "-b", "clean", "postbote-1.0.0"]);
    ok(
        &repo,
        &["commit", "-q", "--allow-empty", "-m", "docs: fix a typo"],
    );
    let push = git(&repo, &["push", "origin", "clean"]);
    assert!(push.status.success(), "{}", text(&push.stderr));
    let push = git(
        &repo,
        &["push", "origin", "clean:refs/heads/cve-2026-41807"],
    );
    assert!(!push.status.success(), "the push went through");
    assert!(
        text(&push.stderr).contains("in the branch name origin refs/heads/cve-2026-41807"),
        "{}",
        text(&push.stderr)
    );
}

#[test]
fn the_push_of_a_published_release_is_refused_when_it_names_another_embargoed_issue() {
    let fx = Fixture::new();
    let project = fx.project();
    public_origin(&fx);
    let repo = fx.repo();
    let cwd = fx.dir.path();
    // A second issue, still under embargo, named by a commit on the
    // release branch.
    let mut p = store::load(&project).expect("project");
    let other = ops::add_issue(&mut p, "Crash in BDAT", now()).expect("issue");
    p.issue_mut(&other).expect("added").cve = embargo::core::model::CveState::Assigned {
        id: "CVE-2026-50001".into(),
    };
    p.releases[0].published = Some(now() - chrono::Duration::hours(1));
    store::save(&project, &p).expect("saved");
    ok(
        &repo,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "bdat: a first look at CVE-2026-50001",
        ],
    );
    ok(&repo, &["tag", "-a", "postbote-1.0.1", "-m", "1.0.1"]);
    let before = ok(&repo, &["ls-remote", "origin"]);
    let o = embargo(
        &[
            "push",
            project.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-1",
        ],
        cwd,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains("REFUSED: pushing main would name issues still under embargo")
            && err.contains(&format!(
                "“CVE-2026-50001” (identifier of {other}) in the commit message"
            )),
        "{err}"
    );
    assert_eq!(
        ok(&repo, &["ls-remote", "origin"]),
        before,
        "nothing was pushed"
    );
}

#[test]
fn a_push_without_the_tag_or_a_public_remote_is_refused_and_says_what_to_do() {
    let fx = Fixture::new();
    let project = fx.project();
    let p = project.to_str().expect("utf-8");
    let id = store::load(&project).expect("loads").issues[0].id.clone();
    let o = embargo(&["publish", p, "--issue", &id], fx.dir.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let push = |what: &str| {
        let o = embargo(&["push", p, "--issue", &id], fx.dir.path());
        assert_eq!(o.status.code(), Some(1), "{what}: {}", text(&o.stdout));
        text(&o.stderr)
    };
    let err = push("no tag");
    assert!(
        err.contains(
            "the release tag postbote-1.0.1 does not exist: build the release artifacts first (build step)"
        ),
        "{err}"
    );
    ok(&fx.repo(), &["tag", "-a", "postbote-1.0.1", "-m", "1.0.1"]);
    let err = push("no public remote");
    assert!(
        err.contains(
            "the repository has no public remote: add one (git remote add) or list it under"
        ),
        "{err}"
    );
    // Nothing was journaled as pushed by either refusal.
    let journal = &store::load(&project).expect("loads").issues[0].journal;
    assert!(
        !journal
            .iter()
            .any(|e| e.event.describe().contains("pushed")),
        "{:?}",
        journal
            .iter()
            .map(|e| e.event.describe())
            .collect::<Vec<_>>()
    );
    // With a public remote the same push goes out and is journaled.
    let public = fx.dir.path().join("public.git");
    ok(
        fx.dir.path(),
        &["init", "-q", "--bare", public.to_str().expect("utf-8")],
    );
    ok(
        &fx.repo(),
        &["remote", "add", "origin", public.to_str().expect("utf-8")],
    );
    let o = embargo(&["push", p, "--issue", &id], fx.dir.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        ok(&public, &["rev-parse", "postbote-1.0.1^{commit}"]),
        fx.fix
    );
    let journal = &store::load(&project).expect("loads").issues[0].journal;
    assert!(
        journal.iter().any(|e| e
            .event
            .describe()
            .starts_with("pushed to public git set to main and postbote-1.0.1 to origin")),
        "{:?}",
        journal
            .iter()
            .map(|e| e.event.describe())
            .collect::<Vec<_>>()
    );
}
