//! Typing that never loses a letter, buttons that stay in place, the
//! layout at 1024×700, keyboard focus and the status bar (issue #22, items
//! 1, 2, 18, 19 and 20).

use egui::{Key, Modifiers, Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use embargo::core::model::Event;
use embargo::ui::command::GitCommand;
use embargo::ui::{Command, EmbargoApp, Startup};

use crate::common::{harness, harness_sized};
use crate::support::settle;

/// The title of the issue the typing test adds to the example.
const FRESH: &str = "Typed at a person's speed";

/// The text inputs the app shows (enabled, not read-only), by label, in
/// the order of the accessibility tree.
fn text_fields(h: &Harness<'_, EmbargoApp>) -> Vec<String> {
    let mut labels: Vec<String> = h
        .query_all_by(|n| {
            matches!(
                n.role(),
                egui::accesskit::Role::TextInput | egui::accesskit::Role::MultilineTextInput
            ) && !n.is_hidden()
                && !n.is_disabled()
                && !n.data().is_read_only()
        })
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    labels.dedup();
    labels
}

/// The value of the text field labelled `label`.
fn value_of(h: &Harness<'_, EmbargoApp>, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

/// The project's copy of issue `id` as RON text (what the project file
/// will hold).
fn issue_ron(h: &Harness<'_, EmbargoApp>, id: &str) -> String {
    let doc = h.state().doc.as_ref().expect("a project");
    let issue = doc.project.issue(id).expect("the issue is in the project");
    ron::to_string(issue).expect("an issue serialises")
}

/// Type `text` into the focused widget one character per frame, as a
/// person does: one key event, then one frame (`h.run()`), per character.
fn type_slowly(h: &mut Harness<'_, EmbargoApp>, text: &str) {
    for c in text.chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.run();
    }
}

/// Item 1: for every step of a new issue of the example and every text
/// field the step shows (with a row added to each list), a whole value
/// typed one key per frame is kept whole — in the field and, once the
/// field is left, in the project. Before the ids came from data, the first
/// letter settled a "Still to do" line, the line disappeared, the field
/// below it changed id and lost the focus: "Bob Tester" became "B".
#[test]
fn a_value_typed_one_key_per_frame_lands_whole_in_every_field_of_every_step() {
    let mut h = harness(Startup::Example);
    h.get_by_label("New issue").focus();
    h.run();
    h.get_by_label("New issue").type_text(FRESH);
    h.run();
    h.get_by_label("Add issue").click();
    settle(&mut h);
    let steps: Vec<String> = {
        let doc = h.state().doc.as_ref().expect("example");
        doc.playbook
            .steps
            .iter()
            .map(|s| s.key().to_owned())
            .collect()
    };
    let issue = h
        .state()
        .view
        .selected_issue
        .clone()
        .expect("the new issue");
    // Fields that are not the issue's data: the issue list's, and what the
    // step's buttons and panels take (a journal note, a reply's reason, the
    // release form's version before "Plan this release", the raw mail pasted
    // before "Fill from mail", the build's choices).
    let not_the_issues = [
        "Raw report mail",
        "Build from",
        "New issue",
        "Filter",
        "Journal note or skip reason",
        "Why it is not a security issue",
        "Release version",
        "or path",
    ];
    let mut typed = 0;
    let mut added = std::collections::HashSet::new();
    for (n, step) in steps.iter().enumerate() {
        h.state_mut().land_on(issue.clone(), Some(step.clone()));
        settle(&mut h);
        // Open a row of every list (once: a list shows in more than one
        // step), so that its fields are typed too.
        for add in ["Add a version range", "Add an identifier", "Add a commit"] {
            if h.query_by_label(add).is_some() && added.insert(add) {
                h.get_by_label(add).click();
                h.run();
            }
        }
        // And the fields a choice shows: the report's mail headers, the
        // name to credit, the CVE ID.
        if h.query_by_label("by private mail").is_some() && added.insert("mail") {
            h.get_by_label("by private mail").click();
            settle(&mut h);
        }
        for (combo, choice) in [("Credit", "credit by name"), ("CVE", "assigned")] {
            let combo_box = |h: &Harness<'static, EmbargoApp>| {
                h.query_all_by_label(combo)
                    .find(|n| n.accesskit_node().role() == egui::accesskit::Role::ComboBox)
                    .map(|n| n.rect())
            };
            if let Some(rect) = combo_box(&h)
                && added.insert(choice)
            {
                click_at(&mut h, rect.center());
                h.run();
                h.get_by_label(choice).click();
                settle(&mut h);
            }
        }
        for field in text_fields(&h) {
            if field == "New issue" || field == "Filter" || field.contains("assphrase") {
                continue;
            }
            let value = if field.contains("CVSS") {
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".to_owned()
            } else {
                format!("Bob Tester <b{n}@example.org> {field}")
            };
            h.get_by_label(&field).focus();
            h.run();
            h.key_press_modifiers(Modifiers::COMMAND, Key::A);
            h.run();
            type_slowly(&mut h, &value);
            assert_eq!(
                value_of(&h, &field),
                value,
                "step {step}, field “{field}”: the value typed one key per frame is whole"
            );
            // Leave the field: the draft is committed to the project.
            h.key_press(Key::Escape);
            settle(&mut h);
            if !not_the_issues.contains(&field.as_str()) {
                let ron = issue_ron(&h, &issue);
                assert!(
                    ron.contains(&value),
                    "step {step}, field “{field}”: “{value}” reached the project"
                );
            }
            typed += 1;
        }
    }
    assert!(
        typed >= 20,
        "{typed} fields typed into: the form fields were found"
    );
}

/// Click with the pointer at `pos`, as a hand on the mouse does.
fn click_at(h: &mut Harness<'_, EmbargoApp>, pos: Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::default(),
        });
    }
    h.run();
}

fn journal_events(h: &Harness<'_, EmbargoApp>, issue: &str, step: &str) -> Vec<Event> {
    h.state()
        .doc
        .as_ref()
        .expect("example")
        .project
        .issue(issue)
        .expect("issue")
        .journal
        .iter()
        .filter(|e| e.step.as_deref() == Some(step))
        .map(|e| e.event.clone())
        .collect()
}

/// Item 2: after "Mark done", Next stays where it was and the slot of
/// "Mark done" says "Reopen…", which asks before it reopens: a second
/// click at the same spot never reopens the step.
#[test]
fn marking_done_keeps_next_in_place_and_reopening_asks_first() {
    let mut h = harness(Startup::Example);
    h.state_mut()
        .land_on("POSTBOTE-3".into(), Some("keep_notes".into()));
    settle(&mut h);
    let next: Rect = h.get_by_label("Next ▶").rect();
    let mark = h.get_by_label("Mark done").rect();

    click_at(&mut h, mark.center());
    settle(&mut h);
    assert_eq!(
        journal_events(&h, "POSTBOTE-3", "keep_notes"),
        [Event::StepDone]
    );
    assert_eq!(h.get_by_label("Next ▶").rect(), next, "Next did not move");
    assert!(h.query_by_label("Mark done").is_none());
    let reopen = h.get_by_label("Reopen…").rect();
    assert_eq!(reopen.min, mark.min, "Reopen… is where Mark done was");

    // A second click at the same spot asks; Cancel keeps the step done.
    click_at(&mut h, mark.center());
    settle(&mut h);
    assert!(h.state().view.confirm.is_some(), "reopening asks first");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(
        journal_events(&h, "POSTBOTE-3", "keep_notes"),
        [Event::StepDone]
    );

    // Next where it was goes to the next step.
    click_at(&mut h, next.center());
    settle(&mut h);
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("reporter_preferences")
    );

    // Back, Reopen…, and saying yes reopens (journaled).
    h.get_by_label("◀ Back").click();
    settle(&mut h);
    h.get_by_label("Reopen…").click();
    settle(&mut h);
    h.get_by_label("Reopen").click();
    settle(&mut h);
    let events = journal_events(&h, "POSTBOTE-3", "keep_notes");
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1], Event::StepReopened);
    assert!(h.query_by_label("Mark done").is_some());
}

/// The node that has the keyboard focus: its name and rect.
fn focused(h: &Harness<'_, EmbargoApp>) -> Option<(String, Rect)> {
    h.query_by(|n| n.is_focused())
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
}

/// Item 19: Ctrl+L (View › Go to the step's form) gives the focus to the
/// first field of the step's form; every control Tab reaches is scrolled
/// into view, also below the fold of a 1024×700 window.
#[test]
fn a_shortcut_focuses_the_form_and_tab_scrolls_the_focus_into_view() {
    let mut h = harness_sized(Startup::Example, [1024.0, 700.0]);
    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("intake_record".into()));
    settle(&mut h);
    h.get_by_label("View").click();
    h.run();
    assert!(
        h.query_by_label_contains("Go to the step's form").is_some(),
        "the menu shows the action"
    );
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    settle(&mut h);
    assert_eq!(
        focused(&h).map(|(name, _)| name).as_deref(),
        Some("by private mail"),
        "the form's first control has the focus"
    );

    // The release step is taller than the window: Tab through all of it.
    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("release_plan".into()));
    settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    settle(&mut h);
    // The step view ends where its pinned buttons begin.
    let fold = h.get_by_label("Journal note or skip reason").rect().min.y;
    let mut below_fold = 0;
    for _ in 0..400 {
        h.key_press(Key::Tab);
        h.run();
        settle(&mut h);
        let Some((name, rect)) = focused(&h) else {
            continue;
        };
        if name.contains("Notes on this step") {
            break;
        }
        assert!(
            rect.min.y >= 0.0 && rect.max.y <= fold + 1.0 && rect.max.x <= 1024.0,
            "“{name}” has the focus at {rect:?}, outside the step view (ends at {fold})"
        );
        if rect.min.y > 400.0 {
            below_fold += 1;
        }
    }
    assert!(below_fold > 0, "Tab went below the fold");
}

/// Item 20: "… is still running" in the status bar goes away when that job
/// has ended.
#[test]
fn a_still_running_status_line_goes_when_the_job_ends() {
    let mut h = harness(Startup::Example);
    // A second check asked for while the first runs is refused with
    // "… is still running"; the first then ends without a notice.
    h.state_mut().send(Command::Git(GitCommand::Check));
    h.state_mut().send(Command::Git(GitCommand::Check));
    h.step();
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.contains("still running")),
        "the second check was refused"
    );
    settle(&mut h);
    assert!(!h.state().is_busy());
    assert!(
        h.query_by_label_contains("still running").is_none(),
        "the status bar no longer says the job runs"
    );
}

/// Item 18: at 1024×700 the issue list collapses and comes back, Next and
/// the signing step's path "Add" are in the window, and the wizard, the
/// release picker and the recipients window are kept as snapshots.
#[test]
fn at_1024_by_700_nothing_is_cut_off() {
    let inside =
        |r: Rect| r.min.x >= 0.0 && r.max.x <= 1024.0 && r.min.y >= 0.0 && r.max.y <= 700.0;
    let mut h = harness_sized(Startup::Example, [1024.0, 700.0]);
    h.snapshot("wizard_1024x700");
    assert!(inside(h.get_by_label("Next ▶").rect()));

    h.get_by_label("Hide the issue list").click();
    h.run();
    assert!(
        h.query_by_label("New issue").is_none(),
        "the list is collapsed"
    );
    let next_collapsed = h.get_by_label("Next ▶").rect();
    h.get_by_label("Show the issue list").click();
    h.run();
    assert!(h.query_by_label("New issue").is_some(), "the list is back");
    assert!(h.get_by_label("Next ▶").rect().min.x > next_collapsed.min.x);

    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("build_and_sign".into()));
    settle(&mut h);
    for label in ["Add", "Next ▶"] {
        let r = h.get_by_label(label).rect();
        assert!(inside(r), "“{label}” at {r:?} is in the window");
    }

    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("release_plan".into()));
    settle(&mut h);
    h.snapshot("release_picker_1024x700");

    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Recipients…").click();
    settle(&mut h);
    h.snapshot("recipients_1024x700");
    let apply = h.get_by_label("Apply").rect();
    assert!(inside(apply), "the recipients window's Apply at {apply:?}");
    // The table scrolls sideways: its last column comes into the window.
    let remove = "Remove recipient 1";
    let before = h.get_by_label(remove).rect();
    h.get_by_label(remove).scroll_to_me();
    settle(&mut h);
    let after = h.get_by_label(remove).rect();
    assert!(
        after.max.x < before.max.x && inside(after),
        "the table scrolled sideways: {before:?} → {after:?}"
    );
}
