//! Step status, computed from the project's data and the issue's journal for
//! every step of a playbook, in order. Nothing here is stored.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::kinds::{Completion, Ctx, Finding, evaluate, kind_def};
use super::{Playbook, PlaybookStep, StepKind, issue_plan};
use crate::core::model::{Event, Issue, Project, Verdict};
use crate::core::schedule::{self, StepVerdict};

/// The status of one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum Status {
    /// Finished.
    Done,
    /// Can be worked on now.
    Ready,
    /// Waits for an earlier step or datum, named in the reason.
    Blocked(String),
    /// A check fails, or the step was marked done with work left.
    Warning(String),
    /// Skipped by the coordinator, with the reason they gave.
    Skipped(String),
    /// Does not apply to this issue.
    NotApplicable(String),
}

impl Status {
    /// The lower-case name used by the CLI and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Ready => "ready",
            Self::Blocked(_) => "blocked",
            Self::Warning(_) => "warning",
            Self::Skipped(_) => "skipped",
            Self::NotApplicable(_) => "not_applicable",
        }
    }

    /// The reason, empty for Done and Ready.
    pub fn reason(&self) -> &str {
        match self {
            Self::Done | Self::Ready => "",
            Self::Blocked(r) | Self::Warning(r) | Self::Skipped(r) | Self::NotApplicable(r) => r,
        }
    }

    /// Whether the step no longer holds anything up.
    pub fn is_settled(&self) -> bool {
        matches!(self, Self::Done | Self::Skipped(_) | Self::NotApplicable(_))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason() {
            "" => f.write_str(self.name()),
            r => write!(f, "{}: {r}", self.name()),
        }
    }
}

/// A step with its computed status and the details behind it.
#[derive(Clone, Debug)]
pub struct StepState<'p> {
    /// The playbook step.
    pub step: &'p PlaybookStep,
    /// Its status.
    pub status: Status,
    /// What the step still has to record.
    pub todo: Vec<String>,
    /// Failing checks not yet acknowledged.
    pub findings: Vec<Finding>,
    /// Failing checks the coordinator acknowledged.
    pub acknowledged: Vec<Finding>,
    /// Whether the journal holds a manual mark (done or skipped) for it.
    pub marked: bool,
}

/// Kinds that still apply once an issue is found not to be a security issue.
const SURVIVE_NOT_SECURITY: [StepKind; 5] = [
    StepKind::IntakeRecord,
    StepKind::KeepNotes,
    StepKind::RecordAndLabels,
    StepKind::Triage,
    StepKind::NotSecurityReply,
];

/// The last manual mark of a step in the journal.
enum Mark {
    None,
    Done,
    Skipped(String),
}

fn mark(issue: &Issue, key: &str) -> Mark {
    let mut m = Mark::None;
    for e in issue
        .journal
        .iter()
        .filter(|e| e.step.as_deref() == Some(key))
    {
        match &e.event {
            Event::StepDone => m = Mark::Done,
            Event::StepSkipped { reason } => m = Mark::Skipped(reason.clone()),
            Event::StepReopened => m = Mark::None,
            _ => {}
        }
    }
    m
}

/// When the step with this key was last marked done, if it is done now.
pub fn done_at(issue: &Issue, step: &str) -> Option<DateTime<Utc>> {
    let mut at = None;
    for e in issue
        .journal
        .iter()
        .filter(|e| e.step.as_deref() == Some(step))
    {
        match e.event {
            Event::StepDone => at = Some(e.at),
            Event::StepReopened | Event::StepSkipped { .. } => at = None,
            _ => {}
        }
    }
    at
}

fn acknowledged(issue: &Issue, key: &str, check: &str) -> bool {
    issue.journal.iter().any(|e| {
        e.step.as_deref() == Some(key)
            && matches!(&e.event, Event::CheckAcknowledged { check: c } if c == check)
    })
}

/// The release-time rules' verdicts on `issue`'s planned release as its
/// steps report them: the one evaluation [`step_states`] makes. A caller
/// that keeps them (keyed on [`issue_plan`] and the instant) hands them to
/// [`step_states_with`].
pub fn step_verdicts(
    project: &Project,
    issue: &Issue,
    playbook: &Playbook,
    now: DateTime<Utc>,
) -> Vec<StepVerdict> {
    schedule::assess(now, &issue_plan(project, playbook, issue))
}

/// The status of every step of `playbook` for `issue`, in playbook order.
/// The release-time rules are evaluated once for all the steps.
pub fn step_states<'p>(
    project: &Project,
    issue: &Issue,
    playbook: &'p Playbook,
    now: DateTime<Utc>,
) -> Vec<StepState<'p>> {
    let verdicts = step_verdicts(project, issue, playbook, now);
    step_states_with(project, issue, playbook, now, &verdicts)
}

/// [`step_states`] with the rules' verdicts already made
/// ([`step_verdicts`] of the same issue, playbook and instant).
pub fn step_states_with<'p>(
    project: &Project,
    issue: &Issue,
    playbook: &'p Playbook,
    now: DateTime<Utc>,
    verdicts: &[StepVerdict],
) -> Vec<StepState<'p>> {
    let ctx = Ctx {
        project,
        issue,
        release: project.release_of(&issue.id),
        playbook,
        now,
        verdicts,
    };
    let mut states: Vec<StepState<'p>> = Vec::with_capacity(playbook.steps.len());
    for step in &playbook.steps {
        let def = kind_def(step.kind);
        let key = step.key();
        let eval = evaluate(step.kind, &ctx);
        let (findings, acked): (Vec<Finding>, Vec<Finding>) = eval
            .findings
            .into_iter()
            .partition(|f| !acknowledged(issue, key, f.check));
        let mut state = StepState {
            step,
            status: Status::Ready,
            todo: eval.todo,
            findings,
            acknowledged: acked,
            marked: false,
        };
        state.status = if issue.verdict == Verdict::NotSecurity
            && !SURVIVE_NOT_SECURITY.contains(&step.kind)
        {
            Status::NotApplicable("not a security issue: it ends with the standard reply".into())
        } else if let Some(reason) = eval.not_applicable {
            Status::NotApplicable(reason)
        } else {
            match mark(issue, key) {
                Mark::Skipped(reason) => {
                    state.marked = true;
                    Status::Skipped(reason)
                }
                m => {
                    let marked = matches!(m, Mark::Done);
                    state.marked = marked;
                    let waiting = def.needs.iter().find_map(|need| {
                        states
                            .iter()
                            .find(|s| {
                                s.step.kind == *need && !s.step.optional && !s.status.is_settled()
                            })
                            .map(|s| format!("waiting for “{}”", s.step.title()))
                    });
                    let auto_done = def.completion == Completion::Auto
                        && eval.blocked.is_none()
                        && state.todo.is_empty();
                    if marked || auto_done {
                        if let Some(f) = state.findings.first() {
                            Status::Warning(f.reason.clone())
                        } else if marked && !state.todo.is_empty() {
                            Status::Warning(format!("marked done, but: {}", state.todo.join("; ")))
                        } else {
                            Status::Done
                        }
                    } else if let Some(w) = waiting.or(eval.blocked) {
                        Status::Blocked(w)
                    } else if let Some(f) = state.findings.first() {
                        Status::Warning(f.reason.clone())
                    } else {
                        Status::Ready
                    }
                }
            }
        };
        states.push(state);
    }
    states
}

/// How far an issue is: settled steps (done, skipped, not applicable) and all steps.
pub fn issue_progress(states: &[StepState<'_>]) -> (usize, usize) {
    let settled = states.iter().filter(|s| s.status.is_settled()).count();
    (settled, states.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{JournalEntry, PlaybookRef, Severity};
    use crate::core::playbook::parse;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    const BOOK: &str = r#"Playbook(name: "t", steps: [
        Step(kind: intake_record),
        Step(kind: triage),
        Step(kind: severity),
        Step(kind: release_plan),
        Step(kind: no_friday),
        Step(kind: checklist, key: Some("sleep"), title: Some("Get some sleep")),
    ])"#;

    fn setup() -> (Project, Playbook) {
        let mut p = Project::new("T", PlaybookRef::Builtin("exim".into()));
        p.issues
            .push(Issue::new("T-1", "bug", t("2026-11-01T00:00:00Z")));
        (p, parse(BOOK, "test").expect("valid playbook"))
    }

    fn statuses(p: &Project, b: &Playbook) -> Vec<Status> {
        step_states(p, &p.issues[0], b, t("2026-11-23T00:00:00Z"))
            .into_iter()
            .map(|s| s.status)
            .collect()
    }

    #[test]
    fn fresh_issue_is_ready_then_blocked_down_the_line() {
        let (p, b) = setup();
        let s = statuses(&p, &b);
        assert_eq!(s[0], Status::Ready);
        assert_eq!(
            s[1],
            Status::Blocked("waiting for “Record the report”".into())
        );
        assert!(matches!(&s[3], Status::Blocked(r) if r.contains("Assign a severity")));
        assert_eq!(s[5], Status::Ready, "checklist steps wait for nothing");
    }

    #[test]
    fn marks_skips_reopens_and_acknowledgements() {
        let (mut p, b) = setup();
        let at = t("2026-11-02T00:00:00Z");
        let j = &mut p.issues[0].journal;
        j.push(JournalEntry::new(
            at,
            Some("intake_record"),
            Event::StepDone,
        ));
        let s = statuses(&p, &b);
        assert!(matches!(&s[0], Status::Warning(r) if r.starts_with("marked done, but")));
        assert!(
            matches!(s[1], Status::Blocked(_)),
            "a warning does not settle the step"
        );

        let j = &mut p.issues[0].journal;
        j.push(JournalEntry::new(
            at,
            Some("intake_record"),
            Event::StepSkipped {
                reason: "phone call".into(),
            },
        ));
        let s = statuses(&p, &b);
        assert_eq!(s[0], Status::Skipped("phone call".into()));
        assert_eq!(s[1], Status::Ready);

        let i = &mut p.issues[0];
        i.journal.push(JournalEntry::new(
            at,
            Some("intake_record"),
            Event::StepReopened,
        ));
        assert_eq!(statuses(&p, &b)[0], Status::Ready);

        // Plan a Friday release: the no_friday step warns until acknowledged.
        let i = &mut p.issues[0];
        i.journal.push(JournalEntry::new(
            at,
            Some("intake_record"),
            Event::StepSkipped { reason: "x".into() },
        ));
        i.verdict = Verdict::Security;
        i.affected.push(crate::core::model::AffectedRange {
            introduced: "1".into(),
            fixed: None,
        });
        i.severity = Some(Severity::High);
        p.releases.push(crate::core::model::Release {
            id: "r".into(),
            version: "1.0.1".into(),
            planned: Some(t("2026-12-11T14:00:00Z")),
            published: None,
            base_tag: None,
            issues: vec!["T-1".into()],
            artifacts: vec![],
            milestones: Default::default(),
            shares: Vec::new(),
        });
        let s = statuses(&p, &b);
        assert_eq!(&s[1..4], &[Status::Done, Status::Done, Status::Done]);
        assert!(matches!(&s[4], Status::Warning(r) if r.contains("Fri")));
        p.issues[0].journal.push(JournalEntry::new(
            at,
            Some("no_friday"),
            Event::CheckAcknowledged {
                check: "no_friday".into(),
            },
        ));
        assert_eq!(statuses(&p, &b)[4], Status::Done);
    }

    #[test]
    fn not_a_security_issue_ends_the_walk() {
        let (mut p, b) = setup();
        p.issues[0].verdict = Verdict::NotSecurity;
        let s = statuses(&p, &b);
        assert!(matches!(s[2], Status::NotApplicable(_)));
        assert!(matches!(s[5], Status::NotApplicable(_)));
        let states = step_states(&p, &p.issues[0], &b, t("2026-11-23T00:00:00Z"));
        assert_eq!(
            issue_progress(&states),
            (5, 6),
            "only the intake record is left"
        );
    }

    fn planned_issue(at: &str) -> Project {
        let mut p = Project::new("T", PlaybookRef::Builtin("exim".into()));
        let mut i = Issue::new("T-1", "bug", t("2026-11-01T00:00:00Z"));
        i.severity = Some(Severity::High);
        p.issues.push(i);
        p.releases.push(crate::core::model::Release {
            id: "r".into(),
            version: "1.0.1".into(),
            planned: Some(t(at)),
            published: None,
            base_tag: None,
            issues: vec!["T-1".into()],
            artifacts: vec![],
            milestones: Default::default(),
            shares: Vec::new(),
        });
        p
    }

    fn finding_of<'a>(states: &'a [StepState<'_>], kind: StepKind) -> Vec<&'a str> {
        states
            .iter()
            .filter(|s| s.step.kind == kind)
            .flat_map(|s| s.findings.iter().map(|f| f.check))
            .collect()
    }

    #[test]
    fn one_rule_evaluation_per_issue() {
        // A Friday: every schedule step has something to say.
        let p = planned_issue("2026-12-11T14:00:00Z");
        for name in ["exim", "openssl"] {
            let b = crate::core::playbook::builtin(name).expect("built in");
            let before = schedule::evaluations();
            let states = step_states(&p, &p.issues[0], &b, t("2026-11-23T00:00:00Z"));
            assert_eq!(schedule::evaluations() - before, 1, "{name}");
            // Exim's rule against a Friday holds a project of Exim's
            // playbook, not one of OpenSSL's.
            assert_eq!(
                states
                    .iter()
                    .any(|s| s.findings.iter().any(|f| f.check == "no_friday")),
                name == "exim",
                "{name}: the Friday is reported only by Exim's playbook"
            );
        }
        // No release planned: nothing to judge.
        let (p, b) = setup();
        let before = schedule::evaluations();
        let _ = step_states(&p, &p.issues[0], &b, t("2026-11-23T00:00:00Z"));
        assert_eq!(schedule::evaluations(), before);
    }

    #[test]
    fn a_rule_whose_step_the_playbook_lacks_is_reported_by_the_release_plan() {
        let p = planned_issue("2026-12-11T14:00:00Z");
        let now = t("2026-11-23T00:00:00Z");
        let exim = crate::core::playbook::builtin("exim").expect("built in");
        let states = step_states(&p, &p.issues[0], &exim, now);
        assert_eq!(finding_of(&states, StepKind::NoFriday), ["no_friday"]);
        assert!(finding_of(&states, StepKind::ReleasePlan).is_empty());
        // OpenSSL's playbook has no step of its own for the Friday rule,
        // which is Exim's: it does not hold an OpenSSL project at all.
        let openssl = crate::core::playbook::builtin("openssl").expect("built in");
        assert!(openssl.steps.iter().all(|s| s.kind != StepKind::NoFriday));
        let states = step_states(&p, &p.issues[0], &openssl, now);
        assert!(
            states
                .iter()
                .all(|s| s.findings.iter().all(|f| f.check != "no_friday")),
            "Exim's Friday rule on an OpenSSL project"
        );
        // Nor a step for the Openwall distros notice, a rule of the lists
        // that holds everyone: a notice 17 days before the release shows on
        // its release plan.
        assert!(
            openssl
                .steps
                .iter()
                .all(|s| s.kind != StepKind::AdvanceNotice)
        );
        let mut long = planned_issue("2026-12-10T14:00:00Z");
        long.releases[0].milestones.insert(
            crate::core::model::Milestone::DistrosNotice,
            t("2026-11-23T14:00:00Z"),
        );
        let states = step_states(&long, &long.issues[0], &openssl, now);
        assert!(finding_of(&states, StepKind::ReleasePlan).contains(&"distros_embargo"));
        // Nor has Exim's a CVE record step: a record planned four days late
        // shows on the release plan.
        let mut late = planned_issue("2026-12-08T14:00:00Z");
        late.releases[0].milestones.insert(
            crate::core::model::Milestone::CveRecord,
            t("2026-12-12T14:00:00Z"),
        );
        let states = step_states(&late, &late.issues[0], &exim, now);
        assert_eq!(finding_of(&states, StepKind::ReleasePlan), ["cve_record"]);
        let states = step_states(&late, &late.issues[0], &openssl, now);
        assert_eq!(finding_of(&states, StepKind::CveRecord), ["cve_record"]);
    }

    #[test]
    fn a_published_release_is_not_in_the_past_for_its_plan() {
        let mut p = planned_issue("2026-11-20T14:00:00Z");
        let b = crate::core::playbook::builtin("exim").expect("built in");
        let now = t("2026-11-23T00:00:00Z");
        let states = step_states(&p, &p.issues[0], &b, now);
        assert_eq!(finding_of(&states, StepKind::ReleasePlan), ["in_past"]);
        p.releases[0].published = Some(t("2026-11-20T14:05:00Z"));
        let states = step_states(&p, &p.issues[0], &b, now);
        assert!(finding_of(&states, StepKind::ReleasePlan).is_empty());
    }

    #[test]
    fn milestones_are_found_by_the_kind_of_their_step_whatever_its_key() {
        // The distros were told ten days before a release six days away:
        // the embargo counts from then, under a step key of the playbook's own.
        let book = parse(
            r#"Playbook(name: "t", steps: [
                Step(kind: release_plan),
                Step(kind: advance_notice, key: Some("tell_distros")),
            ])"#,
            "test",
        )
        .expect("valid playbook");
        let mut p = planned_issue("2026-11-29T14:00:00Z");
        let now = t("2026-11-23T00:00:00Z");
        let states = step_states(&p, &p.issues[0], &book, now);
        assert!(finding_of(&states, StepKind::AdvanceNotice).is_empty());
        p.issues[0].journal.push(JournalEntry::new(
            t("2026-11-13T00:00:00Z"),
            Some("tell_distros"),
            Event::StepDone,
        ));
        let states = step_states(&p, &p.issues[0], &book, now);
        assert_eq!(
            finding_of(&states, StepKind::AdvanceNotice),
            ["distros_embargo"]
        );
        let plan = issue_plan(&p, &book, &p.issues[0]);
        assert_eq!(
            plan.milestones
                .happened
                .get(&crate::core::model::Milestone::DistrosNotice),
            Some(&t("2026-11-13T00:00:00Z"))
        );
    }

    fn checks_of(states: &[StepState<'_>]) -> Vec<&'static str> {
        states
            .iter()
            .flat_map(|s| s.findings.iter().map(|f| f.check))
            .collect()
    }

    #[test]
    fn exims_rules_hold_only_a_project_of_exims_playbook() {
        // Friday 11 December, 18:00 UTC (08:00 in Honolulu), with the
        // distros notice moved to 12 hours before.
        let mut p = planned_issue("2026-12-11T18:00:00Z");
        p.releases[0].milestones.insert(
            crate::core::model::Milestone::DistrosNotice,
            t("2026-12-11T06:00:00Z"),
        );
        let now = t("2026-11-23T00:00:00Z");
        let exim = crate::core::playbook::builtin("exim").expect("built in");
        let openssl = crate::core::playbook::builtin("openssl").expect("built in");
        let exim_checks = checks_of(&step_states(&p, &p.issues[0], &exim, now));
        for rule in ["no_friday", "pacific_night", "packager_lead_time"] {
            assert!(exim_checks.contains(&rule), "{rule}: {exim_checks:?}");
        }
        let openssl_checks = checks_of(&step_states(&p, &p.issues[0], &openssl, now));
        for rule in ["no_friday", "pacific_night", "packager_lead_time"] {
            assert!(
                !openssl_checks.contains(&rule),
                "{rule}: {openssl_checks:?}"
            );
        }
        // The picker and `embargo when --project` judge by the same rules.
        let plan = issue_plan(&p, &openssl, &p.issues[0]);
        let judged = schedule::judge(now, t("2026-12-11T18:00:00Z"), &plan);
        assert!(
            judged.iter().all(|v| !v.rule.def().of_playbook()
                || openssl.steps.iter().any(|s| s.kind == v.rule.def().step)),
            "{judged:?}"
        );
        assert!(judged.iter().all(|v| v.rule != schedule::Rule::NoFriday));
        let plan = issue_plan(&p, &exim, &p.issues[0]);
        let judged = schedule::judge(now, t("2026-12-11T18:00:00Z"), &plan);
        assert!(judged.iter().any(|v| v.rule == schedule::Rule::NoFriday));
    }

    #[test]
    fn a_vendor_prenotice_whose_date_is_past_is_late() {
        // Release in ten days: the vendors' notice (14 days before) was due
        // four days ago and has not gone out. Sent now it would give ten
        // days, within the slack, but it is late all the same.
        let p = planned_issue("2026-12-03T14:00:00Z");
        let now = t("2026-11-23T12:00:00Z");
        let openssl = crate::core::playbook::builtin("openssl").expect("built in");
        let states = step_states(&p, &p.issues[0], &openssl, now);
        let vendors = states
            .iter()
            .find(|s| s.step.kind == StepKind::PrenotifyVendors)
            .expect("OpenSSL pre-notifies vendors");
        let f = vendors
            .findings
            .iter()
            .find(|f| f.check == "vendor_prenotice")
            .expect("the late notice is reported");
        assert!(
            f.reason.contains("was due 2026-11-19 14:00 UTC"),
            "{}",
            f.reason
        );
        // Sent on time, it passes.
        let mut sent = p.clone();
        sent.issues[0].journal.push(JournalEntry::new(
            t("2026-11-19T14:00:00Z"),
            Some("prenotify_vendors"),
            Event::StepDone,
        ));
        let states = step_states(&sent, &sent.issues[0], &openssl, now);
        assert!(!checks_of(&states).contains(&"vendor_prenotice"));
    }

    #[test]
    fn the_release_waits_for_the_notices_of_the_playbook() {
        let mut p = planned_issue("2026-11-27T14:00:00Z");
        p.issues[0].verdict = Verdict::Security;
        let book = parse(
            r#"Playbook(name: "t", steps: [
                Step(kind: release_plan),
                Step(kind: advance_notice),
                Step(kind: publish_release),
            ])"#,
            "test",
        )
        .expect("valid playbook");
        let now = t("2026-11-23T12:00:00Z");
        let release = |p: &Project| step_states(p, &p.issues[0], &book, now)[2].status.clone();
        assert_eq!(
            release(&p),
            Status::Blocked("waiting for “Advance notice to maintainers and distros”".into())
        );
        p.issues[0].journal.push(JournalEntry::new(
            now,
            Some("advance_notice"),
            Event::StepDone,
        ));
        assert_eq!(release(&p), Status::Ready);
        // A playbook without notice steps releases once it is planned.
        let bare = parse(
            r#"Playbook(name: "t", steps: [
                Step(kind: release_plan),
                Step(kind: publish_release),
            ])"#,
            "test",
        )
        .expect("valid playbook");
        let p = planned_issue("2026-11-27T14:00:00Z");
        assert_eq!(
            step_states(&p, &p.issues[0], &bare, now)[1].status,
            Status::Ready
        );
    }
}
