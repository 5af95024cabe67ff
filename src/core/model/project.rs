//! A project: one piece of software whose security releases are coordinated,
//! with its repository layout, signing key reference, mail settings (never a
//! secret), recipients, time zones, playbook, issues, releases and journal.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::issue::Issue;
use super::journal::JournalEntry;
use super::release::Release;

/// The schema version this build writes. Older files are migrated on load;
/// newer ones are refused.
///
/// Version 2 gave journal entries their ids and authors and the project
/// its members; version-1 files get ids derived from their entries.
pub const SCHEMA_VERSION: u32 = 2;

/// A project, as stored in `NAME.embargo.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "EmbargoProject", deny_unknown_fields)]
pub struct Project {
    /// The file's schema version; always [`SCHEMA_VERSION`] in memory.
    pub schema: u32,
    /// The project's name, e.g. "Exim".
    pub name: String,
    /// The playbook its issues follow.
    pub playbook: PlaybookRef,
    /// The private repository and how releases are named.
    pub repo: RepoSettings,
    /// The release signing key, if set up.
    pub signing: Option<SigningKeyRef>,
    /// Outgoing mail settings. Passwords are never stored.
    pub mail: MailSettings,
    /// People and lists that receive notices.
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Home zone and the zones shown on the release-time picker.
    pub time: TimeSettings,
    /// Names and addresses the advisories and records carry.
    #[serde(default)]
    pub publication: PublicationSettings,
    /// The vulnerabilities, in creation order.
    #[serde(default)]
    pub issues: Vec<Issue>,
    /// Coordinated releases.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// Project-level journal (settings, releases); each issue keeps its own.
    #[serde(default)]
    pub journal: Vec<JournalEntry>,
    /// The team working the project together: who may author journal
    /// entries, and (for a project encrypted to its team) whose
    /// certificates it is encrypted to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
}

/// A member of the team working a project together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Member", deny_unknown_fields)]
pub struct Member {
    /// Display name, e.g. "Ada Lovelace".
    pub name: String,
    /// Mail address; it identifies the member (journal entries name their
    /// author by it) and is matched without regard to case.
    pub address: String,
    /// Fingerprint of their OpenPGP certificate, once imported (hex, no
    /// spaces).
    #[serde(default)]
    pub cert_fingerprint: Option<String>,
    /// Their OpenPGP certificate (public key), ASCII-armored, kept in the
    /// project so that it travels with it; imported from a file.
    #[serde(default)]
    pub cert: Option<String>,
}

impl Member {
    /// A member without certificate.
    pub fn new(name: impl Into<String>, address: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            address: address.into(),
            cert_fingerprint: None,
            cert: None,
        }
    }
}

impl Project {
    /// A new, empty project following `playbook`, with sensible defaults.
    pub fn new(name: impl Into<String>, playbook: PlaybookRef) -> Self {
        let name = name.into();
        let slug = slug(&name);
        Self {
            schema: SCHEMA_VERSION,
            repo: RepoSettings {
                path: String::new(),
                public_remotes: vec!["origin".to_owned()],
                private_remotes: Vec::new(),
                version_file: String::new(),
                version_pattern: String::new(),
                tag_template: format!("{slug}-{{version}}"),
                tarball_template: format!("{slug}-{{version}}"),
                tarball_formats: TarballFormat::defaults(),
            },
            name,
            playbook,
            signing: None,
            mail: MailSettings::default(),
            recipients: Vec::new(),
            time: TimeSettings::default(),
            publication: PublicationSettings::default(),
            issues: Vec::new(),
            releases: Vec::new(),
            journal: Vec::new(),
            members: Vec::new(),
        }
    }

    /// The member with this address (compared without regard to case or
    /// surrounding blanks).
    pub fn member(&self, address: &str) -> Option<&Member> {
        let address = address.trim();
        self.members
            .iter()
            .find(|m| m.address.trim().eq_ignore_ascii_case(address))
    }

    /// The author new journal entries are credited to: the first of
    /// `identities` (the user's preference, then git's `user.email`, as the
    /// front ends find them) that is a member's address, as the member
    /// spells it. `None` when none is.
    pub fn author_for<'a>(&self, identities: impl IntoIterator<Item = &'a str>) -> Option<String> {
        identities
            .into_iter()
            .find_map(|id| self.member(id))
            .map(|m| m.address.trim().to_owned())
    }

    /// Credit every entry not saved yet (one without an id) that has no
    /// author to `author`. Call before saving, with [`Project::author_for`].
    pub fn claim_new_entries(&mut self, author: &str) {
        let journals = std::iter::once(&mut self.journal)
            .chain(self.issues.iter_mut().map(|i| &mut i.journal));
        for journal in journals {
            for entry in journal.iter_mut().filter(|e| e.id.is_empty()) {
                entry.author.get_or_insert_with(|| author.to_owned());
            }
        }
    }

    /// Whether some journal entry has no id yet.
    pub fn has_entries_without_id(&self) -> bool {
        self.journal
            .iter()
            .chain(self.issues.iter().flat_map(|i| &i.journal))
            .any(|e| e.id.is_empty())
    }

    /// Give every journal entry that has none its derived id (see
    /// [`JournalEntry::derived_id`]). Ids already given are kept. The store
    /// does this on every load and save, so entries have ids on disk.
    pub fn fill_ids(&mut self) {
        super::journal::fill_ids(&mut self.journal, "");
        for issue in &mut self.issues {
            super::journal::fill_ids(&mut issue.journal, &issue.id);
        }
    }

    /// The issue with this ID.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }

    /// The issue with this ID, mutably.
    pub fn issue_mut(&mut self, id: &str) -> Option<&mut Issue> {
        self.issues.iter_mut().find(|i| i.id == id)
    }

    /// The release that carries this issue, if it is planned into one.
    pub fn release_of(&self, issue_id: &str) -> Option<&Release> {
        self.releases
            .iter()
            .find(|r| r.issues.iter().any(|i| i == issue_id))
    }

    /// A fresh issue ID: the project's prefix and the next free number.
    pub fn next_issue_id(&self) -> String {
        let prefix = slug(&self.name).to_uppercase();
        let prefix = if prefix.is_empty() {
            "ISSUE".to_owned()
        } else {
            prefix
        };
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| self.issue(id).is_none())
            .expect("an unbounded range always yields a free id")
    }
}

/// A lower-case, file-name friendly form of a name.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// What the published advisories and records say about the project: its
/// names in CVE records, its CNA, and the addresses of its repository,
/// advisories, downloads and severity policy. Empty fields are left out or
/// reported when a record needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Publication", default, deny_unknown_fields)]
pub struct PublicationSettings {
    /// The vendor named in CVE records; the project's name when empty.
    pub vendor: String,
    /// The product named in records; the project's name when empty.
    pub product: String,
    /// The CNA's organisation UUID (`providerMetadata.orgId`). OpenSSL keeps
    /// the placeholder `00000000-0000-4000-9000-000000000000` in its sources
    /// and lets the CVE services put in the real one.
    pub cna_org_id: String,
    /// The CNA's short name, e.g. `openssl`.
    pub cna_short_name: String,
    /// The public git repository, e.g. `https://github.com/exim/exim.git` (OSV GIT ranges).
    pub repo_url: String,
    /// The web address of one commit; `{commit}` marks the full hash.
    pub commit_url: String,
    /// The web address of a release's security advisory; `{date}` marks the
    /// release date as `YYYYMMDD`.
    pub advisory_url: String,
    /// The download address of a release file; `{file}` marks its name.
    pub download_url: String,
    /// The page that defines the project's severity levels.
    pub severity_policy_url: String,
    /// The embargoed download address of a release, behind authentication;
    /// `{version}` marks its version, e.g.
    /// `https://share.example.org/embargo/{version}/`.
    pub embargo_url: String,
    /// The support status of release branches, e.g. `4.11` as premium
    /// support only; a branch not listed is supported. The security
    /// advisory's upgrade lines and its closing notes read it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<BranchSupport>,
    /// The prefix OSV has registered for the project's vulnerability
    /// database, without the dash, e.g. `CURL` (records are then named
    /// `CURL-CVE-2023-38545`). Empty until set; the OSV export refuses then,
    /// since the OSV schema accepts only registered prefixes.
    pub osv_prefix: String,
    /// Who assigns the project's vulnerability identifiers, when the project
    /// says so itself: the CVE Program, or a GCVE numbering authority with
    /// its number. Unset, the playbook's choice holds (see
    /// [`crate::core::playbook::id_authority`]), else CVE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_authority: Option<super::IdAuthority>,
    /// Whether the project places its product on the EU market as a
    /// manufacturer under the Cyber Resilience Act (Regulation (EU)
    /// 2024/2847): an actively exploited issue then owes the reports of its
    /// Article 14 ([`crate::core::duties`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ships_in_eu: bool,
}

/// How one release branch is supported, for the upgrade lines of an advisory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Branch", deny_unknown_fields)]
pub struct BranchSupport {
    /// The branch as the advisory names it, e.g. `4.11` (see the upgrade lines).
    pub branch: String,
    /// Its support status.
    pub support: Support,
}

/// The support status of a release branch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Support {
    /// Publicly supported: fixes are released for everyone.
    #[default]
    Public,
    /// Past its public end of life; fixes go to premium support customers only.
    PremiumOnly,
    /// Past its end of life; no fixes at all.
    EndOfLife,
}

impl PublicationSettings {
    /// The support status of `branch`: the listed one, else [`Support::Public`].
    pub fn support_of(&self, branch: &str) -> Support {
        self.branches
            .iter()
            .find(|b| b.branch.trim() == branch)
            .map(|b| b.support)
            .unwrap_or_default()
    }

    /// The vendor for records: the set one, else the project's name.
    pub fn vendor_or<'a>(&'a self, project_name: &'a str) -> &'a str {
        if self.vendor.trim().is_empty() {
            project_name
        } else {
            &self.vendor
        }
    }

    /// The product for records: the set one, else the project's name.
    pub fn product_or<'a>(&'a self, project_name: &'a str) -> &'a str {
        if self.product.trim().is_empty() {
            project_name
        } else {
            &self.product
        }
    }
}

/// Which playbook a project follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaybookRef {
    /// A built-in playbook by name: `exim` or `openssl`.
    Builtin(String),
    /// A playbook file of the user's.
    File(String),
}

/// The private repository and the release naming rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Repo", deny_unknown_fields)]
pub struct RepoSettings {
    /// Path of the local private repository.
    pub path: String,
    /// Remotes that are public: embargoed commits must never reach them.
    pub public_remotes: Vec<String>,
    /// Remotes that are private (e.g. the security team's own mirror). Every
    /// remote not listed here counts as public, listed above or not.
    #[serde(default)]
    pub private_remotes: Vec<String>,
    /// File carrying the version, e.g. `src/version.h`.
    pub version_file: String,
    /// Pattern locating the version in it; `{version}` marks the version.
    pub version_pattern: String,
    /// Tag name template, e.g. `exim-{version}`.
    pub tag_template: String,
    /// Tarball base name template, e.g. `exim-{version}`.
    pub tarball_template: String,
    /// Tarball formats to make.
    #[serde(default = "TarballFormat::defaults")]
    pub tarball_formats: Vec<TarballFormat>,
}

impl RepoSettings {
    /// Whether embargoed commits must stay off `remote`: every remote is
    /// public unless it is marked private (and not also listed as public).
    pub fn is_public_remote(&self, remote: &str) -> bool {
        self.public_remotes.iter().any(|r| r == remote)
            || !self.private_remotes.iter().any(|r| r == remote)
    }

    /// Fill `{version}` into a template.
    pub fn fill(template: &str, version: &str) -> String {
        template.replace("{version}", version)
    }
}

/// A release tarball format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TarballFormat {
    /// Plain `.tar`.
    Tar,
    /// `.tar.gz` (gzip).
    Gz,
    /// `.tar.bz2` (bzip2).
    Bz2,
    /// `.tar.xz` (xz).
    Xz,
}

impl TarballFormat {
    /// All formats.
    pub const ALL: [TarballFormat; 4] = [Self::Tar, Self::Gz, Self::Bz2, Self::Xz];

    /// The formats made unless the project says otherwise.
    pub fn defaults() -> Vec<TarballFormat> {
        vec![Self::Gz, Self::Bz2, Self::Xz]
    }

    /// The file name extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Tar => ".tar",
            Self::Gz => ".tar.gz",
            Self::Bz2 => ".tar.bz2",
            Self::Xz => ".tar.xz",
        }
    }

    /// The short name used on the command line (`tar`, `gz`, `bz2`, `xz`).
    pub fn short(self) -> &'static str {
        match self {
            Self::Tar => "tar",
            Self::Gz => "gz",
            Self::Bz2 => "bz2",
            Self::Xz => "xz",
        }
    }
}

/// Where the signing key lives; the secret itself never enters the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "SigningKey", deny_unknown_fields)]
pub struct SigningKeyRef {
    /// The key's fingerprint (hex, no spaces).
    pub fingerprint: String,
    /// Where the secret key is kept.
    pub location: KeyLocation,
}

/// Where a secret key is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum KeyLocation {
    /// In GnuPG's agent (smartcards included); the secret never leaves it.
    GpgAgent {
        /// GnuPG home directory; `None` for the default.
        homedir: Option<String>,
    },
    /// An armored secret key file; the passphrase is asked each time.
    KeyFile {
        /// Path of the key file.
        path: String,
    },
}

/// Outgoing mail settings, without any secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Mail", deny_unknown_fields)]
pub struct MailSettings {
    /// The sender, e.g. `Exim Security <security@exim.org>`.
    pub from: String,
    /// SMTP submission host.
    pub smtp_host: String,
    /// SMTP submission port (587 for STARTTLS, 465 for TLS).
    pub smtp_port: u16,
    /// SMTP user name; the password is asked when sending, never stored.
    pub smtp_user: String,
    /// A PEM file with the CA certificate that signed the SMTP server's
    /// certificate, when it is the user's own CA (relative to the project
    /// file); empty: only the usual roots are trusted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub smtp_ca: String,
}

/// A person or list that receives notices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Recipient", deny_unknown_fields)]
pub struct Recipient {
    /// Display name, e.g. "Openwall distros".
    pub name: String,
    /// Mail address.
    pub address: String,
    /// The recipient's role in the process.
    pub role: RecipientRole,
    /// Fingerprint of their OpenPGP certificate, once imported.
    #[serde(default)]
    pub cert_fingerprint: Option<String>,
    /// Their OpenPGP certificate (public key), ASCII-armored, kept in the
    /// project so that it travels with it; imported from a file.
    #[serde(default)]
    pub cert: Option<String>,
    /// Whether mail to them must be encrypted.
    #[serde(default)]
    pub must_encrypt: bool,
}

impl Recipient {
    /// A recipient without certificate who need not get encrypted mail.
    pub fn new(name: impl Into<String>, address: impl Into<String>, role: RecipientRole) -> Self {
        Self {
            name: name.into(),
            address: address.into(),
            role,
            cert_fingerprint: None,
            cert: None,
            must_encrypt: false,
        }
    }

    /// `Name <address>`, or the bare address when there is no name.
    pub fn mailbox(&self) -> String {
        let name = self.name.trim();
        if name.is_empty() {
            self.address.trim().to_owned()
        } else if name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        {
            format!("{name} <{}>", self.address.trim())
        } else {
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{quoted}\" <{}>", self.address.trim())
        }
    }
}

/// Roles recipients play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecipientRole {
    /// The project's private maintainers list.
    Maintainers,
    /// Openwall `distros` or `linux-distros`.
    Distros,
    /// A vendor receiving pre-notification.
    Vendor,
    /// A support customer receiving pre-notification.
    SupportCustomer,
    /// The reporter.
    Reporter,
    /// The public announcement list.
    Announce,
    /// Openwall `oss-security`.
    OssSecurity,
}

impl RecipientRole {
    /// All roles, in the order of a disclosure.
    pub const ALL: [RecipientRole; 7] = [
        Self::Maintainers,
        Self::Distros,
        Self::Vendor,
        Self::SupportCustomer,
        Self::Reporter,
        Self::Announce,
        Self::OssSecurity,
    ];

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Maintainers => "Private maintainers list",
            Self::Distros => "Openwall distros / linux-distros",
            Self::Vendor => "Vendor",
            Self::SupportCustomer => "Support customer",
            Self::Reporter => "Reporter",
            Self::Announce => "Public announce list",
            Self::OssSecurity => "oss-security",
        }
    }

    /// The short name used on the command line (`--to distros`).
    pub fn short(self) -> &'static str {
        match self {
            Self::Maintainers => "maintainers",
            Self::Distros => "distros",
            Self::Vendor => "vendor",
            Self::SupportCustomer => "support-customer",
            Self::Reporter => "reporter",
            Self::Announce => "announce",
            Self::OssSecurity => "oss-security",
        }
    }

    /// Whether the role is a public list: nothing embargoed may reach it
    /// before the release.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Announce | Self::OssSecurity)
    }

    /// Whether mail to this role goes out as Bcc, so that vendors and
    /// customers do not learn of each other.
    pub fn is_bcc(self) -> bool {
        matches!(self, Self::Vendor | Self::SupportCustomer)
    }
}

/// Time zones for display and for the release-time rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Time", deny_unknown_fields)]
pub struct TimeSettings {
    /// The coordinator's own zone; the journal is shown in it.
    pub home_zone: Tz,
    /// The key zones: shown on the release-time picker (with the home zone)
    /// and checked by the rules, in order.
    pub zones: Vec<Tz>,
    /// Local working hours, `[start, end)` in whole hours, Monday to Friday.
    #[serde(default = "default_working_hours")]
    pub working_hours: (u32, u32),
    /// The preferred release time, as a local time in a named zone.
    #[serde(default)]
    pub anchor: Anchor,
    /// Days on which nothing is released (holidays, conferences).
    #[serde(default)]
    pub blackouts: Vec<Blackout>,
}

fn default_working_hours() -> (u32, u32) {
    (9, 18)
}

impl TimeSettings {
    /// The zones to show: the key zones, then the home zone if not among them.
    pub fn shown_zones(&self) -> Vec<Tz> {
        let mut zones = self.zones.clone();
        if !zones.contains(&self.home_zone) {
            zones.push(self.home_zone);
        }
        zones
    }

    /// The default key zones: UTC and the zones the Exim process names.
    pub fn default_zones() -> Vec<Tz> {
        use chrono_tz::{America, Asia, Europe, Pacific};
        vec![
            chrono_tz::UTC,
            America::Los_Angeles,
            America::New_York,
            Europe::London,
            Europe::Berlin,
            Europe::Moscow,
            Asia::Tokyo,
            Pacific::Honolulu,
        ]
    }
}

/// A preferred release time: a local time of day in a named zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Anchor", deny_unknown_fields)]
pub struct Anchor {
    /// The zone the time is read in.
    pub zone: Tz,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
}

impl Default for Anchor {
    /// 14:00 UTC, the customary hour of OpenSSL releases and night over the Pacific.
    fn default() -> Self {
        Self {
            zone: chrono_tz::UTC,
            hour: 14,
            minute: 0,
        }
    }
}

/// A span of days on which nothing is released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Blackout", deny_unknown_fields)]
pub struct Blackout {
    /// What it is, e.g. "FOSDEM" or "Christmas".
    pub name: String,
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day (inclusive).
    pub to: chrono::NaiveDate,
}

impl Default for TimeSettings {
    fn default() -> Self {
        Self {
            home_zone: chrono_tz::UTC,
            zones: Self::default_zones(),
            working_hours: default_working_hours(),
            anchor: Anchor::default(),
            blackouts: Vec::new(),
        }
    }
}
