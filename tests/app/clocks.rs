//! The duties of disclosure day in the app's Due window (#24 item 2): the
//! example's released 4.12.2 still owes its oss-security post, and the
//! window lists the same duty `embargo due --json` prints at the same clock.
//! The Cyber Resilience Act's reports of an exploited issue are listed
//! there too, with their draft a click away (#24 item 7).

use std::path::Path;
use std::process::Command;

use egui_kittest::kittest::Queryable;
use embargo::ui::Startup;

use crate::common::{harness, now};

#[test]
fn the_due_window_lists_the_oss_security_post_the_cli_lists() {
    let mut h = harness(Startup::Example);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    let what = embargo::core::duties::DutyKind::OssSecurityPost.what();
    h.get_by_label("Overdue");
    h.get_by_label(what);
    // Its deadline: the end of the disclosure day of 13 October, in Berlin
    // time and UTC.
    h.get_by_label("Wed 14 Oct 16:02 CEST (14:02 UTC)");
    h.get_by_label("Go to POSTBOTE-1");

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/postbote.embargo.ron");
    let o = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["due", &file.display().to_string(), "--json"])
        .env("EMBARGO_NOW", now().to_rfc3339())
        .output()
        .expect("the binary runs");
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let duty = got
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["duty"] == "oss_security_post")
        .expect("the CLI lists it too");
    assert_eq!(duty["what"], what);
    assert_eq!(duty["at"], "2026-10-14T14:02:00Z");
    assert_eq!(duty["issues"], serde_json::json!(["POSTBOTE-1"]));
    assert_eq!(duty["horizon"], "overdue");
}

/// "Go to ISSUE" in the Due window opens that issue, whichever issue was
/// selected before (its button ran past the window's edge behind a long
/// line, and the click went to the wizard beneath).
#[test]
fn go_to_in_the_due_window_opens_that_issue() {
    let mut h = harness(Startup::Example);
    assert_eq!(h.state().view.selected_issue.as_deref(), Some("POSTBOTE-2"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    h.get_by_label("Go to POSTBOTE-1").click();
    crate::support::settle(&mut h);
    assert_eq!(h.state().view.selected_issue.as_deref(), Some("POSTBOTE-1"));
}

/// The example (which ships in the EU) with POSTBOTE-2 actively exploited
/// since 08:00 on the test's day: the early warning is due by 08:00 the
/// next day, the notification three days after; "Draft report" opens the
/// draft of both, and the form holds the boxes that mark them submitted.
#[test]
fn the_due_window_lists_the_cra_reports_and_drafts_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut p = embargo::adapters::store::example().expect("the example parses");
    assert!(p.publication.ships_in_eu, "the example ships in the EU");
    let i = p.issue_mut("POSTBOTE-2").expect("present");
    i.actively_exploited = true;
    i.exploited_aware = Some(
        chrono::DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z")
            .expect("valid")
            .with_timezone(&chrono::Utc),
    );
    let path = dir.path().join("p.embargo.ron");
    std::fs::write(&path, embargo::adapters::store::project_to_string(&p)).expect("written");
    let mut h = harness(Startup::File(path));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    use embargo::core::duties::DutyKind;
    h.get_by_label(DutyKind::CraEarlyWarning.what());
    h.get_by_label(DutyKind::CraNotification.what());
    h.get_by_label("Tue 24 Nov 09:00 CET (08:00 UTC)");
    h.get_by_label("Thu 26 Nov 09:00 CET (08:00 UTC)");
    assert_eq!(
        h.query_all_by_label("Draft report").count(),
        2,
        "one per report"
    );
    h.query_all_by_label("Draft report")
        .next()
        .expect("a button")
        .click();
    h.run();
    h.run();
    h.get_by_label("Cyber Resilience Act report: POSTBOTE-2");
    h.get_by_label("Copy to the clipboard");
    let draft = h
        .query_all_by_role(egui::accesskit::Role::MultilineTextInput)
        .find_map(|n| n.value().filter(|v| v.contains("Article 14(2)(a)")))
        .expect("the draft is shown");
    assert!(draft.contains("Due by 2026-11-24 08:00 UTC (24 hours after becoming aware)."));
    assert!(draft.contains("Heap overflow in the AUTH PLAIN decoder"));

    // The step the rows go to holds the flag and the boxes that settle them.
    h.state_mut()
        .apply(embargo::ui::Command::SelectIssue("POSTBOTE-2".into()));
    crate::support::settle(&mut h);
    let triage = {
        let doc = h.state().doc.as_ref().expect("open");
        doc.playbook
            .steps
            .iter()
            .position(|s| s.key() == "triage")
            .expect("the playbook has the step")
    };
    h.state_mut().send(embargo::ui::Command::SelectStep(triage));
    h.step();
    crate::support::settle(&mut h);
    h.get_by_label("CRA early warning submitted (Art. 14(2)(a), 24 hours)");
    h.get_by_label("Aware since");
}
