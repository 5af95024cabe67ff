//! Clocks and the duties of disclosure day (#24 items 1 and 2): each time
//! rule says where its clock starts and counts from what happened (the
//! first mail sent to the distros list), a plan longer than the list allows
//! says when the first mail may go, a moved release re-checks every clock,
//! and the duties of disclosure day reach `embargo due`, `embargo check`
//! and the .ics, all at fixed clocks.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{Event, JournalEntry, Project};
use embargo::core::playbook::{builtin, issue_plan};
use embargo::core::schedule::{self, ClockStart, Level, Rule};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

fn embargo(now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", now)
        .output()
        .expect("the binary runs")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn save(dir: &Path, p: &Project) -> String {
    let path = dir.join("p.embargo.ron");
    std::fs::write(&path, store::project_to_string(p)).expect("written");
    path.to_str().expect("utf-8").to_owned()
}

/// The example with POSTBOTE-2's release planned at `release` and a mail
/// to the distros list sent at `mail`, if any.
fn example_with(release: &str, mail: Option<&str>) -> Project {
    let mut p = store::example().expect("the example parses");
    p.releases
        .iter_mut()
        .find(|r| r.version == "4.12.3")
        .expect("present")
        .planned = Some(t(release));
    if let Some(at) = mail {
        p.issue_mut("POSTBOTE-2")
            .expect("present")
            .journal
            .push(JournalEntry::new(
                t(at),
                Some("advance_notice"),
                Event::MailSent {
                    to: "maintainers@postbote.example, distros@vs.openwall.org".into(),
                    subject: "[vs] Postbote: security release 4.12.3".into(),
                },
            ));
    }
    p
}

fn verdicts_of(p: &Project, now: &str, rule: Rule) -> Vec<schedule::Verdict> {
    let b = builtin("exim").expect("built in");
    let i = p.issue("POSTBOTE-2").expect("present");
    let plan = issue_plan(p, &b, i);
    schedule::judge(t(now), plan.release.expect("planned"), &plan)
        .into_iter()
        .filter(|v| v.rule == rule)
        .collect()
}

#[test]
fn every_rule_names_its_clock_in_its_explanation() {
    for def in &schedule::RULES {
        assert!(
            schedule::explain(def.id).ends_with(def.clock.sentence()),
            "{}",
            def.id
        );
    }
    assert_eq!(
        Rule::DistrosEmbargo.def().clock,
        ClockStart::FirstDistrosMail
    );
    assert_eq!(
        Rule::VendorPrenotice.def().clock,
        ClockStart::PlannedRelease
    );
    assert_eq!(
        Rule::PreAnnouncement.def().clock,
        ClockStart::PlannedRelease
    );
    assert_eq!(Rule::ReporterDeadline.def().clock, ClockStart::Report);
}

#[test]
fn the_distros_embargo_counts_from_the_first_mail_in_the_journal() {
    // The advance notice step is not marked done: only the mail says it went.
    let p = example_with("2026-12-01T14:00:00Z", Some("2026-11-20T10:00:00Z"));
    let vs = verdicts_of(&p, "2026-11-23T12:00:00Z", Rule::DistrosEmbargo);
    assert_eq!(vs.len(), 1, "{vs:?}");
    assert_eq!(vs[0].counted_from, Some(t("2026-11-20T10:00:00Z")));
    assert_eq!(vs[0].level, Level::Warning, "11.2 days: under 7 preferred");
    assert!(
        vs[0].reason.contains("under 7 days is preferred"),
        "{}",
        vs[0].reason
    );
    // Without the mail, the plan's notice (five days before) is the clock.
    let p = example_with("2026-12-01T14:00:00Z", None);
    let vs = verdicts_of(&p, "2026-11-23T12:00:00Z", Rule::DistrosEmbargo);
    assert_eq!(vs[0].counted_from, Some(t("2026-11-26T14:00:00Z")));
    assert_eq!(vs[0].level, Level::Ok);
}

#[test]
fn moving_the_release_after_the_notice_went_out_rechecks_every_clock() {
    let mail = Some("2026-11-20T10:00:00Z");
    let before = example_with("2026-11-25T14:00:00Z", mail);
    let after = example_with("2026-12-09T14:00:00Z", mail);
    let now = "2026-11-23T12:00:00Z";
    assert_eq!(
        verdicts_of(&before, now, Rule::DistrosEmbargo)[0].level,
        Level::Ok
    );
    let moved = &verdicts_of(&after, now, Rule::DistrosEmbargo)[0];
    assert_eq!(moved.level, Level::Error, "19.2 days from the mail");
    assert!(
        moved
            .reason
            .contains("release by 2026-12-04 10:00 UTC at the latest"),
        "{}",
        moved.reason
    );
    // The packagers' lead time counts from the same mail.
    let lead = &verdicts_of(&after, now, Rule::PackagerLeadTime)[0];
    assert_eq!(lead.counted_from, Some(t("2026-11-20T10:00:00Z")));
    // The reporter's deadline (2027-02-14) counts from the report.
    let deadline = &verdicts_of(&after, now, Rule::ReporterDeadline)[0];
    assert_eq!(deadline.counted_from, Some(t("2026-11-16T07:12:00Z")));
    assert!(
        deadline.reason.contains("from the report"),
        "{}",
        deadline.reason
    );
    let late = example_with("2027-02-16T14:00:00Z", mail);
    assert_eq!(
        verdicts_of(&late, now, Rule::ReporterDeadline)[0].level,
        Level::Error
    );

    // `embargo check` re-judges the moved plan: its clocks say so.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &after);
    let j = json(&embargo(now, &["check", "--json", &file]));
    let issue = j
        .as_array()
        .expect("issues")
        .iter()
        .find(|i| i["id"] == "POSTBOTE-2")
        .expect("present");
    let clock = issue["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .find(|c| c["rule"] == "distros_embargo")
        .expect("the distros clock");
    assert_eq!(clock["clock"], "first_distros_mail");
    assert_eq!(clock["counted_from"], "2026-11-20T10:00:00Z");
    assert_eq!(clock["level"], "error");
}

#[test]
fn a_plan_longer_than_the_list_allows_says_when_the_first_mail_may_go() {
    // The reporter agreed on a date 19 days ahead; nothing went to the list.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut p = example_with("2026-12-10T14:00:00Z", None);
    // The plan has the advance notice 19 days early (moved by hand).
    p.releases
        .iter_mut()
        .find(|r| r.version == "4.12.3")
        .expect("present")
        .milestones
        .insert(
            embargo::core::model::Milestone::DistrosNotice,
            t("2026-11-21T14:00:00Z"),
        );
    let file = save(dir.path(), &p);
    let want =
        "send to distros@vs.openwall.org no earlier than 2026-11-26 14:00 UTC (release − 14 days)";
    let o = embargo(
        "2026-11-20T12:00:00Z",
        &[
            "when",
            "2026-12-10T14:00:00Z",
            "--project",
            &file,
            "--issue",
            "POSTBOTE-2",
            "--json",
        ],
    );
    let j = json(&o);
    let v = j["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["rule"] == "distros_embargo")
        .expect("judged")
        .clone();
    assert_eq!(v["level"], "error");
    assert!(v["reason"].as_str().expect("text").contains(want), "{v}");
    assert_eq!(v["clock"], "first_distros_mail");
    // The timeline shows the date as a mark.
    let b = builtin("exim").expect("built in");
    let plan = issue_plan(&p, &b, p.issue("POSTBOTE-2").expect("present"));
    let marks = schedule::marks(
        t("2026-11-20T12:00:00Z"),
        &plan,
        t("2026-12-10T14:00:00Z"),
        &[],
    );
    assert_eq!(marks[0].at, t("2026-11-26T14:00:00Z"));
    assert_eq!(marks[0].label, want);
    // Once a mail went to the list, the mark is gone.
    let sent = example_with("2026-12-10T14:00:00Z", Some("2026-11-27T09:00:00Z"));
    let plan = issue_plan(&sent, &b, sent.issue("POSTBOTE-2").expect("present"));
    assert!(
        schedule::marks(
            t("2026-11-28T12:00:00Z"),
            &plan,
            t("2026-12-10T14:00:00Z"),
            &[]
        )
        .is_empty()
    );
}

#[test]
fn disclosure_day_duties_in_due_and_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut p = store::example().expect("the example parses");
    p.issue_mut("POSTBOTE-1")
        .expect("present")
        .poc_shared_with_distros = true;
    let file = save(dir.path(), &p);
    // An hour after the publication of 4.12.2: both due, neither overdue.
    let now = "2026-10-13T15:02:00Z";
    let due = json(&embargo(now, &["due", "--json", &file]));
    let duties: Vec<(&str, &str)> = due
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| Some((i["duty"].as_str()?, i["horizon"].as_str()?)))
        .collect();
    // Due at once; overdue only when the disclosure day is over (tomorrow).
    assert!(
        duties.contains(&("oss_security_post", "this_week")),
        "{duties:?}"
    );
    assert!(duties.contains(&("poc_posting", "this_week")), "{duties:?}");
    let check = json(&embargo(now, &["check", "--json", &file]));
    let levels = |check: &serde_json::Value| -> Vec<(String, String)> {
        check
            .as_array()
            .expect("issues")
            .iter()
            .filter(|i| i["id"] == "POSTBOTE-1")
            .flat_map(|i| i["duties"].as_array().cloned().unwrap_or_default())
            .map(|d| {
                (
                    d["duty"].as_str().unwrap_or_default().to_owned(),
                    d["level"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        levels(&check),
        [
            ("oss_security_post".to_owned(), "warning".to_owned()),
            ("poc_posting".to_owned(), "warning".to_owned())
        ]
    );
    // Two days later the post is overdue; the proof of concept not yet.
    let check = json(&embargo(
        "2026-10-15T15:00:00Z",
        &["check", "--json", &file],
    ));
    assert_eq!(
        levels(&check),
        [
            ("oss_security_post".to_owned(), "error".to_owned()),
            ("poc_posting".to_owned(), "warning".to_owned())
        ]
    );
    let text = embargo("2026-10-15T15:00:00Z", &["check", &file]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(
            "! duty oss_security_post    ERROR (overdue): Post the issue to oss-security"
        ),
        "{text}"
    );
    // Before the release nothing of it is due.
    let check = json(&embargo(
        "2026-10-12T15:00:00Z",
        &["check", "--json", &file],
    ));
    assert!(levels(&check).is_empty());
}

#[test]
fn the_calendar_has_the_duties_with_alarms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut p = store::example().expect("the example parses");
    p.issue_mut("POSTBOTE-2")
        .expect("present")
        .poc_shared_with_distros = true;
    let file = save(dir.path(), &p);
    let o = embargo(
        "2026-11-23T12:00:00Z",
        &["ics", &file, "--issue", "POSTBOTE-2"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ics = String::from_utf8_lossy(&o.stdout).replace("\r\n ", "");
    assert!(
        ics.contains("UID:postbote-postbote-2-oss_security_post@embargo"),
        "{ics}"
    );
    assert!(
        ics.contains("UID:postbote-postbote-2-poc_posting@embargo"),
        "{ics}"
    );
    assert!(ics.matches("BEGIN:VALARM").count() >= 4, "{ics}");
    // The proof of concept's deadline: 7 days after the planned release.
    assert!(
        ics.contains("TRIGGER;VALUE=DATE-TIME:20261208T140000Z"),
        "{ics}"
    );
}

#[test]
fn the_proof_of_concept_is_recorded_from_the_command_line_and_journaled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &store::example().expect("the example parses"));
    let now = "2026-10-13T15:02:00Z";
    let poc_level = |now: &str| -> Option<String> {
        json(&embargo(now, &["check", "--json", &file]))
            .as_array()
            .expect("issues")
            .iter()
            .filter(|i| i["id"] == "POSTBOTE-1")
            .flat_map(|i| i["duties"].as_array().cloned().unwrap_or_default())
            .find(|d| d["duty"] == "poc_posting")
            .and_then(|d| d["level"].as_str().map(str::to_owned))
    };
    assert_eq!(poc_level(now), None, "nothing shared, nothing to post");
    let set = |field: &str, value: &str| {
        let o = embargo(
            now,
            &["issue", "set", &file, "--issue", "POSTBOTE-1", field, value],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    set("poc-shared", "yes");
    assert_eq!(poc_level(now).as_deref(), Some("warning"));
    set("poc-posted", "2026-10-13T15:00:00Z");
    assert_ne!(poc_level(now).as_deref(), Some("warning"), "posted: done");
    let p = store::load(Path::new(&file)).expect("loads");
    let issue = p.issue("POSTBOTE-1").expect("present");
    assert_eq!(issue.poc_posted, Some(t("2026-10-13T15:00:00Z")));
    let said: Vec<String> = issue
        .journal
        .iter()
        .rev()
        .take(2)
        .map(|e| e.event.describe())
        .collect();
    assert_eq!(
        said,
        [
            "proof of concept posted set to 2026-10-13 15:00 UTC",
            "proof of concept shared with the distros list set to yes"
        ]
    );
    let bad = embargo(
        now,
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-1",
            "poc-shared",
            "maybe",
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "a usage error");
}
