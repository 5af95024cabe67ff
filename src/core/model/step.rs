//! The kinds of step a playbook is made of, as identifiers. What a kind does
//! (title, help, checks) lives in `core::playbook::kinds`; the kind itself
//! sits here, below both the playbooks and the release-time rules, so that a
//! rule can name the step that reports it without the rules depending on the
//! playbooks.

use serde::{Deserialize, Serialize};

/// Every step kind Embargo knows. The identifiers (snake_case) are what
/// playbook files, the journal and the command line use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each kind is documented in its entry of `core::playbook::kinds::KINDS`
pub enum StepKind {
    IntakeRecord,
    KeepNotes,
    RecordAndLabels,
    ReporterPreferences,
    Triage,
    NotSecurityReply,
    Severity,
    CveId,
    EarlyAdvisory,
    ReleaseStrategy,
    FixPublic,
    FixPrivate,
    PrivateTesting,
    ReleasePlan,
    NoFriday,
    ReleaseHour,
    PackagerLeadTime,
    AdvanceNotice,
    PrenotifyVendors,
    PreAnnounce,
    GithubAdvisory,
    AdvisoryText,
    BuildAndSign,
    EmbargoedShare,
    FixAvailability,
    AnnouncementDraft,
    PublishRelease,
    PushPublic,
    CveRecord,
    Aftermath,
    Checklist,
}
