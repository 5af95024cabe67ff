//! The OSV 1.7.5 record of an issue, shaped as curl publishes its own: the
//! id is the project's registered database prefix and the CVE ID
//! (`CURL-CVE-2023-38545`), the versions are a `SEMVER` range (`ECOSYSTEM`
//! when a bound is not a semantic version) from each branch's first affected
//! version to the version that fixes it, and when the introducing commit is
//! known a `GIT` range on the public repository runs from it to the full
//! hashes of the fix commits. `modified` is the export time; `published`
//! appears only once the issue is public.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::facts;
use super::{ExportError, FieldProblem};
use crate::core::model::{CvssVersion, Issue, Project};

/// The OSV schema version written.
pub const SCHEMA_VERSION: &str = "1.7.5";

/// The database prefixes the OSV 1.7.5 schema accepts (its `prefix`
/// pattern, `SUSE-[SRFO]U` spelt out). A record's id is one of them, a dash
/// and the record's own name; a project without one asks OSV to register it.
pub const REGISTERED_PREFIXES: &[&str] = &[
    "ASB-A",
    "PUB-A",
    "ALPINE",
    "ALSA",
    "ALBA",
    "ALEA",
    "BELL",
    "BIT",
    "CGA",
    "CLEANSTART",
    "CURL",
    "CVE",
    "DEBIAN",
    "DHI",
    "DRUPAL",
    "DSA",
    "DLA",
    "ELA",
    "DTSA",
    "ECHO",
    "EEF",
    "FreeBSD",
    "GHSA",
    "GO",
    "GSD",
    "HSEC",
    "JLSEC",
    "KUBE",
    "LBSEC",
    "LSN",
    "MAL",
    "MINI",
    "MGASA",
    "OESA",
    "OSEC",
    "OSV",
    "openSUSE-SU",
    "PHSA",
    "PSF",
    "PYSEC",
    "RHBA",
    "RHEA",
    "RHSA",
    "RLSA",
    "RXSA",
    "RSEC",
    "ROOT",
    "RUSTSEC",
    "SUSE-SU",
    "SUSE-RU",
    "SUSE-FU",
    "SUSE-OU",
    "UBUNTU",
    "USN",
    "V8",
];

/// Whether `prefix` has the shape of a database prefix: ASCII letters and
/// digits with dashes only inside, e.g. `CURL` or `openSUSE-SU`.
pub fn is_prefix_shaped(prefix: &str) -> bool {
    !prefix.is_empty()
        && !prefix.starts_with('-')
        && !prefix.ends_with('-')
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}
/// An OSV record (the parts Embargo writes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvRecord {
    /// `1.7.5`.
    pub schema_version: String,
    /// The database prefix and the CVE ID, e.g. `CURL-CVE-2023-38545`.
    pub id: String,
    /// When the record was made (the export time), RFC 3339 UTC.
    pub modified: String,
    /// When the issue became public; absent until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Other IDs: the CVE, GHSA, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One line.
    pub summary: String,
    /// What is wrong and what an attacker gains.
    pub details: String,
    /// CVSS vectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<OsvSeverity>,
    /// What is affected.
    pub affected: Vec<OsvAffected>,
    /// Web references.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<OsvReference>,
    /// Credits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<OsvCredit>,
    /// The project's own severity and CWEs.
    pub database_specific: serde_json::Value,
}

/// One severity entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OsvSeverity {
    /// `CVSS_V3` or `CVSS_V4`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector.
    pub score: String,
}

/// One affected entry: the version range and the git range, without a
/// package (a C project has no package ecosystem).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvAffected {
    /// The ranges.
    pub ranges: Vec<OsvRange>,
}

/// One range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvRange {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The public repository (`GIT` ranges only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// `introduced` and `fixed` events: versions, or commits for `GIT`.
    pub events: Vec<OsvEvent>,
}

/// One event of a range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OsvEvent {
    /// Affected from this version or commit on.
    Introduced(String),
    /// Fixed in this version or by this commit.
    Fixed(String),
}

/// One reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OsvReference {
    /// `ADVISORY`, `FIX`, `REPORT`, `ARTICLE`, `EVIDENCE` or `WEB`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The address.
    pub url: String,
}

/// One credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OsvCredit {
    /// Who.
    pub name: String,
    /// Their role, e.g. `REMEDIATION_DEVELOPER`.
    #[serde(rename = "type")]
    pub kind: String,
}

fn reference_type(tags: &[String]) -> &'static str {
    let has = |t: &str| tags.iter().any(|x| x == t);
    if has("vendor-advisory") || has("third-party-advisory") {
        "ADVISORY"
    } else if has("patch") {
        "FIX"
    } else if has("issue-tracking") || has("mailing-list") {
        "REPORT"
    } else if has("exploit") {
        "EVIDENCE"
    } else if has("technical-description") || has("media-coverage") {
        "ARTICLE"
    } else {
        "WEB"
    }
}

/// The record's id: the project's prefix, a dash, and the issue's CVE ID
/// (as curl names `CURL-CVE-2023-38545`) or GCVE ID (`CURL-GCVE-1-2026-0042`;
/// the schema asks only for a registered prefix before the first dash),
/// else the issue's own ID.
pub fn record_id(project: &Project, issue: &Issue) -> String {
    let name = issue.identifier().unwrap_or(&issue.id);
    format!("{}-{name}", project.publication.osv_prefix.trim())
}

fn id_problem(project: &Project) -> Option<FieldProblem> {
    let prefix = project.publication.osv_prefix.trim();
    let place = crate::core::settings::OSV_PREFIX;
    if prefix.is_empty() {
        Some(FieldProblem::new(
            "id",
            format!(
                "the OSV database prefix is not set: the OSV schema accepts only registered prefixes, such as CURL; set the one OSV registered for the project in {place}"
            ),
        ))
    } else if !REGISTERED_PREFIXES.contains(&prefix) {
        Some(FieldProblem::new(
            "id",
            format!(
                "`{prefix}` is not a database prefix the OSV 1.7.5 schema accepts: ask the OSV project to register it (github.com/ossf/osv-schema), then set it in {place}"
            ),
        ))
    } else {
        None
    }
}

/// The version range: one `introduced`/`fixed` pair per affected branch,
/// oldest first.
fn version_range(project: &Project, issue: &Issue) -> Option<OsvRange> {
    let mut pairs: Vec<(String, Option<String>)> = issue
        .affected
        .iter()
        .map(|r| {
            (
                r.introduced.trim().to_owned(),
                facts::fixed_version(project, issue, r),
            )
        })
        .filter(|(i, _)| !i.is_empty())
        .collect();
    if pairs.is_empty() {
        return None;
    }
    pairs.sort_by(|a, b| facts::version_cmp(&a.0, &b.0));
    let semver = pairs
        .iter()
        .all(|(i, f)| facts::version_type(i, f.as_deref()) == "semver");
    let mut events = Vec::new();
    for (introduced, fixed) in pairs {
        events.push(OsvEvent::Introduced(introduced));
        if let Some(f) = fixed {
            events.push(OsvEvent::Fixed(f));
        }
    }
    Some(OsvRange {
        kind: if semver { "SEMVER" } else { "ECOSYSTEM" }.into(),
        repo: None,
        events,
    })
}

fn build(project: &Project, issue: &Issue, now: DateTime<Utc>) -> (OsvRecord, Vec<FieldProblem>) {
    let mut problems: Vec<FieldProblem> = id_problem(project).into_iter().collect();
    let mut ranges = Vec::new();
    match version_range(project, issue) {
        Some(r) => ranges.push(r),
        None => problems.push(FieldProblem::new(
            "affected/0/ranges/0/events",
            "no affected versions are recorded: add the first affected version of each branch",
        )),
    }
    if issue.fix_commits.is_empty() {
        problems.push(FieldProblem::new(
            "affected/0/ranges",
            "no fix commit is recorded: add the commits that fix the issue",
        ));
    }
    let introduced_commit = issue
        .introduced_commit
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(introduced) = introduced_commit {
        let at = format!("affected/0/ranges/{}", ranges.len());
        let repo = project.publication.repo_url.trim().to_owned();
        if repo.is_empty() {
            problems.push(FieldProblem::new(
                format!("{at}/repo"),
                format!(
                    "the public repository address is not set: set it in {}",
                    crate::core::settings::REPO_URL
                ),
            ));
        }
        if !facts::is_full_hash(introduced) {
            problems.push(FieldProblem::new(
                format!("{at}/events/0/introduced"),
                format!(
                    "`{introduced}` is not a full commit hash: record the whole 40-character id of the introducing commit (git rev-parse)"
                ),
            ));
        }
        let mut events = vec![OsvEvent::Introduced(introduced.to_owned())];
        for c in &issue.fix_commits {
            if !facts::is_full_hash(&c.id) {
                problems.push(FieldProblem::new(
                    format!("{at}/events/{}/fixed", events.len()),
                    format!(
                        "`{}` is not a full commit hash: record the whole 40-character id (git rev-parse)",
                        c.id
                    ),
                ));
            }
            if !events.contains(&OsvEvent::Fixed(c.id.clone())) {
                events.push(OsvEvent::Fixed(c.id.clone()));
            }
        }
        ranges.push(OsvRange {
            kind: "GIT".into(),
            repo: Some(repo),
            events,
        });
    } else {
        // Without a GIT range the fix commits are still named, as FIX
        // references: their hashes must be whole there too.
        for (n, c) in issue.fix_commits.iter().enumerate() {
            if !facts::is_full_hash(&c.id) {
                problems.push(FieldProblem::new(
                    format!("references/{n}"),
                    format!(
                        "`{}` is not a full commit hash: record the whole 40-character id (git rev-parse)",
                        c.id
                    ),
                ));
            }
        }
    }
    let details = super::cve::description_text(issue);
    if details.is_empty() {
        problems.push(FieldProblem::new(
            "details",
            "the issue has no description: write what is wrong and what an attacker gains",
        ));
    }
    // The CVE or GCVE ID first, then the other schemes' IDs.
    let mut aliases: Vec<String> = issue.identifier().map(str::to_owned).into_iter().collect();
    aliases.extend(issue.other_ids.iter().map(|i| i.id.clone()));
    let severity = issue
        .cvss
        .iter()
        .map(|c| OsvSeverity {
            kind: match c.version {
                CvssVersion::V3_1 => "CVSS_V3",
                CvssVersion::V4_0 => "CVSS_V4",
            }
            .into(),
            score: c.vector.clone(),
        })
        .collect();
    let mut references = Vec::new();
    if let Some(url) = project
        .release_of(&issue.id)
        .and_then(|r| facts::advisory_url(project, r))
    {
        references.push(OsvReference {
            kind: "ADVISORY".into(),
            url,
        });
    }
    for c in &issue.fix_commits {
        if let Some(url) = facts::commit_url(project, &c.id) {
            references.push(OsvReference {
                kind: "FIX".into(),
                url,
            });
        }
    }
    for r in &issue.references {
        if references.iter().all(|e| e.url != r.url) {
            references.push(OsvReference {
                kind: reference_type(&r.tags).into(),
                url: r.url.clone(),
            });
        }
    }
    let credits = facts::credits(issue)
        .into_iter()
        .map(|(name, role)| OsvCredit {
            name,
            kind: role.osv_type(),
        })
        .collect();
    let cwes: Vec<&str> = issue
        .cwe
        .as_deref()
        .into_iter()
        .chain(issue.problem_types.iter().filter_map(|p| p.cwe.as_deref()))
        .fold(Vec::new(), |mut v, c| {
            if !v.contains(&c) {
                v.push(c);
            }
            v
        });
    // Published only once public, and never after the record's own time.
    let published = facts::published_date(project, issue).filter(|d| *d <= now);
    let record = OsvRecord {
        schema_version: SCHEMA_VERSION.into(),
        id: record_id(project, issue),
        modified: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        published: published.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
        aliases,
        summary: issue.title.clone(),
        details,
        severity,
        affected: vec![OsvAffected { ranges }],
        references,
        credits,
        database_specific: serde_json::json!({
            "severity": issue.severity.map(|s| s.to_string()),
            "cwe_ids": cwes,
        }),
    };
    (record, problems)
}

/// What `issue` lacks for an OSV record, each problem naming the field.
pub fn check(project: &Project, issue: &Issue, now: DateTime<Utc>) -> Vec<FieldProblem> {
    build(project, issue, now).1
}

/// The OSV 1.7.5 record of `issue`, stamped `modified` at `now`.
pub fn record(
    project: &Project,
    issue: &Issue,
    now: DateTime<Utc>,
) -> Result<OsvRecord, ExportError> {
    match build(project, issue, now) {
        (record, problems) if problems.is_empty() => Ok(record),
        (_, problems) => Err(ExportError::Incomplete {
            what: format!("the OSV record of {}", issue.id),
            problems,
        }),
    }
}

/// A record as pretty-printed JSON with a final newline.
pub fn to_json(record: &OsvRecord) -> String {
    let mut text = serde_json::to_string_pretty(record).expect("a record serializes");
    text.push('\n');
    text
}

/// The usual file name of an issue's OSV record: `ID.json`.
pub fn file_name(issue: &Issue) -> String {
    format!("{}.osv.json", issue.id)
}
