//! One vulnerability ("issue"): how it reached us, who reported it, how bad it
//! is, its identifiers, the versions it touches, the fix, and its journal.
//!
//! Nothing here says which wizard step is done: that is computed from these
//! data and the journal by [`crate::core::playbook`].

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::journal::JournalEntry;

/// A vulnerability handled under embargo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Issue", deny_unknown_fields)]
pub struct Issue {
    /// Short stable identifier used on the command line and in file names, e.g. `EMB-1`.
    pub id: String,
    /// Human title, e.g. "Heap overflow in the SMTP DATA parser".
    pub title: String,
    /// How and when the report reached the team.
    pub intake: Intake,
    /// Who reported it and what they asked for.
    pub reporter: Reporter,
    /// The triage verdict: is this a security issue at all?
    #[serde(default)]
    pub verdict: Verdict,
    /// Where the CVE identifier stands.
    pub cve: CveState,
    /// Further identifiers: GCVE, vendor tracker IDs, GHSA, ...
    #[serde(default)]
    pub other_ids: Vec<Identifier>,
    /// The severity on the project's four-level scale, once assessed.
    pub severity: Option<Severity>,
    /// Who agreed with the severity (OpenSSL's process has a second
    /// person confirm it), e.g. "Tomas M., 2026-11-20"; empty until then.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub severity_confirmed_by: String,
    /// An optional CVSS vector backing the severity.
    #[serde(default)]
    pub cvss: Option<Cvss>,
    /// The class of impact; remote code execution calls for a patch-level release.
    #[serde(default)]
    pub impact_kind: Option<ImpactKind>,
    /// Version ranges affected, each with the version that fixes it.
    #[serde(default)]
    pub affected: Vec<AffectedRange>,
    /// What is wrong, in the words of the advisory.
    #[serde(default)]
    pub description: String,
    /// What an attacker gains.
    #[serde(default)]
    pub impact: String,
    /// What users can do before they upgrade (configuration, workarounds).
    #[serde(default)]
    pub mitigation: String,
    /// The CWE identifier, e.g. `CWE-787`.
    #[serde(default)]
    pub cwe: Option<String>,
    /// Whether exploitation is active, imminent or highly likely.
    #[serde(default)]
    pub actively_exploited: bool,
    /// When the coordinator became aware that it is actively exploited: the
    /// Cyber Resilience Act's reporting clocks count from it. When unset,
    /// the journal's entry that set the flag stands for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploited_aware: Option<DateTime<Utc>>,
    /// When each report the Cyber Resilience Act asks of an actively
    /// exploited issue was submitted, once it was.
    #[serde(default, skip_serializing_if = "CraReports::is_empty")]
    pub cra: CraReports,
    /// Whether a proof of concept or an exploit was shared with the
    /// distros list: the list asks that it be posted publicly (to
    /// oss-security) within 7 days of the disclosure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub poc_shared_with_distros: bool,
    /// When that proof of concept was posted publicly, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poc_posted: Option<DateTime<Utc>>,
    /// How the fix ships: a patch-level backport or the next release.
    #[serde(default)]
    pub strategy: Option<ReleaseStrategy>,
    /// The commits that fix the issue, in the private repository.
    #[serde(default)]
    pub fix_commits: Vec<FixCommit>,
    /// The full hash of the commit that introduced the flaw in the public
    /// repository, when known (it starts the OSV record's `GIT` range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced_commit: Option<String>,
    /// The early advisory text (OpenSSL writes it as soon as the CVE exists).
    #[serde(default)]
    pub early_advisory: String,
    /// People credited beside the reporter: who fixed, analysed or coordinated.
    #[serde(default)]
    pub credits: Vec<Acknowledgement>,
    /// Further references for the records (write-ups, reports, patches
    /// elsewhere); the advisory and the fix commits are added on export.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The CVE record's problem types in full (several CWEs, their names).
    /// When empty, records name [`Issue::cwe`] alone.
    #[serde(default)]
    pub problem_types: Vec<ProblemType>,
    /// When the issue became public if not through one of the project's
    /// releases (an imported record, a public report); it wins over the
    /// release's date.
    #[serde(default)]
    pub date_public: Option<DateTime<Utc>>,
    /// Free-text notes per wizard step, keyed by the step's key.
    #[serde(default)]
    pub step_notes: BTreeMap<String, String>,
    /// Where each recipient stands for this issue: notified, accepted the
    /// embargo, wants the patch, credentials for the embargoed share.
    #[serde(default)]
    pub notices: Vec<NoticeState>,
    /// Everything that happened to this issue, oldest first.
    #[serde(default)]
    pub journal: Vec<JournalEntry>,
}

impl Issue {
    /// A fresh issue received now with nothing assessed yet.
    pub fn new(id: impl Into<String>, title: impl Into<String>, received: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            intake: Intake {
                received,
                channel: IntakeChannel::Unrecorded,
            },
            reporter: Reporter::default(),
            verdict: Verdict::Pending,
            cve: CveState::ToRequest,
            other_ids: Vec::new(),
            severity: None,
            severity_confirmed_by: String::new(),
            cvss: None,
            impact_kind: None,
            affected: Vec::new(),
            description: String::new(),
            impact: String::new(),
            mitigation: String::new(),
            cwe: None,
            actively_exploited: false,
            exploited_aware: None,
            cra: CraReports::default(),
            poc_shared_with_distros: false,
            poc_posted: None,
            strategy: None,
            fix_commits: Vec::new(),
            introduced_commit: None,
            early_advisory: String::new(),
            credits: Vec::new(),
            references: Vec::new(),
            problem_types: Vec::new(),
            date_public: None,
            step_notes: BTreeMap::new(),
            notices: Vec::new(),
            journal: Vec::new(),
        }
    }

    /// The state of the recipient with this address, if any is kept.
    pub fn notice(&self, address: &str) -> Option<&NoticeState> {
        self.notices
            .iter()
            .find(|n| n.recipient.eq_ignore_ascii_case(address))
    }

    /// The state of the recipient with this address, made when missing.
    pub fn notice_mut(&mut self, address: &str) -> &mut NoticeState {
        let index = match self
            .notices
            .iter()
            .position(|n| n.recipient.eq_ignore_ascii_case(address))
        {
            Some(i) => i,
            None => {
                self.notices.push(NoticeState::new(address));
                self.notices.len() - 1
            }
        };
        &mut self.notices[index]
    }

    /// The assigned CVE ID, if any: the identifier recorded in
    /// [`Issue::cve`] unless it is a GCVE ID of a numbering authority other
    /// than the CVE Program (a `GCVE-0-…` is always kept as its CVE, see
    /// [`CveState`]). Records that need a CVE (the CVE record, CSAF's `cve`)
    /// read this; names and mails read [`Issue::identifier`].
    pub fn cve_id(&self) -> Option<&str> {
        self.identifier().filter(|id| !id.starts_with("GCVE-"))
    }

    /// The identifier assigned to the issue, CVE or GCVE, as recorded
    /// (`CVE-2026-41807`, `GCVE-1-2026-0042`), if any.
    pub fn identifier(&self) -> Option<&str> {
        match &self.cve {
            CveState::Assigned { id } => Some(id),
            _ => None,
        }
    }

    /// The assigned identifier in GCVE form: a CVE as `GCVE-0-…`, a GCVE
    /// ID as it is. `None` without an identifier or with a malformed one.
    pub fn gcve_id(&self) -> Option<String> {
        let id = self.identifier()?;
        if is_valid_cve_id(id) {
            cve_to_gcve(id)
        } else {
            is_valid_gcve_id(id).then(|| id.to_owned())
        }
    }
}

/// When each report of Article 14(2) of the Cyber Resilience Act
/// (Regulation (EU) 2024/2847) was submitted for an actively exploited
/// issue (through the single reporting platform, to the CSIRT designated as
/// coordinator and ENISA). Each is `None` until it was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Cra", default, deny_unknown_fields)]
pub struct CraReports {
    /// The early warning (Article 14(2)(a), within 24 hours of awareness).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_warning: Option<DateTime<Utc>>,
    /// The vulnerability notification (Article 14(2)(b), within 72 hours).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<DateTime<Utc>>,
    /// The final report (Article 14(2)(c), within 14 days of a fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_report: Option<DateTime<Utc>>,
}

impl CraReports {
    /// Whether none was submitted yet (nothing to store).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Where one recipient stands for one issue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Notice", from = "NoticeFile")]
pub struct NoticeState {
    /// The recipient's address (see `Project::recipients`).
    pub recipient: String,
    /// When they were last notified (UTC).
    pub notified_at: Option<DateTime<Utc>>,
    /// The `Message-ID` of that mail.
    pub message_id: String,
    /// The template of that mail, e.g. `distros-notice`.
    pub template: String,
    /// Whether they accepted the embargo; `None` until they answer (OpenSSL
    /// asks each vendor every time).
    pub accepted: Option<bool>,
    /// Whether they want the patch before the release.
    pub wants_patch: bool,
    /// What the mails that reached them told them about the issue, field
    /// by field (see [`Told`]); `None` until a mail stated any of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub told: Option<Told>,
    // The embargoed download's address and credentials are the release's
    // (`Release::shares`, hashes only); files of older versions that kept
    // `share_url`/`share_credentials` here still load (see `NoticeFile`),
    // and the next save drops those fields.
}

/// Fields older Embargo versions wrote and this one reads and drops: known,
/// so that they are not refused as misspellings, and never suggested for one.
pub const LEGACY_FIELDS: [&str; 2] = ["share_url", "share_credentials"];

/// A [`NoticeState`] as files hold it: every field optional, unknown ones
/// refused, and the legacy share fields of older files read and dropped.
#[derive(Default, Deserialize)]
#[serde(rename = "Notice", default, deny_unknown_fields)]
struct NoticeFile {
    recipient: String,
    notified_at: Option<DateTime<Utc>>,
    message_id: String,
    template: String,
    accepted: Option<bool>,
    wants_patch: bool,
    told: Option<Told>,
    /// The embargoed download's address, kept here by older versions; dropped.
    #[serde(rename = "share_url")]
    _share_url: serde::de::IgnoredAny,
    /// The share's credentials as typed, a plain-text password; dropped.
    #[serde(rename = "share_credentials")]
    _share_credentials: serde::de::IgnoredAny,
}

impl From<NoticeFile> for NoticeState {
    fn from(f: NoticeFile) -> Self {
        Self {
            recipient: f.recipient,
            notified_at: f.notified_at,
            message_id: f.message_id,
            template: f.template,
            accepted: f.accepted,
            wants_patch: f.wants_patch,
            told: f.told,
        }
    }
}

impl NoticeState {
    /// A recipient that was not notified yet.
    pub fn new(recipient: impl Into<String>) -> Self {
        Self {
            recipient: recipient.into(),
            ..Self::default()
        }
    }
}

/// What the mails recorded for one recipient told them about an issue:
/// each fact as the last mail that stated it put it (a mail that does not
/// state a fact leaves what an earlier one said). A fact is `None` until a
/// mail stated it. Embargo compares these with the issue as it is now to
/// find who must get a correction ([`crate::core::told`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Told", default, deny_unknown_fields)]
pub struct Told {
    /// When the last mail that stated any of it was sent or saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// That mail's template, e.g. `distros-notice`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template: String,
    /// Whether that mail was only saved as an `.eml` file for the user's
    /// own mail client (Embargo did not send it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub saved: bool,
    /// The severity stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The public disclosure instant stated (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<DateTime<Utc>>,
    /// The affected version ranges stated, as the mails phrase them
    /// (`4.10.0 up to before 4.12.3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected: Option<Vec<String>>,
    /// The fixed version stated (the release's version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The identifiers stated (CVE and others); empty when the mail said
    /// none was assigned yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<Vec<String>>,
}

/// How the report reached the team and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Intake", deny_unknown_fields)]
pub struct Intake {
    /// When the report arrived (UTC). The four-week rule counts from here.
    pub received: DateTime<Utc>,
    /// The channel and its reference data.
    pub channel: IntakeChannel,
}

/// The record of the original report, as OpenSSL asks to keep it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum IntakeChannel {
    /// Not recorded yet.
    Unrecorded,
    /// A private mail to the security address; the header fields verbatim.
    Mail {
        /// `From:` header.
        from: String,
        /// `Subject:` header.
        subject: String,
        /// `Date:` header, as received.
        date: String,
        /// `Message-ID:` header.
        message_id: String,
    },
    /// An issue filed in a public tracker.
    PublicIssue {
        /// Address of the public issue.
        url: String,
    },
}

impl IntakeChannel {
    /// Whether enough is recorded to find the original again.
    pub fn is_recorded(&self) -> bool {
        match self {
            Self::Unrecorded => false,
            Self::Mail {
                from, message_id, ..
            } => !from.trim().is_empty() && !message_id.trim().is_empty(),
            Self::PublicIssue { url } => !url.trim().is_empty(),
        }
    }
}

/// The reporter and their wishes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Reporter", deny_unknown_fields)]
pub struct Reporter {
    /// Name or handle.
    pub name: String,
    /// How to reach them (mail address, usually).
    pub contact: String,
    /// Their credit wish; `None` until asked.
    pub credit: Option<Credit>,
    /// Their own public-disclosure deadline, if they have one.
    pub deadline: Option<DateTime<Utc>>,
    /// Whether they already obtained a CVE; `None` until asked.
    pub has_cve: Option<bool>,
}

/// What the reporter wants said about them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Credit {
    /// They do not want to be named.
    Anonymous,
    /// Credit them under this name (may differ from `Reporter::name`).
    Named(String),
}

/// Triage verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Not investigated yet.
    #[default]
    Pending,
    /// Confirmed as a security issue.
    Security,
    /// Not a security issue: the standard reply is sent and the issue ends.
    NotSecurity,
}

/// Where the issue's identifier (a CVE ID, or a GCVE ID from the project's
/// GCVE numbering authority, see [`IdAuthority`]) stands. A `GCVE-0-…` ID
/// read from a file is kept as the CVE ID it is (`GCVE-0-2026-41807` is
/// `CVE-2026-41807`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, from = "CveStateFile")]
pub enum CveState {
    /// No CVE will be requested (e.g. not a security issue).
    NotNeeded,
    /// A CVE must be requested.
    ToRequest,
    /// Requested from a CNA, waiting for the answer.
    Requested,
    /// Assigned.
    Assigned {
        /// The identifier, `CVE-YYYY-NNNN...` or `GCVE-GNA-YYYY-...`.
        id: String,
    },
}

/// [`CveState`] as files hold it; read into [`CveState`] with a `GCVE-0-…`
/// ID turned into its CVE ID.
#[derive(Deserialize)]
#[serde(rename = "CveState", deny_unknown_fields)]
enum CveStateFile {
    NotNeeded,
    ToRequest,
    Requested,
    Assigned { id: String },
}

impl From<CveStateFile> for CveState {
    fn from(f: CveStateFile) -> Self {
        match f {
            CveStateFile::NotNeeded => Self::NotNeeded,
            CveStateFile::ToRequest => Self::ToRequest,
            CveStateFile::Requested => Self::Requested,
            CveStateFile::Assigned { id } => Self::Assigned {
                id: gcve_to_cve(&id).unwrap_or(id),
            },
        }
    }
}

/// Who assigns a project's vulnerability identifiers: the CVE Program
/// (through a CNA), or a GCVE numbering authority (GNA) with its number.
/// GNA 0 is the CVE Program itself, so a project on CVE says `Cve`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum IdAuthority {
    /// CVE IDs (`CVE-YYYY-NNNN`), from a CVE Numbering Authority.
    #[default]
    Cve,
    /// GCVE IDs (`GCVE-GNA-YYYY-NNNN`) from the GCVE numbering authority
    /// with this number (see gcve.eu's directory of GNAs).
    Gcve {
        /// The GNA's number, e.g. `1` for CIRCL; never 0.
        gna: u64,
    },
}

impl IdAuthority {
    /// How the settings name it: `CVE` or `GCVE of GNA N`.
    pub fn describe(self) -> String {
        match self {
            Self::Cve => "CVE".to_owned(),
            Self::Gcve { gna } => format!("GCVE of GNA {gna}"),
        }
    }

    /// The scheme's name: `CVE` or `GCVE`.
    pub fn scheme(self) -> &'static str {
        match self {
            Self::Cve => "CVE",
            Self::Gcve { .. } => "GCVE",
        }
    }

    /// Whether `id` is a well-formed identifier of this authority: a CVE
    /// ID for [`IdAuthority::Cve`], a GCVE ID with this GNA's number else.
    pub fn issued(self, id: &str) -> bool {
        match self {
            Self::Cve => is_valid_cve_id(id),
            Self::Gcve { gna } => gcve_gna(id) == Some(gna),
        }
    }

    /// What assigning an identifier means for this authority, for the
    /// identifier step: "request a CVE", "assign a GCVE ID (GNA 42)".
    pub fn request(self) -> String {
        match self {
            Self::Cve => "request a CVE".to_owned(),
            Self::Gcve { gna } => {
                format!("assign a GCVE ID from GCVE numbering authority {gna} (GCVE-{gna}-YYYY-N)")
            }
        }
    }
}

impl fmt::Display for IdAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cve => f.write_str("CVE"),
            Self::Gcve { gna } => write!(f, "GCVE numbering authority {gna}"),
        }
    }
}

/// An identifier in another scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Identifier", deny_unknown_fields)]
pub struct Identifier {
    /// The scheme, e.g. `GCVE`, `GHSA`, `Debian`.
    pub scheme: String,
    /// The identifier within that scheme.
    pub id: String,
}

/// The four-level severity scale both seed processes use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Fixed in public, advisory at the next release.
    Low,
    /// Fixed in the next update release.
    Moderate,
    /// Update release within four weeks.
    High,
    /// Update release as soon as possible, within four weeks.
    Critical,
}

impl Severity {
    /// All levels, lowest first.
    pub const ALL: [Severity; 4] = [Self::Low, Self::Moderate, Self::High, Self::Critical];

    /// High or Critical: the four-week rule applies.
    pub fn is_high_or_critical(self) -> bool {
        self >= Self::High
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Low => "Low",
            Self::Moderate => "Moderate",
            Self::High => "High",
            Self::Critical => "Critical",
        })
    }
}

/// A CVSS vector string with its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Cvss", deny_unknown_fields)]
pub struct Cvss {
    /// The CVSS version.
    pub version: CvssVersion,
    /// The vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.
    pub vector: String,
}

/// Supported CVSS versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CvssVersion {
    /// CVSS 3.1.
    V3_1,
    /// CVSS 4.0.
    V4_0,
}

/// The class of impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImpactKind {
    /// Remote code execution.
    RemoteCodeExecution,
    /// Local privilege escalation.
    PrivilegeEscalation,
    /// Disclosure of information.
    InformationDisclosure,
    /// Denial of service.
    DenialOfService,
    /// Anything else.
    Other,
}

impl ImpactKind {
    /// All kinds, for pickers.
    pub const ALL: [ImpactKind; 5] = [
        Self::RemoteCodeExecution,
        Self::PrivilegeEscalation,
        Self::InformationDisclosure,
        Self::DenialOfService,
        Self::Other,
    ];

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::RemoteCodeExecution => "Remote code execution",
            Self::PrivilegeEscalation => "Privilege escalation",
            Self::InformationDisclosure => "Information disclosure",
            Self::DenialOfService => "Denial of service",
            Self::Other => "Other",
        }
    }
}

/// One affected version range: from `introduced` up to, not including, `fixed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Affected", deny_unknown_fields)]
pub struct AffectedRange {
    /// First affected version.
    pub introduced: String,
    /// The version that fixes it on this branch; `None` while unreleased.
    pub fixed: Option<String>,
}

/// How the fix is shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReleaseStrategy {
    /// X.Y.patchlevel with only the backported fix (easy for others to apply).
    PatchLevel,
    /// Bundled into the next (possibly expedited) release.
    NextRelease,
}

/// A commit fixing the issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "FixCommit", deny_unknown_fields)]
pub struct FixCommit {
    /// Full or abbreviated commit hash.
    pub id: String,
    /// The branch it lives on in the private repository.
    pub branch: String,
    /// First line of its message.
    pub summary: String,
}

/// Someone credited for their part in handling an issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Acknowledgement", deny_unknown_fields)]
pub struct Acknowledgement {
    /// The name to print, with an affiliation if wanted.
    pub name: String,
    /// What they did.
    pub role: CreditRole,
}

/// The parts a credited person can have played, as CVE records and OSV name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CreditRole {
    /// Found the vulnerability.
    Finder,
    /// Reported it to the project.
    Reporter,
    /// Analysed it.
    Analyst,
    /// Coordinated the response.
    Coordinator,
    /// Wrote the fix.
    RemediationDeveloper,
    /// Reviewed the fix.
    RemediationReviewer,
    /// Verified the fix.
    RemediationVerifier,
    /// A tool that found it.
    Tool,
    /// Supported the work.
    Sponsor,
    /// Anything else.
    Other,
}

impl CreditRole {
    /// All roles, in the order CVE records list them.
    pub const ALL: [CreditRole; 10] = [
        Self::Finder,
        Self::Reporter,
        Self::Analyst,
        Self::Coordinator,
        Self::RemediationDeveloper,
        Self::RemediationReviewer,
        Self::RemediationVerifier,
        Self::Tool,
        Self::Sponsor,
        Self::Other,
    ];

    /// The credit type of CVE JSON 5, e.g. `remediation developer`.
    pub fn cve_type(self) -> &'static str {
        match self {
            Self::Finder => "finder",
            Self::Reporter => "reporter",
            Self::Analyst => "analyst",
            Self::Coordinator => "coordinator",
            Self::RemediationDeveloper => "remediation developer",
            Self::RemediationReviewer => "remediation reviewer",
            Self::RemediationVerifier => "remediation verifier",
            Self::Tool => "tool",
            Self::Sponsor => "sponsor",
            Self::Other => "other",
        }
    }

    /// The role a CVE JSON 5 credit type names, if it is one.
    pub fn from_cve_type(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.cve_type() == s)
    }

    /// The credit type of OSV, e.g. `REMEDIATION_DEVELOPER`.
    pub fn osv_type(self) -> String {
        self.cve_type().to_uppercase().replace(' ', "_")
    }
}

/// A web reference attached to an issue's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Reference", deny_unknown_fields)]
pub struct Reference {
    /// The address.
    pub url: String,
    /// A short name, e.g. "Reporter's write-up"; may be empty.
    #[serde(default)]
    pub name: String,
    /// CVE reference tags, e.g. `patch`, `vendor-advisory`, `technical-description`.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One problem type of a CVE record: a CWE with its name, or a free description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "ProblemType", deny_unknown_fields)]
pub struct ProblemType {
    /// The CWE identifier, e.g. `CWE-787`, when the description names one.
    pub cwe: Option<String>,
    /// The text, e.g. "CWE-787 Out-of-bounds Write".
    pub description: String,
}

/// Whether a string is a well-formed CVE ID: `CVE-YYYY-NNNN`, four digits
/// of year and 4 to 19 digits of sequence, the pattern of the CVE JSON 5
/// schema (whose own example record is `CVE-1900-1234`, so no year is refused
/// as implausible: records made elsewhere must import).
///
/// ```
/// use embargo::core::model::is_valid_cve_id;
/// assert!(is_valid_cve_id("CVE-2025-9230"));
/// assert!(is_valid_cve_id("CVE-2024-1234567"));
/// assert!(is_valid_cve_id("CVE-1900-1234"));
/// assert!(!is_valid_cve_id("CVE-2025-123"));
/// assert!(!is_valid_cve_id("CVE-2025-12345678901234567890"));
/// assert!(!is_valid_cve_id("cve-2025-1234"));
/// ```
pub fn is_valid_cve_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, seq)) = rest.split_once('-') else {
        return false;
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(year) && year.len() == 4 && digits(seq) && (4..=19).contains(&seq.len())
}

/// The longest GCVE ID accepted, in bytes: GCVE-BCP-04 sets no maximum but
/// recommends keeping an identifier, prefix included, within 255 bytes.
pub const GCVE_MAX_LEN: usize = 255;

/// Whether a string is a well-formed GCVE ID, by the rules of the GCVE
/// initiative (<https://gcve.eu/about/> and GCVE-BCP-04, "Recommendations
/// and Best Practices for ID Allocation", version 1.1 of 2025-08-27,
/// <https://gcve.eu/bcp/gcve-bcp-04>):
///
/// - `GCVE-<GNA-ID>-<GNA-VALUE>`, which BCP-04 checks with
///   `^GCVE-[0-9]+-[\x22-\x7E]+$`: the GNA's number in decimal digits,
///   then printable 7-bit characters without spaces. The usual value is
///   `<YEAR>-<UNIQUE-ID>` (`GCVE-1-2025-00001`), the unique part of any
///   length and leading zeros allowed (BCP-04's own example is 130 binary
///   digits long), but a GNA may keep a scheme of its own
///   (`GCVE-65535-GHSA-jc7w-c686-c4v9`).
/// - at most [`GCVE_MAX_LEN`] bytes, as BCP-04 recommends.
/// - GNA 0 is reserved for the CVE Program: `GCVE-0-2023-40224` is exactly
///   `CVE-2023-40224` (gcve.eu, "Reserved GNA Identifiers"), so after
///   `GCVE-0-` must come a valid CVE number (see [`is_valid_cve_id`]).
/// - Embargo's addition: the GNA number is written without leading zeros
///   (`GCVE-01-…` would name GNA 1 a second way).
///
/// ```
/// use embargo::core::model::is_valid_gcve_id;
/// assert!(is_valid_gcve_id("GCVE-1-2025-00001"));
/// assert!(is_valid_gcve_id("GCVE-0-2023-40224"));
/// assert!(is_valid_gcve_id("GCVE-65535-GHSA-jc7w-c686-c4v9"));
/// assert!(!is_valid_gcve_id("GCVE-0-2023-123"));
/// assert!(!is_valid_gcve_id("GCVE-1-2025 0001"));
/// assert!(!is_valid_gcve_id("GCVE-01-2025-0001"));
/// assert!(!is_valid_gcve_id("gcve-1-2025-0001"));
/// assert!(!is_valid_gcve_id("GCVE-x-2025-0001"));
/// ```
pub fn is_valid_gcve_id(s: &str) -> bool {
    gcve_gna(s).is_some()
}

/// The GNA number of a well-formed GCVE ID (see [`is_valid_gcve_id`]).
pub fn gcve_gna(s: &str) -> Option<u64> {
    if s.len() > GCVE_MAX_LEN {
        return None;
    }
    let rest = s.strip_prefix("GCVE-")?;
    let (gna, value) = rest.split_once('-')?;
    if gna.is_empty()
        || !gna.bytes().all(|b| b.is_ascii_digit())
        || (gna.len() > 1 && gna.starts_with('0'))
        || value.is_empty()
        || !value.bytes().all(|b| (0x22..=0x7e).contains(&b))
    {
        return None;
    }
    let gna: u64 = gna.parse().ok()?;
    if gna == 0 && !is_valid_cve_id(&format!("CVE-{value}")) {
        return None;
    }
    Some(gna)
}

/// The CVE ID a `GCVE-0-…` ID is (`GCVE-0-2023-40224` → `CVE-2023-40224`);
/// `None` for anything else.
pub fn gcve_to_cve(s: &str) -> Option<String> {
    let value = s.strip_prefix("GCVE-0-")?;
    let cve = format!("CVE-{value}");
    is_valid_cve_id(&cve).then_some(cve)
}

/// The GCVE form of a CVE ID (`CVE-2023-40224` → `GCVE-0-2023-40224`).
pub fn cve_to_gcve(s: &str) -> Option<String> {
    is_valid_cve_id(s).then(|| format!("GCVE-0-{}", &s["CVE-".len()..]))
}

/// Whether a string is a CVE ID or a GCVE ID (see [`is_valid_cve_id`] and
/// [`is_valid_gcve_id`]): what an issue's identifier may be.
pub fn is_valid_vuln_id(s: &str) -> bool {
    is_valid_cve_id(s) || is_valid_gcve_id(s)
}
