//! What must happen soon, across every issue of a project: the notices to
//! send, the start of packaging (the fix availability mail), the release,
//! the oss-security post and what follows the release, each at its instant
//! on the release's timeline, grouped as overdue, today and this week (in
//! the project's home zone). One function, [`due`], for the app's Due
//! window and `embargo due`.

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::core::duties::{DutyKind, open_duties};
use crate::core::model::{Milestone, Project, StepKind, Verdict};
use crate::core::playbook::{Playbook, issue_plan, step_states};

/// When something is due, seen from now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    /// Its instant is past and it has not happened.
    Overdue,
    /// Later today, in the home zone.
    Today,
    /// In the six days after today.
    ThisWeek,
}

impl Horizon {
    /// A heading for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Overdue => "Overdue",
            Self::Today => "Today",
            Self::ThisWeek => "This week",
        }
    }
}

/// One thing to do at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueItem {
    /// Overdue, today or this week.
    pub horizon: Horizon,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// The same instant in the home zone, e.g. "Tue 01 Dec 15:00 CET".
    pub home: String,
    /// The milestone of the timeline.
    pub milestone: Milestone,
    /// What must happen, in words.
    pub what: String,
    /// The release's version.
    pub release: String,
    /// The issues of that release it is for.
    pub issues: Vec<String>,
    /// The key of the step that does it (in the first of those issues).
    pub step: String,
    /// The disclosure-day duty it is, when it is one ([`crate::core::duties`]):
    /// its instant is then the duty's deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duty: Option<DutyKind>,
}

/// What must happen for `milestone`, and the kind of step that does it.
fn task(milestone: Milestone) -> (&'static str, StepKind) {
    match milestone {
        Milestone::VendorNotice => (
            "Send the pre-notification to vendors and customers",
            StepKind::PrenotifyVendors,
        ),
        Milestone::PreAnnouncement => ("Send the public pre-announcement", StepKind::PreAnnounce),
        Milestone::MaintainersNotice => (
            "Send the advance notice to the maintainers",
            StepKind::AdvanceNotice,
        ),
        Milestone::DistrosNotice => (
            "Send the advance notice to the distros list",
            StepKind::AdvanceNotice,
        ),
        Milestone::FixAvailability => (
            "Packaging starts: send the fix availability mail with the embargoed files",
            StepKind::FixAvailability,
        ),
        Milestone::Release => ("Release", StepKind::PublishRelease),
        Milestone::OssSecurity => ("Post the issue to oss-security", StepKind::PublishRelease),
        Milestone::CveRecord => ("Publish the CVE record", StepKind::CveRecord),
        Milestone::PublicGit => ("Push the fix to public git", StepKind::PushPublic),
    }
}

/// An instant in the home zone and in UTC: "Tue 01 Dec 15:00 CET (14:00 UTC)".
pub fn home_and_utc(at: DateTime<Utc>, home: Tz) -> String {
    format!(
        "{} ({})",
        at.with_timezone(&home).format("%a %d %b %H:%M %Z"),
        at.format("%H:%M UTC")
    )
}

/// Everything that must happen by the end of the sixth day after today (in
/// `project`'s home zone), and whatever is overdue, in time order: each
/// milestone of each release's timeline whose step the playbook has and
/// has not settled for every issue of the release, once per release.
pub fn due(project: &Project, playbook: &Playbook, now: DateTime<Utc>) -> Vec<DueItem> {
    let home = project.time.home_zone;
    let midnight = |days: i64| {
        let date = now.with_timezone(&home).date_naive() + TimeDelta::days(days);
        home.from_local_datetime(&date.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(now + TimeDelta::days(days), |t| t.with_timezone(&Utc))
    };
    let (end_of_today, end_of_week) = (midnight(1), midnight(7));
    let mut items: Vec<DueItem> = Vec::new();
    for release in &project.releases {
        let Some(planned) = release.planned else {
            continue;
        };
        let issues: Vec<_> = release
            .issues
            .iter()
            .filter_map(|id| project.issue(id))
            .filter(|i| i.verdict != Verdict::NotSecurity)
            .collect();
        let Some(first) = issues.first() else {
            continue;
        };
        let plan = issue_plan(project, playbook, first);
        let states: Vec<_> = issues
            .iter()
            .map(|i| step_states(project, i, playbook, now))
            .collect();
        for m in plan.milestones.resolve(planned, plan.rules.process) {
            let (what, kind) = task(m.milestone);
            let Some(step) = playbook.steps.iter().find(|s| s.kind == kind) else {
                continue; // the playbook has no step that does it
            };
            let settled = match m.milestone {
                Milestone::Release | Milestone::OssSecurity => release.published.is_some(),
                _ => plan.milestones.happened.contains_key(&m.milestone),
            } || states.iter().all(|s| {
                s.iter()
                    .find(|st| st.step.kind == kind)
                    .is_none_or(|st| st.status.is_settled())
            });
            if settled {
                continue;
            }
            let horizon = if m.at < now {
                Horizon::Overdue
            } else if m.at < end_of_today {
                Horizon::Today
            } else if m.at < end_of_week {
                Horizon::ThisWeek
            } else {
                continue;
            };
            items.push(DueItem {
                horizon,
                at: m.at,
                home: m
                    .at
                    .with_timezone(&home)
                    .format("%a %d %b %H:%M %Z")
                    .to_string(),
                milestone: m.milestone,
                what: what.to_owned(),
                release: release.version.clone(),
                issues: issues.iter().map(|i| i.id.clone()).collect(),
                step: step.key().to_owned(),
                duty: None,
            });
        }
    }
    // The duties of disclosure day that are due and not done, at their
    // deadline: overdue once it is past, else today or this week (a duty
    // already due counts as this week even when its deadline is later).
    let publish_step = playbook
        .steps
        .iter()
        .find(|s| s.kind == StepKind::PublishRelease)
        .map_or_else(
            || StepKind::PublishRelease.id().to_owned(),
            |s| s.key().to_owned(),
        );
    // The Cyber Resilience Act's reports go to the first step whose form
    // holds the "actively exploited" field (and its reports' instants).
    let exploited_step = playbook
        .steps
        .iter()
        .find(|s| {
            crate::core::playbook::kind_def(s.kind)
                .fields
                .contains(&crate::core::playbook::Field::Exploited)
        })
        .map_or_else(|| publish_step.clone(), |s| s.key().to_owned());
    for d in open_duties(project, now) {
        let horizon = if d.deadline < now {
            Horizon::Overdue
        } else if d.deadline < end_of_today {
            Horizon::Today
        } else {
            Horizon::ThisWeek
        };
        items.push(DueItem {
            horizon,
            at: d.deadline,
            home: d
                .deadline
                .with_timezone(&home)
                .format("%a %d %b %H:%M %Z")
                .to_string(),
            milestone: if d.kind.is_cra() {
                Milestone::Release
            } else {
                Milestone::OssSecurity
            },
            what: d.kind.what().to_owned(),
            release: d.release.clone().unwrap_or_default(),
            issues: vec![d.issue.clone()],
            step: if d.kind.is_cra() {
                exploited_step.clone()
            } else {
                publish_step.clone()
            },
            duty: Some(d.kind),
        });
    }
    items.sort_by_key(|i| (i.horizon, i.at));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::store::example;
    use crate::core::playbook::builtin;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_examples_week_before_its_release() {
        let p = example().expect("the example parses");
        let b = builtin("exim").expect("built in");
        // Friday 27 November, noon: the release is on Tuesday 1 December.
        let items = due(&p, &b, t("2026-11-27T12:00:00Z"));
        let seen: Vec<(Horizon, Milestone, &str)> = items
            .iter()
            .map(|i| (i.horizon, i.milestone, i.release.as_str()))
            .collect();
        // The advance notices were due on 26 November: overdue. The
        // fix availability mail (packaging) and the release and its post
        // come within the week; the push to public git too.
        assert!(
            seen.contains(&(Horizon::Overdue, Milestone::DistrosNotice, "4.12.3")),
            "{seen:?}"
        );
        assert!(seen.contains(&(Horizon::ThisWeek, Milestone::FixAvailability, "4.12.3")));
        assert!(seen.contains(&(Horizon::ThisWeek, Milestone::Release, "4.12.3")));
        assert!(seen.contains(&(Horizon::ThisWeek, Milestone::OssSecurity, "4.12.3")));
        // Exim's playbook has no CVE record step. The released 4.12.2 owes
        // nothing of its timeline, only the oss-security post its journal
        // never recorded (a duty of disclosure day, long overdue).
        assert!(seen.iter().all(|(_, m, _)| *m != Milestone::CveRecord));
        let old: Vec<&DueItem> = items.iter().filter(|i| i.release == "4.12.2").collect();
        assert_eq!(old.len(), 1, "{seen:?}");
        assert_eq!(old[0].duty, Some(DutyKind::OssSecurityPost));
        assert_eq!(old[0].horizon, Horizon::Overdue);
        assert_eq!(old[0].issues, ["POSTBOTE-1"]);
        let release = items
            .iter()
            .find(|i| i.milestone == Milestone::Release)
            .expect("the release is due");
        assert_eq!(release.at, t("2026-12-01T14:00:00Z"));
        assert_eq!(release.issues, ["POSTBOTE-2"]);
        assert_eq!(release.step, "publish_release");
        // In time order within each group.
        assert!(
            items
                .windows(2)
                .all(|w| (w[0].horizon, w[0].at) <= (w[1].horizon, w[1].at))
        );
    }

    #[test]
    fn today_is_the_home_zones_day_and_done_steps_are_not_due() {
        let mut p = example().expect("the example parses");
        p.time.home_zone = chrono_tz::Europe::Berlin;
        let b = builtin("exim").expect("built in");
        // 23:30 UTC on 30 November is already 1 December in Berlin: the
        // release at 14:00 UTC is today there.
        let now = t("2026-11-30T23:30:00Z");
        let items = due(&p, &b, now);
        let release = items
            .iter()
            .find(|i| i.milestone == Milestone::Release)
            .expect("due");
        assert_eq!(release.horizon, Horizon::Today);
        assert_eq!(release.home, "Tue 01 Dec 15:00 CET");
        assert_eq!(
            home_and_utc(release.at, p.time.home_zone),
            "Tue 01 Dec 15:00 CET (14:00 UTC)"
        );
        // Published: the release and its post are no longer due.
        p.releases
            .iter_mut()
            .filter(|r| r.version == "4.12.3")
            .for_each(|r| r.published = Some(now));
        let items = due(&p, &b, now);
        assert!(
            items.iter().all(|i| i.duty.is_some()
                || !matches!(i.milestone, Milestone::Release | Milestone::OssSecurity)),
            "{items:?}"
        );
        // ... but the oss-security post with the full details is due at
        // once, until the disclosure day is over.
        let post = items
            .iter()
            .find(|i| i.release == "4.12.3" && i.duty == Some(DutyKind::OssSecurityPost))
            .expect("the post is a duty now");
        assert_eq!(post.at, now + TimeDelta::hours(24));
        assert_eq!(post.horizon, Horizon::ThisWeek);
    }
}
