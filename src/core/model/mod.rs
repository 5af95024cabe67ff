//! The domain model: projects, issues (vulnerabilities), releases and the
//! journal. Plain data with serde derives; field order is the file order, so
//! project files diff and merge well. Nothing here does I/O.

mod issue;
mod journal;
mod project;
mod release;
mod step;

pub use issue::{
    Acknowledgement, AffectedRange, CraReports, Credit, CreditRole, CveState, Cvss, CvssVersion,
    FixCommit, GCVE_MAX_LEN, IdAuthority, Identifier, ImpactKind, Intake, IntakeChannel, Issue,
    LEGACY_FIELDS, NoticeState, ProblemType, Reference, ReleaseStrategy, Reporter, Severity, Told,
    Verdict, cve_to_gcve, gcve_gna, gcve_to_cve, is_valid_cve_id, is_valid_gcve_id,
    is_valid_vuln_id,
};
pub use journal::{Event, JournalEntry, fill_ids as fill_journal_ids, is_valid_entry_id};
pub use project::{
    Anchor, Blackout, BranchSupport, KeyLocation, MailSettings, Member, PlaybookRef, Project,
    PublicationSettings, Recipient, RecipientRole, RepoSettings, SCHEMA_VERSION, SigningKeyRef,
    Support, TarballFormat, TimeSettings, slug,
};
pub use release::{Artifact, ArtifactKind, Milestone, Release, ShareCredential, ShareState};
pub use step::StepKind;

mod validate;
pub use validate::{
    ID_RULE, Problem, UnsafeName, VERSION_RULE, is_valid_id, is_valid_version, looks_like_address,
    safe_file_name, validate,
};

#[cfg(test)]
mod roundtrip_tests;
