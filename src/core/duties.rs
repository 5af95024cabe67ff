//! The duties of disclosure day, as the Openwall distros list sets them for
//! whoever posts to it: once the release is public, the issue goes to
//! oss-security with its full details at once (not only a link); a proof of
//! concept or exploit shared with the list is posted publicly within 7 days;
//! a report that reached the list and turned out not to be a vulnerability
//! (or was withdrawn) is still made public on oss-security, within the
//! list's 14-day maximum.
//!
//! Beside them stand the reports the Cyber Resilience Act (Regulation (EU)
//! 2024/2847) asks of a manufacturer that ships in the EU, for an issue
//! that is actively exploited: an early warning within 24 hours of becoming
//! aware (Article 14(2)(a)), a vulnerability notification within 72 hours
//! (Article 14(2)(b)) and a final report no later than 14 days after a
//! corrective or mitigating measure is available (Article 14(2)(c)), each
//! to the CSIRT designated as coordinator and to ENISA. Article 14 applies
//! from 11 September 2026 (Article 71(2)).
//!
//! [`duties`] lists them for a project, each with when it falls due, when
//! it becomes overdue and whether it was done (from the journal, the notice
//! states and the issue's fields); the Due view, `embargo due`, `embargo
//! check`, the timeline and the .ics read them here.

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

/// How long after becoming aware of an actively exploited vulnerability
/// its early warning may wait: Regulation (EU) 2024/2847, Article 14(2)(a).
pub const CRA_EARLY_WARNING: TimeDelta = TimeDelta::hours(24);

/// How long after becoming aware the vulnerability notification may wait:
/// Article 14(2)(b).
pub const CRA_NOTIFICATION: TimeDelta = TimeDelta::hours(72);

/// How many days after a corrective or mitigating measure is available (the
/// fix release published) the final report may wait: Article 14(2)(c).
pub const CRA_FINAL_REPORT_DAYS: i64 = 14;

/// From when Article 14 applies (Article 71(2)): 11 September 2026. An
/// awareness before it owes no report under it.
pub fn cra_applies_from() -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(
        chrono::NaiveDate::from_ymd_opt(2026, 9, 11)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a valid date"),
        Utc,
    )
}

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
    /// Submit the Cyber Resilience Act's early warning (Article 14(2)(a)).
    CraEarlyWarning,
    /// Submit its vulnerability notification (Article 14(2)(b)).
    CraNotification,
    /// Submit its final report (Article 14(2)(c)).
    CraFinalReport,
}

impl DutyKind {
    /// Its identifier, as `embargo check` and the .ics name it.
    pub fn id(self) -> &'static str {
        match self {
            Self::OssSecurityPost => "oss_security_post",
            Self::PocPosting => "poc_posting",
            Self::NotAVulnerabilityPost => "not_a_vulnerability_post",
            Self::CraEarlyWarning => "cra_early_warning",
            Self::CraNotification => "cra_notification",
            Self::CraFinalReport => "cra_final_report",
        }
    }

    /// Whether it is one of the Cyber Resilience Act's reports.
    pub fn is_cra(self) -> bool {
        matches!(
            self,
            Self::CraEarlyWarning | Self::CraNotification | Self::CraFinalReport
        )
    }

    /// Where the duty comes from and why it falls when it does, for the
    /// hover text, the .ics and the README.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::OssSecurityPost | Self::PocPosting | Self::NotAVulnerabilityPost => {
                "A duty of disclosure day: the Openwall distros list's policy asks whoever \
                 posts to it to post the issue to oss-security once the embargo ends, with \
                 the full details, and any proof of concept shared with the list within 7 \
                 days."
            }
            Self::CraEarlyWarning => {
                "Cyber Resilience Act, Regulation (EU) 2024/2847, Article 14(2)(a): a \
                 manufacturer notifies an actively exploited vulnerability in its product, \
                 through the single reporting platform, to the CSIRT designated as \
                 coordinator and to ENISA, with an early warning without undue delay and \
                 in any event within 24 hours of becoming aware of it. Article 14 applies \
                 from 11 September 2026 (Article 71(2))."
            }
            Self::CraNotification => {
                "Cyber Resilience Act, Regulation (EU) 2024/2847, Article 14(2)(b): the \
                 vulnerability notification follows without undue delay and in any event \
                 within 72 hours of becoming aware: the product, the general nature of \
                 the exploit and of the vulnerability, the corrective or mitigating \
                 measures taken and those users can take. Article 14 applies from 11 \
                 September 2026 (Article 71(2))."
            }
            Self::CraFinalReport => {
                "Cyber Resilience Act, Regulation (EU) 2024/2847, Article 14(2)(c): the \
                 final report follows no later than 14 days after a corrective or \
                 mitigating measure is available (here: the fix release is published): \
                 the vulnerability with its severity and impact, what is known of any \
                 malicious actor exploiting it, and the security update or other \
                 measures made available. Article 14 applies from 11 September 2026 \
                 (Article 71(2))."
            }
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
            Self::CraEarlyWarning => {
                "CRA early warning to the CSIRT coordinator and ENISA, within 24 hours of \
                 becoming aware of the exploitation (Regulation (EU) 2024/2847, Art. 14(2)(a))"
            }
            Self::CraNotification => {
                "CRA vulnerability notification to the CSIRT coordinator and ENISA, within \
                 72 hours of becoming aware (Regulation (EU) 2024/2847, Art. 14(2)(b))"
            }
            Self::CraFinalReport => {
                "CRA final report to the CSIRT coordinator and ENISA, within 14 days of the \
                 fix being available (Regulation (EU) 2024/2847, Art. 14(2)(c))"
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
        .flat_map(|i| {
            let release = project.release_of(&i.id);
            let mut out = of_issue(i, release, None, false);
            out.extend(of_cra(project, i, release, None, false));
            out
        })
        .collect()
}

/// The duties of `issue` as planned: those of its release at the planned
/// instant while it is not published yet (what the calendar and the
/// timeline show ahead of the day).
pub fn planned(project: &Project, issue: &Issue) -> Vec<Duty> {
    let release = project.release_of(&issue.id);
    let mut out = of_issue(issue, release, None, true);
    out.extend(of_cra(project, issue, release, None, true));
    out
}

/// [`planned`] for `issue` in `release` planned at `at` instead of its
/// planned instant (the release picker's candidate), without the Cyber
/// Resilience Act's reports (see [`planned_at_in`]).
pub fn planned_at(issue: &Issue, release: Option<&Release>, at: DateTime<Utc>) -> Vec<Duty> {
    of_issue(issue, release, Some(at), true)
}

/// [`planned_at`] with the Cyber Resilience Act's reports `project` owes.
pub fn planned_at_in(
    project: &Project,
    issue: &Issue,
    release: Option<&Release>,
    at: DateTime<Utc>,
) -> Vec<Duty> {
    let mut out = of_issue(issue, release, Some(at), true);
    out.extend(of_cra(project, issue, release, Some(at), true));
    out
}

/// When the coordinator became aware that `issue` is actively exploited,
/// if it is: the instant recorded on the issue, else the journal's last
/// entry that set the flag, else (for an issue marked exploited before
/// either was kept) the report's receipt, the earliest it can have been.
pub fn exploited_since(issue: &Issue) -> Option<DateTime<Utc>> {
    if !issue.actively_exploited {
        return None;
    }
    let journaled = issue
        .journal
        .iter()
        .rev()
        .find(|e| {
            matches!(&e.event, Event::FieldChanged { field, value }
                if field == "actively exploited" && value == "true")
        })
        .map(|e| e.at);
    Some(
        issue
            .exploited_aware
            .or(journaled)
            .unwrap_or(issue.intake.received),
    )
}

/// The Cyber Resilience Act's reports of `issue`: none unless `project`
/// ships in the EU, the issue is actively exploited (and a vulnerability),
/// and the coordinator became aware on or after 11 September 2026. The
/// final report falls due once the fix is available (published, or as
/// planned when `as_planned`).
fn of_cra(
    project: &Project,
    issue: &Issue,
    release: Option<&Release>,
    at: Option<DateTime<Utc>>,
    as_planned: bool,
) -> Vec<Duty> {
    let mut out = Vec::new();
    if !project.publication.ships_in_eu || issue.verdict == Verdict::NotSecurity {
        return out;
    }
    let Some(aware) = exploited_since(issue).filter(|a| *a >= cra_applies_from()) else {
        return out;
    };
    let version = release.map(|r| r.version.clone());
    let duty = |kind, due, deadline, done| Duty {
        kind,
        issue: issue.id.clone(),
        release: version.clone(),
        due,
        deadline,
        done,
    };
    out.push(duty(
        DutyKind::CraEarlyWarning,
        aware,
        aware + CRA_EARLY_WARNING,
        issue.cra.early_warning,
    ));
    out.push(duty(
        DutyKind::CraNotification,
        aware,
        aware + CRA_NOTIFICATION,
        issue.cra.notification,
    ));
    let published = release.and_then(|r| r.published);
    let planned = at.or(release.and_then(|r| r.planned));
    if let Some(fixed) = published.or(planned.filter(|_| as_planned)) {
        out.push(duty(
            DutyKind::CraFinalReport,
            fixed,
            fixed + TimeDelta::days(CRA_FINAL_REPORT_DAYS),
            issue.cra.final_report,
        ));
    }
    out
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
                .description(&if d.kind.is_cra() {
                    format!(
                        "Report under the Cyber Resilience Act for {}. {} {}",
                        d.issue,
                        d.describe(),
                        d.kind.explanation()
                    )
                } else {
                    format!("Duty of disclosure day for {}. {}", d.issue, d.describe())
                })
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

    /// The example shipping in the EU, with POSTBOTE-2 exploited and its
    /// coordinator aware of it at `aware`.
    fn exploited(aware: &str) -> Project {
        let mut p = example().expect("the example parses");
        p.publication.ships_in_eu = true;
        let i = p.issue_mut("POSTBOTE-2").expect("present");
        i.actively_exploited = true;
        i.exploited_aware = Some(t(aware));
        p
    }

    fn cra_of(p: &Project, kind: DutyKind) -> Option<Duty> {
        duties(p)
            .into_iter()
            .find(|d| d.issue == "POSTBOTE-2" && d.kind == kind)
    }

    #[test]
    fn the_cra_early_warning_and_notification_count_from_awareness() {
        let p = exploited("2026-11-23T08:00:00Z");
        let early = cra_of(&p, DutyKind::CraEarlyWarning).expect("owed");
        assert_eq!(early.due, t("2026-11-23T08:00:00Z"));
        assert_eq!(early.deadline, t("2026-11-24T08:00:00Z"));
        assert_eq!(early.release.as_deref(), Some("4.12.3"));
        assert_eq!(early.level(t("2026-11-23T07:59:00Z")), None);
        assert_eq!(early.level(t("2026-11-24T08:00:00Z")), Some(Level::Warning));
        assert_eq!(early.level(t("2026-11-24T08:01:00Z")), Some(Level::Error));
        let note = cra_of(&p, DutyKind::CraNotification).expect("owed");
        assert_eq!(note.deadline, t("2026-11-26T08:00:00Z"));
        assert_eq!(note.level(t("2026-11-25T12:00:00Z")), Some(Level::Warning));
        assert_eq!(note.level(t("2026-11-26T08:01:00Z")), Some(Level::Error));
        // Not published yet: the final report is not owed yet, though the
        // calendar shows it 14 days after the planned release.
        assert_eq!(cra_of(&p, DutyKind::CraFinalReport), None);
        let i = p.issue("POSTBOTE-2").expect("present");
        let planned = planned(&p, i);
        let fin = planned
            .iter()
            .find(|d| d.kind == DutyKind::CraFinalReport)
            .expect("planned");
        assert_eq!(fin.deadline, t("2026-12-15T14:00:00Z"));
        for kind in [
            DutyKind::CraEarlyWarning,
            DutyKind::CraNotification,
            DutyKind::CraFinalReport,
        ] {
            assert!(kind.is_cra());
            assert!(
                kind.explanation()
                    .contains("Regulation (EU) 2024/2847, Article 14(2)")
            );
            assert!(
                kind.explanation()
                    .contains("11 September 2026 (Article 71(2))")
            );
        }
        assert!(DutyKind::CraEarlyWarning.explanation().contains("14(2)(a)"));
        assert!(DutyKind::CraNotification.explanation().contains("14(2)(b)"));
        assert!(DutyKind::CraFinalReport.explanation().contains("14(2)(c)"));
    }

    #[test]
    fn the_cra_final_report_counts_from_the_fix_release() {
        let mut p = exploited("2026-11-23T08:00:00Z");
        p.releases
            .iter_mut()
            .filter(|r| r.version == "4.12.3")
            .for_each(|r| r.published = Some(t("2026-12-01T14:05:00Z")));
        let fin = cra_of(&p, DutyKind::CraFinalReport).expect("owed once published");
        assert_eq!(fin.due, t("2026-12-01T14:05:00Z"));
        assert_eq!(fin.deadline, t("2026-12-15T14:05:00Z"));
        assert_eq!(fin.level(t("2026-12-10T00:00:00Z")), Some(Level::Warning));
        assert_eq!(fin.level(t("2026-12-15T14:06:00Z")), Some(Level::Error));
        // Submitted: settled, whatever the clock.
        let i = p.issue_mut("POSTBOTE-2").expect("present");
        i.cra.final_report = Some(t("2026-12-09T10:00:00Z"));
        i.cra.early_warning = Some(t("2026-11-23T15:00:00Z"));
        i.cra.notification = Some(t("2026-11-25T15:00:00Z"));
        assert!(
            open_duties(&p, t("2027-01-01T00:00:00Z"))
                .iter()
                .all(|d| !d.kind.is_cra()),
            "every report submitted"
        );
    }

    #[test]
    fn no_cra_duty_outside_the_eu_unexploited_or_before_article_14_applies() {
        let mut p = exploited("2026-11-23T08:00:00Z");
        p.publication.ships_in_eu = false;
        assert!(duties(&p).iter().all(|d| !d.kind.is_cra()), "not in the EU");
        let mut p = exploited("2026-11-23T08:00:00Z");
        p.issue_mut("POSTBOTE-2")
            .expect("present")
            .actively_exploited = false;
        assert!(duties(&p).iter().all(|d| !d.kind.is_cra()), "not exploited");
        // Aware before 11 September 2026: Article 14 did not apply yet.
        let p = exploited("2026-09-10T23:59:00Z");
        assert!(
            duties(&p).iter().all(|d| !d.kind.is_cra()),
            "before it applied"
        );
        let p = exploited("2026-09-11T00:00:00Z");
        assert!(
            cra_of(&p, DutyKind::CraEarlyWarning).is_some(),
            "from that day on"
        );
    }

    #[test]
    fn awareness_falls_back_to_the_journal_then_to_the_report() {
        let mut p = exploited("2026-11-23T08:00:00Z");
        let i = p.issue_mut("POSTBOTE-2").expect("present");
        i.exploited_aware = None;
        // No journal entry set the flag: the report's receipt, the earliest.
        assert_eq!(exploited_since(i), Some(t("2026-11-16T07:12:00Z")));
        i.journal.push(JournalEntry::new(
            t("2026-11-20T09:30:00Z"),
            Some("triage"),
            Event::FieldChanged {
                field: "actively exploited".into(),
                value: "true".into(),
            },
        ));
        assert_eq!(exploited_since(i), Some(t("2026-11-20T09:30:00Z")));
        let early = cra_of(&p, DutyKind::CraEarlyWarning).expect("owed");
        assert_eq!(early.deadline, t("2026-11-21T09:30:00Z"));
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
