//! The duties of disclosure day, as the Openwall distros list sets them for
//! whoever posts to it: once the release is public, the issue goes to
//! oss-security with its full details at once (not only a link); a proof of
//! concept or exploit shared with the list is posted publicly within 7 days;
//! a report that reached the list and turned out not to be a vulnerability
//! (or was withdrawn) is still made public on oss-security, within the
//! list's 14-day maximum. [`duties`] lists them for a project, each with
//! when it falls due, when it becomes overdue and whether it was done (from
//! the journal, the notice states and the issue's fields); the Due view,
//! `embargo due`, `embargo check`, the timeline and the .ics read them here.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::core::model::{Event, Issue, Project, Release, Verdict};
use crate::core::playbook::first_distros_mail;
use crate::core::schedule::Level;

/// How long after the publication the oss-security post may wait before it
/// is overdue: the disclosure day.
pub const OSS_POST_GRACE: TimeDelta = TimeDelta::hours(24);

/// How long after the disclosure a proof of concept shared with the
/// distros list may stay private.
pub const POC_DAYS: i64 = 7;

/// Which duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// Post the issue with its full details to oss-security.
    OssSecurityPost,
    /// Post the proof of concept shared with the distros list.
    PocPosting,
    /// Post a report that reached the distros list but is not a
    /// vulnerability (or was withdrawn) to oss-security all the same.
    NotAVulnerabilityPost,
}

impl DutyKind {
    /// Its identifier, as `embargo check` and the .ics name it.
    pub fn id(self) -> &'static str {
        match self {
            Self::OssSecurityPost => "oss_security_post",
            Self::PocPosting => "poc_posting",
            Self::NotAVulnerabilityPost => "not_a_vulnerability_post",
        }
    }

    /// What must be done, in words.
    pub fn what(self) -> &'static str {
        match self {
            Self::OssSecurityPost => {
                "Post the issue to oss-security with its full details (not only a link): \
                 the distros list requires it once the embargo ends"
            }
            Self::PocPosting => {
                "Post the proof of concept shared with the distros list publicly \
                 (oss-security), within 7 days of the disclosure"
            }
            Self::NotAVulnerabilityPost => {
                "The report went to the distros list and is not a vulnerability (or was \
                 withdrawn): post it to oss-security all the same"
            }
        }
    }
}

/// One duty of one issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// Which duty.
    pub kind: DutyKind,
    /// The issue it is for.
    pub issue: String,
    /// The version of its release, if it has one.
    pub release: Option<String>,
    /// From when it is due (a warning from then on).
    pub due: DateTime<Utc>,
    /// After when it is overdue (an error from then on).
    pub deadline: DateTime<Utc>,
    /// When it was done, if it was.
    pub done: Option<DateTime<Utc>>,
}

impl Duty {
    /// How `embargo check` judges it at `now`: none while not yet due or
    /// once done, a warning once due, an error once overdue.
    pub fn level(&self, now: DateTime<Utc>) -> Option<Level> {
        if self.done.is_some() || now < self.due {
            None
        } else if now <= self.deadline {
            Some(Level::Warning)
        } else {
            Some(Level::Error)
        }
    }

    /// One line for people: what, and by when.
    pub fn describe(&self) -> String {
        format!(
            "{}: due {}, overdue after {}",
            self.kind.what(),
            self.due.format("%Y-%m-%d %H:%M UTC"),
            self.deadline.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// Whether `address` is the oss-security list.
fn is_oss_security(address: &str) -> bool {
    address
        .to_ascii_lowercase()
        .split(|c: char| c == ',' || c == '<' || c == '>' || c.is_whitespace())
        .any(|a| a.starts_with("oss-security@"))
}

/// The first mail to oss-security at or after `from` recorded for `issue`
/// (journal or notice state).
fn oss_post_since(issue: &Issue, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let notices = issue
        .notices
        .iter()
        .filter(|n| is_oss_security(&n.recipient))
        .filter_map(|n| n.notified_at);
    let mails = issue.journal.iter().filter_map(|e| match &e.event {
        Event::MailSent { to, .. } if is_oss_security(to) => Some(e.at),
        _ => None,
    });
    notices.chain(mails).filter(|t| *t >= from).min()
}

/// Every disclosure-day duty of `project`'s issues, done or not, by issue
/// and kind (those of a release once it is published).
pub fn duties(project: &Project) -> Vec<Duty> {
    project
        .issues
        .iter()
        .flat_map(|i| of_issue(i, project.release_of(&i.id), None, false))
        .collect()
}

/// The duties of `issue` as planned: those of its release at the planned
/// instant while it is not published yet (what the calendar and the
/// timeline show ahead of the day).
pub fn planned(project: &Project, issue: &Issue) -> Vec<Duty> {
    of_issue(issue, project.release_of(&issue.id), None, true)
}

/// [`planned`] for `issue` in `release` planned at `at` instead of its
/// planned instant (the release picker's candidate).
pub fn planned_at(issue: &Issue, release: Option<&Release>, at: DateTime<Utc>) -> Vec<Duty> {
    of_issue(issue, release, Some(at), true)
}

fn of_issue(
    issue: &Issue,
    release: Option<&Release>,
    at: Option<DateTime<Utc>>,
    as_planned: bool,
) -> Vec<Duty> {
    let mut out = Vec::new();
    let version = release.map(|r| r.version.clone());
    if issue.verdict == Verdict::NotSecurity {
        if let Some(first) = first_distros_mail(issue) {
            out.push(Duty {
                kind: DutyKind::NotAVulnerabilityPost,
                issue: issue.id.clone(),
                release: version,
                due: first,
                deadline: first + TimeDelta::days(crate::core::schedule::rules::DISTROS_MAX_DAYS),
                done: oss_post_since(issue, first),
            });
        }
        return out;
    }
    let published = release.and_then(|r| r.published);
    let planned = at.or(release.and_then(|r| r.planned));
    let Some(public) = published.or(planned.filter(|_| as_planned)) else {
        return out;
    };
    // A post sent just before the publication was recorded counts.
    let from = planned.map_or(public, |p| p.min(public)) - TimeDelta::hours(1);
    out.push(Duty {
        kind: DutyKind::OssSecurityPost,
        issue: issue.id.clone(),
        release: version.clone(),
        due: public,
        deadline: public + OSS_POST_GRACE,
        done: published.and_then(|_| oss_post_since(issue, from)),
    });
    if issue.poc_shared_with_distros {
        out.push(Duty {
            kind: DutyKind::PocPosting,
            issue: issue.id.clone(),
            release: version,
            due: public,
            deadline: public + TimeDelta::days(POC_DAYS),
            done: issue.poc_posted,
        });
    }
    out
}

/// The duties as calendar events, each with an alarm when it falls due and
/// one at its deadline (for the .ics renderer, `render::ics`). UIDs stay
/// the same from one export to the next.
pub fn ics_events(project: &str, version: &str, duties: &[Duty]) -> Vec<icalendar::Event> {
    use icalendar::{Alarm, Component, EventLike};
    duties
        .iter()
        .filter(|d| d.done.is_none())
        .map(|d| {
            let uid = format!(
                "{}-{}-{}@embargo",
                crate::core::model::slug(project),
                d.issue.to_lowercase(),
                d.kind.id()
            );
            icalendar::Event::new()
                .uid(&uid)
                .summary(&format!("{project} {version}: {}", d.kind.what()))
                .description(&format!(
                    "Duty of disclosure day for {}. {}",
                    d.issue,
                    d.describe()
                ))
                .starts(d.due)
                .ends(d.due + TimeDelta::minutes(30))
                .alarm(Alarm::display(
                    &format!("Due now: {}", d.kind.what()),
                    TimeDelta::zero(),
                ))
                .alarm(Alarm::display(
                    &format!("Overdue from now: {}", d.kind.what()),
                    d.deadline,
                ))
                .done()
        })
        .collect()
}

/// The duties of `project` still open at `now` that are due, in deadline
/// order: what the Due view, `embargo due` and `embargo check` list.
pub fn open_duties(project: &Project, now: DateTime<Utc>) -> Vec<Duty> {
    let mut open: Vec<Duty> = duties(project)
        .into_iter()
        .filter(|d| d.level(now).is_some())
        .collect();
    open.sort_by_key(|d| (d.deadline, d.issue.clone(), d.kind));
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::store::example;
    use crate::core::model::JournalEntry;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_examples_released_issue_owes_its_oss_security_post() {
        let p = example().expect("the example parses");
        let all = duties(&p);
        let post = all
            .iter()
            .find(|d| d.issue == "POSTBOTE-1" && d.kind == DutyKind::OssSecurityPost)
            .expect("a duty");
        assert_eq!(post.due, t("2026-10-13T14:02:00Z"));
        assert_eq!(post.deadline, t("2026-10-14T14:02:00Z"));
        assert_eq!(
            post.done, None,
            "its journal records no mail to oss-security"
        );
        assert_eq!(post.level(t("2026-10-13T13:00:00Z")), None, "not yet due");
        assert_eq!(post.level(t("2026-10-13T15:00:00Z")), Some(Level::Warning));
        assert_eq!(post.level(t("2026-10-15T00:00:00Z")), Some(Level::Error));
        // The unreleased issue owes nothing yet.
        assert!(all.iter().all(|d| d.issue != "POSTBOTE-2"), "{all:?}");
    }

    #[test]
    fn a_mail_to_oss_security_after_the_release_settles_the_post() {
        let mut p = example().expect("the example parses");
        let i = p.issue_mut("POSTBOTE-1").expect("present");
        // One before the release (a pre-announcement) does not count.
        i.journal.push(JournalEntry::new(
            t("2026-10-06T10:00:00Z"),
            None,
            Event::MailSent {
                to: "oss-security@lists.openwall.com".into(),
                subject: "Postbote: release coming".into(),
            },
        ));
        let post = |p: &Project| {
            duties(p)
                .into_iter()
                .find(|d| d.issue == "POSTBOTE-1" && d.kind == DutyKind::OssSecurityPost)
                .expect("a duty")
        };
        assert_eq!(post(&p).done, None);
        let i = p.issue_mut("POSTBOTE-1").expect("present");
        i.journal.push(JournalEntry::new(
            t("2026-10-13T14:30:00Z"),
            Some("publish_release"),
            Event::MailSent {
                to: "Openwall oss-security <oss-security@lists.openwall.com>".into(),
                subject: "Postbote 4.12.2: CVE-2026-31122".into(),
            },
        ));
        assert_eq!(post(&p).done, Some(t("2026-10-13T14:30:00Z")));
        assert!(open_duties(&p, t("2026-11-27T12:00:00Z")).is_empty());
    }

    #[test]
    fn a_proof_of_concept_is_due_within_seven_days() {
        let mut p = example().expect("the example parses");
        p.issue_mut("POSTBOTE-1")
            .expect("present")
            .poc_shared_with_distros = true;
        let poc = duties(&p)
            .into_iter()
            .find(|d| d.kind == DutyKind::PocPosting)
            .expect("a duty");
        assert_eq!(poc.deadline, t("2026-10-20T14:02:00Z"));
        assert_eq!(poc.level(t("2026-10-19T00:00:00Z")), Some(Level::Warning));
        assert_eq!(poc.level(t("2026-10-21T00:00:00Z")), Some(Level::Error));
        p.issue_mut("POSTBOTE-1").expect("present").poc_posted = Some(t("2026-10-18T09:00:00Z"));
        assert!(
            duties(&p)
                .iter()
                .filter(|d| d.kind == DutyKind::PocPosting)
                .all(|d| d.level(t("2026-10-21T00:00:00Z")).is_none())
        );
    }

    #[test]
    fn a_report_to_the_list_that_is_no_vulnerability_is_still_posted() {
        let mut p = example().expect("the example parses");
        let i = p.issue_mut("POSTBOTE-3").expect("present");
        i.verdict = Verdict::NotSecurity;
        assert!(
            duties(&p).iter().all(|d| d.issue != "POSTBOTE-3"),
            "never told the list"
        );
        let i = p.issue_mut("POSTBOTE-3").expect("present");
        i.notice_mut("distros@vs.openwall.org").notified_at = Some(t("2026-11-24T10:00:00Z"));
        let d = duties(&p)
            .into_iter()
            .find(|d| d.issue == "POSTBOTE-3")
            .expect("a duty");
        assert_eq!(d.kind, DutyKind::NotAVulnerabilityPost);
        assert_eq!(d.due, t("2026-11-24T10:00:00Z"));
        assert_eq!(d.deadline, t("2026-12-08T10:00:00Z"));
        assert_eq!(d.level(t("2026-11-25T00:00:00Z")), Some(Level::Warning));
        assert_eq!(d.level(t("2026-12-09T00:00:00Z")), Some(Level::Error));
    }
}
