//! The desktop app driven through its accessibility tree with egui_kittest:
//! clicks and typing by label, assertions on the app's state and on disk.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use embargo::core::model::Event;
use embargo::core::ports::FixedClock;
use embargo::ui::{EmbargoApp, Startup};
use support::{git_ok, settle, type_into};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

fn harness(startup: Startup) -> Harness<'static, EmbargoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .with_context_setup(support::clear_like_eframe)
        .build_eframe(move |cc| {
            EmbargoApp::new(&cc.egui_ctx, startup, Arc::new(FixedClock(now())), None)
        });
    settle(&mut h);
    h
}

fn selected(h: &Harness<'_, EmbargoApp>) -> String {
    h.state()
        .view
        .selected_issue
        .clone()
        .expect("an issue is selected")
}

#[test]
fn example_select_add_rename_save_reload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.embargo.ron");
    let mut h = harness(Startup::Example);
    assert_eq!(
        selected(&h),
        "POSTBOTE-2",
        "opens on the first issue with work left"
    );

    h.get_by_label("POSTBOTE-3  Crash on a BDAT chunk with an oversized length")
        .click();
    h.run();
    assert_eq!(selected(&h), "POSTBOTE-3");

    type_into(&mut h, "New issue", "Use after free in STARTTLS");
    h.get_by_label("Add issue").click();
    h.run();
    assert_eq!(selected(&h), "POSTBOTE-4");

    h.get_by_label("Rename").click();
    h.run();
    type_into(&mut h, "Rename POSTBOTE-4", "Use after free after STARTTLS");
    h.get_by_label("OK").click();
    h.run();
    let doc = h.state().doc.as_ref().expect("a document");
    assert_eq!(
        doc.project.issue("POSTBOTE-4").expect("added").title,
        "Use after free after STARTTLS"
    );
    assert!(doc.is_dirty());
    assert!(
        h.state().title().starts_with("● Postbote"),
        "dirty marker in the title: {}",
        h.state().title()
    );

    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Save As…").click();
    h.run();
    type_into(&mut h, "Path", path.to_str().expect("utf-8"));
    h.get_by_label("Save").click();
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let doc = h.state().doc.as_ref().expect("a document");
    assert_eq!(doc.path.as_deref(), Some(path.as_path()));
    assert!(!doc.is_dirty());
    assert!(
        embargo::adapters::store::lock_path(&path).exists(),
        "the open project is locked"
    );
    drop(h);

    // Reload in a fresh app: the new issue is there, renamed.
    let h = harness(Startup::File(path.clone()));
    let doc = h.state().doc.as_ref().expect("the saved project opens");
    let issue = doc.project.issue("POSTBOTE-4").expect("saved issue");
    assert_eq!(issue.title, "Use after free after STARTTLS");
    assert_eq!(doc.project.issues.len(), 4);
    assert!(file_mode_is_private(&path));
}

fn file_mode_is_private(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o600)
}

#[test]
fn walk_an_issue_through_steps_and_check_the_journal() {
    let mut h = harness(Startup::Example);
    h.get_by_label("POSTBOTE-3  Crash on a BDAT chunk with an oversized length")
        .click();
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("intake_record")
    );

    // Fill in the intake record: it becomes done by itself.
    h.get_by_label("in a public tracker").click();
    h.run();
    type_into(&mut h, "Issue URL", "https://bugs.postbote.example/4711");
    type_into(&mut h, "Reporter", "Lena Hart");
    h.get_by_label("Next ▶").click();
    h.run();
    assert_eq!(h.state().selected_step_key().as_deref(), Some("keep_notes"));

    // Mark done with a note, by button.
    type_into(
        &mut h,
        "Journal note or skip reason",
        "notes in the private wiki",
    );
    h.get_by_label("Mark done").click();
    h.run();

    // Next step by keyboard, skip it with a reason.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("reporter_preferences")
    );
    type_into(
        &mut h,
        "Journal note or skip reason",
        "reporter does not answer",
    );
    h.get_by_label("Skip with reason").click();
    h.run();

    // Ctrl+Enter marks the next step done.
    h.get_by_label("Next ▶").click();
    h.run();
    assert_eq!(h.state().selected_step_key().as_deref(), Some("triage"));
    h.get_by_label("security issue").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();

    let doc = h.state().doc.as_ref().expect("document");
    let journal = &doc.project.issue("POSTBOTE-3").expect("exists").journal;
    let step_events: Vec<(Option<&str>, &Event, &str)> = journal
        .iter()
        .map(|e| (e.step.as_deref(), &e.event, e.note.as_str()))
        .collect();
    assert!(step_events.iter().any(|(s, e, _)| *s == Some("intake_record")
        && matches!(e, Event::FieldChanged { field, value } if field == "intake" && value == "https://bugs.postbote.example/4711")));
    assert!(step_events.iter().any(|(s, e, _)| *s == Some("intake_record")
        && matches!(e, Event::FieldChanged { field, value } if field == "reporter name" && value == "Lena Hart")));
    assert!(step_events.contains(&(
        Some("keep_notes"),
        &Event::StepDone,
        "notes in the private wiki"
    )));
    assert!(step_events.iter().any(|(s, e, _)| *s == Some("reporter_preferences")
        && matches!(e, Event::StepSkipped { reason } if reason == "reporter does not answer")));
    assert!(step_events.iter().any(|(s, e, _)| *s == Some("triage")
        && matches!(e, Event::FieldChanged { field, value } if field == "verdict" && value == "security issue")));
    assert!(step_events.contains(&(Some("triage"), &Event::StepDone, "")));
    assert!(
        journal.iter().all(|e| e.at == now() || e.at < now()),
        "journal times come from the clock"
    );
}

#[test]
fn clicking_a_world_clock_cell_replans_the_release() {
    let mut h = harness(Startup::Example);
    assert_eq!(selected(&h), "POSTBOTE-2");
    h.get_by_label_contains("Sketch the disclosure timeline")
        .click();
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("release_plan")
    );
    let planned = |h: &Harness<'_, EmbargoApp>| {
        h.state()
            .doc
            .as_ref()
            .and_then(|d| d.project.release_of("POSTBOTE-2"))
            .and_then(|r| r.planned)
    };
    assert_eq!(
        planned(&h),
        Some(
            DateTime::parse_from_rfc3339("2026-12-01T14:00:00Z")
                .expect("valid")
                .with_timezone(&Utc)
        )
    );

    // Two hours later, picked on the UTC row of the world clock: the click
    // proposes the instant, "Plan this release" commits it (issue #22).
    h.get_by_label("UTC 16:00 Tue").click();
    h.run();
    h.get_by_label("Plan this release").click();
    h.run();
    let want = DateTime::parse_from_rfc3339("2026-12-01T16:00:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    assert_eq!(planned(&h), Some(want));
    let doc = h.state().doc.as_ref().expect("document");
    let last = doc
        .project
        .issue("POSTBOTE-2")
        .and_then(|i| i.journal.last())
        .expect("journaled");
    assert_eq!(
        last.event,
        Event::FieldChanged {
            field: "release".into(),
            value: "4.12.3 at 2026-12-01 16:00 UTC".into()
        }
    );
    // 16:00 UTC is 06:00 in Honolulu: the Pacific-night rule now warns.
    h.get_by_label("⚠ pacific night (Exim)");
}

/// The signing step, driven as a user would: the key set through the form,
/// the files picked through the system dialog (a fake `zenity` first on
/// PATH answers it), Sign all, and the result verified and recorded. The
/// work runs in a child process because PATH must differ for the dialog.
#[test]
fn signing_step_picks_signs_verifies_and_records() {
    use std::process::Command;
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin dir");
    let tarball = dir.path().join("postbote-4.99.3.tar.xz");
    let patch = dir.path().join("postbote-4.99.3.patch");
    std::fs::write(&tarball, vec![42u8; 2_500_000]).expect("tarball");
    std::fs::write(&patch, b"--- a/auth.c\n+++ b/auth.c\n").expect("patch");
    let zenity = bin.join("zenity");
    std::fs::write(
        &zenity,
        format!(
            "#!/bin/sh\n# stands in for the file dialog: answers with two files\necho \"$@\" > '{}'\nprintf '%s|%s\\n' '{}' '{}'\n",
            dir.path().join("zenity-args").display(),
            tarball.display(),
            patch.display()
        ),
    )
    .expect("fake zenity");
    std::fs::set_permissions(&zenity, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("executable");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "signing_step_child",
            "--test-threads",
            "1",
        ])
        .env("PATH", path)
        .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
        .env("EMBARGO_SIGNING_DIR", dir.path())
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child test ran"
    );
    let args = std::fs::read_to_string(dir.path().join("zenity-args")).expect("zenity was asked");
    assert!(args.contains("--multiple"), "several files: {args}");
}

#[test]
#[ignore = "run by signing_step_picks_signs_verifies_and_records with a fake zenity"]
fn signing_step_child() {
    use embargo::adapters::openpgp;
    use sequoia_openpgp::cert::CertBuilder;
    use sequoia_openpgp::serialize::SerializeInto;

    let dir = std::path::PathBuf::from(std::env::var("EMBARGO_SIGNING_DIR").expect("parent"));
    let (cert, _) =
        CertBuilder::general_purpose(Some("Postbote Release <release@postbote.example>"))
            // Made before the app's fixed clock, at which the key is judged.
            .set_creation_time(std::time::SystemTime::from(
                now() - chrono::TimeDelta::days(30),
            ))
            .generate()
            .expect("key");
    let key_file = dir.join("release-key.asc");
    std::fs::write(
        &key_file,
        cert.as_tsk().armored().to_vec().expect("armored"),
    )
    .expect("key");

    let mut h = harness(Startup::Example);
    assert_eq!(selected(&h), "POSTBOTE-2");
    h.get_by_label_contains("Tarball and standalone patch, signed")
        .click();
    // The key is inspected in a job (a spinner shows meanwhile).
    h.step();
    h.step();
    settle(&mut h);
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("build_and_sign")
    );

    // The example's key is not on this machine: say so, and change it.
    assert!(
        h.query_by_label_contains("has no key").is_some(),
        "explains the missing key"
    );
    h.get_by_label("Change key…").click();
    h.run();
    h.get_by_label("In a key file").click();
    h.run();
    type_into(&mut h, "Key file", key_file.to_str().expect("utf-8"));
    h.get_by_label("Use this key").click();
    settle(&mut h);
    let fpr = cert.fingerprint().to_hex();
    assert!(
        h.query_by_label_contains(&fpr).is_some(),
        "shows the new key's fingerprint"
    );

    // Add files through the (fake) system dialog.
    h.get_by_label("Add files…").click();
    settle(&mut h);
    settle(&mut h);
    let files = &h.state().view.signing.files;
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[0].size, Ok(2_500_000));
    assert!(
        h.query_by_label_contains("2.4 MiB").is_some(),
        "sizes are shown"
    );

    h.get_by_label("Sign all").click();
    settle(&mut h);
    let panel = &h.state().view.signing;
    assert_eq!(panel.error, None);
    assert_eq!(panel.results.len(), 2);
    for r in &panel.results {
        assert_eq!(r.verified.as_deref(), Ok(fpr.as_str()), "{r:?}");
        openpgp::verify_detached(&cert, &r.signature, &r.file).expect("verifies on disk");
    }
    assert_eq!(
        h.query_all_by_label_contains("good signature by").count(),
        2,
        "each signature is listed as verified"
    );

    let doc = h.state().doc.as_ref().expect("open");
    let release = doc.project.release_of("POSTBOTE-2").expect("planned");
    let recorded: Vec<&str> = release.artifacts.iter().map(|a| a.path.as_str()).collect();
    for name in [
        "postbote-4.99.3.tar.xz",
        "postbote-4.99.3.patch",
        "SHA256SUMS",
        "SHA512SUMS",
    ] {
        assert!(
            recorded.iter().any(|p| p.ends_with(name)),
            "{name} in {recorded:?}"
        );
    }
    let issue = doc.project.issue("POSTBOTE-2").expect("issue");
    assert!(
        issue
            .journal
            .iter()
            .any(|e| matches!(&e.event, Event::ArtifactMade { path } if path.contains(&fpr))),
        "journaled with the signer"
    );
    // The build-and-sign step no longer asks for signatures.
    let states = embargo::core::playbook::step_states(&doc.project, issue, &doc.playbook, now());
    let step = states
        .iter()
        .find(|s| s.step.key() == "build_and_sign")
        .expect("step");
    assert!(step.todo.is_empty(), "{:?}", step.todo);
}

#[test]
fn fill_the_early_advisory_from_the_template() {
    // The OpenSSL playbook has the early advisory step; the example follows Exim's.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openssl-like.embargo.ron");
    let mut project = embargo::adapters::store::example().expect("example loads");
    project.playbook = embargo::core::model::PlaybookRef::Builtin("openssl".into());
    embargo::adapters::store::save(&path, &project).expect("saved");
    let want = embargo::core::render::advisory::default_early_advisory(
        &project,
        project.issue("POSTBOTE-2").expect("exists"),
    )
    .expect("complete");

    let mut h = harness(Startup::File(path));
    h.get_by_label("POSTBOTE-2  Heap overflow in the AUTH PLAIN decoder")
        .click();
    h.run();
    assert_eq!(selected(&h), "POSTBOTE-2");
    h.get_by_label_contains("Write the early advisory").click();
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("early_advisory")
    );
    h.get_by_label("Fill from template").click();
    h.run();
    let doc = h.state().doc.as_ref().expect("document");
    let text = &doc
        .project
        .issue("POSTBOTE-2")
        .expect("exists")
        .early_advisory;
    assert_eq!(text, &want);
    assert!(text.starts_with("Heap overflow in the AUTH PLAIN decoder (CVE-2026-41807)\n"));
}

/// The git side in the wizard: the guard shows the embargo holds, then one
/// click builds the signed tag, tarballs and patch and signs them.
#[test]
fn guard_panel_and_one_click_release_artifacts() {
    use embargo::core::model::{FixCommit, KeyLocation, SigningKeyRef};
    use sequoia_openpgp::cert::CertBuilder;
    use sequoia_openpgp::serialize::SerializeInto;

    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).expect("dir");
    git_ok(&repo, &["init", "-q", "-b", "main"]);
    git_ok(&repo, &["config", "user.name", "Rel Eng"]);
    git_ok(&repo, &["config", "user.email", "releng@postbote.example"]);
    std::fs::create_dir(repo.join("src")).expect("src");
    std::fs::write(
        repo.join("src/version.h"),
        "#define POSTBOTE_VERSION \"4.12.2\"\n",
    )
    .expect("w");
    git_ok(&repo, &["add", "-A"]);
    git_ok(&repo, &["commit", "-qm", "4.12.2"]);
    git_ok(&repo, &["tag", "-a", "postbote-4.12.2", "-m", "4.12.2"]);
    std::fs::write(
        repo.join("src/version.h"),
        "#define POSTBOTE_VERSION \"4.12.3\"\n",
    )
    .expect("w");
    git_ok(
        &repo,
        &[
            "commit",
            "-qam",
            "auth: size the PLAIN buffer (CVE-2026-41807)",
        ],
    );
    let fix = git_ok(&repo, &["rev-parse", "HEAD"]);

    let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@postbote.example>"))
        // Made before the app's fixed clock, at which the key is judged.
        .set_creation_time(std::time::SystemTime::from(
            now() - chrono::TimeDelta::days(30),
        ))
        .generate()
        .expect("key");
    let key = dir.path().join("release.key");
    std::fs::write(&key, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");

    let mut project = embargo::adapters::store::example().expect("example");
    project.repo.path = "repo".into(); // relative to the project file
    project.signing = Some(SigningKeyRef {
        fingerprint: String::new(),
        location: KeyLocation::KeyFile {
            path: key.display().to_string(),
        },
    });
    let issue = project
        .issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-2")
        .expect("issue");
    issue.fix_commits = vec![FixCommit {
        id: fix,
        branch: "main".into(),
        summary: "auth: size the PLAIN buffer".into(),
    }];
    let file = dir.path().join("postbote.embargo.ron");
    embargo::adapters::store::save(&file, &project).expect("saved");

    let mut h = harness(Startup::File(file.clone()));
    assert_eq!(selected(&h), "POSTBOTE-2");
    h.get_by_label_contains("Have the patch (not in public git)")
        .click();
    h.step();
    h.step();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("none reachable from the public remotes")
            .is_some(),
        "the guard ran: {:?}",
        h.state().view.git.status
    );
    assert!(h.query_by_label_contains("No pre-push hook").is_some());

    h.get_by_label_contains("Tarball and standalone patch, signed")
        .click();
    h.step();
    h.step();
    settle(&mut h);
    h.get_by_label("Build release artifacts").click();
    h.step();
    settle(&mut h);
    let panel = &h.state().view.signing;
    assert_eq!(panel.error, None);
    assert_eq!(
        panel.results.len(),
        4,
        "gz, bz2, xz and the patch: {:?}",
        panel.results
    );
    assert!(
        panel.results.iter().all(|r| r.verified.is_ok()),
        "{:?}",
        panel.results
    );
    let out = dir.path().join("postbote-4.12.3-release");
    for name in [
        "postbote-4.12.3.tar.gz",
        "postbote-4.12.3.patch",
        "SHA256SUMS",
        "SHA512SUMS",
    ] {
        assert!(out.join(name).exists(), "{name}");
    }
    let tag = git_ok(&repo, &["cat-file", "-p", "postbote-4.12.3"]);
    assert!(
        tag.contains("-----BEGIN PGP SIGNATURE-----"),
        "a signed tag: {tag}"
    );
}

/// The repository path is set from the guard panel; the guard then runs
/// against it and says what is missing, in words.
#[test]
fn repository_settings_from_the_guard_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness(Startup::Example);
    h.get_by_label_contains("Have the patch (not in public git)")
        .click();
    h.step();
    h.step();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("no git repository at").is_some(),
        "the example's repository is not on this machine"
    );
    h.get_by_label("Repository settings…").click();
    h.run();
    let repo = dir.path().join("private");
    std::fs::create_dir(&repo).expect("dir");
    git_ok(&repo, &["init", "-q"]);
    type_into(&mut h, "Private repository", repo.to_str().expect("utf-8"));
    type_into(&mut h, "Private remotes", "security mirror");
    h.get_by_label("Save repository settings").click();
    h.step();
    h.step();
    settle(&mut h);
    let project = &h.state().doc.as_ref().expect("open").project;
    assert_eq!(project.repo.path, repo.to_str().expect("utf-8"));
    assert_eq!(project.repo.private_remotes, vec!["security", "mirror"]);
    assert!(
        project.journal.iter().any(
            |e| matches!(&e.event, Event::FieldChanged { field, .. } if field == "repository")
        ),
        "journaled"
    );
    // The fix commit is not in the new, empty repository: said so.
    assert!(
        h.query_by_label_contains("is not in the repository")
            .is_some(),
        "{:?}",
        h.state().view.git.status
    );
}

/// The CVE record step lists what the record still lacks, field by field,
/// and writes the record only when it is complete.
#[test]
fn cve_record_is_checked_before_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openssl-like.embargo.ron");
    let mut project = embargo::adapters::store::example().expect("example loads");
    project.playbook = embargo::core::model::PlaybookRef::Builtin("openssl".into());
    embargo::adapters::store::save(&path, &project).expect("saved");
    let mut h = harness(Startup::File(path));

    h.get_by_label("POSTBOTE-3  Crash on a BDAT chunk with an oversized length")
        .click();
    h.run();
    h.get_by_label_contains("Advisory, newsflash and CVE JSON")
        .click();
    h.run();
    assert!(h.query_by_label_contains("not complete yet").is_some());
    assert!(
        h.query_all_by_label_contains("containers/cna").count() > 0,
        "each problem names its field"
    );

    h.get_by_label("POSTBOTE-1  Header injection through a crafted DKIM signature")
        .click();
    h.run();
    h.get_by_label_contains("Advisory, newsflash and CVE JSON")
        .click();
    h.run();
    assert!(
        h.query_by_label_contains("The CVE record is complete")
            .is_some()
    );
    h.get_by_label("Export the CVE record…").click();
    h.run();
    let out = dir.path().join("record.json");
    type_into(&mut h, "Path", out.to_str().expect("utf-8"));
    h.get_by_label("Save").click();
    h.step();
    settle(&mut h);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    assert_eq!(record["cveMetadata"]["cveId"], "CVE-2026-31122");
}

#[test]
fn recipients_import_a_pasted_list_and_the_notice_previews() {
    let mut h = harness(Startup::Example);
    let before = h
        .state()
        .doc
        .as_ref()
        .expect("open")
        .project
        .recipients
        .len();
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Recipients…").click();
    settle(&mut h);
    type_into(
        &mut h,
        "Pasted addresses",
        "Vendor One <security@vendor-one.example>, psirt@vendor-two.example\nnot-an-address",
    );
    h.get_by_label("Add pasted addresses").click();
    h.run();
    assert!(
        h.query_by_label_contains("added 2 recipient(s); not addresses: not-an-address")
            .is_some()
    );
    h.get_by_label("Apply").click();
    settle(&mut h);
    let project = &h.state().doc.as_ref().expect("open").project;
    assert_eq!(project.recipients.len(), before + 2);
    let one = project
        .recipients
        .iter()
        .find(|r| r.address == "security@vendor-one.example")
        .expect("imported");
    assert_eq!(one.name, "Vendor One");
    assert_eq!(one.role, embargo::core::model::RecipientRole::Vendor);
    // Apply is journaled in the project, by the function `embargo recipients` calls.
    assert!(
        project.journal.iter().any(|e| matches!(&e.event,
            Event::FieldChanged { field, value }
                if field == "recipients" && value.contains("security@vendor-one.example"))),
        "{:?}",
        project.journal
    );
    assert!(
        h.state().view.mail.recipients.is_none(),
        "the window closed"
    );

    // The notice window previews the selected issue's advance notice.
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Compose notice…").click();
    settle(&mut h);
    // The subject is previewed in its field, where it can be edited
    // before sending (issue #22, item 10).
    assert_eq!(
        h.get_by_label("Subject").value().as_deref(),
        Some("Postbote: security release 4.12.3 on 2026-12-01"),
        "the subject is previewed"
    );
}

/// On a project never saved there is no directory to put the download's
/// files in: the panel says to save first and writes nothing (it used to
/// write them into the current directory).
#[test]
fn download_credentials_of_a_project_never_saved_ask_to_save_first() {
    let mut h = harness(Startup::Example);
    h.get_by_label_contains("Embargoed download behind").click();
    h.run();
    h.get_by_label("Make download credentials").click();
    h.step();
    settle(&mut h);
    let error = h.state().error.clone().expect("an error is shown");
    assert!(error.contains("Save the project first"), "{error}");
    assert!(h.state().view.share.shown.is_empty(), "no password made");
    assert!(
        !Path::new("postbote-4.12.3-share").exists(),
        "nothing written in the current directory"
    );
}

/// The embargoed-download step makes one credential per private list,
/// shows each password once and keeps only hashes in the project.
#[test]
fn download_credentials_are_shown_once_and_stored_as_hashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("postbote.embargo.ron");
    std::fs::write(&path, embargo::adapters::store::EXAMPLE.1).expect("example");
    let mut h = harness(Startup::File(path));
    h.get_by_label_contains("Embargoed download behind").click();
    h.run();
    // The download address is edited in the panel and stored on leaving the field.
    type_into(
        &mut h,
        "Download address",
        "https://dl.postbote.example/e/{version}/",
    );
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        h.state()
            .doc
            .as_ref()
            .expect("open")
            .project
            .publication
            .embargo_url,
        "https://dl.postbote.example/e/{version}/"
    );
    h.get_by_label("Make download credentials").click();
    h.step();
    settle(&mut h);
    let shown: Vec<String> = h
        .state()
        .view
        .share
        .shown
        .iter()
        .map(|s| s.password.to_string())
        .collect();
    assert!(shown.len() >= 2, "one per private list");
    assert!(
        h.query_all_by_label("Copy").count() >= 2,
        "a copy button each"
    );
    let doc = h.state().doc.as_ref().expect("open");
    let text = embargo::adapters::store::project_to_string(&doc.project);
    for p in &shown {
        assert!(
            !text.contains(p.as_str()),
            "a password would reach the project file"
        );
    }
    assert!(text.contains("$2y$"));
    let share_dir = dir.path().join("postbote-4.12.3-share");
    assert!(share_dir.join(".htpasswd").exists() && share_dir.join("nginx.conf").exists());
    // The app serves from the same dedicated directory as `embargo share`.
    let nginx = std::fs::read_to_string(share_dir.join("nginx.conf")).expect("nginx.conf");
    assert!(
        nginx.contains(&format!("alias {}/;", share_dir.join("files").display())),
        "{nginx}"
    );
    // "Mail it" opens the list's fix-availability mail with the password
    // handed over in memory: the preview carries it, and the mail is to go
    // encrypted.
    let first = &h.state().view.share.shown[0];
    let (list, password) = (first.list.clone(), first.password.to_string());
    h.query_all_by_label("Mail it")
        .next()
        .expect("a mail button each")
        .click();
    // The notice window lays out its corrections to send too.
    h.run_steps(8);
    let form = h
        .state()
        .view
        .mail
        .compose
        .clone()
        .expect("the notice window opens");
    assert_eq!(form.template, "fix-availability");
    assert_eq!(form.to, list);
    // The body is previewed in its field, where it can be edited before
    // sending (issue #22, item 10).
    let body = h.get_by_label("Body").value().unwrap_or_default();
    assert!(body.contains(&password), "the preview carries the password");
    assert!(
        body.contains("https://dl.postbote.example/e/4.12.3/"),
        "the preview states the download address"
    );
    assert!(h.query_by_label("PGP/MIME signed and encrypted").is_some());
    assert!(h.state().view.mail.share_password.is_some());
    // Closing the notice window forgets the handed-over password.
    h.get_by_label("Close window").click();
    h.run();
    assert!(h.state().view.mail.compose.is_none());
    assert!(h.state().view.mail.share_password.is_none());
    h.get_by_label("Hide passwords").click();
    h.run();
    assert!(h.state().view.share.shown.is_empty());

    // Revoking asks first; Cancel leaves the list's access as it was.
    let state_of = |h: &Harness<'_, EmbargoApp>| {
        let doc = h.state().doc.as_ref().expect("open");
        let release = doc
            .project
            .releases
            .iter()
            .find(|r| !r.shares.is_empty())
            .expect("shares");
        release
            .shares
            .iter()
            .find(|c| c.list == list)
            .expect("the list's")
            .state
    };
    let revoke_button = |h: &Harness<'_, EmbargoApp>| {
        let row = h.get_by_label_contains(&format!("{list}  (")).rect();
        h.get_all_by_label("Revoke")
            .find(|b| (b.rect().center().y - row.center().y).abs() < 4.0)
            .expect("a Revoke button on the list's row")
            .click();
    };
    revoke_button(&h);
    h.run();
    h.get_by_label_contains("cannot be undone");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(state_of(&h), embargo::core::model::ShareState::Active);
    revoke_button(&h);
    h.run();
    h.query_all_by_label("Revoke")
        .last()
        .expect("the dialog's Revoke")
        .click();
    settle(&mut h);
    assert_eq!(state_of(&h), embargo::core::model::ShareState::Revoked);
}

#[test]
fn theme_and_ui_scale_are_chosen_in_the_view_menu_and_kept() {
    let config = tempfile::tempdir().expect("temp dir");
    let dir = config.path().to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(
                &cc.egui_ctx,
                Startup::Example,
                Arc::new(FixedClock(now())),
                Some(dir),
            )
        });
    settle(&mut h);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Dark").click();
    h.step();
    settle(&mut h);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    if h.query_by_label("Light").is_none() {
        h.get_by_label("View").click();
        h.run();
    }
    h.get_by_label("Light").click();
    h.step();
    settle(&mut h);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    let kept = embargo::adapters::prefs::load(config.path());
    assert_eq!(kept.theme, embargo::adapters::prefs::Theme::Light);
    // Ctrl+Plus zooms, and the new scale is kept as the preference.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.step();
    settle(&mut h);
    assert!(h.ctx.zoom_factor() > 1.0, "{}", h.ctx.zoom_factor());
    assert!(h.state().prefs.scale > 1.0);
    assert!(embargo::adapters::prefs::load(config.path()).scale > 1.0);
}

#[test]
fn an_encrypted_project_asks_for_its_key_and_stays_encrypted() {
    use embargo::adapters::{openpgp, store, vault};
    let gpg = support::Gpg::new();
    let passphrase = "unlock me 7";
    let fpr = gpg.make_mail_key("Coordinator <sec@example.org>", passphrase);
    let key_file = gpg.export_secret(&fpr, passphrase);
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("acme.embargo.ron");
    store::save(&plain, &store::example().expect("example")).expect("saved");
    let cert = openpgp::load_cert_file(&gpg.export_cert(&fpr)).expect("cert");
    let sealed = vault::encrypt(&plain, cert, "test").expect("encrypted");

    let mut h = harness(Startup::Example);
    h.state_mut()
        .send(embargo::ui::Command::Open(sealed.clone()));
    settle(&mut h);
    h.get_by_label("Open an encrypted project");
    // The key file, typed into the path dialog (as without a portal).
    h.get_by_label("Choose key file…").click();
    h.run();
    type_into(&mut h, "Path", key_file.to_str().expect("utf-8"));
    h.get_by_label("Choose").click();
    settle(&mut h);
    assert!(
        h.state()
            .view
            .unlock
            .as_ref()
            .is_some_and(|u| u.use_key_file)
    );

    // A wrong passphrase: one clear error, nothing opened, the file as it was.
    let before = std::fs::read(&sealed).expect("file");
    type_into(
        &mut h,
        "Passphrase (leave empty to let gpg-agent ask)",
        "wrong",
    );
    h.get_by_label("Open").click();
    settle(&mut h);
    let error = h.state().error.clone().expect("an error");
    assert!(error.contains("wrong passphrase"), "{error}");
    assert!(
        h.state().view.unlock.is_none(),
        "the passphrase is forgotten"
    );
    assert_eq!(
        h.state().doc.as_ref().and_then(|d| d.path.clone()),
        None,
        "still the example"
    );
    h.get_by_label("OK").click();
    h.run();

    // Again, with the right one.
    h.state_mut()
        .send(embargo::ui::Command::Open(sealed.clone()));
    settle(&mut h);
    h.state_mut()
        .send(embargo::ui::Command::SetUnlockKey(key_file.clone()));
    settle(&mut h);
    type_into(
        &mut h,
        "Passphrase (leave empty to let gpg-agent ask)",
        passphrase,
    );
    h.get_by_label("Open").click();
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let doc = h.state().doc.as_ref().expect("opened");
    assert_eq!(doc.path.as_deref(), Some(sealed.as_path()));
    assert!(doc.keeping.describe().is_some_and(|d| d.contains(&fpr)));
    h.get_by_label("encrypted at rest");

    // An edit is saved encrypted, never as plain text.
    type_into(&mut h, "New issue", "Leak through the sealed file");
    h.get_by_label("Add issue").click();
    h.run();
    h.state_mut().send(embargo::ui::Command::Save);
    settle(&mut h);
    assert_eq!(h.state().error, None);
    let after = std::fs::read(&sealed).expect("saved");
    assert_ne!(after, before);
    assert!(String::from_utf8_lossy(&after).starts_with("-----BEGIN PGP MESSAGE-----"));
    assert_eq!(
        std::fs::read(store::backup_path(&sealed)).expect("a backup"),
        before
    );
    for entry in std::fs::read_dir(dir.path()).expect("listable") {
        let p = entry.expect("entry").path();
        let bytes = std::fs::read(&p).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Leak through the sealed file") && !text.contains(passphrase),
            "{} holds plain text or the passphrase",
            p.display()
        );
    }
    let o = gpg.ok(&[
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        passphrase,
        "--decrypt",
        sealed.to_str().expect("utf-8"),
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Leak through the sealed file"));
}

#[test]
fn the_app_can_open_on_a_given_issue_and_step() {
    let mut h = harness(Startup::Example);
    h.state_mut()
        .land_on("POSTBOTE-1".into(), Some("build_and_sign".into()));
    settle(&mut h);
    assert_eq!(selected(&h), "POSTBOTE-1");
    let doc = h.state().doc.as_ref().expect("the example");
    let step = &doc.playbook.steps[h.state().view.selected_step];
    assert_eq!(step.key(), "build_and_sign");
    h.get_by_label("Build release artifacts");

    // An issue or step that does not exist says so and changes nothing.
    h.state_mut().land_on("NOPE-9".into(), None);
    h.state_mut()
        .land_on("POSTBOTE-1".into(), Some("no_such_step".into()));
    settle(&mut h);
    assert_eq!(selected(&h), "POSTBOTE-1");
    let notices: Vec<&str> = h.state().notices.iter().map(|n| n.text.as_str()).collect();
    assert!(notices.contains(&"there is no issue NOPE-9 in this project"));
    assert!(notices.contains(&"the playbook has no step no_such_step"));
}

#[test]
fn the_last_field_edit_is_undone_from_the_edit_menu_or_with_ctrl_z() {
    let mut h = harness(Startup::Example);
    assert_eq!(selected(&h), "POSTBOTE-2");
    let before = h.state().doc.as_ref().expect("example").project.clone();
    let description = |h: &Harness<'_, EmbargoApp>| {
        let doc = h.state().doc.as_ref().expect("example");
        doc.project
            .issue("POSTBOTE-2")
            .expect("exists")
            .description
            .clone()
    };

    // An edit, committed once no field has the keyboard.
    h.state_mut()
        .view
        .draft
        .as_mut()
        .expect("a draft")
        .description = "first edit".into();
    h.run();
    assert_eq!(description(&h), "first edit");
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Undo the edit of POSTBOTE-2 Ctrl+Z").click();
    h.run();
    assert!(
        h.state().doc.as_ref().expect("example").project == before,
        "the project is as before the edit, journal included"
    );
    assert_eq!(
        h.state().view.draft.as_ref().expect("draft").description,
        before.issue("POSTBOTE-2").expect("exists").description,
        "the fields show it"
    );

    // Ctrl+Z outside a text field does the same.
    h.state_mut()
        .view
        .draft
        .as_mut()
        .expect("a draft")
        .description = "second edit".into();
    h.run();
    assert_eq!(description(&h), "second edit");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().doc.as_ref().expect("example").project == before);

    // Only the last edit, and not across a journaled action.
    h.state_mut()
        .view
        .draft
        .as_mut()
        .expect("a draft")
        .description = "third edit".into();
    h.run();
    let key = h.state().selected_step_key().expect("a step");
    h.state_mut().send(embargo::ui::Command::MarkStep {
        key,
        action: embargo::core::ops::StepAction::Skip("not needed".into()),
        note: String::new(),
    });
    h.run();
    assert!(
        h.state()
            .doc
            .as_ref()
            .expect("example")
            .undo_label()
            .is_none()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(description(&h), "third edit", "nothing undone");
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.starts_with("nothing to undo"))
    );
}

/// The node that has the keyboard focus: its ID and accessible name.
fn focused(h: &Harness<'_, EmbargoApp>) -> Option<(String, String)> {
    h.query_by(|n| n.is_focused()).map(|n| {
        let n = n.accesskit_node();
        (format!("{:?}", n.id()), n.label().unwrap_or_default())
    })
}

/// Every visible, enabled input widget: its ID and accessible name.
fn inputs(h: &Harness<'_, EmbargoApp>) -> Vec<(String, String)> {
    h.query_all_by(|n| {
        egui::accessibility::is_input(n.role())
            && !n.is_hidden()
            && !n.is_disabled()
            && !n.data().is_read_only()
    })
    .map(|n| {
        let n = n.accesskit_node();
        (format!("{:?}", n.id()), n.label().unwrap_or_default())
    })
    .collect()
}

/// Press Tab and let the focus move (egui moves it on the next frame);
/// the widget that has it then.
fn tab(h: &mut Harness<'_, EmbargoApp>) -> Option<(String, String)> {
    h.key_press(Key::Tab);
    h.step();
    h.step();
    focused(h)
}

/// Press Tab until the focus comes back round; the widgets it reached.
fn tab_round(h: &mut Harness<'_, EmbargoApp>) -> HashSet<String> {
    let mut reached = HashSet::new();
    for _ in 0..400 {
        let Some((id, _)) = tab(h) else { continue };
        if !reached.insert(id) {
            return reached;
        }
    }
    panic!(
        "Tab never came back round: {} widgets reached",
        reached.len()
    );
}

#[test]
fn the_whole_wizard_works_from_the_keyboard() {
    let mut h = harness(Startup::Example);
    assert_eq!(selected(&h), "POSTBOTE-2");

    // Issues: Alt+Up / Alt+Down, in the list's order.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    settle(&mut h);
    assert_eq!(selected(&h), "POSTBOTE-1");
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    settle(&mut h);
    assert_eq!(selected(&h), "POSTBOTE-1", "the first stays");
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    settle(&mut h);
    assert_eq!(selected(&h), "POSTBOTE-2");

    // Every step: Tab reaches every control it shows, and each has a name
    // (the harness also refuses unnamed inputs after every run).
    let steps = h
        .state()
        .doc
        .as_ref()
        .expect("example")
        .playbook
        .steps
        .len();
    for _ in 0..steps {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
        h.run();
    }
    for step in 0..steps {
        assert_eq!(h.state().view.selected_step, step);
        settle(&mut h);
        let shown = inputs(&h);
        let reached = tab_round(&mut h);
        let key = h.state().selected_step_key().expect("a step");
        let missed: Vec<&String> = shown
            .iter()
            .filter(|(id, _)| !reached.contains(id))
            .map(|(_, name)| name)
            .collect();
        assert!(
            missed.is_empty(),
            "step {key}: Tab never reaches {missed:?}"
        );
        assert!(shown.iter().all(|(_, name)| !name.trim().is_empty()));
        // Leave any field, then Alt+Right to the next step.
        h.key_press(Key::Escape);
        h.run();
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
        settle(&mut h);
    }

    // A step marked done without the mouse: back to the first step, Tab to
    // the journal note, type it, Tab to "Mark done" and press Enter.
    for _ in 0..steps {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
        h.run();
    }
    assert_eq!(h.state().view.selected_step, 0);
    let key = h.state().selected_step_key().expect("a step");
    let journal_len = |h: &Harness<'_, EmbargoApp>| {
        h.state()
            .doc
            .as_ref()
            .expect("example")
            .project
            .issue("POSTBOTE-2")
            .expect("issue")
            .journal
            .len()
    };
    let before = journal_len(&h);
    for target in ["Journal note or skip reason", "Mark done"] {
        let mut found = false;
        for _ in 0..200 {
            if tab(&mut h).is_some_and(|(_, name)| name == target) {
                found = true;
                break;
            }
        }
        assert!(found, "Tab reaches {target}");
        if target.starts_with("Journal") {
            h.event(egui::Event::Text("checked from the keyboard".into()));
            h.run();
        }
    }
    h.key_press(Key::Enter);
    settle(&mut h);
    let doc = h.state().doc.as_ref().expect("example");
    let issue = doc.project.issue("POSTBOTE-2").expect("issue");
    assert!(issue.journal.len() > before, "the step was journaled");
    let last = issue.journal.last().expect("an entry");
    assert_eq!(last.step.as_deref(), Some(key.as_str()));
    assert_eq!(last.note, "checked from the keyboard");
}

/// The pop-up notifications on screen (each has a Dismiss button), by text.
fn popups_shown(h: &Harness<'_, EmbargoApp>) -> usize {
    h.query_all_by_label("Dismiss").count()
}

#[test]
fn each_finished_job_and_each_error_is_notified_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.embargo.ron");
    let mut h = harness(Startup::Example);
    assert_eq!(popups_shown(&h), 0, "opening the example is not a job");

    // A job the user started: Save As. Its notification pops up once.
    h.state_mut()
        .send(embargo::ui::Command::SaveAs(path.clone()));
    settle(&mut h);
    let saved = format!("saved {}", path.display());
    assert_eq!(popups_shown(&h), 1);
    h.get_by_label(&format!("✔ {saved}"));
    h.get_by_label("Dismiss").click();
    h.run();
    assert_eq!(popups_shown(&h), 0, "dismissed");
    for _ in 0..5 {
        h.step();
    }
    assert_eq!(popups_shown(&h), 0, "and not shown again");

    // Autosave is not a job the user started: the status bar only.
    h.state_mut()
        .view
        .draft
        .as_mut()
        .expect("a draft")
        .description = "edited".into();
    h.run();
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.state().doc.as_ref().expect("doc").is_dirty() {
        assert!(Instant::now() < deadline, "autosave did not run");
        std::thread::sleep(Duration::from_millis(100));
        settle(&mut h);
    }
    assert_eq!(popups_shown(&h), 0, "autosave is quiet");
    let kinds: Vec<_> = h
        .state()
        .notices
        .iter()
        .map(|n| (n.kind, n.text.clone()))
        .collect();
    assert_eq!(
        kinds.iter().filter(|(_, t)| *t == saved).count(),
        2,
        "both saves are in the history: {kinds:?}"
    );

    // Two errors at once: the second waits for the first, and each is
    // shown once; the same error again is not queued twice.
    for p in [
        "/nonexistent/a.embargo.ron",
        "/nonexistent/b.embargo.ron",
        "/nonexistent/a.embargo.ron",
    ] {
        h.state_mut().send(embargo::ui::Command::Open(p.into()));
        settle(&mut h);
    }
    let first = h.state().error.clone().expect("an error is shown");
    assert!(first.contains("a.embargo.ron"), "{first}");
    assert_eq!(h.state().pending_errors.len(), 1);
    h.get_by_label("OK").click();
    h.run();
    let second = h.state().error.clone().expect("the next error");
    assert!(second.contains("b.embargo.ron"), "{second}");
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().error, None, "nothing more");
    assert!(h.state().pending_errors.is_empty());

    // The history lists everything, newest first.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Notifications").click();
    h.run();
    let errors = h
        .state()
        .notices
        .iter()
        .filter(|n| n.kind == embargo::ui::app::NoticeKind::Error)
        .count();
    assert_eq!(errors, 2, "each error once in the history");
    assert!(h.state().view.show_notifications);
    assert!(h.query_all_by_label_contains("a.embargo.ron").count() >= 1);
}

/// Image snapshots of the main screens, for layout only (the other tests
/// assert on state). Rendered by wgpu on the machine's software GL; a
/// failing comparison leaves NAME.new.png and NAME.diff.png beside the
/// reference in tests/snapshots/. `UPDATE_SNAPSHOTS=1 scripts/test.sh --test
/// ui snapshots` renews them after an intended change.
#[test]
fn snapshots_of_the_main_screens() {
    let mut h = harness(Startup::Example);
    h.snapshot("wizard");

    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("release_plan".into()));
    settle(&mut h);
    h.snapshot("release_picker");

    for (window, name) in [("Recipients…", "recipients"), ("Compose notice…", "notice")] {
        h.get_by_label("Project").click();
        h.run();
        h.get_by_label(window).click();
        settle(&mut h);
        h.snapshot(name);
        if name == "recipients" {
            h.get_by_label("Cancel").click();
            h.run();
        }
    }
}

#[test]
fn every_window_and_dialog_names_its_controls() {
    let mut h = harness(Startup::Example);
    let mut seen = 0;
    let mut check = |h: &mut Harness<'_, EmbargoApp>, what: &str| {
        settle(h);
        let unnamed = h.unnamed_widgets();
        assert!(unnamed.is_empty(), "{what}: unnamed controls {unnamed:?}");
        seen += 1;
    };
    // Each menu, open.
    for menu in ["File", "Edit", "Project", "View", "Help"] {
        h.get_by_label(menu).click();
        check(&mut h, menu);
        h.key_press(Key::Escape);
        h.run();
    }
    // Each window or dialog a menu opens, then closed again.
    let windows: [(&str, &str, &str); 6] = [
        ("File", "New project…", "Cancel"),
        ("File", "Open… Ctrl+O", "Cancel"),
        ("File", "Save As…", "Cancel"),
        ("Project", "Time zones and release rules…", "Cancel"),
        ("Project", "Recipients…", "Cancel"),
        ("View", "Journal (Ctrl+J)", ""),
    ];
    for (menu, item, close) in windows {
        h.get_by_label(menu).click();
        h.run();
        h.get_by_label(item).click();
        check(&mut h, item);
        if item == "Recipients…" {
            // An icon-only button is named by what it does.
            h.get_by_label("Remove recipient 1");
        }
        if close.is_empty() {
            h.key_press_modifiers(Modifiers::COMMAND, Key::J);
        } else {
            h.get_by_label(close).click();
        }
        settle(&mut h);
    }
    assert!(!h.state().view.show_journal);
    // The issue list's rename and delete confirmation.
    h.get_by_label("Rename").click();
    check(&mut h, "rename");
    h.get_by_label("Cancel").click();
    h.run();
    h.get_by_label("Delete…").click();
    check(&mut h, "delete confirmation");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(seen, 13);
    assert_eq!(
        h.state().doc.as_ref().expect("doc").project.issues.len(),
        3,
        "nothing deleted"
    );
}

#[test]
fn empty_states_say_what_to_do_next() {
    let mut h = harness(Startup::Example);
    // A filter that matches nothing says so.
    type_into(&mut h, "Filter", "no such words");
    h.get_by_label_contains("No issue matches “no such words”");
    type_into(&mut h, "Filter", "");

    // A new project: no issues, no recipients, an issue with no journal.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New project…").click();
    h.run();
    h.get_by_label("Create").click();
    settle(&mut h);
    assert!(
        h.state()
            .doc
            .as_ref()
            .expect("new")
            .project
            .issues
            .is_empty()
    );
    h.get_by_label_contains("No issues yet");
    h.get_by_label_contains("Add the first issue on the left");
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Recipients…").click();
    h.run();
    h.get_by_label_contains("No recipients yet");
    h.get_by_label("Cancel").click();
    h.run();

    // The time settings of a project with no blackout days.
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Time zones and release rules…").click();
    h.run();
    h.get_by_label_contains("None: add the holidays");
}

#[test]
fn a_failing_check_explains_itself_on_hover() {
    let mut h = harness(Startup::Example);
    assert_eq!(selected(&h), "POSTBOTE-2");
    let key = h.state().selected_step_key().expect("a step");
    // Since the weekend check (#21 item 10) the example's first finding is
    // the packagers' lead time: their sources arrive on a Sunday. (The
    // distros embargo, which this test hovered before, now counts from the
    // planned first mail and passes: #24 item 1.)
    assert_eq!(
        key, "packager_lead_time",
        "the example opens on a step with a finding"
    );
    h.get_by_label(
        "⚠ packaging starts 2026-11-29 14:00 UTC on a Sunday in every key zone: the packagers \
         get their sources on a day off; move the fix-availability notice to a working day",
    )
    .hover();
    h.run();
    let why = embargo::core::checks::explain("packager_lead_time");
    assert!(!why.is_empty());
    h.get_by_label_contains(why);
    h.get_by_label_contains("Check `packager_lead_time`.");
}

#[test]
fn the_app_refuses_to_save_a_project_that_does_not_validate_with_checks_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dup.embargo.ron");
    let text =
        embargo::adapters::store::EXAMPLE
            .1
            .replacen("id: \"POSTBOTE-3\"", "id: \"POSTBOTE-2\"", 1);
    std::fs::write(&path, &text).expect("written");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("check")
        .arg(&path)
        .output()
        .expect("runs");
    let refusal = String::from_utf8_lossy(&check.stderr)
        .trim_end()
        .strip_prefix("error: ")
        .expect("check refuses it")
        .to_owned();
    assert!(
        refusal.contains("the ID is used by two issues"),
        "{refusal}"
    );

    // The app opens it, so that it can be mended there, but never saves it.
    let mut h = harness(Startup::File(path.clone()));
    assert!(h.state().doc.is_some(), "{:?}", h.state().error);
    h.state_mut().send(embargo::ui::Command::Save);
    settle(&mut h);
    let error = h.state().error.clone().expect("the save is refused");
    assert!(error.contains(&refusal), "{error}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
    assert!(!embargo::adapters::store::backup_path(&path).exists());
}

/// A notice that waits for the release to be marked published (here the
/// oss-security post, with the release still unpublished) asks before it
/// goes: Cancel sends nothing; with a reason it is sent to a real SMTP
/// server on 127.0.0.1 and the reason is journaled.
#[test]
fn a_notice_before_publication_asks_for_a_reason_and_journals_it() {
    let smtp = support::Smtp::start(support::SmtpAuth::None);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("postbote.embargo.ron");
    let mut p = embargo::adapters::store::example().expect("example");
    p.signing = None;
    p.mail.smtp_user.clear();
    embargo::adapters::store::save(&path, &p).expect("saved");
    let mut h = harness(Startup::File(path));
    assert_eq!(selected(&h), "POSTBOTE-2");
    support::compose_notice(&mut h, "oss-security");
    h.get_by_label_contains("public-before-release: the `oss-security` mail would reach");
    type_into(&mut h, "SMTP server", &smtp.address());
    let journal_len = |h: &Harness<'_, EmbargoApp>| {
        let doc = h.state().doc.as_ref().expect("open");
        doc.project
            .issue("POSTBOTE-2")
            .expect("issue")
            .journal
            .len()
    };
    let before = journal_len(&h);

    // Send asks first; Cancel leaves everything as it was.
    h.get_by_label("Send").click();
    h.run();
    h.get_by_label_contains("Only go ahead if the mail must leave now");
    assert_eq!(
        h.query_all_by_label_contains("is not marked published")
            .count(),
        2,
        "the dialog repeats why the mail waits"
    );
    h.get_by_label("Reason (journaled)");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.query_by_label("Reason (journaled)").is_none());
    assert!(smtp.received().is_empty());
    assert_eq!(journal_len(&h), before);

    // With a reason it goes, and the journal says why.
    h.get_by_label("Send").click();
    h.run();
    let reason = "the fix leaked on a public mirror";
    type_into(&mut h, "Reason (journaled)", reason);
    h.get_by_label("Send before publication").click();
    h.step();
    settle(&mut h);
    assert_eq!(smtp.received().len(), 1, "{:?}", h.state().error);
    let doc = h.state().doc.as_ref().expect("open");
    let journal = &doc.project.issue("POSTBOTE-2").expect("issue").journal;
    let ack = journal
        .iter()
        .rev()
        .find(|e| {
            e.event
                == Event::CheckAcknowledged {
                    check: "public-before-release".into(),
                }
        })
        .expect("the override is journaled");
    assert!(ack.note.contains(reason), "{}", ack.note);
    assert!(matches!(
        journal.last().map(|e| &e.event),
        Some(Event::MailSent { .. })
    ));
}

/// Every action of the table is in its menu with its shortcut shown, and
/// pressing that shortcut sends the action's command; no two actions share
/// a shortcut.
#[test]
fn every_shortcut_shown_in_the_menu_sends_its_command() {
    use embargo::ui::actions::{ACTIONS, ActionId};
    let mut shown = HashSet::new();
    for a in &ACTIONS {
        let mut h = harness(Startup::Example);
        assert!(h.state().view.draft.is_some(), "an issue is selected");
        let key = a.shortcut_text(&h.ctx);
        assert!(
            shown.insert(key.clone()),
            "{key} is the shortcut of two actions"
        );
        // The menu shows the entry with its shortcut.
        h.get_by_label(a.menu.name()).click();
        h.run();
        let entry = match a.id {
            ActionId::Journal => format!("{} ({key})", a.label),
            _ => format!("{} {key}", a.label),
        };
        h.get_by_label(&entry);
        h.key_press(Key::Escape);
        h.run();
        // The shortcut sends the command.
        let command = a.id.command();
        let before = h.state().handled().filter(|c| **c == command).count();
        h.key_press_modifiers(a.shortcut.modifiers, a.shortcut.logical_key);
        h.run();
        let after = h.state().handled().filter(|c| **c == command).count();
        assert_eq!(after, before + 1, "{entry} did not send {command:?}");
    }
    assert_eq!(shown.len(), ACTIONS.len());
}

/// A menu entry of the table sends the same command as its shortcut.
#[test]
fn a_menu_entry_of_the_table_sends_its_command() {
    use embargo::ui::actions::ActionId;
    let mut h = harness(Startup::Example);
    let step = h.state().view.selected_step;
    let next = ActionId::NextStep.action();
    h.get_by_label(next.menu.name()).click();
    h.run();
    h.get_by_label(&format!("{} {}", next.label, next.shortcut_text(&h.ctx)))
        .click();
    settle(&mut h);
    assert_eq!(h.state().view.selected_step, step + 1);
    assert!(
        h.state()
            .handled()
            .any(|c| *c == ActionId::NextStep.command())
    );
    // File › Quit asks to close; it does not quit past unsaved changes.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Quit").click();
    h.run();
    assert!(
        h.state()
            .handled()
            .any(|c| *c == embargo::ui::Command::Close)
    );
}

/// Closing the window with unsaved changes asks first; "Save and quit" is a
/// command the prompt sends: the save runs in a job after the frame is
/// drawn, and once it is saved the app quits.
#[test]
fn the_prompt_on_close_saves_and_then_quits() {
    use embargo::ui::Command;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.embargo.ron");
    let mut h = harness(Startup::Example);
    h.state_mut().send(Command::SaveAs(path.clone()));
    settle(&mut h);
    h.state_mut()
        .send(Command::AddIssue("Saved on the way out".into()));
    h.run();
    assert!(h.state().doc.as_ref().is_some_and(|d| d.is_dirty()));
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
    assert!(h.state().view.close_prompt, "the prompt on close is shown");
    h.get_by_label("Save and quit").click();
    h.step();
    assert!(h.state().handled().any(|c| *c == Command::SaveAndQuit));
    settle(&mut h);
    assert!(!h.state().view.close_prompt);
    assert!(h.state().doc.as_ref().is_some_and(|d| !d.is_dirty()));
    let text = std::fs::read_to_string(&path).expect("saved");
    assert!(text.contains("Saved on the way out"));
    assert!(
        h.state().handled().any(|c| *c == Command::Quit),
        "quits once saved"
    );
}
