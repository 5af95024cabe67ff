//! The desktop app driven through its accessibility tree with egui_kittest:
//! clicks and typing by label, assertions on the app's state and on disk.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use embargo::core::model::Event;
use embargo::core::ports::FixedClock;
use embargo::ui::{EmbargoApp, Startup};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

fn harness(startup: Startup) -> Harness<'static, EmbargoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(&cc.egui_ctx, startup, Arc::new(FixedClock(now())), None)
        });
    settle(&mut h);
    h
}

/// Step until no background job runs, then until the UI settles.
fn settle(h: &mut Harness<'_, EmbargoApp>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.step();
        if !h.state().is_busy() {
            break;
        }
        assert!(Instant::now() < deadline, "a background job did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run();
}

/// Replace the text of the field labelled `label`.
fn type_into(h: &mut Harness<'_, EmbargoApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
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

    // Two hours later, picked on the UTC row of the world clock.
    h.get_by_label("UTC 16:00 Tue").click();
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
