//! The steps part of issue #22: each step's status follows from data that
//! holds (item 3), "Record as published now" asks first and can be taken
//! back (5), a world-clock cell only proposes the instant (6), the Due view
//! (21) and the example that ages with the clock (22). Each test drives the
//! app by label and checks its state, and where the CLI has a twin, that
//! the CLI says the same from the same function.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use embargo::core::model::{
    Event, Issue, JournalEntry, Milestone, PlaybookRef, Project, Release, Severity, Verdict,
};
use embargo::core::ports::FixedClock;
use embargo::ui::{Command as UiCommand, EmbargoApp, Startup};

use crate::common::{harness, now};
use crate::support::settle;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

/// The app started as `startup` with its clock at `at`.
fn harness_at(startup: Startup, at: DateTime<Utc>) -> Harness<'static, EmbargoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(&cc.egui_ctx, startup, Arc::new(FixedClock(at)), None)
        });
    settle(&mut h);
    h
}

/// Click the step titled `title` in the wizard's step list, whatever its status.
fn click_step(h: &mut Harness<'_, EmbargoApp>, title: &str) {
    let label = ["✔", "▶", "⏸", "⚠", "»", "–"]
        .iter()
        .map(|icon| format!("{icon}  {title}"))
        .find(|l| h.query_by_label(l).is_some())
        .unwrap_or_else(|| panic!("no step “{title}” in the list"));
    h.get_by_label(&label).click();
    settle(h);
}

fn select_issue(h: &mut Harness<'_, EmbargoApp>, id: &str) {
    h.state_mut().apply(UiCommand::SelectIssue(id.into()));
    settle(h);
}

fn embargo(args: &[&str], now: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", now)
        .output()
        .expect("the binary runs")
}

fn release_of(h: &Harness<'_, EmbargoApp>, issue: &str) -> Release {
    h.state()
        .doc
        .as_ref()
        .and_then(|d| d.project.release_of(issue))
        .cloned()
        .expect("planned")
}

/// An OpenSSL project with one High issue, its release planned at
/// `release`, saved in `dir`.
fn openssl_project(dir: &Path, release: &str, edit: impl FnOnce(&mut Project)) -> PathBuf {
    let mut p = Project::new("Shell", PlaybookRef::Builtin("openssl".into()));
    let mut i = Issue::new(
        "SHELL-1",
        "Overread in the record layer",
        t("2026-11-10T09:00:00Z"),
    );
    i.verdict = Verdict::Security;
    i.severity = Some(Severity::High);
    p.issues.push(i);
    p.releases.push(Release {
        id: "3.6.1".into(),
        version: "3.6.1".into(),
        planned: Some(t(release)),
        published: None,
        base_tag: None,
        issues: vec!["SHELL-1".into()],
        artifacts: vec![],
        milestones: Default::default(),
        shares: Vec::new(),
    });
    edit(&mut p);
    let file = dir.join("shell.embargo.ron");
    embargo::adapters::store::save(&file, &p).expect("saved");
    file
}

/// `embargo check --json` of `file`: each step's key, status and reason.
fn checked(file: &Path, now: &str) -> Vec<(String, String, String)> {
    let o = embargo(&["check", &file.display().to_string(), "--json"], now);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v.as_array()
        .expect("issues")
        .iter()
        .flat_map(|i| i["steps"].as_array().expect("steps").iter())
        .map(|s| {
            let f = |k: &str| s[k].as_str().expect("text").to_owned();
            (f("key"), f("status"), f("reason"))
        })
        .collect()
}

// Item 3: each step's status follows from data that holds.

#[test]
fn an_empty_fix_commit_row_does_not_settle_have_the_patch() {
    let mut h = harness(Startup::Example);
    select_issue(&mut h, "POSTBOTE-3");
    click_step(&mut h, "Have the patch (not in public git)");
    assert!(
        h.query_by_label("✔  Have the patch (not in public git)")
            .is_none()
    );
    h.get_by_label("Add a commit").click();
    h.run();
    let rows = h.state().view.draft.as_ref().map(|d| d.fix_commits.len());
    assert_eq!(rows, Some(1), "an empty row was added");
    // The row records no commit: the step is not done.
    assert!(
        h.query_by_label("✔  Have the patch (not in public git)")
            .is_none(),
        "an empty fix commit row settled the step"
    );
}

#[test]
fn the_guard_does_not_say_no_fix_commit_is_recorded_after_the_release() {
    let dir = tempfile::tempdir().expect("temp dir");
    git2::Repository::init(dir.path().join("repo")).expect("a repository");
    let mut p = embargo::adapters::store::example().expect("the example");
    p.repo.path = "repo".into();
    let file = dir.path().join("postbote.embargo.ron");
    embargo::adapters::store::save(&file, &p).expect("saved");
    let mut h = harness(Startup::File(file));
    // POSTBOTE-1 went public in October with one fix commit recorded.
    select_issue(&mut h, "POSTBOTE-1");
    click_step(&mut h, "Have the patch (not in public git)");
    settle(&mut h);
    assert!(
        h.query_by_label_contains("No fix commit is recorded yet")
            .is_none(),
        "said although a fix commit is recorded"
    );
    h.get_by_label_contains(
        "The release went public on 2026-10-13 14:02 UTC: its 1 fix commit(s) are no longer under embargo",
    );
    // The same words in `embargo guard --issue`.
    let o = embargo(
        &[
            "guard",
            &dir.path()
                .join("postbote.embargo.ron")
                .display()
                .to_string(),
            "--issue",
            "POSTBOTE-1",
        ],
        "2026-11-23T12:00:00Z",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("The release went public on 2026-10-13 14:02 UTC"),
        "{err}"
    );
}

#[test]
fn a_vendor_prenotice_whose_date_is_past_warns_in_the_app_and_the_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Released in ten days: the vendors were due to hear four days ago.
    // Its early advisory is skipped: the vendors' step waits for nothing.
    let file = openssl_project(dir.path(), "2026-12-03T14:00:00Z", |p| {
        p.issues[0].journal.push(JournalEntry::new(
            t("2026-11-20T09:00:00Z"),
            Some("early_advisory"),
            Event::StepSkipped {
                reason: "told in person".into(),
            },
        ));
    });
    let mut h = harness(Startup::File(file.clone()));
    select_issue(&mut h, "SHELL-1");
    click_step(&mut h, "Pre-notify customers and vendors");
    // The status says "warning"; the finding below it, with its
    // Acknowledge button, says why (once).
    h.get_by_label("⚠ warning");
    h.get_by_label_contains(
        "⚠ Vendor and customer pre-notification 10.1 days before the release (about 14 is the rule): it was due 2026-11-19 14:00 UTC and has not gone out",
    );
    let steps = checked(&file, "2026-11-23T12:00:00Z");
    let vendors = steps
        .iter()
        .find(|s| s.0 == "prenotify_vendors")
        .expect("the step");
    assert_eq!(vendors.1, "warning", "{vendors:?}");
    assert!(
        vendors.2.contains("was due 2026-11-19 14:00 UTC"),
        "{vendors:?}"
    );
}

#[test]
fn exims_rules_are_not_applied_to_an_openssl_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Friday 4 December, 18:00 UTC (08:00 in Honolulu), the distros told
    // six hours before: Exim's playbook would object three times.
    let file = openssl_project(dir.path(), "2026-12-04T18:00:00Z", |p| {
        p.releases[0]
            .milestones
            .insert(Milestone::DistrosNotice, t("2026-12-04T12:00:00Z"));
    });
    let mut h = harness(Startup::File(file.clone()));
    select_issue(&mut h, "SHELL-1");
    click_step(&mut h, "Plan the release");
    // The picker judges the planned instant by the playbook's rules.
    h.get_by_label_contains("distros embargo (Openwall)");
    for exim in ["no friday", "pacific night", "packager lead time"] {
        assert!(
            h.query_by_label_contains(exim).is_none(),
            "Exim's {exim} rule shown for an OpenSSL project"
        );
    }
    for (key, _, reason) in checked(&file, "2026-11-23T12:00:00Z") {
        for exim in ["falls on Fri", "night over the Pacific", "packagers get"] {
            assert!(!reason.contains(exim), "{key}: {reason}");
        }
    }
    let o = embargo(
        &[
            "when",
            "2026-12-04T18:00:00Z",
            "--project",
            &file.display().to_string(),
            "--issue",
            "SHELL-1",
            "--json",
        ],
        "2026-11-23T12:00:00Z",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rules: Vec<&str> = v["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| v["rule"].as_str().expect("rule"))
        .collect();
    assert!(rules.contains(&"distros_embargo"), "{rules:?}");
    for exim in ["no_friday", "pacific_night", "packager_lead_time"] {
        assert!(!rules.contains(&exim), "{rules:?}");
    }
}

#[test]
fn release_is_not_ready_before_any_notice_was_sent() {
    let mut h = harness(Startup::Example);
    select_issue(&mut h, "POSTBOTE-2");
    assert!(h.query_by_label("▶  Release").is_none(), "Release is ready");
    h.get_by_label("⏸  Release").click();
    h.run();
    h.get_by_label_contains("waiting for “Advance notice to maintainers and distros”");
}

// Item 5: "Record as published now" asks first and can be taken back.

#[test]
fn record_as_published_asks_says_how_early_and_can_be_taken_back() {
    let mut h = harness(Startup::Example);
    select_issue(&mut h, "POSTBOTE-2");
    h.get_by_label("⏸  Release").click();
    h.run();
    h.get_by_label("Record as published now").click();
    h.run();
    h.get_by_label_contains("8 days 2 hours before the planned release (Tue 2026-12-01 14:00 UTC)");
    assert_eq!(release_of(&h, "POSTBOTE-2").published, None, "asked first");
    h.get_by_label("Record as published").click();
    settle(&mut h);
    assert_eq!(release_of(&h, "POSTBOTE-2").published, Some(now()));

    h.get_by_label("Take back the publication").click();
    h.run();
    h.get_by_label("Take it back").click();
    settle(&mut h);
    let r = release_of(&h, "POSTBOTE-2");
    assert_eq!(r.published, None);
    assert_eq!(r.planned, Some(t("2026-12-01T14:00:00Z")), "still planned");
    let doc = h.state().doc.as_ref().expect("document");
    let said: Vec<String> = doc
        .project
        .issue("POSTBOTE-2")
        .expect("issue")
        .journal
        .iter()
        .filter(|e| matches!(&e.event, Event::FieldChanged { field, .. } if field == "published"))
        .map(|e| e.event.describe())
        .collect();
    assert_eq!(
        said,
        ["published set to 2026-11-23 12:00 UTC", "published cleared"]
    );
    h.get_by_label("Record as published now");
}

#[test]
fn embargo_publish_undo_takes_the_publication_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("postbote.embargo.ron");
    let p = embargo::adapters::store::example().expect("the example");
    embargo::adapters::store::save(&file, &p).expect("saved");
    let f = file.display().to_string();
    let o = embargo(
        &["publish", &f, "--issue", "POSTBOTE-2"],
        "2026-11-25T12:00:00Z",
    );
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("6 days 2 hours before the planned release (Tue 2026-12-01 14:00 UTC)"),
        "{err}"
    );
    let o = embargo(
        &["publish", &f, "--issue", "POSTBOTE-2", "--undo", "--json"],
        "2026-11-25T12:05:00Z",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["published"], serde_json::Value::Null);
    assert_eq!(v["was"], "2026-11-25T12:00:00Z");
    let back = embargo::adapters::store::load(&file).expect("loads");
    assert_eq!(
        back.release_of("POSTBOTE-2").and_then(|r| r.published),
        None
    );
    let last = back
        .issue("POSTBOTE-2")
        .and_then(|i| i.journal.last())
        .expect("journaled");
    assert_eq!(last.event.describe(), "published cleared");
    // Nothing to take back now.
    let o = embargo(
        &["publish", &f, "--issue", "POSTBOTE-2", "--undo"],
        "2026-11-25T12:06:00Z",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not recorded as published"));
}

// Item 6: a world-clock cell proposes; "Plan this release" commits.

#[test]
fn a_world_clock_cell_proposes_and_plan_this_release_commits() {
    let mut h = harness(Startup::Example);
    select_issue(&mut h, "POSTBOTE-2");
    click_step(&mut h, "Sketch the disclosure timeline");
    let journal_len = |h: &Harness<'_, EmbargoApp>| {
        h.state()
            .doc
            .as_ref()
            .and_then(|d| d.project.issue("POSTBOTE-2"))
            .map(|i| i.journal.len())
    };
    let before = journal_len(&h);
    h.get_by_label("UTC 16:00 Tue").click();
    h.run();
    // Proposed, judged, not planned.
    assert_eq!(
        release_of(&h, "POSTBOTE-2").planned,
        Some(t("2026-12-01T14:00:00Z"))
    );
    assert_eq!(journal_len(&h), before, "nothing journaled");
    h.get_by_label_contains("Proposed: Tue 2026-12-01 16:00 UTC, not planned yet");
    h.get_by_label("⚠ pacific night (Exim)");
    h.get_by_label("Plan this release").click();
    h.run();
    assert_eq!(
        release_of(&h, "POSTBOTE-2").planned,
        Some(t("2026-12-01T16:00:00Z"))
    );
    assert!(h.query_by_label_contains("Proposed:").is_none());
}

// Item 21: the Due view.

#[test]
fn the_due_view_lists_what_must_happen_this_week_in_home_time_and_utc() {
    let mut h = harness(Startup::Example);
    assert!(h.query_by_label("This week").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    h.get_by_label("This week");
    // The distros notice five days before the release of 1 December, and
    // packaging two days before, in Berlin time and UTC.
    assert_eq!(
        h.query_all_by_label("Thu 26 Nov 15:00 CET (14:00 UTC)")
            .count(),
        2,
        "the maintainers' and the distros' notices"
    );
    h.get_by_label("Send the advance notice to the distros list");
    h.get_by_label("Sun 29 Nov 15:00 CET (14:00 UTC)");
    // Kept while nothing changes: frames evaluate no rule.
    let before = embargo::core::schedule::evaluations();
    for _ in 0..10 {
        h.step();
    }
    assert_eq!(embargo::core::schedule::evaluations(), before);
    h.get_by_label("Packaging starts: send the fix availability mail with the embargoed files");
    // The release itself is next week.
    assert!(
        h.query_by_label("Tue 01 Dec 15:00 CET (14:00 UTC)")
            .is_none()
    );
    h.query_all_by_label("Go to POSTBOTE-2")
        .next()
        .expect("a row of POSTBOTE-2")
        .click();
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("advance_notice")
    );
    // Also from the View menu.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Hide Due").click();
    h.run();
    assert!(h.query_by_label("This week").is_none(), "closed again");
}

#[test]
fn embargo_due_lists_the_same_as_the_app() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/postbote.embargo.ron");
    let o = embargo(
        &["due", &file.display().to_string(), "--json"],
        "2026-11-27T12:00:00Z",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let p = embargo::adapters::store::example().expect("the example");
    let b = embargo::core::playbook::builtin("exim").expect("built in");
    let want = embargo::core::due::due(&p, &b, t("2026-11-27T12:00:00Z"));
    assert_eq!(got, serde_json::to_value(&want).expect("JSON"));
    // First the released 4.12.2's oss-security post, a duty of disclosure
    // day its journal never recorded (#24), then the maintainers' notice.
    let first = &got[0];
    assert_eq!(first["horizon"], "overdue");
    assert_eq!(first["duty"], "oss_security_post");
    assert_eq!(got[1]["horizon"], "overdue");
    assert_eq!(got[1]["milestone"], "maintainers_notice");
    let text = embargo(
        &["due", &file.display().to_string()],
        "2026-11-27T12:00:00Z",
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Overdue\n"), "{text}");
    assert!(
        text.contains("Tue 01 Dec 15:00 CET (14:00 UTC)")
            && text.contains("Release — 4.12.3 (POSTBOTE-2)"),
        "{text}"
    );
}

// Item 22: the example ages.

#[test]
fn the_example_opened_after_its_release_moves_into_the_coming_days() {
    let opened = t("2026-12-01T15:00:00Z");
    let mut h = harness_at(Startup::Example, opened);
    let r = release_of(&h, "POSTBOTE-2");
    assert_eq!(
        r.planned,
        Some(t("2026-12-08T14:00:00Z")),
        "a week later, a Tuesday"
    );
    let shipped = embargo::adapters::store::example().expect("the example");
    let received = |p: &Project| p.issue("POSTBOTE-3").map(|i| i.intake.received);
    let doc = h.state().doc.as_ref().expect("document");
    assert_eq!(
        received(&doc.project),
        received(&shipped).map(|t| t + chrono::TimeDelta::weeks(1))
    );
    h.get_by_label_contains("its dates moved 1 week ahead");
    select_issue(&mut h, "POSTBOTE-2");
    click_step(&mut h, "Sketch the disclosure timeline");
    h.get_by_label("planned: Tue 2026-12-08 14:00 UTC");
    assert!(h.query_by_label_contains("is in the past").is_none());
    click_step(&mut h, "Lead time for OS packagers");
    assert!(h.query_by_label_contains("packagers get -").is_none());

    // `embargo check` of the file itself shows it as it is.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/postbote.embargo.ron");
    let steps = checked(&file, "2026-12-01T15:00:00Z");
    assert!(
        steps
            .iter()
            .any(|s| s.2.contains("2026-12-01 14:00 UTC is in the past")),
        "{steps:?}"
    );
}
