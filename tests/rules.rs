//! Every release-time rule is reported by a step, so `embargo check` shows a
//! release that breaks it, in a project whose playbook gives every step a key
//! of its own (steps are found by kind, never by key).

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, Utc};
use embargo::core::model::{
    Blackout, Event, Issue, JournalEntry, Milestone, PlaybookRef, Project, Release, Severity,
};
use embargo::core::schedule::Rule;

const NOW: &str = "2026-11-23T12:00:00Z";

/// Every step that reports a rule, each under a key of the playbook's own.
const PLAYBOOK: &str = r#"Playbook(
    name: "Rules",
    rules: Rules(high_release_within_days: Some(28)),
    steps: [
        Step(kind: release_plan, key: Some("plan")),
        Step(kind: no_friday, key: Some("weekday")),
        Step(kind: release_hour, key: Some("hour")),
        Step(kind: packager_lead_time, key: Some("packagers")),
        Step(kind: advance_notice, key: Some("tell_distros")),
        Step(kind: prenotify_vendors, key: Some("tell_vendors")),
        Step(kind: pre_announce, key: Some("tell_world")),
        Step(kind: cve_record, key: Some("record")),
    ],
)"#;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// A Moderate issue with its release planned for Monday 30 November, 14:00
/// UTC, a week from now: the release plan itself breaks no rule.
fn project() -> Project {
    let mut p = Project::new("Rules", PlaybookRef::File("rules.playbook.ron".into()));
    let mut issue = Issue::new("RULES-1", "bug", t("2026-11-01T10:00:00Z"));
    issue.severity = Some(Severity::Moderate);
    p.issues.push(issue);
    p.releases.push(Release {
        id: "1.0.1".into(),
        version: "1.0.1".into(),
        planned: Some(t("2026-11-30T14:00:00Z")),
        published: None,
        base_tag: None,
        issues: vec!["RULES-1".into()],
        artifacts: vec![],
        milestones: Default::default(),
        shares: Vec::new(),
    });
    p
}

fn plan(p: &mut Project, at: &str) {
    p.releases[0].planned = Some(t(at));
}

/// `embargo check --json` on `p`: each step's key, status and reason.
fn check(dir: &Path, p: &Project) -> (Vec<(String, String, String)>, String) {
    std::fs::write(dir.join("rules.playbook.ron"), PLAYBOOK).expect("playbook written");
    let file = dir.join("rules.embargo.ron");
    embargo::adapters::store::save(&file, p).expect("project saved");
    let run = |json: bool| -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_embargo"));
        c.arg("check").arg(&file).env("EMBARGO_NOW", NOW);
        if json {
            c.arg("--json");
        }
        c.output().expect("the binary runs")
    };
    let o = run(true);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let steps = v[0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            let f = |k: &str| s[k].as_str().expect("a string").to_owned();
            (f("key"), f("status"), f("reason"))
        })
        .collect();
    let text = run(false);
    (steps, String::from_utf8_lossy(&text.stdout).into_owned())
}

#[test]
fn embargo_check_shows_every_rule_a_release_breaks() {
    type Scenario = (Rule, &'static str, &'static str, fn(&mut Project));
    let scenarios: [Scenario; 12] = [
        (
            Rule::InPast,
            "plan",
            "2026-11-20 14:00 UTC is in the past",
            |p| plan(p, "2026-11-20T14:00:00Z"),
        ),
        (Rule::NoFriday, "weekday", "falls on Fri", |p| {
            plan(p, "2026-12-04T14:00:00Z")
        }),
        (
            Rule::PacificNight,
            "hour",
            "outside the 20:00–04:00 night over the Pacific",
            |p| plan(p, "2026-11-30T18:00:00Z"),
        ),
        (
            Rule::Blackout,
            "plan",
            "is in the blackout “Summit”",
            |p| {
                let day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid");
                p.time.blackouts.push(Blackout {
                    name: "Summit".into(),
                    from: day,
                    to: day,
                });
            },
        ),
        (
            Rule::PackagerLeadTime,
            "packagers",
            "at least one day is needed",
            |p| plan(p, "2026-11-24T06:00:00Z"),
        ),
        (
            Rule::DistrosEmbargo,
            "tell_distros",
            "the distros embargo lasts 16.0 days: at most 14 days",
            // The distros were told (under the step's own key) on 14 November.
            |p| {
                p.issues[0].journal.push(JournalEntry::new(
                    t("2026-11-14T14:00:00Z"),
                    Some("tell_distros"),
                    Event::StepDone,
                ))
            },
        ),
        (
            Rule::VendorPrenotice,
            "tell_vendors",
            "Vendor and customer pre-notification 3.1 days before the release",
            |p| plan(p, "2026-11-26T14:00:00Z"),
        ),
        (
            Rule::PreAnnouncement,
            "tell_world",
            "Public pre-announcement 3.1 days before the release",
            |p| plan(p, "2026-11-26T14:00:00Z"),
        ),
        (
            Rule::HighWithinWeeks,
            "plan",
            "RULES-1 is High: released 29.2 days after the report, more than 28",
            |p| p.issues[0].severity = Some(Severity::High),
        ),
        (
            Rule::ReporterDeadline,
            "plan",
            "after the deadline of RULES-1's reporter",
            |p| p.issues[0].reporter.deadline = Some(t("2026-11-28T00:00:00Z")),
        ),
        (
            Rule::MilestoneOrder,
            "plan",
            "before the release would disclose the issue",
            |p| {
                p.releases[0]
                    .milestones
                    .insert(Milestone::PublicGit, t("2026-11-30T13:00:00Z"));
            },
        ),
        (
            Rule::CveRecord,
            "record",
            "CVE record more than 72 hours after the release",
            |p| {
                p.releases[0]
                    .milestones
                    .insert(Milestone::CveRecord, t("2026-12-04T14:00:00Z"));
            },
        ),
    ];
    // One scenario per rule, each rule once.
    assert_eq!(scenarios.map(|s| s.0), Rule::ALL);

    let dir = tempfile::tempdir().expect("temp dir");
    let (base, base_text) = check(dir.path(), &project());
    let find = |steps: &[(String, String, String)], key: &str| {
        steps
            .iter()
            .find(|s| s.0 == key)
            .cloned()
            .unwrap_or_else(|| panic!("no step {key} in {steps:?}"))
    };
    assert_eq!(find(&base, "plan").1, "done", "the plan breaks no rule");
    for (rule, key, reason, change) in scenarios {
        assert!(
            !base_text.contains(reason),
            "{rule}: already in the base project: {base_text}"
        );
        let mut p = project();
        change(&mut p);
        let (steps, text) = check(dir.path(), &p);
        let (_, status, shown) = find(&steps, key);
        assert_eq!(status, "warning", "{rule} on {key}: {steps:?}");
        assert!(shown.contains(reason), "{rule} on {key}: {shown}");
        assert!(text.contains(reason), "{rule}: {text}");
    }
}

/// The app on the example project with a fixed clock, settled.
fn app() -> egui_kittest::Harness<'static, embargo::ui::EmbargoApp> {
    use embargo::core::ports::FixedClock;
    use embargo::ui::{EmbargoApp, Startup};
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(|cc| {
            EmbargoApp::new(
                &cc.egui_ctx,
                Startup::Example,
                std::sync::Arc::new(FixedClock(t(NOW))),
                None,
            )
        });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut idle = 0;
    while idle < 3 {
        h.step();
        idle = if h.state().is_busy() { 0 } else { idle + 1 };
        assert!(
            std::time::Instant::now() < deadline,
            "the example did not open"
        );
    }
    h.run();
    h
}

#[test]
fn the_app_evaluates_the_rules_once_per_change_not_once_per_frame() {
    use egui_kittest::kittest::Queryable;
    use embargo::core::schedule::evaluations;

    let mut h = app();
    // The release plan step of a planned issue: the wizard's steps and the
    // picker beside them both show verdicts.
    h.get_by_label_contains("Sketch the disclosure timeline")
        .click();
    h.run();
    assert_eq!(
        h.state().selected_step_key().as_deref(),
        Some("release_plan")
    );
    h.get_by_label("✔ pacific night (Exim)");
    let before = evaluations();
    for _ in 0..10 {
        h.step();
    }
    assert_eq!(
        evaluations(),
        before,
        "frames without a change evaluate nothing"
    );

    // A change (two hours later on the world clock, proposed by the click
    // and planned with "Plan this release") is evaluated once for the steps
    // and once for the picker, and shows at once.
    h.get_by_label("UTC 16:00 Tue").click();
    for _ in 0..10 {
        h.step();
    }
    let proposed = evaluations() - before;
    assert!(
        (1..=4).contains(&proposed),
        "{proposed} evaluations for one proposal over ten frames"
    );
    let before = evaluations();
    h.get_by_label("Plan this release").click();
    for _ in 0..10 {
        h.step();
    }
    let changed = evaluations() - before;
    assert!(
        (1..=4).contains(&changed),
        "{changed} evaluations for one change over ten frames"
    );
    h.run();
    h.get_by_label("⚠ pacific night (Exim)");
}
