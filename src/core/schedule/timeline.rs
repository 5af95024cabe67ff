//! The disclosure timeline: the milestones around a release instant, each
//! derived from the release by a default offset unless moved by hand.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::core::model::Milestone;

/// Which milestones a project's process has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Process {
    /// OpenSSL's pre-notification of vendors and customers and the public
    /// pre-announcement.
    pub openssl_prenotification: bool,
}

/// The default offset of a milestone from the release.
pub fn default_offset(m: Milestone) -> TimeDelta {
    match m {
        Milestone::VendorNotice => TimeDelta::days(-14),
        Milestone::PreAnnouncement => TimeDelta::days(-7),
        Milestone::MaintainersNotice | Milestone::DistrosNotice => TimeDelta::days(-5),
        Milestone::FixAvailability => TimeDelta::days(-2),
        Milestone::Release => TimeDelta::zero(),
        Milestone::OssSecurity => TimeDelta::minutes(30),
        Milestone::CveRecord => TimeDelta::hours(2),
        Milestone::PublicGit => TimeDelta::hours(1),
    }
}

/// A milestone at its instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MilestoneAt {
    /// Which milestone.
    pub milestone: Milestone,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Whether it was moved by hand (else derived from the release).
    pub moved: bool,
}

/// The milestones of a release at `release`, with hand-moved ones from
/// `moved`, sorted by time.
pub fn milestones(
    release: DateTime<Utc>,
    moved: &BTreeMap<Milestone, DateTime<Utc>>,
    process: Process,
) -> Vec<MilestoneAt> {
    let mut out: Vec<MilestoneAt> = Milestone::ALL
        .iter()
        .filter(|m| {
            process.openssl_prenotification
                || !matches!(m, Milestone::VendorNotice | Milestone::PreAnnouncement)
        })
        .map(|&m| match (m, moved.get(&m)) {
            (Milestone::Release, _) => MilestoneAt {
                milestone: m,
                at: release,
                moved: false,
            },
            (_, Some(at)) => MilestoneAt {
                milestone: m,
                at: *at,
                moved: true,
            },
            (_, None) => MilestoneAt {
                milestone: m,
                at: release + default_offset(m),
                moved: false,
            },
        })
        .collect();
    out.sort_by_key(|m| m.at);
    out
}

/// A dated mark on the timeline beside its milestones: the earliest first
/// mail to the distros list, a duty of disclosure day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// What it marks, in words.
    pub label: String,
}

/// The instant of one milestone in a list.
pub fn at(list: &[MilestoneAt], m: Milestone) -> Option<DateTime<Utc>> {
    list.iter().find(|x| x.milestone == m).map(|x| x.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn derived_and_moved_milestones() {
        let r = Utc
            .with_ymd_and_hms(2026, 12, 8, 14, 0, 0)
            .single()
            .expect("valid");
        let exim = milestones(r, &BTreeMap::new(), Process::default());
        assert!(
            at(&exim, Milestone::VendorNotice).is_none(),
            "no OpenSSL milestones for Exim"
        );
        assert_eq!(
            at(&exim, Milestone::DistrosNotice),
            Some(r - TimeDelta::days(5))
        );
        assert_eq!(
            exim.first().map(|m| m.milestone),
            Some(Milestone::MaintainersNotice)
        );
        assert_eq!(exim.last().map(|m| m.milestone), Some(Milestone::CveRecord));

        let mut moved = BTreeMap::new();
        moved.insert(Milestone::DistrosNotice, r - TimeDelta::days(3));
        moved.insert(Milestone::Release, r - TimeDelta::days(30)); // ignored: the release is the plan
        let openssl = milestones(
            r,
            &moved,
            Process {
                openssl_prenotification: true,
            },
        );
        assert_eq!(
            openssl.first().map(|m| m.milestone),
            Some(Milestone::VendorNotice)
        );
        let distros = openssl
            .iter()
            .find(|m| m.milestone == Milestone::DistrosNotice)
            .expect("present");
        assert!(distros.moved);
        assert_eq!(distros.at, r - TimeDelta::days(3));
        assert_eq!(at(&openssl, Milestone::Release), Some(r));
    }
}
