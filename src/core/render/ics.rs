//! The disclosure timeline as an iCalendar file (RFC 5545): one VEVENT per
//! milestone, in UTC, each with a UID that stays the same from one export to
//! the next, so calendar applications update events instead of duplicating
//! them. Events before the public release are embargoed and marked
//! `CLASS:PRIVATE` (a shared calendar shows them as busy, without the
//! summary); every milestone the coordinator acts on (notices, the release,
//! the oss-security post, the CVE record, the public push) carries a
//! display alarm an hour before it.

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Class, Component, Event, EventLike};

use crate::core::model::Milestone;
use crate::core::schedule::MilestoneAt;

/// The calendar's PRODID (RFC 5545 3.7.3: who made it, which product).
pub const PRODID: &str = concat!("-//Embargo//Embargo ", env!("CARGO_PKG_VERSION"), "//EN");

/// How long before a milestone its alarm goes off.
pub const ALARM_BEFORE: TimeDelta = TimeDelta::hours(1);

/// The calendar of `milestones` for `issue_id` of `project`; `stamp` is the
/// DTSTAMP of every event (the export instant). An event before the
/// milestone [`Milestone::Release`] (or before `release`, when given) is
/// embargoed and private; each event has an alarm [`ALARM_BEFORE`] it.
pub fn calendar(
    project: &str,
    issue_id: &str,
    version: &str,
    milestones: &[MilestoneAt],
    stamp: DateTime<Utc>,
) -> String {
    calendar_with(project, issue_id, version, milestones, stamp, Vec::new())
}

/// [`calendar`] with more events after the milestones (the duties of
/// disclosure day with their alarms: `core::duties::ics_events`), each
/// stamped with `stamp`.
pub fn calendar_with(
    project: &str,
    issue_id: &str,
    version: &str,
    milestones: &[MilestoneAt],
    stamp: DateTime<Utc>,
    extra: Vec<Event>,
) -> String {
    let release = milestones
        .iter()
        .find(|m| m.milestone == Milestone::Release)
        .map(|m| m.at);
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", PRODID));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.name(&format!("{project} {version} disclosure ({issue_id})"));
    for m in milestones {
        let uid = format!(
            "{}-{}-{}@embargo",
            crate::core::model::slug(project),
            issue_id.to_lowercase(),
            m.milestone.id()
        );
        let embargoed = release.is_none_or(|r| m.at < r);
        let mut event = Event::new();
        event
            .uid(&uid)
            .summary(&format!("{project} {version}: {}", m.milestone.label()))
            .description(&format!(
                "Disclosure timeline of {issue_id}.{}",
                if embargoed {
                    " Under embargo: do not share."
                } else {
                    ""
                }
            ))
            .starts(m.at)
            .ends(m.at + TimeDelta::minutes(30))
            .timestamp(stamp)
            .class(if embargoed {
                Class::Private
            } else {
                Class::Public
            });
        // Every milestone is something the coordinator does: remind them.
        event.alarm(Alarm::display(
            &format!("{project} {version}: {} in one hour", m.milestone.label()),
            -ALARM_BEFORE,
        ));
        cal.push(event.done());
    }
    for mut e in extra {
        cal.push(e.timestamp(stamp).done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn events(text: &str) -> Vec<&str> {
        text.split("BEGIN:VEVENT").skip(1).collect()
    }

    #[test]
    fn embargoed_events_are_private_and_every_act_has_an_alarm() {
        let list = [
            MilestoneAt {
                milestone: Milestone::DistrosNotice,
                at: at("2026-11-05T14:00:00Z"),
                moved: false,
            },
            MilestoneAt {
                milestone: Milestone::Release,
                at: at("2026-11-10T14:00:00Z"),
                moved: false,
            },
            MilestoneAt {
                milestone: Milestone::OssSecurity,
                at: at("2026-11-10T14:30:00Z"),
                moved: false,
            },
        ];
        let text = calendar("Demo", "DEMO-1", "1.2.3", &list, at("2026-11-01T00:00:00Z"));
        assert!(text.contains(&format!("PRODID:{PRODID}")), "{text}");
        assert!(!text.contains("ICALENDAR-RS"), "{text}");
        let ev = events(&text);
        assert_eq!(ev.len(), 3);
        assert!(ev[0].contains("CLASS:PRIVATE"), "{}", ev[0]);
        assert!(ev[1].contains("CLASS:PUBLIC"), "{}", ev[1]);
        assert!(ev[2].contains("CLASS:PUBLIC"), "{}", ev[2]);
        for e in ev {
            assert!(e.contains("BEGIN:VALARM"), "{e}");
            assert!(e.contains("ACTION:DISPLAY"), "{e}");
            assert!(
                e.contains("TRIGGER:-PT3600S") || e.contains("TRIGGER:-PT1H"),
                "{e}"
            );
        }
    }
}
