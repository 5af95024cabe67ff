//! The disclosure timeline as an iCalendar file (RFC 5545): one VEVENT per
//! milestone, in UTC, each with a UID that stays the same from one export to
//! the next, so calendar applications update events instead of duplicating
//! them.

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::core::schedule::MilestoneAt;

/// The calendar of `milestones` for `issue_id` of `project`; `stamp` is the
/// DTSTAMP of every event (the export instant).
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
    let mut cal = Calendar::new();
    cal.name(&format!("{project} {version} disclosure ({issue_id})"));
    for m in milestones {
        let uid = format!(
            "{}-{}-{}@embargo",
            crate::core::model::slug(project),
            issue_id.to_lowercase(),
            m.milestone.id()
        );
        cal.push(
            Event::new()
                .uid(&uid)
                .summary(&format!("{project} {version}: {}", m.milestone.label()))
                .description(&format!("Disclosure timeline of {issue_id}."))
                .starts(m.at)
                .ends(m.at + TimeDelta::minutes(30))
                .timestamp(stamp)
                .done(),
        );
    }
    for mut e in extra {
        cal.push(e.timestamp(stamp).done());
    }
    cal.done().to_string()
}
