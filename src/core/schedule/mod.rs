//! Release-time planning as pure functions of instants and zones: the rules a
//! release instant is checked against ([`rules`]), the world clock
//! ([`zones`]) and the disclosure timeline ([`timeline`]). The present is
//! always an argument. All conversions go through chrono-tz; no offset is
//! ever written down by hand.

pub mod rules;
pub mod timeline;
pub mod zones;

pub use rules::{
    Check, ClockStart, Facts, IssueFacts, Level, Milestones, Out, RULES, Rule, RuleDef, Rules,
    Source, UnknownRule, Verdict, evaluate, evaluate_for_steps, evaluations, explain, suggest,
    worst,
};
pub use timeline::{Mark, MilestoneAt, Process};
pub use zones::{Period, ZoneRow, zone_table};

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::core::model::{Anchor, Milestone, StepKind};

/// Everything the rules need to judge the release of one issue (built from a
/// project and its playbook by `core::playbook::issue_plan`). Equal plans
/// at the same instant get the same verdicts, so a plan is also the key
/// under which verdicts can be kept.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuePlan {
    /// The project's rules.
    pub rules: Rules,
    /// The issue and the others in the same release.
    pub issues: Vec<IssueFacts>,
    /// Milestones moved by hand and those that happened.
    pub milestones: Milestones,
    /// The planned release instant, if any.
    pub release: Option<DateTime<Utc>>,
    /// When the release was published, if it was.
    pub published: Option<DateTime<Utc>>,
    /// The project's preferred release time.
    pub anchor: Anchor,
    /// The kinds of step the playbook has, which decide which step reports
    /// each rule.
    pub steps: Vec<StepKind>,
}

impl IssuePlan {
    /// The step that reports `rule` in this plan's playbook: the rule's own
    /// step, or the release plan step when the playbook has no step of that
    /// kind; none when it has neither.
    ///
    /// A rule of one process's playbook ([`RuleDef::of_playbook`]: Exim's
    /// Friday, Pacific night and packager lead time, OpenSSL's pre-notices)
    /// is reported only by its own step: a project following another
    /// playbook is not held to it.
    pub fn reporter(&self, rule: Rule) -> Option<StepKind> {
        let def = rule.def();
        if self.steps.contains(&def.step) {
            Some(def.step)
        } else if def.of_playbook() {
            None
        } else {
            self.steps
                .contains(&StepKind::ReleasePlan)
                .then_some(StepKind::ReleasePlan)
        }
    }

    /// Whether `rule` applies to this plan's playbook: every rule but one
    /// of another process's playbook (see [`IssuePlan::reporter`]).
    pub fn applies(&self, rule: Rule) -> bool {
        let def = rule.def();
        !def.of_playbook() || self.steps.contains(&def.step)
    }

    /// Whether `rule` is judged as its step sends its notice now: when the
    /// rule measures from a notice and its own step reports it.
    fn judged_as_sent(&self, rule: Rule) -> bool {
        let def = rule.def();
        def.sent_now.is_some() && self.reporter(rule) == Some(def.step)
    }
}

/// A verdict with the step that reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepVerdict {
    /// The kind of step that reports it.
    pub step: StepKind,
    /// The verdict.
    pub verdict: Verdict,
}

/// The verdicts on the planned release of `plan` as its steps report them,
/// each with its step, from one evaluation; none when no release is planned.
/// A rule no step of the playbook reports is left out.
pub fn assess(now: DateTime<Utc>, plan: &IssuePlan) -> Vec<StepVerdict> {
    let Some(release) = plan.release else {
        return Vec::new();
    };
    evaluate_for_steps(
        now,
        release,
        &plan.rules,
        &plan.issues,
        &plan.milestones,
        plan.published,
        |r| plan.judged_as_sent(r),
    )
    .into_iter()
    .filter_map(|verdict| {
        plan.reporter(verdict.rule)
            .map(|step| StepVerdict { step, verdict })
    })
    .collect()
}

/// Every rule that applies to `plan`'s playbook judging a release at
/// `release`, the plan as it stands: what the release-time picker,
/// `embargo when --project` and `embargo plan` show, from one place.
pub fn judge(now: DateTime<Utc>, release: DateTime<Utc>, plan: &IssuePlan) -> Vec<Verdict> {
    let mut verdicts = evaluate(now, release, &plan.rules, &plan.issues, &plan.milestones);
    verdicts.retain(|v| plan.applies(v.rule));
    verdicts
}

/// The first instant after `now` (and `after`) at the plan's anchor that
/// passes every rule applying to its playbook ([`suggest`] on the rules
/// [`IssuePlan::applies`] keeps).
pub fn suggest_for(
    now: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
    plan: &IssuePlan,
) -> Option<DateTime<Utc>> {
    rules::suggest_with(
        now,
        after,
        plan.anchor,
        &plan.rules,
        &plan.issues,
        &plan.milestones.happened,
        |r| plan.applies(r),
    )
}

/// The marks the timeline of `plan` shows beside its milestones for a
/// release at `release`: while no mail went to the distros list and the
/// release is more than 14 days ahead of now, the earliest instant the
/// first may go out ("send to distros@vs.openwall.org no earlier than …");
/// and each duty of disclosure day in `duties` not done yet, at its deadline.
pub fn marks(
    now: DateTime<Utc>,
    plan: &IssuePlan,
    release: DateTime<Utc>,
    duties: &[crate::core::duties::Duty],
) -> Vec<Mark> {
    let mut out = Vec::new();
    let earliest = rules::distros_earliest(release);
    if !plan
        .milestones
        .happened
        .contains_key(&Milestone::DistrosNotice)
        && plan.published.is_none()
        && earliest > now
    {
        out.push(Mark {
            at: earliest,
            label: rules::distros_no_earlier_than(release),
        });
    }
    for d in duties.iter().filter(|d| d.done.is_none()) {
        out.push(Mark {
            at: d.deadline,
            label: format!(
                "{} (by {})",
                d.kind.what(),
                d.deadline.format("%Y-%m-%d %H:%M UTC")
            ),
        });
    }
    out.sort_by_key(|m| m.at);
    out
}

/// The kind of step whose completion marks each milestone as happened.
pub const MILESTONE_STEPS: [(Milestone, StepKind); 7] = [
    (Milestone::VendorNotice, StepKind::PrenotifyVendors),
    (Milestone::PreAnnouncement, StepKind::PreAnnounce),
    (Milestone::MaintainersNotice, StepKind::AdvanceNotice),
    (Milestone::DistrosNotice, StepKind::AdvanceNotice),
    (Milestone::FixAvailability, StepKind::FixAvailability),
    (Milestone::PublicGit, StepKind::PushPublic),
    (Milestone::CveRecord, StepKind::CveRecord),
];

/// The zone whose local night defines "night over the Pacific".
pub const PACIFIC_ANCHOR: Tz = chrono_tz::Pacific::Honolulu;

/// Start of the Pacific night window, local hour in [`PACIFIC_ANCHOR`].
pub const PACIFIC_NIGHT_START: u32 = 20;
/// End (inclusive, on the hour) of the Pacific night window, local hour in
/// [`PACIFIC_ANCHOR`]. Inclusive so that the customary 14:00 UTC release
/// (04:00 in Honolulu) counts as night.
pub const PACIFIC_NIGHT_END: u32 = 4;

/// The zones in which the release lands on a Friday or a weekend day, each
/// with the local weekday. Empty when the day is fine everywhere.
pub fn friday_or_weekend_zones(instant: DateTime<Utc>, zones: &[Tz]) -> Vec<(Tz, Weekday)> {
    zones
        .iter()
        .map(|z| (*z, instant.with_timezone(z).weekday()))
        .filter(|(_, d)| matches!(d, Weekday::Fri | Weekday::Sat | Weekday::Sun))
        .collect()
}

/// Whether the instant is in the middle of the night over the Pacific: local
/// time in Honolulu from 20:00 to 04:00 inclusive. That window is the morning
/// in the Americas, the afternoon in Europe and the evening in Japan.
pub fn is_pacific_night(instant: DateTime<Utc>) -> bool {
    let local = instant.with_timezone(&PACIFIC_ANCHOR);
    let minute_of_day = local.hour() * 60 + local.minute();
    minute_of_day >= PACIFIC_NIGHT_START * 60 || minute_of_day <= PACIFIC_NIGHT_END * 60
}

/// The local time in the Pacific anchor zone, for messages.
pub fn pacific_local(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&PACIFIC_ANCHOR)
        .format("%a %H:%M %Z")
        .to_string()
}

/// Whole and fractional days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let d: TimeDelta = to - from;
    d.num_seconds() as f64 / 86_400.0
}

/// A day count for people: "1.5 days".
pub fn fmt_days(days: f64) -> String {
    if (days - 1.0).abs() < f64::EPSILON {
        "1 day".to_owned()
    } else {
        format!("{days:.1} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn friday_is_found_in_the_zone_where_it_is_friday() {
        let zones = [
            chrono_tz::UTC,
            chrono_tz::Asia::Tokyo,
            chrono_tz::America::Los_Angeles,
        ];
        // Thursday 2026-12-10 20:00 UTC is Friday 05:00 in Tokyo.
        let hits = friday_or_weekend_zones(at(2026, 12, 10, 20), &zones);
        assert_eq!(hits, vec![(chrono_tz::Asia::Tokyo, Weekday::Fri)]);
        // Tuesday 14:00 UTC is a weekday everywhere listed.
        assert!(friday_or_weekend_zones(at(2026, 12, 8, 14), &zones).is_empty());
        // Sunday evening in Los Angeles is Monday in UTC.
        let hits = friday_or_weekend_zones(at(2026, 12, 7, 2), &zones);
        assert_eq!(hits, vec![(chrono_tz::America::Los_Angeles, Weekday::Sun)]);
    }

    #[test]
    fn pacific_night_window_edges() {
        // Honolulu is UTC-10 all year: 20:00 local is 06:00 UTC, 04:00 local is 14:00 UTC.
        assert!(!is_pacific_night(at(2026, 12, 8, 5)));
        assert!(is_pacific_night(at(2026, 12, 8, 6)));
        assert!(is_pacific_night(at(2026, 12, 8, 13)));
        // 14:00 UTC, OpenSSL's usual hour, is 04:00 in Honolulu: still night.
        assert!(is_pacific_night(at(2026, 12, 8, 14)));
        assert!(!is_pacific_night(at(2026, 12, 8, 15)));
    }

    #[test]
    fn a_rule_judged_as_sent_now_is_reported_by_the_step_that_sends_it() {
        for rule in Rule::ALL {
            let def = rule.def();
            if let Some(m) = def.sent_now {
                assert!(
                    MILESTONE_STEPS.contains(&(m, def.step)),
                    "{rule}: {:?} does not send {m:?}",
                    def.step
                );
                assert!(
                    matches!(def.check, Check::Release(_)),
                    "{rule}: only a rule on the whole release can be judged as sent now"
                );
            }
        }
    }

    #[test]
    fn days_between_is_signed() {
        assert!((days_between(at(2026, 1, 1, 0), at(2026, 1, 2, 12)) - 1.5).abs() < 1e-9);
        assert!(days_between(at(2026, 1, 2, 0), at(2026, 1, 1, 0)) < 0.0);
        assert_eq!(fmt_days(1.0), "1 day");
        assert_eq!(fmt_days(2.25), "2.2 days");
    }
}
