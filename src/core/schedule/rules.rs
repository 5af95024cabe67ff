//! The rules a release instant is checked against, each verdict with its
//! level, reason and source, and the search for the next instant that passes
//! them all. Pure functions: the present is an argument.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::timeline::{self, MilestoneAt, Process};
use super::{days_between, fmt_days, is_pacific_night, pacific_local};
use crate::core::model::{Anchor, Blackout, Issue, Milestone, Project, Severity};
use crate::core::playbook::{Playbook, StepKind};

/// How bad a verdict is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule is satisfied.
    Ok,
    /// Allowed, but against a preference.
    Warning,
    /// Breaks a rule.
    Error,
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Source {
    /// Exim's security release process.
    Exim,
    /// OpenSSL's security policy and process.
    #[serde(rename = "OpenSSL")]
    OpenSsl,
    /// The Openwall distros and oss-security lists.
    Openwall,
    /// The CVE program's publication rules.
    #[serde(rename = "CVE")]
    Cve,
    /// The reporter's own deadline.
    #[serde(rename = "reporter")]
    Reporter,
    /// The project's own settings.
    #[serde(rename = "project")]
    Project,
}

impl Source {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Exim => "Exim",
            Self::OpenSsl => "OpenSSL",
            Self::Openwall => "Openwall",
            Self::Cve => "CVE",
            Self::Reporter => "reporter",
            Self::Project => "project",
        }
    }
}

/// One rule's verdict on a release instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The rule's identifier.
    pub rule: &'static str,
    /// Ok, warning or error.
    pub level: Level,
    /// Why, in words the coordinator can act on.
    pub reason: String,
    /// Where the rule comes from.
    pub source: Source,
}

/// Every rule with what it asks for and why, as its tooltip explains it.
pub const RULES: [(&str, &str); 12] = [
    (
        "in_past",
        "The release instant must lie ahead: a moment already past cannot be planned.",
    ),
    (
        "no_friday",
        "No release on a Friday or a weekend in any key zone: the people who must patch \
         would meet it with the weekend ahead. Only an issue already exploited in the wild \
         justifies it.",
    ),
    (
        "pacific_night",
        "Release between 20:00 and 04:00 in Honolulu, the night over the Pacific, where the \
         fewest admins are awake: it is then morning to afternoon in Europe, afternoon to \
         evening in Japan, and the Americas have it by their morning.",
    ),
    (
        "blackout",
        "Dates the project has ruled out (holidays, conferences, other releases): no release \
         falls on them in any key zone.",
    ),
    (
        "packager_lead_time",
        "The OS packagers (the distros list) need time to build and test before the release: \
         at least a day after their notice, two or more preferred.",
    ),
    (
        "distros_embargo",
        "The Openwall distros list keeps an embargo for at most 14 days, and prefers under 7, \
         counted from the first notice to the public release.",
    ),
    (
        "vendor_prenotice",
        "OpenSSL tells its vendor list about two weeks before the release.",
    ),
    (
        "pre_announcement",
        "OpenSSL pre-announces the release, without details, about a week before it.",
    ),
    (
        "high_within_weeks",
        "A high or critical issue is released within the project's number of days from \
         the report.",
    ),
    (
        "reporter_deadline",
        "The release comes before the deadline the reporter set for public disclosure.",
    ),
    (
        "milestone_order",
        "Every notice before the release comes before it; every public part comes at or \
         after it, or it would disclose the issue early.",
    ),
    (
        "cve_record",
        "The CVE record goes public with the release or soon after: within 24 hours, 72 at \
         most, and never before it.",
    ),
];

/// What `rule` asks for and why (for its tooltip).
pub fn explain(rule: &str) -> &'static str {
    RULES
        .iter()
        .find(|(id, _)| *id == rule)
        .map_or("", |(_, why)| why)
}

fn v(rule: &'static str, level: Level, source: Source, reason: impl Into<String>) -> Verdict {
    debug_assert!(
        !explain(rule).is_empty(),
        "the rule {rule} has no explanation in RULES"
    );
    Verdict {
        rule,
        level,
        reason: reason.into(),
        source,
    }
}

/// The rule set of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The key zones: no Friday in any of them, blackouts in any of them.
    pub zones: Vec<Tz>,
    /// Local working hours.
    pub working_hours: (u32, u32),
    /// Days with no release.
    pub blackouts: Vec<Blackout>,
    /// High and Critical issues are released within this many days of the report.
    pub high_within_days: Option<u32>,
    /// Which milestones the process has.
    pub process: Process,
}

impl Rules {
    /// Rules for the given key zones, with no project settings.
    pub fn with_zones(zones: Vec<Tz>) -> Self {
        Self {
            zones,
            working_hours: (9, 18),
            blackouts: Vec::new(),
            high_within_days: None,
            process: Process::default(),
        }
    }

    /// The rules of a project following `playbook`.
    pub fn for_project(project: &Project, playbook: &Playbook) -> Self {
        let has = |k: StepKind| playbook.steps.iter().any(|s| s.kind == k);
        Self {
            zones: project.time.zones.clone(),
            working_hours: project.time.working_hours,
            blackouts: project.time.blackouts.clone(),
            high_within_days: playbook.rules.high_release_within_days,
            process: Process {
                openssl_prenotification: has(StepKind::PrenotifyVendors)
                    || has(StepKind::PreAnnounce),
            },
        }
    }
}

/// What the rules need to know of an issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueFacts {
    /// Its ID, for messages.
    pub id: String,
    /// Its severity.
    pub severity: Option<Severity>,
    /// When it was reported.
    pub reported: DateTime<Utc>,
    /// The reporter's deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// Actively exploited.
    pub exploited: bool,
}

impl IssueFacts {
    /// The facts of an issue.
    pub fn of(issue: &Issue) -> Self {
        Self {
            id: issue.id.clone(),
            severity: issue.severity,
            reported: issue.intake.received,
            deadline: issue.reporter.deadline,
            exploited: issue.actively_exploited,
        }
    }
}

/// Milestones of the plan: those moved by hand, and those that already
/// happened (their real instant wins over any plan).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Milestones {
    /// Moved by hand.
    pub moved: BTreeMap<Milestone, DateTime<Utc>>,
    /// Already happened.
    pub happened: BTreeMap<Milestone, DateTime<Utc>>,
}

impl Milestones {
    /// The resolved timeline for a release at `release`.
    pub fn resolve(&self, release: DateTime<Utc>, process: Process) -> Vec<MilestoneAt> {
        let mut moved = self.moved.clone();
        moved.extend(self.happened.iter().map(|(k, v)| (*k, *v)));
        timeline::milestones(release, &moved, process)
    }
}

fn local_dates(instant: DateTime<Utc>, zones: &[Tz]) -> Vec<(Tz, NaiveDate)> {
    let mut out: Vec<(Tz, NaiveDate)> = zones
        .iter()
        .map(|z| (*z, instant.with_timezone(z).date_naive()))
        .collect();
    if out.is_empty() {
        out.push((chrono_tz::UTC, instant.date_naive()));
    }
    out
}

/// Every rule's verdict on releasing at `release`.
pub fn evaluate(
    now: DateTime<Utc>,
    release: DateTime<Utc>,
    rules: &Rules,
    issues: &[IssueFacts],
    milestones: &Milestones,
) -> Vec<Verdict> {
    let mut out = Vec::new();
    let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();

    out.push(if release <= now {
        v(
            "in_past",
            Level::Error,
            Source::Project,
            format!("{} is in the past", fmt(release)),
        )
    } else {
        v(
            "in_past",
            Level::Ok,
            Source::Project,
            format!("{} from now", fmt_days(days_between(now, release))),
        )
    });

    // No Friday or weekend in any key zone, unless exploited.
    let bad_days: Vec<String> = super::friday_or_weekend_zones(release, &rules.zones)
        .iter()
        .map(|(z, d)| format!("{d} in {z}"))
        .collect();
    let exploited = issues.iter().find(|i| i.exploited);
    out.push(match (bad_days.is_empty(), exploited) {
        (true, _) => v(
            "no_friday",
            Level::Ok,
            Source::Exim,
            "a Monday to Thursday in every key zone",
        ),
        (false, Some(i)) => v(
            "no_friday",
            Level::Ok,
            Source::Exim,
            format!(
                "falls on {}, allowed because {} is actively exploited",
                bad_days.join(", "),
                i.id
            ),
        ),
        (false, None) => v(
            "no_friday",
            Level::Error,
            Source::Exim,
            format!(
                "falls on {}: no Friday or weekend disclosure unless exploited",
                bad_days.join(", ")
            ),
        ),
    });

    out.push(if is_pacific_night(release) {
        v(
            "pacific_night",
            Level::Ok,
            Source::Exim,
            format!("night over the Pacific ({})", pacific_local(release)),
        )
    } else {
        v(
            "pacific_night",
            Level::Warning,
            Source::Exim,
            format!(
                "{} in Honolulu: outside the 20:00–04:00 night over the Pacific",
                pacific_local(release)
            ),
        )
    });

    let mut blackout_hit = false;
    for b in &rules.blackouts {
        if let Some((z, d)) = local_dates(release, &rules.zones)
            .into_iter()
            .find(|(_, d)| *d >= b.from && *d <= b.to)
        {
            blackout_hit = true;
            out.push(v(
                "blackout",
                Level::Error,
                Source::Project,
                format!(
                    "{d} in {z} is in the blackout “{}” ({} to {})",
                    b.name, b.from, b.to
                ),
            ));
        }
    }
    if !blackout_hit && !rules.blackouts.is_empty() {
        out.push(v(
            "blackout",
            Level::Ok,
            Source::Project,
            "outside every blackout",
        ));
    }

    let plan = milestones.resolve(release, rules.process);
    // A planned notice that is already past and did not happen goes out now at the earliest.
    let effective =
        |m: Milestone| {
            milestones.happened.get(&m).copied().or_else(|| {
                timeline::at(&plan, m).map(|t| if release > now { t.max(now) } else { t })
            })
        };

    if let Some(notice) = effective(Milestone::DistrosNotice) {
        let lead = days_between(notice, release);
        out.push(if lead < 1.0 {
            v(
                "packager_lead_time",
                Level::Error,
                Source::Exim,
                format!(
                    "packagers get {}: at least one day is needed",
                    fmt_days(lead)
                ),
            )
        } else if lead < 2.0 {
            v(
                "packager_lead_time",
                Level::Warning,
                Source::Exim,
                format!("packagers get {}: two days are preferred", fmt_days(lead)),
            )
        } else {
            v(
                "packager_lead_time",
                Level::Ok,
                Source::Exim,
                format!("packagers get {}", fmt_days(lead)),
            )
        });
        out.push(if lead > 14.0 {
            v(
                "distros_embargo",
                Level::Error,
                Source::Openwall,
                format!(
                    "the distros embargo lasts {}: at most 14 days",
                    fmt_days(lead)
                ),
            )
        } else if lead > 7.0 {
            v(
                "distros_embargo",
                Level::Warning,
                Source::Openwall,
                format!(
                    "the distros embargo lasts {}: under 7 days is preferred",
                    fmt_days(lead)
                ),
            )
        } else {
            v(
                "distros_embargo",
                Level::Ok,
                Source::Openwall,
                format!("the distros embargo lasts {}", fmt_days(lead)),
            )
        });
    }

    if rules.process.openssl_prenotification {
        for (m, rule, days, slack) in [
            (Milestone::VendorNotice, "vendor_prenotice", 14.0, 4.0),
            (Milestone::PreAnnouncement, "pre_announcement", 7.0, 2.0),
        ] {
            if let Some(t) = effective(m) {
                let lead = days_between(t, release);
                let level = if (lead - days).abs() > slack {
                    Level::Warning
                } else {
                    Level::Ok
                };
                out.push(v(
                    rule,
                    level,
                    Source::OpenSsl,
                    format!(
                        "{} {} before the release (about {days} is the rule)",
                        m.label(),
                        fmt_days(lead)
                    ),
                ));
            }
        }
    }

    for i in issues {
        if let (Some(days), Some(s)) = (rules.high_within_days, i.severity)
            && s.is_high_or_critical()
        {
            let took = days_between(i.reported, release);
            out.push(if took > f64::from(days) {
                v(
                    "high_within_weeks",
                    Level::Error,
                    Source::OpenSsl,
                    format!(
                        "{} is {s}: released {} after the report, more than {days}",
                        i.id,
                        fmt_days(took)
                    ),
                )
            } else {
                v(
                    "high_within_weeks",
                    Level::Ok,
                    Source::OpenSsl,
                    format!("{} released {} after the report", i.id, fmt_days(took)),
                )
            });
        }
        if let Some(deadline) = i.deadline {
            out.push(if release > deadline {
                v(
                    "reporter_deadline",
                    Level::Error,
                    Source::Reporter,
                    format!(
                        "after the deadline of {}'s reporter ({})",
                        i.id,
                        fmt(deadline)
                    ),
                )
            } else {
                v(
                    "reporter_deadline",
                    Level::Ok,
                    Source::Reporter,
                    format!("before the deadline of {}'s reporter", i.id),
                )
            });
        }
    }

    out.extend(timeline_checks(&plan, release));
    out
}

/// Order checks on a resolved timeline: notices before the release, public
/// steps after it, the CVE record within a day (three at most).
pub fn timeline_checks(plan: &[MilestoneAt], release: DateTime<Utc>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for m in plan {
        let rule_source = match m.milestone {
            Milestone::VendorNotice | Milestone::PreAnnouncement => Source::OpenSsl,
            Milestone::OssSecurity | Milestone::DistrosNotice => Source::Openwall,
            _ => Source::Exim,
        };
        let before = matches!(
            m.milestone,
            Milestone::VendorNotice
                | Milestone::PreAnnouncement
                | Milestone::MaintainersNotice
                | Milestone::DistrosNotice
                | Milestone::FixAvailability
        );
        if before && m.at >= release {
            out.push(v(
                "milestone_order",
                Level::Error,
                rule_source,
                format!("{} must come before the release", m.milestone.label()),
            ));
        }
        if matches!(m.milestone, Milestone::OssSecurity | Milestone::PublicGit) && m.at < release {
            out.push(v(
                "milestone_order",
                Level::Error,
                rule_source,
                format!(
                    "{} before the release would disclose the issue",
                    m.milestone.label()
                ),
            ));
        }
        if m.milestone == Milestone::CveRecord {
            let after = m.at - release;
            out.push(if after < TimeDelta::zero() {
                v(
                    "cve_record",
                    Level::Error,
                    Source::Cve,
                    "the CVE record must not be published before the release",
                )
            } else if after <= TimeDelta::hours(24) {
                v(
                    "cve_record",
                    Level::Ok,
                    Source::Cve,
                    "CVE record within 24 hours of the release",
                )
            } else if after <= TimeDelta::hours(72) {
                v(
                    "cve_record",
                    Level::Warning,
                    Source::Cve,
                    "CVE record later than 24 hours after the release (72 at most)",
                )
            } else {
                v(
                    "cve_record",
                    Level::Error,
                    Source::Cve,
                    "CVE record more than 72 hours after the release",
                )
            });
        }
    }
    out
}

/// The worst level among verdicts.
pub fn worst(verdicts: &[Verdict]) -> Level {
    verdicts.iter().map(|v| v.level).max().unwrap_or(Level::Ok)
}

/// The instant `anchor` names on `date` (the earlier one when a DST change
/// makes it ambiguous, the hour after when it skips it).
pub fn anchor_on(anchor: Anchor, date: NaiveDate) -> Option<DateTime<Utc>> {
    let t = date.and_hms_opt(anchor.hour, anchor.minute, 0)?;
    anchor
        .zone
        .from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            anchor
                .zone
                .from_local_datetime(&(t + TimeDelta::hours(1)))
                .earliest()
        })
        .map(|l| l.with_timezone(&Utc))
}

/// How far ahead `suggest` looks.
pub const SUGGEST_DAYS: i64 = 400;

/// The first instant after `now` (and after `after`, if given) at the anchor
/// time that passes every rule with no warning. Milestones are derived from
/// the suggested release, except those that already happened.
pub fn suggest(
    now: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
    anchor: Anchor,
    rules: &Rules,
    issues: &[IssueFacts],
    happened: &BTreeMap<Milestone, DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let floor = after.map_or(now, |a| a.max(now));
    let start = floor.with_timezone(&anchor.zone).date_naive();
    let milestones = Milestones {
        moved: BTreeMap::new(),
        happened: happened.clone(),
    };
    (0..SUGGEST_DAYS)
        .filter_map(|d| anchor_on(anchor, start + TimeDelta::days(d)))
        .filter(|t| *t > floor)
        .find(|t| worst(&evaluate(now, *t, rules, issues, &milestones)) == Level::Ok)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_is_explained_once() {
        // Each rule ID written in a verdict here has its explanation.
        let all = include_str!("rules.rs");
        let source = &all[..all.find("#[cfg(test)]").expect("this test module")];
        let mut named = 0;
        for piece in source.split("v(").skip(1) {
            let rest = piece.trim_start();
            if let Some(lit) = rest.strip_prefix('"') {
                let id = &lit[..lit.find('"').expect("closed")];
                assert!(!explain(id).is_empty(), "{id} has no explanation");
                named += 1;
            }
        }
        assert!(named >= 20, "the scan found the verdicts ({named})");
        let mut ids: Vec<&str> = RULES.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "an ID listed twice");
        assert!(RULES.iter().all(|(_, why)| why.ends_with('.')));
        assert_eq!(explain("no_such_rule"), "");
    }

    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn now() -> DateTime<Utc> {
        t("2026-11-23T12:00:00Z")
    }

    fn keys() -> Vec<Tz> {
        crate::core::model::TimeSettings::default_zones()
    }

    fn level_of(vs: &[Verdict], rule: &str) -> Vec<Level> {
        vs.iter()
            .filter(|v| v.rule == rule)
            .map(|v| v.level)
            .collect()
    }

    fn eval(release: &str, rules: &Rules, issues: &[IssueFacts], m: &Milestones) -> Vec<Verdict> {
        evaluate(now(), t(release), rules, issues, m)
    }

    fn issue(severity: Option<Severity>) -> IssueFacts {
        IssueFacts {
            id: "X-1".into(),
            severity,
            reported: t("2026-11-10T00:00:00Z"),
            deadline: None,
            exploited: false,
        }
    }

    #[test]
    fn rule_table() {
        let base = Rules::with_zones(keys());
        let none = Milestones::default();
        // (release, rule, expected levels)
        let table: &[(&str, &str, &[Level])] = &[
            ("2026-11-22T14:00:00Z", "in_past", &[Level::Error]),
            ("2026-12-08T14:00:00Z", "in_past", &[Level::Ok]),
            ("2026-12-08T14:00:00Z", "no_friday", &[Level::Ok]), // Tuesday
            ("2026-12-11T14:00:00Z", "no_friday", &[Level::Error]), // Friday
            ("2026-12-10T16:00:00Z", "no_friday", &[Level::Error]), // Friday 01:00 in Tokyo
            ("2026-12-07T09:00:00Z", "no_friday", &[Level::Error]), // Sunday 23:00 in Honolulu
            ("2026-12-08T14:00:00Z", "pacific_night", &[Level::Ok]),
            ("2026-12-08T16:00:00Z", "pacific_night", &[Level::Warning]),
            ("2026-12-08T14:00:00Z", "packager_lead_time", &[Level::Ok]), // derived notice 5 days before
            (
                "2026-11-24T06:00:00Z",
                "packager_lead_time",
                &[Level::Error],
            ), // notice now at best: 18 h
            (
                "2026-11-25T00:00:00Z",
                "packager_lead_time",
                &[Level::Warning],
            ), // 36 h
            ("2026-12-08T14:00:00Z", "distros_embargo", &[Level::Ok]),
            ("2026-12-08T14:00:00Z", "cve_record", &[Level::Ok]),
        ];
        for (release, rule, want) in table {
            let got = level_of(&eval(release, &base, &[], &none), rule);
            assert_eq!(&got, want, "{rule} at {release}");
        }
    }

    #[test]
    fn exploitation_allows_a_friday() {
        let mut i = issue(Some(Severity::Critical));
        i.exploited = true;
        let vs = eval(
            "2026-12-11T14:00:00Z",
            &Rules::with_zones(keys()),
            &[i],
            &Milestones::default(),
        );
        assert_eq!(level_of(&vs, "no_friday"), [Level::Ok]);
        assert!(vs.iter().any(|v| v.reason.contains("actively exploited")));
    }

    #[test]
    fn distros_embargo_counts_from_the_first_post() {
        let rules = Rules::with_zones(keys());
        let mut m = Milestones::default();
        m.happened
            .insert(Milestone::DistrosNotice, t("2026-11-20T14:00:00Z"));
        let at = |r: &str, m: &Milestones| level_of(&eval(r, &rules, &[], m), "distros_embargo");
        assert_eq!(at("2026-11-26T14:00:00Z", &m), [Level::Ok]); // 6 days
        assert_eq!(at("2026-12-01T14:00:00Z", &m), [Level::Warning]); // 11 days
        assert_eq!(at("2026-12-07T14:00:00Z", &m), [Level::Error]); // 17 days
        m.happened.clear();
        m.moved
            .insert(Milestone::DistrosNotice, t("2026-11-24T14:00:00Z"));
        assert_eq!(at("2026-12-10T14:00:00Z", &m), [Level::Error]); // 16 days
    }

    #[test]
    fn openssl_prenotification_and_four_weeks() {
        let mut rules = Rules::with_zones(keys());
        rules.process.openssl_prenotification = true;
        rules.high_within_days = Some(28);
        let high = issue(Some(Severity::High)); // reported 2026-11-10
        let vs = eval(
            "2026-12-07T14:00:00Z",
            &rules,
            std::slice::from_ref(&high),
            &Milestones::default(),
        );
        assert_eq!(level_of(&vs, "vendor_prenotice"), [Level::Ok]);
        assert_eq!(level_of(&vs, "pre_announcement"), [Level::Ok]);
        assert_eq!(level_of(&vs, "high_within_weeks"), [Level::Ok]);
        let vs = eval(
            "2026-12-08T14:00:00Z",
            &rules,
            std::slice::from_ref(&high),
            &Milestones::default(),
        );
        assert_eq!(
            level_of(&vs, "high_within_weeks"),
            [Level::Error],
            "28.6 days after the report"
        );
        // Release in 5 days: the vendors' two weeks cannot be had any more.
        let vs = eval(
            "2026-11-30T14:00:00Z",
            &rules,
            &[issue(Some(Severity::Moderate))],
            &Milestones::default(),
        );
        assert_eq!(level_of(&vs, "vendor_prenotice"), [Level::Warning]);
        assert!(
            level_of(&vs, "high_within_weeks").is_empty(),
            "Moderate has no four-week rule"
        );
    }

    #[test]
    fn reporter_deadline_and_blackouts() {
        let mut rules = Rules::with_zones(keys());
        rules.blackouts.push(Blackout {
            name: "Holidays".into(),
            from: NaiveDate::from_ymd_opt(2026, 12, 23).expect("valid"),
            to: NaiveDate::from_ymd_opt(2027, 1, 3).expect("valid"),
        });
        let mut i = issue(None);
        i.deadline = Some(t("2026-12-15T00:00:00Z"));
        let at = |r: &str, rule: &str| {
            level_of(
                &eval(r, &rules, std::slice::from_ref(&i), &Milestones::default()),
                rule,
            )
        };
        assert_eq!(at("2026-12-08T14:00:00Z", "reporter_deadline"), [Level::Ok]);
        assert_eq!(
            at("2026-12-16T14:00:00Z", "reporter_deadline"),
            [Level::Error]
        );
        assert_eq!(at("2026-12-08T14:00:00Z", "blackout"), [Level::Ok]);
        assert_eq!(at("2026-12-29T14:00:00Z", "blackout"), [Level::Error]);
        // 22 December 23:00 UTC is already 23 December in Tokyo.
        assert_eq!(at("2026-12-22T23:00:00Z", "blackout"), [Level::Error]);
    }

    #[test]
    fn timeline_order_and_cve_record() {
        let rules = Rules::with_zones(keys());
        let mut m = Milestones::default();
        m.moved
            .insert(Milestone::PublicGit, t("2026-12-08T13:00:00Z"));
        m.moved
            .insert(Milestone::CveRecord, t("2026-12-10T14:00:00Z"));
        m.moved
            .insert(Milestone::FixAvailability, t("2026-12-08T15:00:00Z"));
        let vs = eval("2026-12-08T14:00:00Z", &rules, &[], &m);
        assert_eq!(
            level_of(&vs, "milestone_order"),
            [Level::Error, Level::Error]
        );
        assert_eq!(level_of(&vs, "cve_record"), [Level::Warning]);
        m.moved
            .insert(Milestone::CveRecord, t("2026-12-12T14:00:00Z"));
        assert_eq!(
            level_of(&eval("2026-12-08T14:00:00Z", &rules, &[], &m), "cve_record"),
            [Level::Error]
        );
    }

    #[test]
    fn anchors_across_dst() {
        let berlin = Anchor {
            zone: chrono_tz::Europe::Berlin,
            hour: 15,
            minute: 0,
        };
        let winter = anchor_on(berlin, NaiveDate::from_ymd_opt(2026, 12, 8).expect("valid"));
        assert_eq!(winter, Some(t("2026-12-08T14:00:00Z")));
        let summer = anchor_on(berlin, NaiveDate::from_ymd_opt(2026, 7, 7).expect("valid"));
        assert_eq!(summer, Some(t("2026-07-07T13:00:00Z")));
        // 02:30 does not exist in Berlin on 29 March 2026: take the hour after.
        let gap = Anchor {
            zone: chrono_tz::Europe::Berlin,
            hour: 2,
            minute: 30,
        };
        assert_eq!(
            anchor_on(gap, NaiveDate::from_ymd_opt(2026, 3, 29).expect("valid")),
            Some(t("2026-03-29T01:30:00Z"))
        );
    }

    #[test]
    fn suggest_skips_fridays_weekends_and_blackouts() {
        let mut rules = Rules::with_zones(keys());
        // Thursday 2026-12-10 is blacked out; the next day is a Friday.
        rules.blackouts.push(Blackout {
            name: "Conference".into(),
            from: NaiveDate::from_ymd_opt(2026, 12, 10).expect("valid"),
            to: NaiveDate::from_ymd_opt(2026, 12, 10).expect("valid"),
        });
        let after = Some(t("2026-12-09T15:00:00Z"));
        let s = suggest(
            now(),
            after,
            Anchor::default(),
            &rules,
            &[],
            &BTreeMap::new(),
        );
        assert_eq!(
            s,
            Some(t("2026-12-14T14:00:00Z")),
            "Monday after the blackout and the weekend"
        );
    }

    fn zones_strategy() -> impl Strategy<Value = Vec<Tz>> {
        proptest::sample::subsequence(keys(), 1..=8)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_suggested_instant_never_fails_a_rule(
            now_s in 1_700_000_000i64..1_900_000_000,
            after_days in proptest::option::of(0i64..60),
            zones in zones_strategy(),
            reported_days_ago in 0i64..40,
            severity in proptest::option::of(proptest::sample::select(Severity::ALL.to_vec())),
            deadline_days in proptest::option::of(1i64..60),
            exploited in any::<bool>(),
            openssl in any::<bool>(),
            anchor_hour in prop_oneof![Just(13u32), Just(14), Just(16)],
            anchor_zone in proptest::sample::select(vec![chrono_tz::UTC, chrono_tz::Europe::London, chrono_tz::America::New_York]),
            blackout in proptest::option::of((0i64..30, 0i64..5)),
        ) {
            let now = Utc.timestamp_opt(now_s, 0).single().expect("in range");
            let mut rules = Rules::with_zones(zones);
            rules.process.openssl_prenotification = openssl;
            rules.high_within_days = openssl.then_some(28);
            if let Some((start, len)) = blackout {
                let from = (now + TimeDelta::days(start)).date_naive();
                rules.blackouts.push(Blackout { name: "b".into(), from, to: from + TimeDelta::days(len) });
            }
            let issue = IssueFacts {
                id: "P-1".into(),
                severity,
                reported: now - TimeDelta::days(reported_days_ago),
                deadline: deadline_days.map(|d| now + TimeDelta::days(d)),
                exploited,
            };
            let after = after_days.map(|d| now + TimeDelta::days(d));
            let anchor = Anchor { zone: anchor_zone, hour: anchor_hour, minute: 0 };
            let issues = [issue];
            if let Some(s) = suggest(now, after, anchor, &rules, &issues, &BTreeMap::new()) {
                prop_assert!(s > now);
                prop_assert!(after.is_none_or(|a| s > a));
                let verdicts = evaluate(now, s, &rules, &issues, &Milestones::default());
                let failing: Vec<&Verdict> = verdicts.iter().filter(|v| v.level != Level::Ok).collect();
                prop_assert!(failing.is_empty(), "{s}: {failing:?}");
            }
        }
    }
}
