//! The built-in playbooks cover every step of their seed process, and a
//! broken playbook file gets an error naming the line.

use embargo::core::playbook::{self, PlaybookError, StepKind};

/// The Exim process, step by step (our summary), and the playbook step that
/// covers each.
const EXIM_SEED: &[(&str, &str)] = &[
    (
        "assess how bad it is and whether a security release is needed",
        "triage",
    ),
    ("how bad is it: the severity", "severity"),
    ("keep notes of every step and the timeline", "keep_notes"),
    (
        "the reporter's timeline and acknowledgement preferences; ask for an existing CVE",
        "reporter_preferences",
    ),
    ("request a CVE", "cve_id"),
    (
        "patch-level release for RCE, or the next release",
        "release_strategy",
    ),
    ("sketch the disclosure timeline", "release_plan"),
    ("no disclosure on Fridays unless exploited", "no_friday"),
    ("release when it is night over the Pacific", "release_hour"),
    (
        "at least a day for OS packagers, preferably two",
        "packager_lead_time",
    ),
    (
        "advance notice to the maintainers and distros lists",
        "advance_notice",
    ),
    ("have a patch, never pushed to public git", "fix_private"),
    ("test the patch without public git", "private_testing"),
    (
        "tarball and standalone patch from local git, signed, signed tag, version.h",
        "build_and_sign",
    ),
    (
        "embargoed resources behind HTTP Basic/Digest auth, one usercode per list",
        "embargoed_share",
    ),
    (
        "notice of fix availability to the lists",
        "fix_availability",
    ),
    ("be available for questions", "answer_questions"),
    (
        "draft the announcement: impact, versions, credit, mitigation",
        "announcement_draft",
    ),
    (
        "release: tarball public, announce, website, oss-security",
        "publish_release",
    ),
    (
        "update the other places of the release process",
        "update_website",
    ),
    ("push the fixes to public git", "push_public"),
    ("deal with list fallout; write it up", "aftermath"),
];

/// The OpenSSL process, step by step (our summary), and the playbook step.
const OPENSSL_SEED: &[(&str, &str)] = &[
    (
        "record the original: mail headers or public issue URL and date",
        "intake_record",
    ),
    (
        "reply to non-issues with the standard response",
        "not_security_reply",
    ),
    (
        "record in the private tracker with labels; acknowledge",
        "record_and_labels",
    ),
    ("investigate: security issue? affected versions?", "triage"),
    ("assign a severity classification", "severity"),
    ("assign a CVE ID and report it back", "cve_id"),
    ("write the early advisory text", "early_advisory"),
    ("create the fix for a Low issue in public", "fix_public"),
    (
        "create and collect the fix for Moderate/High/Critical in private",
        "fix_private",
    ),
    (
        "plan the release (High/Critical within four weeks)",
        "release_plan",
    ),
    ("write the security advisory text", "advisory_text"),
    ("create a GitHub security advisory", "github_advisory"),
    (
        "pre-notify support customers and vendors, with their acceptance",
        "prenotify_vendors",
    ),
    ("public pre-announcement a week before", "pre_announce"),
    ("publish the release", "publish_release"),
    (
        "publish the advisories, the newsflash and the CVE JSON records",
        "cve_record",
    ),
];

fn covers(name: &str, seed: &[(&str, &str)]) {
    let book = playbook::builtin(name).expect("built-in playbook loads");
    for (what, key) in seed {
        assert!(
            book.step(key).is_some(),
            "{name}: no step `{key}` for “{what}”"
        );
    }
    // And nothing in the playbook that the seed does not ask for, but intake.
    for step in &book.steps {
        let key = step.key();
        assert!(
            key == "intake_record" || seed.iter().any(|(_, k)| *k == key),
            "{name}: step `{key}` is not in the seed list"
        );
    }
}

#[test]
fn exim_playbook_covers_the_exim_process() {
    covers("exim", EXIM_SEED);
}

#[test]
fn openssl_playbook_covers_the_openssl_process() {
    covers("openssl", OPENSSL_SEED);
    let book = playbook::builtin("openssl").expect("loads");
    assert!(book.rules.low_fixed_in_public);
    assert_eq!(book.rules.high_release_within_days, Some(28));
}

#[test]
fn unknown_step_kind_is_an_error_naming_the_line() {
    let text = "Playbook(\n  name: \"x\",\n  steps: [\n    Step(kind: intake_record),\n    Step(kind: make_coffee),\n  ],\n)";
    match playbook::parse(text, "mine.ron") {
        Err(e @ PlaybookError::Malformed { line: 5, .. }) => {
            let m = e.to_string();
            assert!(m.starts_with("mine.ron:5:"), "{m}");
            assert!(m.contains("make_coffee"), "{m}");
        }
        other => panic!("expected a malformed error on line 5, got {other:?}"),
    }
}

#[test]
fn playbook_rules_are_checked() {
    let dup = r#"Playbook(name: "x", steps: [Step(kind: triage), Step(kind: triage)])"#;
    let err = playbook::parse(dup, "dup.ron").expect_err("duplicate");
    assert!(
        err.to_string()
            .contains("step 2 (triage): the key is used twice"),
        "{err}"
    );
    let nokey = r#"Playbook(name: "x", steps: [Step(kind: checklist, title: Some("t"))])"#;
    assert!(
        playbook::parse(nokey, "k.ron")
            .expect_err("no key")
            .to_string()
            .contains("needs its own `key`")
    );
    let custom = r#"#![enable(implicit_some)]
Playbook(name: "mine", steps: [
    Step(kind: triage, title: "Look at it", optional: true),
    Step(kind: checklist, key: "tea", title: "Make tea", text: "Strong.", phase: after),
])"#;
    let book = playbook::parse(custom, "mine.ron").expect("valid");
    assert_eq!(book.steps[0].title(), "Look at it");
    assert!(book.steps[0].optional);
    assert_eq!(book.steps[1].kind, StepKind::Checklist);
    assert_eq!(
        book.step("tea").and_then(|s| s.text.as_deref()),
        Some("Strong.")
    );
}

#[test]
fn a_playbook_with_its_own_step_keys_still_marks_every_milestone() {
    use chrono::{DateTime, TimeDelta, Utc};
    use embargo::core::model::{Event, Issue, JournalEntry, Milestone, PlaybookRef, Project};

    let book = playbook::parse(
        r#"Playbook(name: "Ours", steps: [
            Step(kind: release_plan, key: Some("when")),
            Step(kind: prenotify_vendors, key: Some("vendors")),
            Step(kind: pre_announce, key: Some("teaser")),
            Step(kind: advance_notice, key: Some("distros")),
            Step(kind: fix_availability, key: Some("download")),
            Step(kind: push_public, key: Some("push")),
            Step(kind: cve_record, key: Some("record")),
        ])"#,
        "ours.playbook.ron",
    )
    .expect("valid playbook");
    let t0: DateTime<Utc> = "2026-11-01T12:00:00Z".parse().expect("instant");
    let mut project = Project::new("Ours", PlaybookRef::File("ours.playbook.ron".into()));
    let mut issue = Issue::new("O-1", "bug", t0);
    let marks = [
        ("vendors", 1, &[Milestone::VendorNotice][..]),
        ("teaser", 2, &[Milestone::PreAnnouncement]),
        (
            "distros",
            3,
            &[Milestone::MaintainersNotice, Milestone::DistrosNotice],
        ),
        ("download", 4, &[Milestone::FixAvailability]),
        ("push", 5, &[Milestone::PublicGit]),
        ("record", 6, &[Milestone::CveRecord]),
    ];
    let mut want = std::collections::BTreeMap::new();
    for (key, day, milestones) in marks {
        let at = t0 + TimeDelta::days(day);
        issue
            .journal
            .push(JournalEntry::new(at, Some(key), Event::StepDone));
        for m in milestones {
            want.insert(*m, at);
        }
    }
    project.issues.push(issue);
    let plan = playbook::issue_plan(&project, &book, &project.issues[0]);
    assert_eq!(plan.milestones.happened, want);
}
