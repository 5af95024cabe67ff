//! A team works one embargo together (issue #23), through the real binary
//! and real git repositories: a bare "team" remote and two clones in a
//! temporary directory. `embargo sync` commits the local change, fetches,
//! merges field by field and pushes; edits of different issues and fields
//! merge without conflict; the same field changed on both sides is a
//! conflict and nothing is pushed until it is resolved; interleaved
//! journal entries merge in time order, nothing lost or doubled; a remote
//! the project lists as public, or one on a public forge, is refused before
//! anything is sent; an encrypted project is encrypted to every member,
//! each member opens the merged file with their own key, and no plain text
//! reaches the repository; `--install-driver` sets up a plain `git pull`.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use embargo::adapters::openpgp::atrest;
use embargo::adapters::store;
use embargo::core::model::{Member, Project, Severity};
use support::{Gpg, bounded, text};

const ADA: &str = "ada@postbote.example";
const BEN: &str = "ben@postbote.example";
const FILE: &str = "p.embargo.ron";

fn git(dir: &Path, args: &[&str]) -> Output {
    let child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    bounded(child)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout).trim().to_owned()
}

/// `embargo ARGS` in `dir` with HOME there (so no user's git or app
/// configuration is read), `EMBARGO_NOW` and `env`.
fn embargo(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
    cmd.current_dir(dir)
        .args(args)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("EMBARGO_NOW", "2026-11-20T12:00:00Z")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    bounded(cmd.spawn().expect("embargo runs"))
}

fn sync_json(dir: &Path, extra: &[&str], env: &[(&str, &Path)]) -> (Output, serde_json::Value) {
    let mut args = vec!["sync", FILE, "--json"];
    args.extend_from_slice(extra);
    let o = embargo(dir, &args, env);
    let json = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, json)
}

fn synced(dir: &Path, env: &[(&str, &Path)]) -> serde_json::Value {
    let (o, json) = sync_json(dir, &[], env);
    assert!(
        o.status.success(),
        "sync in {}: {}{}",
        dir.display(),
        text(&o.stdout),
        text(&o.stderr)
    );
    json
}

/// The example project with Ada and Ben as members.
fn project() -> Project {
    let mut p = store::example().expect("the example loads");
    p.members = vec![Member::new("Ada", ADA), Member::new("Ben", BEN)];
    store::parse_project(&store::project_to_string(&p), Path::new(FILE)).expect("reloads")
}

/// A bare team repository seeded with `file` holding `bytes`, and two
/// clones, Ada's and Ben's, each with its git identity.
struct Team {
    dir: tempfile::TempDir,
}

impl Team {
    fn new(file: &str, bytes: &[u8]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        ok(d, &["init", "-q", "--bare", "-b", "main", "team.git"]);
        ok(d, &["clone", "-q", "team.git", "seed"]);
        let seed = d.join("seed");
        ok(&seed, &["config", "user.name", "Seed"]);
        ok(&seed, &["config", "user.email", "seed@postbote.example"]);
        std::fs::write(seed.join(".gitignore"), "*.bak\n*.lock\n").expect("write");
        std::fs::write(seed.join(file), bytes).expect("write");
        ok(&seed, &["add", "."]);
        ok(&seed, &["commit", "-q", "-m", "the project"]);
        ok(&seed, &["push", "-q", "origin", "main"]);
        for (name, address) in [("ada", ADA), ("ben", BEN)] {
            ok(d, &["clone", "-q", "team.git", name]);
            ok(&d.join(name), &["config", "user.name", name]);
            ok(&d.join(name), &["config", "user.email", address]);
        }
        Self { dir }
    }

    fn ada(&self) -> PathBuf {
        self.dir.path().join("ada")
    }

    fn ben(&self) -> PathBuf {
        self.dir.path().join("ben")
    }

    fn bare(&self) -> PathBuf {
        self.dir.path().join("team.git")
    }

    fn remote_tip(&self) -> String {
        ok(&self.bare(), &["rev-parse", "main"])
    }
}

fn load(clone: &Path) -> Project {
    store::load(&clone.join(FILE)).expect("the project loads")
}

/// Change the project in `clone` as a subcommand does (set a field).
fn set(clone: &Path, issue: &str, field: &str, value: &str, env: &[(&str, &Path)]) {
    let o = embargo(
        clone,
        &["issue", "set", FILE, "--issue", issue, field, value],
        env,
    );
    assert!(
        o.status.success(),
        "issue set {field}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}

#[test]
fn edits_of_different_issues_and_fields_merge_and_both_clones_agree() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let (ada, ben) = (team.ada(), team.ben());
    set(&ada, "POSTBOTE-1", "severity", "high", &[]);
    let status = embargo(&ada, &["sync", FILE, "--status", "--json"], &[]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert_eq!(status["changed"], true, "{status}");
    let first = synced(&ada, &[]);
    assert_eq!(first["merge"], "up-to-date", "{first}");
    assert_eq!(first["pushed"], true, "{first}");
    assert!(first["committed"].is_string(), "{first}");
    // The commit says what changed, and who did it.
    let message = ok(&ada, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("embargo sync: 1 journal entry"),
        "{message}"
    );
    assert!(message.contains("POSTBOTE-1: severity set to"), "{message}");
    assert!(message.contains(ADA), "credited to Ada: {message}");

    set(&ben, "POSTBOTE-2", "title", "Ben's title", &[]);
    let second = synced(&ben, &[]);
    assert_eq!(second["merge"], "merged", "{second}");
    assert_eq!(second["pushed"], true, "{second}");
    assert_eq!(
        (second["ahead"].as_u64(), second["behind"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(team.remote_tip(), ok(&ben, &["rev-parse", "HEAD"]));
    let parents = ok(&ben, &["log", "-1", "--format=%P"]);
    assert_eq!(parents.split(' ').count(), 2, "a merge commit: {parents}");

    let third = synced(&ada, &[]);
    assert_eq!(third["merge"], "fast-forward", "{third}");
    assert_eq!(third["pushed"], false, "{third}");
    let (a, b) = (load(&ada), load(&ben));
    assert_eq!(a, b, "both clones hold the same project");
    assert_eq!(
        a.issue("POSTBOTE-1").expect("kept").severity,
        Some(Severity::High)
    );
    assert_eq!(a.issue("POSTBOTE-2").expect("kept").title, "Ben's title");
    assert_eq!(ok(&ada, &["status", "--porcelain"]), "");
    // Nothing new: up to date, nothing committed or pushed.
    let again = synced(&ada, &[]);
    assert_eq!(again["merge"], "up-to-date");
    assert_eq!(again["committed"], serde_json::Value::Null);
    assert_eq!(again["pushed"], false);
}

#[test]
fn the_same_field_changed_on_both_sides_is_a_conflict_and_nothing_is_pushed() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let (ada, ben) = (team.ada(), team.ben());
    set(&ada, "POSTBOTE-2", "severity", "high", &[]);
    synced(&ada, &[]);
    let tip = team.remote_tip();
    set(&ben, "POSTBOTE-2", "severity", "low", &[]);
    let before = std::fs::read(ben.join(FILE)).expect("read");
    let (o, json) = sync_json(&ben, &[], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(json["merge"], "conflict", "{json}");
    assert_eq!(json["pushed"], false);
    let conflicts = json["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{json}");
    let c = &conflicts[0];
    assert_eq!(c["path"], "issues[POSTBOTE-2].severity");
    assert_eq!(
        (c["ours"].as_str(), c["theirs"].as_str()),
        (Some("Low"), Some("High"))
    );
    assert_eq!(
        (c["ours_by"].as_str(), c["theirs_by"].as_str()),
        (Some(BEN), Some(ADA))
    );
    let err = text(&o.stderr);
    assert!(err.contains("nothing was pushed"), "{err}");
    assert!(err.contains("--take ours|theirs"), "{err}");
    assert_eq!(team.remote_tip(), tip, "nothing was pushed");
    assert_eq!(
        std::fs::read(ben.join(FILE)).expect("read"),
        before,
        "file untouched"
    );

    // A resolution naming no conflict is refused, and changes nothing.
    let (o, _) = sync_json(&ben, &["--take", "theirs", "issues[POSTBOTE-1].title"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("issues[POSTBOTE-2].severity"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(team.remote_tip(), tip);

    let (o, json) = sync_json(
        &ben,
        &["--take", "theirs", "issues[POSTBOTE-2].severity"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(json["merge"], "merged", "{json}");
    assert_eq!(json["pushed"], true);
    assert_eq!(
        load(&ben).issue("POSTBOTE-2").expect("kept").severity,
        Some(Severity::High)
    );
    synced(&ada, &[]);
    assert_eq!(load(&ada), load(&ben));

    // An edited value resolves a conflict too.
    set(&ada, "POSTBOTE-1", "title", "Ada's", &[]);
    synced(&ada, &[]);
    set(&ben, "POSTBOTE-1", "title", "Ben's", &[]);
    let (o, _) = sync_json(
        &ben,
        &["--value", "issues[POSTBOTE-1].title", "Both agreed"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        load(&ben).issue("POSTBOTE-1").expect("kept").title,
        "Both agreed"
    );
}

#[test]
fn interleaved_journal_entries_merge_in_time_order_nothing_lost_or_doubled() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let (ada, ben) = (team.ada(), team.ben());
    let note = |clone: &Path, at: &str, text: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_embargo"))
            .current_dir(clone)
            .args([
                "issue",
                "set",
                FILE,
                "--issue",
                "POSTBOTE-1",
                "reporter-name",
                text,
            ])
            .env("HOME", clone)
            .env("XDG_CONFIG_HOME", clone.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("EMBARGO_NOW", at)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", support::text(&o.stderr));
    };
    let base_len = load(&ada).issue("POSTBOTE-1").expect("issue").journal.len();
    note(&ada, "2026-11-20T10:00:00Z", "a1");
    note(&ben, "2026-11-20T10:30:00Z", "b1");
    note(&ada, "2026-11-20T11:00:00Z", "a2");
    note(&ben, "2026-11-20T11:30:00Z", "b2");
    synced(&ada, &[]);
    // Both changed the reporter's name last: Ben keeps his, the journals merge.
    let (o, json) = sync_json(
        &ben,
        &["--take", "ours", "issues[POSTBOTE-1].reporter.name"],
        &[],
    );
    assert!(o.status.success(), "{} {json}", text(&o.stderr));
    synced(&ada, &[]);
    let (a, b) = (load(&ada), load(&ben));
    assert_eq!(a, b);
    let journal = &a.issue("POSTBOTE-1").expect("issue").journal;
    assert_eq!(journal.len(), base_len + 4, "nothing lost or doubled");
    let new: Vec<(String, Option<&str>)> = journal[base_len..]
        .iter()
        .map(|e| (e.at.to_rfc3339(), e.author.as_deref()))
        .collect();
    assert_eq!(
        new,
        [
            ("2026-11-20T10:00:00+00:00".to_owned(), Some(ADA)),
            ("2026-11-20T10:30:00+00:00".to_owned(), Some(BEN)),
            ("2026-11-20T11:00:00+00:00".to_owned(), Some(ADA)),
            ("2026-11-20T11:30:00+00:00".to_owned(), Some(BEN)),
        ]
    );
    let ids: std::collections::HashSet<&str> = journal.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), journal.len(), "ids unique");
}

#[test]
fn a_public_remote_or_forge_is_refused_before_anything_is_sent() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let ada = team.ada();
    // The software's repository, whose public remote the project names.
    let software = team.dir.path().join("software");
    ok(team.dir.path(), &["init", "-q", "software"]);
    let public_url = team.dir.path().join("public.git");
    ok(team.dir.path(), &["init", "-q", "--bare", "public.git"]);
    ok(
        &software,
        &[
            "remote",
            "add",
            "origin",
            public_url.to_str().expect("utf-8"),
        ],
    );
    let o = embargo(
        &ada,
        &[
            "settings",
            FILE,
            "--repo",
            software.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    ok(
        &ada,
        &["remote", "add", "oops", public_url.to_str().expect("utf-8")],
    );
    let head = ok(&ada, &["rev-parse", "HEAD"]);
    let (o, _) = sync_json(&ada, &["--remote", "oops"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("is the project's public repository"), "{err}");
    assert_eq!(ok(&ada, &["rev-parse", "HEAD"]), head, "nothing committed");
    assert_eq!(
        ok(&public_url, &["for-each-ref"]),
        "",
        "nothing reached the public repository"
    );

    ok(
        &ada,
        &[
            "remote",
            "add",
            "forge",
            "https://github.com/postbote/team.git",
        ],
    );
    let (o, _) = sync_json(&ada, &["--remote", "forge"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("github.com, a public forge"), "{err}");
    assert!(err.contains("--allow-host github.com"), "{err}");
    ok(
        &ada,
        &[
            "remote",
            "set-url",
            "--push",
            "origin",
            "git@gitlab.com:postbote/team.git",
        ],
    );
    let (o, _) = sync_json(&ada, &[], &[]);
    assert_eq!(o.status.code(), Some(1), "the push URL counts too");
    assert!(
        text(&o.stderr).contains("gitlab.com, a public forge"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(ok(&ada, &["rev-parse", "HEAD"]), head);
}

#[test]
fn an_encrypted_project_is_encrypted_to_every_member_and_each_opens_the_merge() {
    let (ga, gb) = (Gpg::new(), Gpg::new());
    let fa = ga.make_mail_key(&format!("Ada <{ADA}>"), "");
    let fb = gb.make_mail_key(&format!("Ben <{BEN}>"), "");
    let (cert_a, cert_b) = (ga.export_cert(&fa), gb.export_cert(&fb));
    // Ada encrypts her project to herself and adds Ben, with certificates.
    let work = ga.work();
    let plain = work.join(FILE);
    let mut p = project();
    p.members.clear();
    std::fs::write(&plain, store::project_to_string(&p)).expect("write");
    let home_a = ga.home();
    let env_a: &[(&str, &Path)] = &[("GNUPGHOME", &home_a)];
    let run = |args: &[&str]| {
        let o = embargo(&work, args, env_a);
        assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    };
    run(&["encrypt", FILE, "--cert", cert_a.to_str().expect("utf-8")]);
    let sealed = format!("{FILE}.pgp");
    run(&[
        "members",
        "add",
        &sealed,
        "--name",
        "Ada",
        "--address",
        ADA,
        "--cert",
        cert_a.to_str().expect("utf-8"),
    ]);
    run(&[
        "members",
        "add",
        &sealed,
        "--name",
        "Ben",
        "--address",
        BEN,
        "--cert",
        cert_b.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(work.join(&sealed)).expect("read");
    let to = atrest::encrypted_to(&bytes).expect("an OpenPGP message");
    assert_eq!(to.len(), 2, "encrypted to Ada's and Ben's keys: {to:?}");

    let team = Team::new(&sealed, &bytes);
    let (ada, ben) = (team.ada(), team.ben());
    let home_b = gb.home();
    let env_b: &[(&str, &Path)] = &[("GNUPGHOME", &home_b)];
    let set_sealed =
        |clone: &Path, issue: &str, field: &str, value: &str, env: &[(&str, &Path)]| {
            let o = embargo(
                clone,
                &["issue", "set", &sealed, "--issue", issue, field, value],
                env,
            );
            assert!(o.status.success(), "{}", text(&o.stderr));
        };
    const SECRET: &str = "Ben's secret title";
    set_sealed(&ben, "POSTBOTE-2", "title", SECRET, env_b);
    set_sealed(&ada, "POSTBOTE-1", "severity", "low", env_a);
    let sync = |clone: &Path, env: &[(&str, &Path)]| {
        let o = embargo(clone, &["sync", &sealed, "--json"], env);
        assert!(o.status.success(), "{}", text(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
    };
    sync(&ada, env_a);
    assert_eq!(sync(&ben, env_b)["merge"], "merged");
    assert_eq!(sync(&ada, env_a)["merge"], "fast-forward");
    // Each opens the merged file with their own key.
    for (clone, env) in [(&ada, env_a), (&ben, env_b)] {
        let o = embargo(
            clone,
            &["issue", "show", &sealed, "--issue", "POSTBOTE-2", "--json"],
            env,
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(text(&o.stdout).contains(SECRET), "{}", text(&o.stdout));
        let o = embargo(
            clone,
            &["issue", "show", &sealed, "--issue", "POSTBOTE-1", "--json"],
            env,
        );
        assert!(
            text(&o.stdout).to_lowercase().contains("\"low\""),
            "{}",
            text(&o.stdout)
        );
        let merged = std::fs::read(clone.join(&sealed)).expect("read");
        assert_eq!(atrest::encrypted_to(&merged).expect("sealed").len(), 2);
    }
    // No plain text anywhere in git: objects, index, work trees.
    for dir in [
        team.bare(),
        ada.join(".git"),
        ben.join(".git"),
        ada.clone(),
        ben.clone(),
    ] {
        for entry in walk(&dir) {
            let bytes = std::fs::read(&entry).expect("read");
            assert!(
                !contains(&bytes, SECRET.as_bytes()) && !contains(&bytes, b"POSTBOTE-2"),
                "plain text in {}",
                entry.display()
            );
        }
    }
    let objects = git(
        &team.bare(),
        &["cat-file", "--batch-all-objects", "--batch"],
    );
    assert!(!contains(&objects.stdout, SECRET.as_bytes()));
    assert!(!contains(&objects.stdout, b"POSTBOTE-2"));
    // Removing Ben re-encrypts to Ada alone.
    let o = embargo(
        &ada,
        &["members", "remove", &sealed, "--member", BEN],
        env_a,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let after = std::fs::read(ada.join(&sealed)).expect("read");
    assert_eq!(atrest::encrypted_to(&after).expect("sealed").len(), 1);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("listable") {
            let p = e.expect("entry").path();
            let m = std::fs::symlink_metadata(&p).expect("meta");
            if m.is_dir() {
                todo.push(p);
            } else if m.is_file() {
                out.push(p);
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn install_driver_makes_a_plain_git_pull_merge_projects() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let (ada, ben) = (team.ada(), team.ben());
    let o = embargo(&ben, &["sync", FILE, "--install-driver", "--json"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["added"].as_array().map(Vec::len), Some(4), "{json}");
    let attributes = std::fs::read_to_string(ben.join(".gitattributes")).expect("written");
    assert!(
        attributes.contains("*.embargo.ron merge=embargo"),
        "{attributes}"
    );
    let driver = ok(&ben, &["config", "merge.embargo.driver"]);
    assert!(driver.ends_with("merge-driver %O %A %B %P"), "{driver}");
    // Once more: nothing to add.
    let o = embargo(&ben, &["sync", FILE, "--install-driver", "--json"], &[]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["added"].as_array().map(Vec::len), Some(0), "{json}");
    ok(&ben, &["add", ".gitattributes"]);
    ok(&ben, &["commit", "-q", "-m", "merge driver"]);
    set(&ada, "POSTBOTE-1", "severity", "high", &[]);
    ok(&ada, &["commit", "-q", "-am", "severity"]);
    ok(&ada, &["push", "-q", "origin", "main"]);
    set(&ben, "POSTBOTE-2", "title", "Ben's title", &[]);
    ok(&ben, &["commit", "-q", "-am", "title"]);
    ok(
        &ben,
        &[
            "-c",
            "pull.rebase=false",
            "pull",
            "-q",
            "--no-edit",
            "origin",
            "main",
        ],
    );
    let merged = load(&ben);
    assert_eq!(
        merged.issue("POSTBOTE-1").expect("kept").severity,
        Some(Severity::High)
    );
    assert_eq!(
        merged.issue("POSTBOTE-2").expect("kept").title,
        "Ben's title"
    );
}

#[test]
fn uncommitted_changes_to_other_files_are_refused_and_kept() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let ada = team.ada();
    std::fs::write(ada.join(".gitignore"), "*.bak\n*.lock\nnotes.txt\n").expect("write");
    set(&ada, "POSTBOTE-1", "severity", "high", &[]);
    let head = ok(&ada, &["rev-parse", "HEAD"]);
    let (o, _) = sync_json(&ada, &[], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("uncommitted changes besides the project file (.gitignore)"),
        "{err}"
    );
    assert_eq!(ok(&ada, &["rev-parse", "HEAD"]), head, "nothing committed");
    assert!(
        std::fs::read_to_string(ada.join(".gitignore"))
            .expect("kept")
            .contains("notes.txt"),
        "the change is kept"
    );
    // An untracked file is not at risk: no refusal.
    ok(&ada, &["checkout", "--", ".gitignore"]);
    std::fs::write(ada.join("draft.txt"), "mine").expect("write");
    synced(&ada, &[]);
    assert_eq!(
        std::fs::read_to_string(ada.join("draft.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn a_remote_project_file_that_is_a_link_is_refused_and_nothing_is_taken() {
    let team = Team::new(FILE, store::project_to_string(&project()).as_bytes());
    let (ada, ben) = (team.ada(), team.ben());
    // Someone pushes a symbolic link in place of the project file.
    std::fs::remove_file(ben.join(FILE)).expect("removed");
    std::os::unix::fs::symlink("/etc/hostname", ben.join(FILE)).expect("link");
    ok(&ben, &["add", "-A"]);
    ok(&ben, &["commit", "-q", "-m", "a link"]);
    ok(&ben, &["push", "-q", "origin", "main"]);
    set(&ada, "POSTBOTE-1", "severity", "high", &[]);
    let head = ok(&ada, &["rev-parse", "HEAD"]);
    let (o, _) = sync_json(&ada, &[], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("is not a plain file"), "{err}");
    let meta = std::fs::symlink_metadata(ada.join(FILE)).expect("there");
    assert!(meta.is_file(), "still a plain file");
    assert_eq!(
        load(&ada).issue("POSTBOTE-1").expect("kept").severity,
        Some(Severity::High)
    );
    assert_ne!(
        ok(&ada, &["rev-parse", "HEAD"]),
        head,
        "the local change is committed"
    );
    assert_ne!(
        team.remote_tip(),
        ok(&ada, &["rev-parse", "HEAD"]),
        "nothing pushed"
    );
}
