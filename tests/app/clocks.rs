//! The duties of disclosure day in the app's Due window (#24 item 2): the
//! example's released 4.12.2 still owes its oss-security post, and the
//! window lists the same duty `embargo due --json` prints at the same clock.

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
