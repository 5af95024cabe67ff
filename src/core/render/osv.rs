//! The OSV 1.7 record of an issue. Projects without a package ecosystem (C
//! servers and libraries) describe what is affected by a `GIT` range on their
//! public repository whose `fixed` events are the full hashes of the fix
//! commits; the version ranges ride along in the range's `database_specific`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::facts;
use super::{ExportError, FieldProblem};
use crate::core::model::{CvssVersion, Issue, Project};

/// The OSV schema version written.
pub const SCHEMA_VERSION: &str = "1.7.0";

/// An OSV record (the parts Embargo writes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvRecord {
    /// `1.7.0`.
    pub schema_version: String,
    /// The project's own ID of the issue, e.g. `EXIM-2`.
    pub id: String,
    /// When the record was made, RFC 3339 UTC.
    pub modified: String,
    /// When the issue became public.
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

/// One affected entry: a git range without a package.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvAffected {
    /// The ranges.
    pub ranges: Vec<OsvRange>,
}

/// One range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsvRange {
    /// `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The public repository.
    pub repo: String,
    /// `introduced` and `fixed` events.
    pub events: Vec<OsvEvent>,
    /// The version ranges, for people.
    pub database_specific: serde_json::Value,
}

/// One event of a range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OsvEvent {
    /// Affected from this commit on (`0`: from the start).
    Introduced(String),
    /// Fixed by this commit.
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

fn build(project: &Project, issue: &Issue, now: DateTime<Utc>) -> (OsvRecord, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    let repo = project.publication.repo_url.trim().to_owned();
    if repo.is_empty() {
        problems.push(FieldProblem::new(
            "affected/0/ranges/0/repo",
            format!(
                "the public repository address is not set: set it in {}",
                crate::core::settings::REPO_URL
            ),
        ));
    }
    let mut events = vec![OsvEvent::Introduced("0".into())];
    if issue.fix_commits.is_empty() {
        problems.push(FieldProblem::new(
            "affected/0/ranges/0/events",
            "no fix commit is recorded: add the commits that fix the issue",
        ));
    }
    for c in &issue.fix_commits {
        if !facts::is_full_hash(&c.id) {
            problems.push(FieldProblem::new(
                format!("affected/0/ranges/0/events/{}/fixed", events.len()),
                format!(
                    "`{}` is not a full commit hash: record the whole 40-character id (git rev-parse)",
                    c.id
                ),
            ));
        }
        events.push(OsvEvent::Fixed(c.id.clone()));
    }
    let versions: Vec<serde_json::Value> = issue
        .affected
        .iter()
        .map(|r| {
            serde_json::json!({
                "introduced": r.introduced,
                "fixed": facts::fixed_version(project, issue, r),
            })
        })
        .collect();
    let details = super::cve::description_text(issue);
    if details.is_empty() {
        problems.push(FieldProblem::new(
            "details",
            "the issue has no description: write what is wrong and what an attacker gains",
        ));
    }
    let mut aliases: Vec<String> = issue.cve_id().map(str::to_owned).into_iter().collect();
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
    let record = OsvRecord {
        schema_version: SCHEMA_VERSION.into(),
        id: issue.id.clone(),
        modified: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        published: facts::public_date(project, issue)
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
        aliases,
        summary: issue.title.clone(),
        details,
        severity,
        affected: vec![OsvAffected {
            ranges: vec![OsvRange {
                kind: "GIT".into(),
                repo,
                events,
                database_specific: serde_json::json!({ "versions": versions }),
            }],
        }],
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

/// The OSV 1.7 record of `issue`, stamped `modified` at `now`.
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
