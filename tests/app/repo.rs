//! The repository side of a release in the app (issue #22, items 11–16):
//! building from a chosen commit or tag with the base tag as a field, the
//! CVSS vector checked as typed, the write-up redacted and saved as HTML,
//! intake from a raw report mail, fix commits and tags picked from the
//! repository, and the push after publication. Every test drives the app
//! by label on real git repositories in temporary directories.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use embargo::core::model::{FixCommit, KeyLocation, Project, SigningKeyRef};
use embargo::ui::{Command, EmbargoApp, Startup};

use crate::common::{harness, now};
use crate::support::{git_ok as git, settle, type_into};

/// A private repository of Postbote: 4.12.2 tagged, then the fix, then
/// the version bump to 4.12.3 (the commit a release is built from).
/// Returns the repository, the fix commit and the bump commit.
fn postbote_repo(dir: &Path) -> (PathBuf, String, String) {
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join("src")).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.name", "Rel Eng"]);
    git(&repo, &["config", "user.email", "releng@postbote.example"]);
    let version = |v: &str| {
        std::fs::write(
            repo.join("src/version.h"),
            format!("#define POSTBOTE_VERSION \"{v}\"\n"),
        )
        .expect("version file");
    };
    version("4.12.2");
    std::fs::write(repo.join("src/auth.c"), "char buf[64];\n").expect("w");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "4.12.2"]);
    git(&repo, &["tag", "-a", "postbote-4.12.2", "-m", "4.12.2"]);
    std::fs::write(repo.join("src/auth.c"), "char buf[1024];\n").expect("w");
    git(
        &repo,
        &[
            "commit",
            "-qam",
            "auth: size the PLAIN buffer (CVE-2026-41807)",
        ],
    );
    let fix = git(&repo, &["rev-parse", "HEAD"]);
    version("4.12.3");
    git(&repo, &["commit", "-qam", "Bump the version to 4.12.3"]);
    let bump = git(&repo, &["rev-parse", "HEAD"]);
    (repo, fix, bump)
}

/// A signing key file made before the app's clock.
fn key_file(dir: &Path) -> SigningKeyRef {
    use sequoia_openpgp::cert::CertBuilder;
    use sequoia_openpgp::serialize::SerializeInto;
    let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@postbote.example>"))
        .set_creation_time(std::time::SystemTime::from(
            now() - chrono::TimeDelta::days(30),
        ))
        .generate()
        .expect("key");
    let key = dir.join("release.key");
    std::fs::write(&key, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
    SigningKeyRef {
        fingerprint: String::new(),
        location: KeyLocation::KeyFile {
            path: key.display().to_string(),
        },
    }
}

/// The example project with its repository at `repo` (relative to the
/// project file in `dir`), POSTBOTE-2's fix recorded, saved; `edit`
/// changes it before saving.
fn project_file(dir: &Path, fix: &str, edit: impl FnOnce(&mut Project)) -> PathBuf {
    let mut project = embargo::adapters::store::example().expect("example");
    project.repo.path = "repo".into();
    project.signing = Some(key_file(dir));
    let issue = project.issue_mut("POSTBOTE-2").expect("issue");
    issue.fix_commits = vec![FixCommit {
        id: fix.to_owned(),
        branch: "main".into(),
        summary: "auth: size the PLAIN buffer".into(),
    }];
    edit(&mut project);
    let file = dir.join("postbote.embargo.ron");
    embargo::adapters::store::save(&file, &project).expect("saved");
    file
}

/// Select the step titled `step` in the step list (its entry is "ICON
/// TITLE"; the step view's heading, when it is shown, is the bare title).
fn open_step(h: &mut Harness<'static, EmbargoApp>, step: &str) {
    h.query_all_by_label_contains(step)
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.ends_with(&format!("  {step}")))
        })
        .expect("the step is listed")
        .click();
    h.step();
    h.step();
    settle(h);
}

fn release_of<'a>(
    h: &'a Harness<'static, EmbargoApp>,
    issue: &str,
) -> &'a embargo::core::model::Release {
    h.state()
        .doc
        .as_ref()
        .expect("open")
        .project
        .release_of(issue)
        .expect("planned")
}

const BUILD_STEP: &str = "Tarball and standalone patch, signed";

/// Item 12: the build starts at the tip of the release branch (shown), not
/// at the last recorded fix commit; the missing base tag is said and set
/// as a field; the output directory is shown with "Open folder".
#[test]
fn the_build_starts_at_the_release_branch_tip_with_the_base_tag_picked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (repo, fix, bump) = postbote_repo(dir.path());
    let file = project_file(dir.path(), &fix, |p| {
        p.releases
            .iter_mut()
            .find(|r| r.issues.iter().any(|i| i == "POSTBOTE-2"))
            .expect("release")
            .base_tag = None;
    });
    let mut h = harness(Startup::File(file));
    open_step(&mut h, BUILD_STEP);
    let shown = format!(
        "Builds from: HEAD of the release branch main ({})",
        &bump[..12]
    );
    assert!(
        h.query_by_label(&shown).is_some(),
        "the default is shown: {:?}",
        h.state().view.repo.sources
    );
    assert!(
        h.query_by_label_contains("No base tag: the standalone patch will be missing")
            .is_some()
    );

    type_into(&mut h, "Base tag", "postbote-4.12.2");
    h.get_by_label("Use this base tag").click();
    h.step();
    settle(&mut h);
    assert_eq!(
        release_of(&h, "POSTBOTE-2").base_tag.as_deref(),
        Some("postbote-4.12.2")
    );
    assert!(
        h.query_by_label_contains("No base tag").is_none(),
        "no longer missing"
    );

    h.get_by_label("Build release artifacts").click();
    h.step();
    settle(&mut h);
    assert_eq!(h.state().view.repo.build_error, None);
    assert_eq!(
        git(&repo, &["rev-parse", "postbote-4.12.3^{commit}"]),
        bump,
        "tagged at the branch tip, not at the fix commit"
    );
    let out = dir.path().join("postbote-4.12.3-release");
    let patch = std::fs::read_to_string(out.join("postbote-4.12.3.patch")).expect("patch");
    assert!(patch.contains("Bump the version to 4.12.3"), "{patch}");
    assert!(
        h.query_by_label(&format!("Output directory: {}", out.display()))
            .is_some()
    );
    h.get_by_label("Open folder").click();
    h.step();
    settle(&mut h);
    assert!(
        h.state().handled().any(
            |c| c == &Command::Repo(embargo::ui::command::RepoCommand::OpenFolder(out.clone()))
        ),
        "the folder goes to the desktop's opener"
    );
}

/// Item 12: a commit typed into "Build from" is what is built; a failure
/// while building says so and is not called a signing failure.
#[test]
fn a_chosen_commit_is_built_and_a_build_failure_is_labelled_as_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (repo, fix, _bump) = postbote_repo(dir.path());
    let file = project_file(dir.path(), &fix, |_| {});
    let mut h = harness(Startup::File(file));
    open_step(&mut h, BUILD_STEP);
    // The fix commit still says 4.12.2: the version check refuses it.
    type_into(&mut h, "Build from", &fix);
    h.get_by_label("Build release artifacts").click();
    h.step();
    settle(&mut h);
    let error = h.state().view.repo.build_error.clone().expect("failed");
    assert!(
        error.starts_with("Building the release artifacts failed:") && error.contains("4.12.3"),
        "{error}"
    );
    assert!(
        h.query_all_by_label_contains("Building the release artifacts failed")
            .count()
            >= 2,
        "shown in the panel and in the notification"
    );
    assert!(
        h.state()
            .notices
            .iter()
            .all(|n| !n.text.contains("Signing failed")),
        "{:?}",
        h.state().notices
    );
    assert!(
        git(&repo, &["tag", "-l", "postbote-4.12.3"]).is_empty(),
        "nothing left behind"
    );
}

fn draft<'a>(h: &'a Harness<'static, EmbargoApp>) -> &'a embargo::core::model::Issue {
    h.state().view.draft.as_ref().expect("an issue is selected")
}

/// Item 15: the CVSS vector is checked as typed with its score shown; an
/// invalid one is refused (the issue keeps the last good vector) with the
/// reason; "Severity confirmed by" records who agreed.
#[test]
fn the_cvss_vector_is_scored_as_typed_and_an_invalid_one_is_refused() {
    let mut h = harness(Startup::Example);
    open_step(&mut h, "Assign a severity");
    assert!(
        h.query_by_label("✔ CVSS 3.1 base score 9.8 (CRITICAL)")
            .is_some(),
        "the stored vector's score is shown"
    );
    let good = draft(&h).cvss.clone().expect("a vector");

    type_into(&mut h, "CVSS vector", "CVSS:3.1/AV:N/AC:L/PR:Q");
    assert!(
        h.query_by_label_contains("✖ Not kept:").is_some(),
        "the reason is shown"
    );
    assert_eq!(
        draft(&h).cvss.as_ref(),
        Some(&good),
        "the invalid vector is not kept"
    );

    let v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    type_into(&mut h, "CVSS vector", v4);
    assert!(
        h.query_by_label("✔ CVSS 4.0 base score 9.3 (CRITICAL)")
            .is_some()
    );
    let kept = draft(&h).cvss.clone().expect("kept");
    assert_eq!(kept.vector, v4);
    assert_eq!(kept.version, embargo::core::model::CvssVersion::V4_0);

    type_into(&mut h, "Severity confirmed by", "Tomas M.");
    assert_eq!(draft(&h).severity_confirmed_by, "Tomas M.");
}

fn embargo_cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", "2026-11-23T12:00:00Z")
        .output()
        .expect("embargo runs")
}

/// Item 15 on the command line: `issue set severity-confirmed-by` records
/// who agreed, journaled; an unscorable vector is refused by the same check.
#[test]
fn the_cli_sets_who_confirmed_the_severity_and_refuses_a_bad_vector() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    let project = embargo::adapters::store::example().expect("example");
    embargo::adapters::store::save(&file, &project).expect("saved");
    let f = file.to_str().expect("utf-8");
    let o = embargo_cli(&[
        "issue",
        "set",
        f,
        "--issue",
        "POSTBOTE-2",
        "severity-confirmed-by",
        "Tomas M.",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let project = embargo::adapters::store::load(&file).expect("loads");
    let issue = project.issue("POSTBOTE-2").expect("issue");
    assert_eq!(issue.severity_confirmed_by, "Tomas M.");
    assert!(issue.journal.iter().any(|e| matches!(&e.event,
        embargo::core::model::Event::FieldChanged { field, value }
            if field == "severity confirmed by" && value == "Tomas M.")));
    let o = embargo_cli(&[
        "issue",
        "set",
        f,
        "--issue",
        "POSTBOTE-2",
        "cvss",
        "CVSS:3.1/AV:N/AC:L/PR:Q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cvss:"));
}

fn text_window(h: &Harness<'static, EmbargoApp>) -> String {
    h.state()
        .view
        .text_window
        .as_ref()
        .map(|(_, text)| text.clone())
        .expect("the write-up is shown")
}

/// Item 16: the write-up leaves addresses out unless asked; "Save as
/// HTML…" writes an HTML page (and a `.md` name Markdown).
#[test]
fn the_write_up_withholds_addresses_and_saves_as_html() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(Startup::Example);
    h.get_by_label_contains("Header injection through a crafted DKIM signature")
        .click();
    h.step();
    settle(&mut h);
    open_step(&mut h, "Aftermath and write-up");
    h.get_by_label("Write-up…").click();
    h.step();
    settle(&mut h);
    let text = text_window(&h);
    assert!(text.contains("Mira Okafor <[address withheld]>"), "{text}");
    assert!(!text.contains("mira@research.example"), "{text}");
    assert!(!text.contains("distros@vs.openwall.org"), "{text}");

    h.get_by_label("Save as HTML…").click();
    h.step();
    h.run();
    let (_, suggested) = h.state().view.path_dialog.clone().expect("asked");
    assert!(suggested.ends_with(".html"), "{suggested}");
    let html = dir.path().join("writeup.html");
    type_into(&mut h, "Path", html.to_str().expect("utf-8"));
    h.key_press(egui::Key::Enter);
    h.step();
    settle(&mut h);
    let page = std::fs::read_to_string(&html).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(
        page.contains("Mira Okafor &lt;[address withheld]&gt;"),
        "{page}"
    );
    assert!(!page.contains("mira@research.example"));

    h.get_by_label("Include reporter and recipient addresses")
        .click();
    h.step();
    settle(&mut h);
    let text = text_window(&h);
    assert!(
        text.contains("Mira Okafor <mira@research.example>"),
        "{text}"
    );
    h.get_by_label("Save as…").click();
    h.step();
    h.run();
    let md = dir.path().join("writeup.md");
    type_into(&mut h, "Path", md.to_str().expect("utf-8"));
    h.key_press(egui::Key::Enter);
    h.step();
    settle(&mut h);
    let written = std::fs::read_to_string(&md).expect("written");
    assert!(written.starts_with("# "), "Markdown: {written}");
    assert!(written.contains("mira@research.example"), "as asked");
}

/// Item 16 on the command line: addresses withheld by default,
/// `--include-addresses` shows them, and an `.html` name gets HTML.
#[test]
fn the_cli_report_withholds_addresses_and_takes_its_format_from_the_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    let project = embargo::adapters::store::example().expect("example");
    embargo::adapters::store::save(&file, &project).expect("saved");
    let out = dir.path().join("w.html");
    let o = embargo_cli(&[
        "report",
        file.to_str().expect("utf-8"),
        "--issue",
        "POSTBOTE-1",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(&out).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(!page.contains("mira@research.example"), "{page}");
    let o = embargo_cli(&[
        "report",
        file.to_str().expect("utf-8"),
        "--issue",
        "POSTBOTE-1",
        "--include-addresses",
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("mira@research.example"));
}

const REPORT_MAIL: &str = "Received: from mx.research.example by mx.postbote.example\n\
From: Mira Okafor <mira@research.example>\n\
To: security@postbote.example\n\
Subject: BDAT length overflow crashes the daemon\n\
Date: Sat, 21 Nov 2026 09:15:00 +0100\n\
Message-ID: <bdat.20261121@research.example>\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
A BDAT chunk of 2^63 bytes crashes postboted.\n";

/// Item 11: a raw report mail pasted into the intake step fills From,
/// Subject, Date, Message-ID and Received from its headers; on an OpenSSL
/// project "Copy for the private tracker" puts the headers above a
/// separator and the text on the clipboard.
#[test]
fn a_pasted_report_mail_fills_the_intake_and_copies_for_the_tracker() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openssl-like.embargo.ron");
    let mut project = embargo::adapters::store::example().expect("example");
    project.playbook = embargo::core::model::PlaybookRef::Builtin("openssl".into());
    embargo::adapters::store::save(&path, &project).expect("saved");
    let mut h = harness(Startup::File(path));
    h.get_by_label_contains("Crash on a BDAT chunk").click();
    h.step();
    settle(&mut h);
    open_step(&mut h, "Record the report");
    assert!(
        h.get_by_label("Copy for the private tracker")
            .accesskit_node()
            .is_disabled(),
        "nothing read yet"
    );
    h.get_by_label("Raw report mail").focus();
    h.run();
    h.get_by_label("Raw report mail").type_text(REPORT_MAIL);
    h.run();
    h.get_by_label("Fill from mail").click();
    h.step();
    settle(&mut h);
    let issue = h
        .state()
        .doc
        .as_ref()
        .expect("open")
        .project
        .issue("POSTBOTE-3")
        .expect("issue")
        .clone();
    match &issue.intake.channel {
        embargo::core::model::IntakeChannel::Mail {
            from,
            subject,
            date,
            message_id,
        } => {
            assert_eq!(from, "Mira Okafor <mira@research.example>");
            assert_eq!(subject, "BDAT length overflow crashes the daemon");
            assert_eq!(date, "Sat, 21 Nov 2026 09:15:00 +0100");
            assert_eq!(message_id, "<bdat.20261121@research.example>");
        }
        other => panic!("not filled: {other:?}"),
    }
    assert_eq!(
        issue.intake.received.to_rfc3339(),
        "2026-11-21T08:15:00+00:00",
        "received from the mail's Date"
    );
    assert!(
        issue.journal.iter().any(|e| matches!(&e.event,
            embargo::core::model::Event::FieldChanged { field, .. } if field == "intake")),
        "journaled"
    );

    h.get_by_label("Copy for the private tracker").click();
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let text = copied.first().expect("copied");
    let (head, body) = text.split_once(&"-".repeat(72)).expect("a separator");
    assert!(
        head.starts_with("From: Mira Okafor <mira@research.example>\nSubject: BDAT"),
        "{text}"
    );
    assert!(head.contains("Message-ID: <bdat.20261121@research.example>\n"));
    assert!(body.contains("A BDAT chunk of 2^63 bytes crashes postboted."));
}

/// Item 11: what is not a mail is refused with what to do; nothing changes.
#[test]
fn pasted_text_that_is_not_a_mail_is_refused() {
    let mut h = harness(Startup::Example);
    h.get_by_label_contains("Crash on a BDAT chunk").click();
    h.step();
    settle(&mut h);
    open_step(&mut h, "Record the report");
    let before = draft(&h).intake.clone();
    type_into(&mut h, "Raw report mail", "the daemon crashes, please fix");
    h.get_by_label("Fill from mail").click();
    h.step();
    settle(&mut h);
    assert!(h.query_by_label_contains("View source").is_some());
    assert_eq!(draft(&h).intake, before);
    assert!(
        h.query_by_label("Copy for the private tracker").is_none(),
        "an Exim project has no private tracker button"
    );
}

/// A file dropped onto the window, as the desktop hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Item 11: a `.eml` dropped onto the window fills the intake (it does not
/// join the files to sign).
#[test]
fn a_dropped_eml_fills_the_intake() {
    let dir = tempfile::tempdir().expect("temp dir");
    let eml = dir.path().join("report.eml");
    std::fs::write(&eml, REPORT_MAIL).expect("eml");
    let mut h = harness(Startup::Example);
    h.get_by_label_contains("Crash on a BDAT chunk").click();
    h.step();
    settle(&mut h);
    open_step(&mut h, "Record the report");
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(eml)));
    h.step();
    settle(&mut h);
    assert!(
        matches!(&draft(&h).intake.channel,
            embargo::core::model::IntakeChannel::Mail { message_id, .. }
                if message_id == "<bdat.20261121@research.example>"),
        "{:?}",
        draft(&h).intake
    );
    assert!(
        h.state().view.signing.files.is_empty(),
        "not a file to sign"
    );
}

/// Item 13: fix commits are picked from the repository's commits (read in
/// a job) and added with their branch and summary; the base tag is picked
/// from its tags.
#[test]
fn fix_commits_and_the_base_tag_are_picked_from_the_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_repo, fix, _bump) = postbote_repo(dir.path());
    let file = project_file(dir.path(), &fix, |p| {
        p.issue_mut("POSTBOTE-2")
            .expect("issue")
            .fix_commits
            .clear();
        p.releases
            .iter_mut()
            .find(|r| r.issues.iter().any(|i| i == "POSTBOTE-2"))
            .expect("release")
            .base_tag = None;
    });
    let mut h = harness(Startup::File(file));
    open_step(&mut h, "Have the patch (not in public git)");
    h.get_by_label("Pick a fix commit").click();
    h.run();
    h.get_by_label(&format!(
        "{} auth: size the PLAIN buffer (CVE-2026-41807)",
        &fix[..12]
    ))
    .click();
    h.run();
    h.get_by_label("Add as fix commit").click();
    h.step();
    settle(&mut h);
    let project = &h.state().doc.as_ref().expect("open").project;
    assert_eq!(
        project.issue("POSTBOTE-2").expect("issue").fix_commits,
        vec![FixCommit {
            id: fix.clone(),
            branch: "main".into(),
            summary: "auth: size the PLAIN buffer (CVE-2026-41807)".into(),
        }]
    );

    open_step(&mut h, BUILD_STEP);
    h.get_by_label("Pick the base tag").click();
    h.run();
    h.get_by_label("postbote-4.12.2").click();
    h.step();
    settle(&mut h);
    assert_eq!(
        release_of(&h, "POSTBOTE-2").base_tag.as_deref(),
        Some("postbote-4.12.2")
    );
}

/// A bare "public" remote `origin` for `repo`, and the release tag on the
/// branch tip (as the build makes it).
fn public_remote(dir: &Path, repo: &Path) -> PathBuf {
    let public = dir.join("public.git");
    std::fs::create_dir(&public).expect("dir");
    git(&public, &["init", "-q", "--bare"]);
    git(
        repo,
        &["remote", "add", "origin", public.to_str().expect("utf-8")],
    );
    git(repo, &["tag", "-a", "postbote-4.12.3", "-m", "4.12.3"]);
    public
}

fn publish(p: &mut Project) {
    p.releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == "POSTBOTE-2"))
        .expect("release")
        .published = Some(now() - chrono::TimeDelta::hours(1));
}

/// Item 14: the Release step offers the push of the branch and the tag to
/// the public remotes only once the release is published; it asks first,
/// goes through the guard, shows git's output and is journaled.
#[test]
fn the_release_step_pushes_the_fix_and_tag_once_published() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (repo, fix, bump) = postbote_repo(dir.path());
    let public = public_remote(dir.path(), &repo);
    let file = project_file(dir.path(), &fix, |_| {});
    let mut h = harness(Startup::File(file));
    open_step(&mut h, "Release");
    assert!(
        h.get_by_label("Push the fix and the tag to the public remotes")
            .accesskit_node()
            .is_disabled(),
        "not before publication"
    );
    drop(h);

    let file = project_file(dir.path(), &fix, publish);
    let mut h = harness(Startup::File(file));
    open_step(&mut h, "Release");
    h.get_by_label("Push the fix and the tag to the public remotes")
        .click();
    h.step();
    h.run();
    assert!(
        git(&public, &["for-each-ref"]).is_empty(),
        "nothing pushed before the yes"
    );
    h.get_by_label("Push").click();
    h.step();
    settle(&mut h);
    assert_eq!(git(&public, &["rev-parse", "refs/heads/main"]), bump);
    assert_eq!(
        git(&public, &["rev-parse", "postbote-4.12.3^{commit}"]),
        bump
    );
    let (_, shown) = h.state().view.repo.pushed.clone().expect("pushed");
    let output = shown.expect("ok");
    assert!(output.contains("$ git push origin"), "{output}");
    assert!(
        output.contains("main -> main"),
        "git's own output: {output}"
    );
    assert!(h.query_by_label("git's output").is_some());
    let issue = h
        .state()
        .doc
        .as_ref()
        .expect("open")
        .project
        .issue("POSTBOTE-2")
        .expect("issue")
        .clone();
    assert!(issue.journal.iter().any(|e| matches!(&e.event,
        embargo::core::model::Event::FieldChanged { field, value }
            if field == "pushed to public git" && value.contains("postbote-4.12.3"))));
}

/// Item 14 on the command line: `embargo push` refuses before publication
/// and when the branch carries another issue's embargoed fix; nothing is
/// pushed then. Once clear, it pushes.
#[test]
fn the_cli_push_goes_through_the_guard_after_publication() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (repo, fix, bump) = postbote_repo(dir.path());
    let public = public_remote(dir.path(), &repo);
    let push = |file: &Path| {
        embargo_cli(&[
            "push",
            file.to_str().expect("utf-8"),
            "--issue",
            "POSTBOTE-2",
        ])
    };
    let file = project_file(dir.path(), &fix, |_| {});
    let o = push(&file);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not recorded as published"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // POSTBOTE-3, not released, has its fix on the same branch.
    let file = project_file(dir.path(), &fix, |p| {
        publish(p);
        p.issue_mut("POSTBOTE-3")
            .expect("issue")
            .fix_commits
            .push(FixCommit {
                id: bump.clone(),
                branch: "main".into(),
                summary: "other".into(),
            });
    });
    let o = push(&file);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("REFUSED") && err.contains("POSTBOTE-3"),
        "{err}"
    );
    assert!(git(&public, &["for-each-ref"]).is_empty(), "nothing pushed");

    let file = project_file(dir.path(), &fix, publish);
    let o = push(&file);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("pushed main and postbote-4.12.3 to origin")
    );
    assert_eq!(git(&public, &["rev-parse", "refs/heads/main"]), bump);
}

/// Item 12 on the command line: `embargo artifacts --from REV` builds from
/// the chosen revision; without it the issue's last fix commit stays the
/// default (here refused: it does not carry the new version yet).
#[test]
fn the_cli_artifacts_build_from_the_chosen_revision() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (repo, fix, bump) = postbote_repo(dir.path());
    let file = project_file(dir.path(), &fix, |_| {});
    let out = dir.path().join("out");
    let args = |from: Option<&str>| {
        let mut a = vec![
            "artifacts".to_owned(),
            file.display().to_string(),
            "--issue".into(),
            "POSTBOTE-2".into(),
            "--no-sign".into(),
            "--out".into(),
            out.display().to_string(),
        ];
        if let Some(f) = from {
            a.extend(["--from".into(), f.to_owned()]);
        }
        a
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        embargo_cli(&a)
    };
    let o = run(args(None));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("does not carry version 4.12.3"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(args(Some("main")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(git(&repo, &["rev-parse", "postbote-4.12.3^{commit}"]), bump);
}
