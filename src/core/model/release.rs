//! A coordinated public release: the planned instant, the issues it carries
//! (OpenSSL often ships several at once) and the artifacts made for it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One coordinated public release.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Release")]
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
    /// IDs of the issues this release fixes.
    pub issues: Vec<String>,
    /// Files made for this release.
    #[serde(default)]
    pub artifacts: Vec<Artifact>,
}

/// A file made for a release: tarball, patch, signature or checksum list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Artifact")]
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
