//! An issue's release plan as the release-time rules see it
//! ([`schedule::IssuePlan`]), built from the project and the playbook: the
//! rules the playbook follows, the facts of every issue in the release, the
//! milestones moved by hand and those whose step is done. Steps are found by
//! kind, never by key, so a playbook that gives a step a key of its own still
//! marks its milestone.

use std::collections::BTreeMap;

use super::{Playbook, StepKind, done_at};
use crate::core::model::{Issue, Project};
use crate::core::schedule::{self, IssueFacts, IssuePlan, Milestones, Process, Rules};

/// The rules of a project following `playbook`.
pub fn project_rules(project: &Project, playbook: &Playbook) -> Rules {
    let has = |k: StepKind| playbook.steps.iter().any(|s| s.kind == k);
    Rules {
        zones: project.time.zones.clone(),
        working_hours: project.time.working_hours,
        blackouts: project.time.blackouts.clone(),
        high_within_days: playbook.rules.high_release_within_days,
        process: Process {
            openssl_prenotification: has(StepKind::PrenotifyVendors) || has(StepKind::PreAnnounce),
        },
    }
}

/// When `issue`'s step of `kind` was (last) marked done, under the key each
/// step of that kind has in `playbook` (the earliest, when several steps
/// are of that kind); under the kind's own identifier when the playbook has
/// no step of that kind (a journal kept under another playbook).
pub fn kind_done_at(
    issue: &Issue,
    playbook: &Playbook,
    kind: StepKind,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let mut keys: Vec<&str> = playbook
        .steps
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.key())
        .collect();
    if keys.is_empty() {
        keys.push(kind.id());
    }
    keys.into_iter().filter_map(|key| done_at(issue, key)).min()
}

/// Whether `address` is one of the Openwall distros lists
/// (`distros@vs.openwall.org` or `linux-distros@vs.openwall.org`).
pub fn is_distros_list(address: &str) -> bool {
    let a = address.trim().to_ascii_lowercase();
    let a = a
        .rsplit_once('<')
        .map_or(a.as_str(), |(_, r)| r.trim_end_matches('>'));
    a == "distros@vs.openwall.org" || a == "linux-distros@vs.openwall.org"
}

/// When the first mail actually went to an Openwall distros list for
/// `issue`: the earliest of its notice states to the list and of the mails
/// its journal records as sent there. None when none went out.
pub fn first_distros_mail(issue: &Issue) -> Option<chrono::DateTime<chrono::Utc>> {
    let notices = issue
        .notices
        .iter()
        .filter(|n| is_distros_list(&n.recipient))
        .filter_map(|n| n.notified_at);
    let mails = issue.journal.iter().filter_map(|e| match &e.event {
        crate::core::model::Event::MailSent { to, .. } => {
            to.split(',').any(is_distros_list).then_some(e.at)
        }
        _ => None,
    });
    notices.chain(mails).min()
}

/// The plan of `issue` (as edited; it may differ from the stored one) in
/// `project`: rules, the facts of every issue in its release, milestones.
pub fn issue_plan(project: &Project, playbook: &Playbook, issue: &Issue) -> IssuePlan {
    let release = project.release_of(&issue.id);
    let mut issues = vec![IssueFacts::of(issue)];
    let mut happened = BTreeMap::new();
    let others = release.map(|r| r.issues.as_slice()).unwrap_or_default();
    let all = std::iter::once(issue).chain(
        others
            .iter()
            .filter(|id| **id != issue.id)
            .filter_map(|id| project.issue(id)),
    );
    for (n, i) in all.enumerate() {
        if n > 0 {
            issues.push(IssueFacts::of(i));
        }
        for (m, kind) in schedule::MILESTONE_STEPS {
            if let Some(at) = kind_done_at(i, playbook, kind) {
                let e = happened.entry(m).or_insert(at);
                *e = (*e).min(at);
            }
        }
        // The distros embargo counts from the first mail actually sent to
        // the list, even when its step was marked done later (or not yet).
        if let Some(at) = first_distros_mail(i) {
            let e = happened
                .entry(crate::core::model::Milestone::DistrosNotice)
                .or_insert(at);
            *e = (*e).min(at);
        }
    }
    let mut steps: Vec<StepKind> = playbook.steps.iter().map(|s| s.kind).collect();
    steps.sort_unstable();
    steps.dedup();
    IssuePlan {
        rules: project_rules(project, playbook),
        issues,
        milestones: Milestones {
            moved: release.map(|r| r.milestones.clone()).unwrap_or_default(),
            happened,
        },
        release: release.and_then(|r| r.planned),
        published: release.and_then(|r| r.published),
        anchor: project.time.anchor,
        steps,
    }
}
