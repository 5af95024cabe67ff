//! The release-time rules as a definition table, like the step kinds: each
//! rule has a typed id ([`Rule`]), what it asks for and why, where it comes
//! from, its check function, and the kind of step that reports it in the
//! wizard and in `embargo check`. [`evaluate`] judges a release instant by
//! every rule (as `embargo when` and the picker show it); [`suggest`] finds
//! the next instant that passes them all. Pure functions: the present is an
//! argument.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::timeline::{self, MilestoneAt, Process};
use super::{days_between, fmt_days, is_pacific_night, pacific_local};
use crate::core::model::{Anchor, Blackout, Issue, Milestone, Severity, StepKind};

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

/// Where a rule's clock starts: the instant it counts from. Every rule
/// names one in its definition ([`RuleDef::clock`]); its explanation, the
/// verdicts of `embargo when` and the findings of `embargo check` say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// No clock: the rule looks at the release instant itself.
    ReleaseInstant,
    /// The present: the instant must lie ahead of now.
    Now,
    /// The first mail actually sent to the distros list (journal or notice
    /// state); until one went out, the planned notice.
    FirstDistrosMail,
    /// Counted back from the planned release instant.
    PlannedRelease,
    /// The report: when the issue was received.
    Report,
}

impl ClockStart {
    /// The sentence that ends a rule's explanation.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::ReleaseInstant => {
                "Its clock is the release instant itself: as planned, or as published once it is."
            }
            Self::Now => "Its clock is the present: the instant is judged against now.",
            Self::FirstDistrosMail => {
                "Its clock starts at the first mail actually sent to the distros list (from the \
                 journal and the notice state), or at the planned notice until one went out."
            }
            Self::PlannedRelease => "Its clock counts back from the planned release instant.",
            Self::Report => "Its clock starts at the report (when the issue was received).",
        }
    }

    /// A short label for `embargo when` and `embargo check`.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReleaseInstant => "the release instant",
            Self::Now => "now",
            Self::FirstDistrosMail => "the first mail to the distros list",
            Self::PlannedRelease => "the planned release",
            Self::Report => "the report",
        }
    }
}

/// Every release-time rule. The identifiers (snake_case) are what `embargo
/// when --json`, `embargo check` and an acknowledgement in the journal say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each rule is documented by its entry in `RULES`
pub enum Rule {
    InPast,
    NoFriday,
    PacificNight,
    Blackout,
    PackagerLeadTime,
    DistrosEmbargo,
    VendorPrenotice,
    PreAnnouncement,
    HighWithinWeeks,
    ReporterDeadline,
    MilestoneOrder,
    CveRecord,
}

impl Rule {
    /// Every rule, in the order of [`RULES`] (the order verdicts come in).
    pub const ALL: [Rule; 12] = {
        let mut all = [Rule::InPast; 12];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].rule;
            i += 1;
        }
        all
    };

    /// The rule's place in [`RULES`]. Exhaustive: a new rule does not
    /// compile until it has its place, and a compile-time check below makes
    /// sure the entry there is its own.
    const fn position(self) -> usize {
        match self {
            Self::InPast => 0,
            Self::NoFriday => 1,
            Self::PacificNight => 2,
            Self::Blackout => 3,
            Self::PackagerLeadTime => 4,
            Self::DistrosEmbargo => 5,
            Self::VendorPrenotice => 6,
            Self::PreAnnouncement => 7,
            Self::HighWithinWeeks => 8,
            Self::ReporterDeadline => 9,
            Self::MilestoneOrder => 10,
            Self::CveRecord => 11,
        }
    }

    /// The rule's entry in [`RULES`].
    pub fn def(self) -> &'static RuleDef {
        &RULES[self.position()]
    }

    /// The rule's identifier.
    pub fn id(self) -> &'static str {
        self.def().id
    }

    /// What the rule asks for and why (its tooltip).
    pub fn asks(self) -> &'static str {
        self.def().asks
    }
}

// Every entry of the table sits at its rule's position, so `Rule::def` finds
// a rule's own entry and `Rule::ALL` lists each rule once.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        assert!(TABLE[i].rule.position() == i, "RULES is out of order");
        i += 1;
    }
};

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

/// A rule identifier that names no rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("there is no release-time rule `{0}`: the rules are {list}", list = Rule::ALL.map(Rule::id).join(", "))]
pub struct UnknownRule(pub String);

impl FromStr for Rule {
    type Err = UnknownRule;

    /// The rule with this identifier (as `embargo when` prints it).
    fn from_str(s: &str) -> Result<Self, UnknownRule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.id() == s)
            .ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

/// One rule's verdict on a release instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The rule.
    pub rule: Rule,
    /// Ok, warning or error.
    pub level: Level,
    /// Why, in words the coordinator can act on.
    pub reason: String,
    /// Where the rule comes from.
    pub source: Source,
    /// Where the rule's clock starts (its definition's [`RuleDef::clock`]).
    pub clock: ClockStart,
    /// The instant the clock started from for this verdict (the first mail
    /// to the distros list as sent or planned, the report, the planned
    /// release), when the rule counts from one.
    pub counted_from: Option<DateTime<Utc>>,
}

/// How a rule looks at a release: once, once per issue in it, or once per
/// milestone of its timeline (in time order). Verdicts come in that order:
/// the release's, then each issue's, then each milestone's.
#[derive(Clone, Copy)]
pub enum Check {
    /// Judges the release as a whole.
    Release(fn(&Facts<'_>, &mut Out<'_>)),
    /// Judges each issue of the release.
    Issue(fn(&Facts<'_>, &IssueFacts, &mut Out<'_>)),
    /// Judges each milestone of the release's timeline.
    Milestone(fn(&Facts<'_>, &MilestoneAt, &mut Out<'_>)),
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Release(_) => "Release",
            Self::Issue(_) => "Issue",
            Self::Milestone(_) => "Milestone",
        })
    }
}

/// One entry of the rule table.
#[derive(Debug)]
pub struct RuleDef {
    /// The rule.
    pub rule: Rule,
    /// Its identifier.
    pub id: &'static str,
    /// What it asks for and why, as its tooltip explains it.
    pub asks: &'static str,
    /// Where its clock starts: what it counts from.
    pub clock: ClockStart,
    /// Where it comes from (a verdict of `milestone_order` names the source
    /// of the milestone it is about instead).
    pub source: Source,
    /// The kind of step that reports it. A playbook without a step of that
    /// kind has it reported by its release plan step, where the release and
    /// its timeline are planned.
    pub step: StepKind,
    /// The notice the reporting step sends, when the rule measures from it:
    /// that step judges the rule as if the notice went out now (unless it
    /// already did), since that is what sending it would do.
    pub sent_now: Option<Milestone>,
    /// The check.
    pub check: Check,
}

impl RuleDef {
    /// Whether the rule belongs to one process's playbook (Exim's or
    /// OpenSSL's) and is checked by a step of its own there: only a
    /// playbook with that step is held to it. The rules of the Openwall
    /// lists, the CVE program, the reporter and the project apply to all.
    pub fn of_playbook(&self) -> bool {
        matches!(self.source, Source::Exim | Source::OpenSsl) && self.step != StepKind::ReleasePlan
    }
}

/// What a check sees of the release being judged.
#[derive(Debug)]
pub struct Facts<'a> {
    now: DateTime<Utc>,
    release: DateTime<Utc>,
    rules: &'a Rules,
    issues: &'a [IssueFacts],
    happened: BTreeMap<Milestone, DateTime<Utc>>,
    plan: Vec<MilestoneAt>,
    published: Option<DateTime<Utc>>,
    /// Notices judged as if they went out now (the step that sends them
    /// asks): in `happened` at now, but not sent yet.
    sending: Vec<Milestone>,
    /// Milestones planned before now that did not happen, at their planned
    /// instant, while the release is still ahead: a notice whose date is
    /// past is late, whatever sending it now would give.
    overdue: BTreeMap<Milestone, DateTime<Utc>>,
}

impl<'a> Facts<'a> {
    fn new(
        now: DateTime<Utc>,
        release: DateTime<Utc>,
        rules: &'a Rules,
        issues: &'a [IssueFacts],
        milestones: &Milestones,
    ) -> Self {
        let plan = milestones.resolve(release, rules.process);
        let overdue = if release > now {
            plan.iter()
                .filter(|m| m.at < now && !milestones.happened.contains_key(&m.milestone))
                .map(|m| (m.milestone, m.at))
                .collect()
        } else {
            BTreeMap::new()
        };
        Self {
            now,
            release,
            rules,
            issues,
            happened: milestones.happened.clone(),
            plan,
            published: None,
            sending: Vec::new(),
            overdue,
        }
    }

    /// When milestone `m` happens: when it happened, else as planned, but
    /// a planned notice already past that did not happen goes out now at
    /// the earliest.
    fn effective(&self, m: Milestone) -> Option<DateTime<Utc>> {
        self.happened.get(&m).copied().or_else(|| {
            timeline::at(&self.plan, m).map(|t| {
                if self.release > self.now {
                    t.max(self.now)
                } else {
                    t
                }
            })
        })
    }
}

/// Where a check puts its verdicts: always under its own rule.
#[derive(Debug)]
pub struct Out<'o> {
    def: &'static RuleDef,
    verdicts: &'o mut Vec<Verdict>,
    from: Option<DateTime<Utc>>,
}

impl Out<'_> {
    fn push(&mut self, level: Level, reason: impl Into<String>) {
        self.push_from(self.def.source, level, reason);
    }

    fn push_from(&mut self, source: Source, level: Level, reason: impl Into<String>) {
        self.verdicts.push(Verdict {
            rule: self.def.rule,
            level,
            reason: reason.into(),
            source,
            clock: self.def.clock,
            counted_from: self.from,
        });
    }

    /// The instant the next verdicts count from.
    fn counting_from(&mut self, at: DateTime<Utc>) {
        self.from = Some(at);
    }

    fn ok(&mut self, reason: impl Into<String>) {
        self.push(Level::Ok, reason);
    }

    fn warning(&mut self, reason: impl Into<String>) {
        self.push(Level::Warning, reason);
    }

    fn error(&mut self, reason: impl Into<String>) {
        self.push(Level::Error, reason);
    }
}

fn fmt_at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The table, in the order verdicts are given.
pub static RULES: [RuleDef; 12] = TABLE;

const TABLE: [RuleDef; 12] = [
    RuleDef {
        rule: Rule::InPast,
        id: "in_past",
        asks: "The release instant must lie ahead: a moment already past cannot be planned.",
        source: Source::Project,
        clock: ClockStart::Now,
        step: StepKind::ReleasePlan,
        sent_now: None,
        check: Check::Release(|f, out| {
            if let Some(p) = f.published {
                out.ok(format!("published {}", fmt_at(p)));
            } else if f.release <= f.now {
                out.error(format!("{} is in the past", fmt_at(f.release)));
            } else {
                out.ok(format!(
                    "{} from now",
                    fmt_days(days_between(f.now, f.release))
                ));
            }
        }),
    },
    RuleDef {
        rule: Rule::NoFriday,
        id: "no_friday",
        asks: "No release on a Friday or a weekend in any key zone: the people who must patch \
               would meet it with the weekend ahead. Only an issue already exploited in the wild \
               justifies it.",
        source: Source::Exim,
        clock: ClockStart::ReleaseInstant,
        step: StepKind::NoFriday,
        sent_now: None,
        check: Check::Release(|f, out| {
            let bad_days: Vec<String> = super::friday_or_weekend_zones(f.release, &f.rules.zones)
                .iter()
                .map(|(z, d)| format!("{d} in {z}"))
                .collect();
            match (bad_days.is_empty(), f.issues.iter().find(|i| i.exploited)) {
                (true, _) => out.ok("a Monday to Thursday in every key zone"),
                (false, Some(i)) => out.ok(format!(
                    "falls on {}, allowed because {} is actively exploited",
                    bad_days.join(", "),
                    i.id
                )),
                (false, None) => out.error(format!(
                    "falls on {}: no Friday or weekend disclosure unless exploited",
                    bad_days.join(", ")
                )),
            }
        }),
    },
    RuleDef {
        rule: Rule::PacificNight,
        id: "pacific_night",
        asks: "Release between 20:00 and 04:00 in Honolulu, the night over the Pacific, where the \
               fewest admins are awake: it is then morning to afternoon in Europe, afternoon to \
               evening in Japan, and the Americas have it by their morning.",
        source: Source::Exim,
        clock: ClockStart::ReleaseInstant,
        step: StepKind::ReleaseHour,
        sent_now: None,
        check: Check::Release(|f, out| {
            if is_pacific_night(f.release) {
                out.ok(format!(
                    "night over the Pacific ({})",
                    pacific_local(f.release)
                ));
            } else {
                out.warning(format!(
                    "{} in Honolulu: outside the 20:00–04:00 night over the Pacific",
                    pacific_local(f.release)
                ));
            }
        }),
    },
    RuleDef {
        rule: Rule::Blackout,
        id: "blackout",
        asks: "Dates the project has ruled out (holidays, conferences, other releases): no release \
               falls on them in any key zone.",
        source: Source::Project,
        clock: ClockStart::ReleaseInstant,
        step: StepKind::ReleasePlan,
        sent_now: None,
        check: Check::Release(|f, out| {
            let mut hit = false;
            for b in &f.rules.blackouts {
                if let Some((z, d)) = local_dates(f.release, &f.rules.zones)
                    .into_iter()
                    .find(|(_, d)| *d >= b.from && *d <= b.to)
                {
                    hit = true;
                    out.error(format!(
                        "{d} in {z} is in the blackout “{}” ({} to {})",
                        b.name, b.from, b.to
                    ));
                }
            }
            if !hit && !f.rules.blackouts.is_empty() {
                out.ok("outside every blackout");
            }
        }),
    },
    RuleDef {
        rule: Rule::PackagerLeadTime,
        id: "packager_lead_time",
        asks: "The OS packagers (the distros list) need time to build and test before the release: \
               at least a day after their notice, two or more preferred.",
        source: Source::Exim,
        clock: ClockStart::FirstDistrosMail,
        step: StepKind::PackagerLeadTime,
        sent_now: None,
        check: Check::Release(|f, out| {
            let Some(notice) = f.effective(Milestone::DistrosNotice) else {
                return;
            };
            out.counting_from(notice);
            let lead = days_between(notice, f.release);
            if lead < 1.0 {
                out.error(format!(
                    "packagers get {}: at least one day is needed",
                    fmt_days(lead)
                ));
            } else if lead < 2.0 {
                out.warning(format!(
                    "packagers get {}: two days are preferred",
                    fmt_days(lead)
                ));
            } else {
                out.ok(format!("packagers get {}", fmt_days(lead)));
            }
            // Only while the packaging start is still to come: a release
            // that is out, or sources already handed over, is history.
            if f.published.is_none()
                && !f.happened.contains_key(&Milestone::FixAvailability)
                && let Some(start) = f.effective(Milestone::FixAvailability)
            {
                let days = off_days(start, f.rules);
                if !days.is_empty() {
                    out.warning(format!(
                        "packaging starts {} on {}: the packagers get their sources on a day off; move the fix-availability notice to a working day",
                        fmt_at(start),
                        days.join(", ")
                    ));
                }
            }
        }),
    },
    RuleDef {
        rule: Rule::DistrosEmbargo,
        id: "distros_embargo",
        asks: "The Openwall distros list keeps a report private for 14 days at the very most and \
               would rather have fewer than 7; a longer embargo must not be asked for. When the \
               release is further away than that, the first mail to the list waits until 14 days \
               before it.",
        source: Source::Openwall,
        clock: ClockStart::FirstDistrosMail,
        step: StepKind::AdvanceNotice,
        sent_now: Some(Milestone::DistrosNotice),
        check: Check::Release(distros_embargo),
    },
    RuleDef {
        rule: Rule::VendorPrenotice,
        id: "vendor_prenotice",
        asks: "OpenSSL tells its vendor list about two weeks before the release.",
        source: Source::OpenSsl,
        clock: ClockStart::PlannedRelease,
        step: StepKind::PrenotifyVendors,
        sent_now: Some(Milestone::VendorNotice),
        check: Check::Release(|f, out| prenotice(f, out, Milestone::VendorNotice, 14.0, 4.0)),
    },
    RuleDef {
        rule: Rule::PreAnnouncement,
        id: "pre_announcement",
        asks: "OpenSSL pre-announces the release, without details, about a week before it.",
        source: Source::OpenSsl,
        clock: ClockStart::PlannedRelease,
        step: StepKind::PreAnnounce,
        sent_now: Some(Milestone::PreAnnouncement),
        check: Check::Release(|f, out| prenotice(f, out, Milestone::PreAnnouncement, 7.0, 2.0)),
    },
    RuleDef {
        rule: Rule::HighWithinWeeks,
        id: "high_within_weeks",
        asks: "A high or critical issue is released within the project's number of days from \
               the report.",
        source: Source::OpenSsl,
        clock: ClockStart::Report,
        step: StepKind::ReleasePlan,
        sent_now: None,
        check: Check::Issue(|f, i, out| {
            let (Some(days), Some(s)) = (f.rules.high_within_days, i.severity) else {
                return;
            };
            if !s.is_high_or_critical() {
                return;
            }
            out.counting_from(i.reported);
            let took = days_between(i.reported, f.release);
            if took > f64::from(days) {
                out.error(format!(
                    "{} is {s}: released {} after the report, more than {days}",
                    i.id,
                    fmt_days(took)
                ));
            } else {
                out.ok(format!(
                    "{} released {} after the report",
                    i.id,
                    fmt_days(took)
                ));
            }
        }),
    },
    RuleDef {
        rule: Rule::ReporterDeadline,
        id: "reporter_deadline",
        asks: "The release comes before the deadline the reporter set for public disclosure.",
        source: Source::Reporter,
        clock: ClockStart::Report,
        step: StepKind::ReleasePlan,
        sent_now: None,
        check: Check::Issue(|f, i, out| {
            let Some(deadline) = i.deadline else { return };
            out.counting_from(i.reported);
            let given = fmt_days(days_between(i.reported, deadline));
            if f.release > deadline {
                out.error(format!(
                    "after the deadline of {}'s reporter ({}, {given} from the report on {})",
                    i.id,
                    fmt_at(deadline),
                    fmt_at(i.reported)
                ));
            } else {
                out.ok(format!(
                    "before the deadline of {}'s reporter ({}, {given} from the report)",
                    i.id,
                    fmt_at(deadline)
                ));
            }
        }),
    },
    RuleDef {
        rule: Rule::MilestoneOrder,
        id: "milestone_order",
        asks: "Every notice before the release comes before it; every public part comes at or \
               after it, or it would disclose the issue early.",
        source: Source::Exim,
        clock: ClockStart::ReleaseInstant,
        step: StepKind::ReleasePlan,
        sent_now: None,
        check: Check::Milestone(|f, m, out| {
            let source = match m.milestone {
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
            if before && m.at >= f.release {
                out.push_from(
                    source,
                    Level::Error,
                    format!("{} must come before the release", m.milestone.label()),
                );
            }
            if matches!(m.milestone, Milestone::OssSecurity | Milestone::PublicGit)
                && m.at < f.release
            {
                out.push_from(
                    source,
                    Level::Error,
                    format!(
                        "{} before the release would disclose the issue",
                        m.milestone.label()
                    ),
                );
            }
        }),
    },
    RuleDef {
        rule: Rule::CveRecord,
        id: "cve_record",
        asks: "The CVE record goes public with the release or soon after: within 24 hours, 72 at \
               most, and never before it.",
        source: Source::Cve,
        clock: ClockStart::ReleaseInstant,
        step: StepKind::CveRecord,
        sent_now: None,
        check: Check::Milestone(|f, m, out| {
            if m.milestone != Milestone::CveRecord {
                return;
            }
            let after = m.at - f.release;
            if after < TimeDelta::zero() {
                out.error("the CVE record must not be published before the release");
            } else if after <= TimeDelta::hours(24) {
                out.ok("CVE record within 24 hours of the release");
            } else if after <= TimeDelta::hours(72) {
                out.warning("CVE record later than 24 hours after the release (72 at most)");
            } else {
                out.error("CVE record more than 72 hours after the release");
            }
        }),
    },
];

/// The distros list's maximum embargo, in days.
pub const DISTROS_MAX_DAYS: i64 = 14;

/// The distros list's preferred embargo, in days.
pub const DISTROS_PREFERRED_DAYS: i64 = 7;

/// The earliest instant a first mail to the distros list may go out for a
/// release at `release`: 14 days before it.
pub fn distros_earliest(release: DateTime<Utc>) -> DateTime<Utc> {
    release - TimeDelta::days(DISTROS_MAX_DAYS)
}

/// "send to distros@vs.openwall.org no earlier than DATE (release − 14 days)".
pub fn distros_no_earlier_than(release: DateTime<Utc>) -> String {
    format!(
        "send to distros@vs.openwall.org no earlier than {} (release − {DISTROS_MAX_DAYS} days)",
        fmt_at(distros_earliest(release))
    )
}

/// The distros embargo, counted from the first mail actually sent to the
/// list (else the planned one); before that mail, a plan that needs a
/// longer embargo than the list allows says when the mail may go out.
fn distros_embargo(f: &Facts<'_>, out: &mut Out<'_>) {
    let Some(notice) = f.effective(Milestone::DistrosNotice) else {
        return;
    };
    out.counting_from(notice);
    let lead = days_between(notice, f.release);
    let sent = f.happened.contains_key(&Milestone::DistrosNotice)
        && !f.sending.contains(&Milestone::DistrosNotice);
    let waiting = !sent && f.published.is_none() && distros_earliest(f.release) > f.now;
    if lead > DISTROS_MAX_DAYS as f64 {
        if sent {
            out.error(format!(
                "the distros embargo lasts {}: at most {DISTROS_MAX_DAYS} days, counted from the \
                 first mail to the list ({}); release by {} at the latest",
                fmt_days(lead),
                fmt_at(notice),
                fmt_at(notice + TimeDelta::days(DISTROS_MAX_DAYS))
            ));
        } else {
            out.error(format!(
                "the plan needs an embargo of {}, longer than the distros list allows (at most \
                 {DISTROS_MAX_DAYS} days): {}",
                fmt_days(lead),
                distros_no_earlier_than(f.release)
            ));
        }
    } else if lead > DISTROS_PREFERRED_DAYS as f64 {
        // The instant it counts from is the verdict's `counted_from`.
        out.warning(format!(
            "the distros embargo lasts {}: under {DISTROS_PREFERRED_DAYS} days is preferred",
            fmt_days(lead),
        ));
    } else if waiting {
        out.ok(format!(
            "the distros embargo will last {}; {}",
            fmt_days(lead),
            distros_no_earlier_than(f.release)
        ));
    } else if sent {
        out.ok(format!(
            "the distros embargo lasts {}, counted from the first mail to the list ({})",
            fmt_days(lead),
            fmt_at(notice)
        ));
    } else {
        out.ok(format!("the distros embargo lasts {}", fmt_days(lead)));
    }
}

/// OpenSSL's pre-notices: about `days` before the release, give or take `slack`.
fn prenotice(f: &Facts<'_>, out: &mut Out<'_>, m: Milestone, days: f64, slack: f64) {
    if !f.rules.process.openssl_prenotification {
        return;
    }
    let Some(t) = f.effective(m) else { return };
    out.counting_from(f.release);
    let lead = days_between(t, f.release);
    if let Some(due) = f.overdue.get(&m) {
        out.warning(format!(
            "{} {} before the release (about {days} is the rule): it was due {} and has not \
             gone out; send it at once, or move the release",
            m.label(),
            fmt_days(lead),
            fmt_at(*due)
        ));
        return;
    }
    let level = if (lead - days).abs() > slack {
        Level::Warning
    } else {
        Level::Ok
    };
    out.push(
        level,
        format!(
            "{} {} before the release (about {days} is the rule)",
            m.label(),
            fmt_days(lead)
        ),
    );
}

/// Each rule's explanation: what it asks for and why, then where its clock
/// starts.
static EXPLANATIONS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    RULES
        .iter()
        .map(|d| format!("{} {}", d.asks, d.clock.sentence()))
        .collect()
});

/// What the rule `id` asks for and why, and where its clock starts (its
/// tooltip); empty when `id` names no rule.
pub fn explain(id: &str) -> &'static str {
    id.parse::<Rule>()
        .map_or("", |r| EXPLANATIONS[r.position()].as_str())
}

thread_local! {
    static EVALUATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many times this thread has judged a release by the rules (each call
/// of [`evaluate`] or of the steps' assessment counts once): the tests and
/// benchmarks hold the app and the steps to one evaluation per change.
pub fn evaluations() -> u64 {
    EVALUATIONS.with(std::cell::Cell::get)
}

/// Judge by every rule, each rule on the facts `facts_of` gives it.
fn run<'f>(base: &'f Facts<'f>, facts_of: impl Fn(Rule) -> &'f Facts<'f>) -> Vec<Verdict> {
    EVALUATIONS.with(|c| c.set(c.get() + 1));
    let mut verdicts = Vec::new();
    for def in &RULES {
        if let Check::Release(check) = def.check {
            check(
                facts_of(def.rule),
                &mut Out {
                    def,
                    verdicts: &mut verdicts,
                    from: None,
                },
            );
        }
    }
    for issue in base.issues {
        for def in &RULES {
            if let Check::Issue(check) = def.check {
                check(
                    facts_of(def.rule),
                    issue,
                    &mut Out {
                        def,
                        verdicts: &mut verdicts,
                        from: None,
                    },
                );
            }
        }
    }
    for m in &base.plan {
        for def in &RULES {
            if let Check::Milestone(check) = def.check {
                check(
                    facts_of(def.rule),
                    m,
                    &mut Out {
                        def,
                        verdicts: &mut verdicts,
                        from: None,
                    },
                );
            }
        }
    }
    verdicts
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

/// The days off `instant` falls on in the key zones: a Saturday or Sunday,
/// or a day of one of the project's blackouts (its holidays), each named
/// with the zones it is one in ("a Sunday in every key zone", "“Boxing
/// Day” in Europe/London").
fn off_days(instant: DateTime<Utc>, rules: &Rules) -> Vec<String> {
    use chrono::{Datelike, Weekday};
    let dates = local_dates(instant, &rules.zones);
    let mut days: Vec<(String, Vec<Tz>)> = Vec::new();
    let mut add = |day: String, z: Tz| match days.iter_mut().find(|(d, _)| *d == day) {
        Some((_, zones)) => zones.push(z),
        None => days.push((day, vec![z])),
    };
    for (z, d) in &dates {
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            add(format!("a {}", d.format("%A")), *z);
        }
        for b in &rules.blackouts {
            if b.from <= *d && *d <= b.to {
                add(format!("“{}”", b.name), *z);
            }
        }
    }
    days.into_iter()
        .map(|(day, zones)| {
            if zones.len() == dates.len() && dates.len() > 1 {
                format!("{day} in every key zone")
            } else {
                let names: Vec<String> = zones.iter().map(|z| z.name().to_owned()).collect();
                format!("{day} in {}", names.join(", "))
            }
        })
        .collect()
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

/// Every rule's verdict on releasing at `release`, the plan as it stands
/// (what `embargo when` and the release picker show).
pub fn evaluate(
    now: DateTime<Utc>,
    release: DateTime<Utc>,
    rules: &Rules,
    issues: &[IssueFacts],
    milestones: &Milestones,
) -> Vec<Verdict> {
    let facts = Facts::new(now, release, rules, issues, milestones);
    run(&facts, |_| &facts)
}

/// Every rule's verdict on releasing at `release` as the steps report them,
/// in one evaluation: a rule for which `sent_now(rule)` holds is judged as
/// if its [`RuleDef::sent_now`] notice went out now (unless it already
/// happened); `published`, when the release is out, settles `in_past`.
pub fn evaluate_for_steps(
    now: DateTime<Utc>,
    release: DateTime<Utc>,
    rules: &Rules,
    issues: &[IssueFacts],
    milestones: &Milestones,
    published: Option<DateTime<Utc>>,
    sent_now: impl Fn(Rule) -> bool,
) -> Vec<Verdict> {
    let mut plan = Facts::new(now, release, rules, issues, milestones);
    plan.published = published;
    let sending: Vec<Milestone> = Rule::ALL
        .into_iter()
        .filter(|r| sent_now(*r))
        .filter_map(|r| r.def().sent_now)
        .collect();
    if sending.is_empty() {
        return run(&plan, |_| &plan);
    }
    let mut now_milestones = milestones.clone();
    let mut inserted = Vec::new();
    for m in sending {
        if let std::collections::btree_map::Entry::Vacant(e) = now_milestones.happened.entry(m) {
            e.insert(now);
            inserted.push(m);
        }
    }
    let mut sent = Facts::new(now, release, rules, issues, &now_milestones);
    sent.published = published;
    sent.sending = inserted;
    // Sending it now does not make a notice whose date is past on time.
    sent.overdue.clone_from(&plan.overdue);
    run(&plan, |r| if sent_now(r) { &sent } else { &plan })
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
    suggest_with(now, after, anchor, rules, issues, happened, |_| true)
}

/// [`suggest`] judged only by the rules for which `applies` holds.
pub fn suggest_with(
    now: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
    anchor: Anchor,
    rules: &Rules,
    issues: &[IssueFacts],
    happened: &BTreeMap<Milestone, DateTime<Utc>>,
    applies: impl Fn(Rule) -> bool,
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
        .find(|t| {
            evaluate(now, *t, rules, issues, &milestones)
                .iter()
                .all(|v| v.level == Level::Ok || !applies(v.rule))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_rule_has_one_entry_its_id_and_its_explanation() {
        let mut ids = Vec::new();
        for rule in Rule::ALL {
            let def = rule.def();
            assert_eq!(def.rule, rule);
            // The serde name (the JSON of `embargo when`) is the table's id.
            assert_eq!(
                serde_json::to_string(&rule).expect("serializes"),
                format!("\"{}\"", def.id)
            );
            assert_eq!(def.id.parse::<Rule>(), Ok(rule));
            assert_eq!(rule.to_string(), def.id);
            assert!(def.asks.ends_with('.'), "{rule}: {}", def.asks);
            // The explanation says what it asks and where its clock starts.
            assert_eq!(
                explain(def.id),
                format!("{} {}", def.asks, def.clock.sentence())
            );
            ids.push(def.id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "an ID listed twice");
        assert_eq!(explain("no_such_rule"), "");
        // Padding works on the id, as `embargo when` lines up its columns.
        assert_eq!(format!("{:<12}|", Rule::InPast), "in_past     |");
    }

    #[test]
    fn an_unknown_rule_is_refused_with_the_list_of_rules() {
        let err = "no_fridays".parse::<Rule>().expect_err("not a rule");
        let text = err.to_string();
        assert!(
            text.starts_with(
                "there is no release-time rule `no_fridays`: the rules are in_past, no_friday,"
            ),
            "{text}"
        );
        for rule in Rule::ALL {
            assert!(text.contains(rule.id()), "{text}");
        }
        assert!(text.ends_with("cve_record"), "{text}");
    }

    #[test]
    fn every_verdict_is_of_a_rule_in_the_table_and_in_table_order_per_scope() {
        // All twelve rules speak on a release with a blackout, a deadline,
        // a high issue and OpenSSL's pre-notices.
        let mut rules = Rules::with_zones(keys());
        rules.process.openssl_prenotification = true;
        rules.high_within_days = Some(28);
        rules.blackouts.push(Blackout {
            name: "b".into(),
            from: NaiveDate::from_ymd_opt(2027, 1, 1).expect("valid"),
            to: NaiveDate::from_ymd_opt(2027, 1, 2).expect("valid"),
        });
        let mut i = issue(Some(Severity::High));
        i.deadline = Some(t("2027-01-01T00:00:00Z"));
        let mut m = Milestones::default();
        m.moved
            .insert(Milestone::PublicGit, t("2026-12-08T13:00:00Z"));
        let vs = eval("2026-12-08T14:00:00Z", &rules, &[i], &m);
        let mut spoke: Vec<Rule> = vs.iter().map(|v| v.rule).collect();
        spoke.dedup();
        assert_eq!(spoke, Rule::ALL, "{vs:?}");
    }

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
            .filter(|v| v.rule.id() == rule)
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
            // Derived notice 5 days before: enough lead; but the sources go
            // out two days before, on Sunday 2026-12-06, which is warned.
            (
                "2026-12-08T14:00:00Z",
                "packager_lead_time",
                &[Level::Ok, Level::Warning],
            ),
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
    fn a_packaging_start_on_a_weekend_or_holiday_is_warned_about() {
        let mut rules = Rules::with_zones(keys());
        let none = Milestones::default();
        let warned = |vs: &[Verdict]| {
            vs.iter()
                .filter(|v| v.rule == Rule::PackagerLeadTime && v.level == Level::Warning)
                .map(|v| v.reason.clone())
                .collect::<Vec<_>>()
        };
        // Released Tuesday 2026-12-08: the sources go out two days before,
        // on Sunday.
        let vs = eval("2026-12-08T14:00:00Z", &rules, &[], &none);
        let w = warned(&vs);
        assert!(w.iter().any(|r| r.contains("a Sunday")), "{w:?}");
        // Released Thursday: packaging starts Tuesday, a working day.
        let vs = eval("2026-12-10T14:00:00Z", &rules, &[], &none);
        assert!(warned(&vs).is_empty(), "{:?}", warned(&vs));
        // A holiday of the project under that Tuesday is warned about too.
        rules.blackouts.push(Blackout {
            name: "Team holiday".into(),
            from: NaiveDate::from_ymd_opt(2026, 12, 8).expect("valid"),
            to: NaiveDate::from_ymd_opt(2026, 12, 8).expect("valid"),
        });
        let vs = eval("2026-12-10T14:00:00Z", &rules, &[], &none);
        assert!(
            warned(&vs).iter().any(|r| r.contains("Team holiday")),
            "{:?}",
            warned(&vs)
        );
        // Once the sources went out, the day is history.
        let mut sent = Milestones::default();
        sent.happened
            .insert(Milestone::FixAvailability, t("2026-12-08T09:00:00Z"));
        let vs = eval("2026-12-10T14:00:00Z", &rules, &[], &sent);
        assert!(warned(&vs).is_empty(), "{:?}", warned(&vs));
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
        // Monday 14 and Tuesday 15 would have the packagers start on the
        // weekend (the sources go out two days before), so the first clean
        // day is Wednesday.
        assert_eq!(
            s,
            Some(t("2026-12-16T14:00:00Z")),
            "after the blackout, the weekend and a weekend packaging start"
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
