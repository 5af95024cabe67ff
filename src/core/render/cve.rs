//! The CVE JSON 5.1 record of an issue, as a CNA submits it: `cveMetadata`
//! and the CNA container with its provider, descriptions, affected versions
//! (`lessThan` and `versionType`), references with tags, CWE problem types,
//! metrics (CVSS 3.1 or 4.0 with the computed base score, and the project's
//! own severity as an `other` metric as OpenSSL does), typed credits and
//! `datePublic`.
//!
//! The typed structs below are the record's shape for both directions:
//! [`record`] fills them from an issue and [`crate::core::import`] reads them
//! from a file. [`check`] lists what an issue lacks, each problem naming the
//! record field it would fill.

use serde::{Deserialize, Serialize};

use super::facts;
use super::{ExportError, FieldProblem};
use crate::core::model::{CvssVersion, Issue, Project, gcve_gna, is_valid_cve_id};

/// The record's `dataVersion`.
pub const DATA_VERSION: &str = "5.1";

/// The reference tags CVE JSON 5.1 defines (`x_` extensions are allowed too).
pub const REFERENCE_TAGS: [&str; 19] = [
    "broken-link",
    "customer-entitlement",
    "exploit",
    "government-resource",
    "issue-tracking",
    "mailing-list",
    "mitigation",
    "not-applicable",
    "patch",
    "permissions-required",
    "media-coverage",
    "product",
    "related",
    "release-notes",
    "signature",
    "technical-description",
    "third-party-advisory",
    "vendor-advisory",
    "vdb-entry",
];

/// A CVE JSON 5 record (the parts Embargo writes and reads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CveRecord {
    /// Always `CVE_RECORD`.
    pub data_type: String,
    /// The format version, `5.1` when written here.
    pub data_version: String,
    /// Identifier and state.
    pub cve_metadata: CveMetadata,
    /// The containers; only the CNA's is written or read.
    pub containers: Containers,
}

/// `cveMetadata`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CveMetadata {
    /// The CVE ID.
    pub cve_id: String,
    /// The assigning CNA's organisation UUID.
    pub assigner_org_id: String,
    /// The assigning CNA's short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigner_short_name: Option<String>,
    /// `PUBLISHED` or `REJECTED`.
    pub state: String,
}

/// `containers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Containers {
    /// The CNA container.
    pub cna: CnaContainer,
}

/// `containers.cna` of a published record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CnaContainer {
    /// Who provides the container.
    pub provider_metadata: ProviderMetadata,
    /// A short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the issue became public, RFC 3339 with milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_public: Option<String>,
    /// The descriptions, one per language.
    #[serde(default)]
    pub descriptions: Vec<Description>,
    /// The affected products and versions.
    #[serde(default)]
    pub affected: Vec<Product>,
    /// Weaknesses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problem_types: Vec<ProblemTypeEntry>,
    /// Web references.
    #[serde(default)]
    pub references: Vec<ReferenceEntry>,
    /// Severity metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Credits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<CreditEntry>,
}

/// `providerMetadata`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMetadata {
    /// The provider's organisation UUID.
    pub org_id: String,
    /// The provider's short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
}

/// One description.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    /// Language, e.g. `en`.
    pub lang: String,
    /// The plain text.
    pub value: String,
    /// The same text in other media types (HTML).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting_media: Vec<SupportingMedia>,
}

/// A description in another media type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportingMedia {
    /// The media type, e.g. `text/html`.
    #[serde(rename = "type")]
    pub media_type: String,
    /// Whether `value` is base64.
    #[serde(default)]
    pub base64: bool,
    /// The content.
    pub value: String,
}

/// One affected product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    /// The vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The status of versions not listed; `unaffected` when written here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_status: Option<String>,
    /// The listed versions and ranges.
    #[serde(default)]
    pub versions: Vec<VersionEntry>,
}

/// One version or range of a product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionEntry {
    /// The first version of the range.
    pub version: String,
    /// `affected`, `unaffected` or `unknown`.
    pub status: String,
    /// The range ends before this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than: Option<String>,
    /// The range ends with this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than_or_equal: Option<String>,
    /// How versions compare: `semver`, `custom`, `git`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_type: Option<String>,
}

/// One `problemTypes` entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemTypeEntry {
    /// Its descriptions.
    pub descriptions: Vec<ProblemDescription>,
}

/// One problem type description.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDescription {
    /// Language.
    pub lang: String,
    /// The text, e.g. "CWE-787 Out-of-bounds Write".
    pub description: String,
    /// The CWE ID, e.g. `CWE-787`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwe_id: Option<String>,
    /// `CWE` when `cwe_id` is set.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceEntry {
    /// The address.
    pub url: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// One metric: a CVSS score or another scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// `CVSS` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A CVSS 4.0 score.
    #[serde(rename = "cvssV4_0", default, skip_serializing_if = "Option::is_none")]
    pub cvss_v4_0: Option<CvssScore>,
    /// A CVSS 3.1 score.
    #[serde(rename = "cvssV3_1", default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3_1: Option<CvssScore>,
    /// A CVSS 3.0 score (read, never written).
    #[serde(rename = "cvssV3_0", default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3_0: Option<CvssScore>,
    /// Another scale, e.g. the project's own severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<OtherMetric>,
}

/// The required parts of a CVSS score object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CvssScore {
    /// `3.1` or `4.0`.
    pub version: String,
    /// The vector.
    pub vector_string: String,
    /// The base score, 0.0 to 10.0.
    pub base_score: f64,
    /// `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    pub base_severity: String,
}

/// A metric on another scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtherMetric {
    /// The scale's name or the address of its definition.
    #[serde(rename = "type")]
    pub kind: String,
    /// The value, e.g. `{"text": "Moderate"}`.
    pub content: serde_json::Value,
}

/// One credit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditEntry {
    /// Language.
    pub lang: String,
    /// Who.
    pub value: String,
    /// Their role, e.g. `reporter` or `remediation developer`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The base score and severity of a CVSS vector, or why it cannot be read.
pub fn cvss_score(version: CvssVersion, vector: &str) -> Result<CvssScore, String> {
    let (version, score, severity) = match version {
        CvssVersion::V3_1 => {
            if !vector.starts_with("CVSS:3.1/") {
                return Err(format!(
                    "`{vector}` is not a CVSS 3.1 vector (CVSS:3.1/AV:...)"
                ));
            }
            let v: cvss::v3::Vector = vector.parse().map_err(|e| format!("`{vector}`: {e}"))?;
            let s = v.base_score();
            ("3.1", s.value(), s.severity())
        }
        CvssVersion::V4_0 => {
            let v: cvss::v4::Vector = vector.parse().map_err(|e| format!("`{vector}`: {e}"))?;
            let s = v.score();
            let value = s.clone().value();
            ("4.0", value, s.severity())
        }
    };
    Ok(CvssScore {
        version: version.to_owned(),
        vector_string: vector.to_owned(),
        base_score: score,
        base_severity: severity.as_str().to_uppercase(),
    })
}

/// Whether `s` is a version 4 UUID (the CNA's organisation ID).
pub(crate) fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
        && parts[2].starts_with('4')
        && parts[3].starts_with(['8', '9', 'a', 'b', 'A', 'B'])
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// The description of the record: "Issue summary: ... Impact summary: ..."
/// as OpenSSL writes it when both are known, else the one that is.
pub fn description_text(issue: &Issue) -> String {
    let (d, i) = (issue.description.trim(), issue.impact.trim());
    match (d.is_empty(), i.is_empty()) {
        (false, false) => format!("Issue summary: {d}\n\nImpact summary: {i}"),
        (false, true) => d.to_owned(),
        (true, false) => format!("Impact summary: {i}"),
        (true, true) => String::new(),
    }
}

const CNA: &str = "containers/cna";

/// Build the record, collecting every problem on the way.
fn build(project: &Project, issue: &Issue) -> (CveRecord, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    let publication = &project.publication;
    let cve_id = match record_cve_id(issue) {
        Some(id) if is_valid_cve_id(id) => id.to_owned(),
        Some(id) => {
            problems.push(FieldProblem::new(
                "cveMetadata/cveId",
                format!("`{id}` is not a CVE ID (CVE-YYYY-NNNN): correct it"),
            ));
            id.to_owned()
        }
        None => match issue.identifier().and_then(gcve_gna) {
            Some(gna) => {
                let id = issue.identifier().unwrap_or_default();
                problems.push(FieldProblem::new(
                    "cveMetadata/cveId",
                    format!(
                        "the issue's identifier {id} is a GCVE ID of GCVE numbering authority \
                         {gna}, not a CVE ID: a CVE record (CVE JSON 5) is filed only under a \
                         CVE ID (GCVE-0-YYYY-NNNN is one). Publish {id} through GNA {gna}'s own \
                         records, or, if a CNA also assigned a CVE ID, add it to the issue's \
                         other IDs as CVE:CVE-YYYY-NNNN and the record is filed under it"
                    ),
                ));
                String::new()
            }
            None => {
                problems.push(FieldProblem::new(
                    "cveMetadata/cveId",
                    "no CVE ID is assigned yet: request one and enter it in the issue",
                ));
                String::new()
            }
        },
    };
    let org = publication.cna_org_id.trim().to_owned();
    if !is_uuid(&org) {
        problems.push(FieldProblem::new(
            "cveMetadata/assignerOrgId",
            if org.is_empty() {
                format!(
                    "the CNA's organisation UUID is not set: set it in {} (drafts may use \
                     00000000-0000-4000-9000-000000000000)",
                    crate::core::settings::CNA_ORG_ID
                )
            } else {
                format!(
                    "`{org}` is not a version 4 UUID: correct it in {}",
                    crate::core::settings::CNA_ORG_ID
                )
            },
        ));
    }
    let short_name = Some(publication.cna_short_name.trim().to_owned()).filter(|s| !s.is_empty());

    let value = description_text(issue);
    if value.is_empty() {
        problems.push(FieldProblem::new(
            format!("{CNA}/descriptions/0/value"),
            "the issue has no description: write what is wrong and what an attacker gains",
        ));
    }
    let descriptions = vec![Description {
        lang: "en".into(),
        supporting_media: vec![SupportingMedia {
            media_type: "text/html".into(),
            base64: false,
            value: html(&value),
        }],
        value,
    }];

    if issue.affected.is_empty() {
        problems.push(FieldProblem::new(
            format!("{CNA}/affected/0/versions"),
            "no affected versions are listed: add the affected ranges",
        ));
    }
    let mut versions = Vec::new();
    for (n, range) in issue.affected.iter().enumerate() {
        let at = format!("{CNA}/affected/0/versions/{n}");
        if range.introduced.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("{at}/version"),
                "the first affected version is empty: enter it",
            ));
        }
        let less_than = facts::fixed_version(project, issue, range);
        if less_than.is_none() {
            problems.push(FieldProblem::new(
                format!("{at}/lessThan"),
                "no fixed version: enter the version that fixes this branch, or plan the issue into a release",
            ));
        }
        versions.push(VersionEntry {
            version_type: Some(facts::version_type(&range.introduced, less_than.as_deref()).into()),
            version: range.introduced.clone(),
            status: "affected".into(),
            less_than,
            less_than_or_equal: None,
        });
    }
    let affected = vec![Product {
        vendor: Some(publication.vendor_or(&project.name).to_owned()),
        product: Some(publication.product_or(&project.name).to_owned()),
        default_status: Some("unaffected".into()),
        versions,
    }];

    let mut descriptions_pt = Vec::new();
    let listed: Vec<&str> = issue
        .problem_types
        .iter()
        .filter_map(|p| p.cwe.as_deref())
        .collect();
    if let Some(cwe) = issue.cwe.as_deref().filter(|c| !listed.contains(c)) {
        descriptions_pt.push((Some(cwe.to_owned()), cwe.to_owned()));
    }
    for p in &issue.problem_types {
        descriptions_pt.push((p.cwe.clone(), p.description.clone()));
    }
    if descriptions_pt.is_empty() {
        problems.push(FieldProblem::new(
            format!("{CNA}/problemTypes"),
            "no weakness is named: set the issue's CWE",
        ));
    }
    let mut pt = Vec::new();
    for (n, (cwe, description)) in descriptions_pt.into_iter().enumerate() {
        let at = format!("{CNA}/problemTypes/0/descriptions/{n}");
        if let Some(c) = &cwe {
            let digits = c.strip_prefix("CWE-").unwrap_or("");
            if digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || digits.starts_with('0')
            {
                problems.push(FieldProblem::new(
                    format!("{at}/cweId"),
                    format!("`{c}` is not a CWE ID (CWE-NNN): correct it"),
                ));
            }
        }
        if description.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("{at}/description"),
                "the problem type has no description: name the weakness",
            ));
        }
        pt.push(ProblemDescription {
            lang: "en".into(),
            description,
            kind: cwe.as_ref().map(|_| "CWE".to_owned()),
            cwe_id: cwe,
        });
    }
    let problem_types = if pt.is_empty() {
        Vec::new()
    } else {
        vec![ProblemTypeEntry { descriptions: pt }]
    };

    let mut references: Vec<ReferenceEntry> = Vec::new();
    let release = project.release_of(&issue.id);
    if let Some(url) = release.and_then(|r| facts::advisory_url(project, r)) {
        references.push(ReferenceEntry {
            url,
            name: Some(format!("{} Security Advisory", project.name)),
            tags: vec!["vendor-advisory".into()],
        });
    }
    for c in &issue.fix_commits {
        if let Some(url) = facts::commit_url(project, &c.id) {
            references.push(ReferenceEntry {
                url,
                name: Some(format!("{} git commit", c.branch)),
                tags: vec!["patch".into()],
            });
        }
    }
    for r in &issue.references {
        if references.iter().all(|e| e.url != r.url) {
            references.push(ReferenceEntry {
                url: r.url.clone(),
                name: Some(r.name.clone()).filter(|n| !n.trim().is_empty()),
                tags: r.tags.clone(),
            });
        }
    }
    if references.is_empty() {
        problems.push(FieldProblem::new(
            format!("{CNA}/references"),
            format!(
                "the record needs at least one reference: set the advisory address in {}, or \
                 add a reference to the issue",
                crate::core::settings::ADVISORY_URL
            ),
        ));
    }
    for (n, r) in references.iter().enumerate() {
        if !is_url(&r.url) {
            problems.push(FieldProblem::new(
                format!("{CNA}/references/{n}/url"),
                format!("`{}` is not an http(s) address: correct it", r.url),
            ));
        }
        for (m, tag) in r.tags.iter().enumerate() {
            if !REFERENCE_TAGS.contains(&tag.as_str()) && !tag.starts_with("x_") {
                problems.push(FieldProblem::new(
                    format!("{CNA}/references/{n}/tags/{m}"),
                    format!("`{tag}` is not a CVE reference tag (e.g. patch, vendor-advisory)"),
                ));
            }
        }
    }

    let mut metrics = Vec::new();
    if let Some(c) = &issue.cvss {
        let field = match c.version {
            CvssVersion::V3_1 => "cvssV3_1",
            CvssVersion::V4_0 => "cvssV4_0",
        };
        match cvss_score(c.version, &c.vector) {
            Ok(score) => metrics.push(Metric {
                format: Some("CVSS".into()),
                cvss_v4_0: (c.version == CvssVersion::V4_0).then(|| score.clone()),
                cvss_v3_1: (c.version == CvssVersion::V3_1).then_some(score),
                cvss_v3_0: None,
                other: None,
            }),
            Err(e) => problems.push(FieldProblem::new(
                format!("{CNA}/metrics/0/{field}/vectorString"),
                format!("{e}: correct the CVSS vector"),
            )),
        }
    }
    if let Some(s) = issue.severity {
        let kind = if publication.severity_policy_url.trim().is_empty() {
            format!("{} severity", project.name)
        } else {
            publication.severity_policy_url.trim().to_owned()
        };
        metrics.push(Metric {
            format: Some("other".into()),
            cvss_v4_0: None,
            cvss_v3_1: None,
            cvss_v3_0: None,
            other: Some(OtherMetric {
                kind,
                content: serde_json::json!({ "text": s.to_string() }),
            }),
        });
    }

    let credits = facts::credits(issue)
        .into_iter()
        .map(|(value, role)| CreditEntry {
            lang: "en".into(),
            value,
            kind: Some(role.cve_type().to_owned()),
        })
        .collect();

    // A title that only repeats the CVE ID (an imported record without one) adds nothing.
    let title = Some(issue.title.trim()).filter(|t| *t != cve_id);
    let record = CveRecord {
        data_type: "CVE_RECORD".into(),
        data_version: DATA_VERSION.into(),
        cve_metadata: CveMetadata {
            cve_id,
            assigner_org_id: org.clone(),
            assigner_short_name: short_name.clone(),
            state: "PUBLISHED".into(),
        },
        containers: Containers {
            cna: CnaContainer {
                provider_metadata: ProviderMetadata {
                    org_id: org,
                    short_name,
                },
                title: title
                    .filter(|t| !t.is_empty())
                    .map(|t| t.chars().take(256).collect()),
                date_public: facts::public_date(project, issue)
                    .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
                descriptions,
                affected,
                problem_types,
                references,
                metrics,
                credits,
            },
        },
    };
    debug_assert!(
        problems.iter().all(|p| !explain_field(&p.field).is_empty()),
        "every field a problem names is explained by explain_field"
    );
    (record, problems)
}

/// Why the CVE record needs the field at `path` (as a problem names it),
/// for the problem's tooltip; empty for a field no check looks at.
pub fn explain_field(path: &str) -> &'static str {
    let last = path
        .rsplit('/')
        .find(|segment| segment.parse::<usize>().is_err())
        .unwrap_or("");
    match last {
        "cveId" => {
            "The record is filed under its CVE ID, which the CNA assigned (CVE-YYYY-NNNN).              Why: the schema requires it, and CVE Services refuses a record for an ID              that was not reserved to you."
        }
        "assignerOrgId" => {
            "The CNA's organisation UUID and short name (Project › Settings › Publication).              Why: the schema requires the assigner, and CVE Services checks it is you."
        }
        "value" | "descriptions" => {
            "An English description of the flaw: what is wrong, in which component, and what              an attacker gains. Why: the schema requires at least one description; it is what              scanners and readers see first."
        }
        "versions" | "version" | "lessThan" => {
            "The affected versions as ranges, each from the first affected version to the              version that fixes it. Why: the schema requires affected products, and              distributions decide from these ranges whether they must patch."
        }
        "problemTypes" | "cweId" | "description" => {
            "The weakness, as a CWE ID (CWE-NNN) with its name. Why: CNA rules ask for a              problem type, and readers sort and search records by weakness."
        }
        "references" | "url" | "tags" => {
            "At least one public reference (the advisory, the fix), each an http(s) address              with CVE reference tags such as patch or vendor-advisory. Why: the schema              requires a reference, and a record must never be published before it."
        }
        "vectorString" => {
            "The CVSS vector the score is computed from. Why: a score without a valid vector              cannot be checked, and the schema's CVSS objects require it."
        }
        _ => "",
    }
}

/// What `issue` lacks for a CVE record, each problem naming the record field;
/// empty when [`record`] will succeed.
pub fn check(project: &Project, issue: &Issue) -> Vec<FieldProblem> {
    build(project, issue).1
}

/// The CVE JSON 5.1 record of `issue`, or the list of what it lacks.
pub fn record(project: &Project, issue: &Issue) -> Result<CveRecord, ExportError> {
    match build(project, issue) {
        (record, problems) if problems.is_empty() => Ok(record),
        (_, problems) => Err(ExportError::Incomplete {
            what: format!("the CVE record of {}", issue.id),
            problems,
        }),
    }
}

/// A record as pretty-printed JSON with a final newline.
pub fn to_json(record: &CveRecord) -> String {
    let mut text = serde_json::to_string_pretty(record).expect("a record serializes");
    text.push('\n');
    text
}

/// The usual file name of an issue's record: `CVE-YYYY-NNNN.json`.
pub fn file_name(issue: &Issue) -> String {
    format!("{}.json", record_cve_id(issue).unwrap_or(&issue.id))
}

/// The CVE ID a CVE record of `issue` is filed under: its identifier when
/// that is a CVE ID (a `GCVE-0-…` one is kept as its CVE), else, for an
/// issue identified by a GCVE ID of another authority, a CVE ID recorded
/// among its other IDs (scheme `CVE`); `None` without either.
pub fn record_cve_id(issue: &Issue) -> Option<&str> {
    issue.cve_id().or_else(|| {
        issue.identifier()?;
        issue
            .other_ids
            .iter()
            .find(|o| o.scheme.eq_ignore_ascii_case("CVE") && is_valid_cve_id(o.id.trim()))
            .map(|o| o.id.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_an_empty_issue_is_explained_by_its_field() {
        let project = Project::new(
            "demo",
            crate::core::model::PlaybookRef::Builtin("exim".into()),
        );
        let received = chrono::DateTime::UNIX_EPOCH;
        let issue = Issue::new("DEMO-1", "", received);
        let problems = check(&project, &issue);
        assert!(
            problems.len() >= 4,
            "an empty issue lacks much: {problems:?}"
        );
        for p in &problems {
            assert!(
                !explain_field(&p.field).is_empty(),
                "{} is explained",
                p.field
            );
        }
        assert!(explain_field("containers/cna/affected/0/versions/1/lessThan").contains("fixes"));
        assert_eq!(explain_field("containers/cna/x_generator"), "");
    }
}
