//! A coordinated public release: the planned instant, the issues it carries
//! (OpenSSL often ships several at once) and the artifacts made for it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One coordinated public release.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Release", deny_unknown_fields)]
pub struct Release {
    /// Stable identifier, e.g. `4.99.3`.
    pub id: String,
    /// The version released, as written in the version file.
    pub version: String,
    /// The planned public release instant (UTC), once chosen.
    pub planned: Option<DateTime<Utc>>,
    /// When the release actually went public, once it has.
    #[serde(default)]
    pub published: Option<DateTime<Utc>>,
    /// The tag of the release this one fixes (the standalone patch starts
    /// there), e.g. `postbote-4.99.2`.
    #[serde(default)]
    pub base_tag: Option<String>,
    /// IDs of the issues this release fixes.
    pub issues: Vec<String>,
    /// Files made for this release.
    #[serde(default)]
    pub artifacts: Vec<Artifact>,
    /// Milestones moved by hand; the others are derived from `planned`.
    #[serde(default)]
    pub milestones: BTreeMap<Milestone, DateTime<Utc>>,
    /// Credentials for the embargoed download, one per recipient list; only
    /// their hashes are kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<ShareCredential>,
}

/// One recipient list's credentials for the embargoed download. The
/// password itself is never stored: only its bcrypt hash (for Basic
/// authentication) and its digest hash HA1 = MD5(user:realm:password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Share", deny_unknown_fields)]
pub struct ShareCredential {
    /// The recipient list's name.
    pub list: String,
    /// The usercode.
    pub user: String,
    /// The bcrypt hash, as `.htpasswd` holds it.
    pub bcrypt: String,
    /// The digest authentication realm.
    pub realm: String,
    /// MD5(user:realm:password), as `.htdigest` holds it.
    pub ha1: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// Whether it still opens the download.
    pub state: ShareState,
}

/// The state of a share credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    /// It opens the download.
    Active,
    /// Replaced by a new one, or withdrawn by hand.
    Revoked,
    /// The release is public: the embargo is over.
    Expired,
}

/// The milestones of a disclosure timeline, in their usual order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// Support customers and pre-notification vendors are told (OpenSSL).
    VendorNotice,
    /// The public pre-announcement, without details (OpenSSL).
    PreAnnouncement,
    /// Advance notice to the private maintainers list.
    MaintainersNotice,
    /// The first post to the Openwall distros list.
    DistrosNotice,
    /// Notice of fix availability with the embargoed download.
    FixAvailability,
    /// The public release.
    Release,
    /// The post to Openwall oss-security.
    OssSecurity,
    /// Publication of the CVE record.
    CveRecord,
    /// The fix pushed to public git.
    PublicGit,
}

impl Milestone {
    /// All milestones, in order.
    pub const ALL: [Milestone; 9] = [
        Self::VendorNotice,
        Self::PreAnnouncement,
        Self::MaintainersNotice,
        Self::DistrosNotice,
        Self::FixAvailability,
        Self::Release,
        Self::OssSecurity,
        Self::CveRecord,
        Self::PublicGit,
    ];

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::VendorNotice => "Vendor and customer pre-notification",
            Self::PreAnnouncement => "Public pre-announcement",
            Self::MaintainersNotice => "Maintainers notice",
            Self::DistrosNotice => "Distros notice",
            Self::FixAvailability => "Fix availability mail",
            Self::Release => "Release",
            Self::OssSecurity => "oss-security post",
            Self::CveRecord => "CVE record published",
            Self::PublicGit => "Fix pushed to public git",
        }
    }

    /// The identifier used in files and exports.
    pub fn id(self) -> &'static str {
        match self {
            Self::VendorNotice => "vendor_notice",
            Self::PreAnnouncement => "pre_announcement",
            Self::MaintainersNotice => "maintainers_notice",
            Self::DistrosNotice => "distros_notice",
            Self::FixAvailability => "fix_availability",
            Self::Release => "release",
            Self::OssSecurity => "oss_security",
            Self::CveRecord => "cve_record",
            Self::PublicGit => "public_git",
        }
    }
}

/// A file made for a release: tarball, patch, signature or checksum list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Artifact", deny_unknown_fields)]
pub struct Artifact {
    /// Where the file is.
    pub path: String,
    /// What it is.
    pub kind: ArtifactKind,
    /// Size in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of its content.
    pub sha256: String,
    /// The detached signature beside it, if signed.
    #[serde(default)]
    pub signature: Option<String>,
    /// Fingerprint of the key that signed it.
    #[serde(default)]
    pub signer: Option<String>,
}

/// Kinds of artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArtifactKind {
    /// A source tarball.
    Tarball,
    /// A standalone patch.
    Patch,
    /// A checksum list (SHA256SUMS, SHA512SUMS).
    Checksums,
    /// Anything else (advisory text, records).
    Other,
}

impl ArtifactKind {
    /// Guess the kind from a file name: tarballs and zip archives, patches
    /// and diffs, checksum lists; anything else is `Other`.
    pub fn from_file_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        let base = lower.rsplit('/').next().unwrap_or(&lower);
        if [
            ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tar", ".zip",
        ]
        .iter()
        .any(|ext| base.ends_with(ext))
        {
            Self::Tarball
        } else if base.ends_with(".patch") || base.ends_with(".diff") {
            Self::Patch
        } else if base.ends_with("sums") {
            Self::Checksums
        } else {
            Self::Other
        }
    }
}
