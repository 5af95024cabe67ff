//! The CSAF 2.0 documents of a release: the security advisory (profile
//! `csaf_security_advisory`) and the VEX document (profile `csaf_vex`),
//! made from the same data as the CVE and OSV records. Shaped after the
//! CSAF documents Red Hat publishes (one advisory per release, vendor fix
//! with the advisory's address, the project's severity as
//! `aggregate_severity` and as an `impact` threat) and the OASIS VEX
//! examples (vendor › product name › version branches).
//!
//! The product tree has one `product_version_range` per affected range
//! (`vers:semver/>=4.0.0|<4.12.3`), one `product_version` per fixed
//! version, and where a range names the release that introduced the flaw,
//! the versions before it as not affected (the vulnerable code was not
//! there yet). A document made before the release is a `draft` (version
//! `0`) marked TLP:AMBER with the embargo's end in its distribution text;
//! after publication it is `final` (version `1`), TLP:WHITE, dated when
//! the release went public. CVSS 4.0 vectors, which CSAF 2.0 cannot
//! score, are given in a note.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::facts;
use super::{ExportError, FieldProblem};
use crate::core::model::{CreditRole, CvssVersion, Issue, Project, Release, is_valid_gcve_id};

/// The CSAF version written.
pub const CSAF_VERSION: &str = "2.0";

/// Which CSAF profile a document follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// `csaf_security_advisory`.
    SecurityAdvisory,
    /// `csaf_vex`.
    Vex,
}

impl Profile {
    fn category(self) -> &'static str {
        match self {
            Self::SecurityAdvisory => "csaf_security_advisory",
            Self::Vex => "csaf_vex",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Self::SecurityAdvisory => "sa",
            Self::Vex => "vex",
        }
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The project's slug (`core::model::slug`: `Postbote Mail` → `postbote-mail`),
/// or `product` for a name with no letter or digit.
pub(crate) fn slug(name: &str) -> String {
    let out = crate::core::model::slug(name);
    if out.is_empty() {
        "product".into()
    } else {
        out
    }
}

/// The scheme and host of an address: `https://postbote.example`.
pub(crate) fn origin(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .map(|r| ("https", r))
        .or_else(|| url.strip_prefix("http://").map(|r| ("http", r)))?;
    let host = rest.1.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains(char::is_whitespace))
        .then(|| format!("{}://{host}", rest.0))
}

/// The publisher's namespace: the origin of the advisory address, else of
/// the public repository.
pub(crate) fn namespace(project: &Project) -> Option<String> {
    origin(&project.publication.advisory_url).or_else(|| origin(&project.publication.repo_url))
}

/// The product's name as documents print it.
pub(crate) fn product_name(project: &Project) -> String {
    let p = project.publication.product.trim();
    if p.is_empty() {
        project.name.clone()
    } else {
        p.to_owned()
    }
}

fn vendor_name(project: &Project) -> String {
    let v = project.publication.vendor.trim();
    if v.is_empty() {
        product_name(project)
    } else {
        v.to_owned()
    }
}

/// The `vers` scheme of a range: `semver` or `generic`.
fn vers_scheme(introduced: &str, fixed: Option<&str>) -> &'static str {
    match facts::version_type(introduced, fixed) {
        "semver" => "semver",
        _ => "generic",
    }
}

/// One product of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Product {
    /// The product ID.
    pub id: String,
    /// `product_version` or `product_version_range`.
    pub category: &'static str,
    /// The branch name: the version, or the `vers` range.
    pub branch: String,
    /// The full product name.
    pub name: String,
}

/// What a release's issue says about the product's versions.
#[derive(Clone, Debug, Default)]
pub(crate) struct IssueProducts {
    /// The affected ranges.
    pub affected: Vec<Product>,
    /// The fixed versions, with the ranges they fix.
    pub fixed: Vec<(Product, Vec<String>)>,
    /// The versions before the flaw was introduced.
    pub not_affected: Vec<(Product, String)>,
}

/// The products an issue's ranges name, in range order.
pub(crate) fn issue_products(project: &Project, issue: &Issue) -> IssueProducts {
    let product = product_name(project);
    let s = slug(&product);
    let mut out = IssueProducts::default();
    for r in &issue.affected {
        let introduced = r.introduced.trim();
        let fixed = facts::fixed_version(project, issue, r);
        let scheme = vers_scheme(introduced, fixed.as_deref());
        let (id, branch, name) = match &fixed {
            Some(f) => (
                format!("{s}-affected-{introduced}-{f}"),
                format!("vers:{scheme}/>={introduced}|<{f}"),
                format!("{product} from {introduced} before {f}"),
            ),
            None => (
                format!("{s}-affected-{introduced}"),
                format!("vers:{scheme}/>={introduced}"),
                format!("{product} from {introduced}"),
            ),
        };
        let affected = Product {
            id: id.clone(),
            category: "product_version_range",
            branch,
            name,
        };
        if !out.affected.contains(&affected) {
            out.affected.push(affected);
        }
        if let Some(f) = fixed {
            let p = Product {
                id: format!("{s}-{f}"),
                category: "product_version",
                branch: f.clone(),
                name: format!("{product} {f}"),
            };
            match out.fixed.iter_mut().find(|(q, _)| *q == p) {
                Some((_, ids)) => ids.push(id),
                None => out.fixed.push((p, vec![id])),
            }
        }
        if !introduced.is_empty() && introduced != "0" {
            let p = Product {
                id: format!("{s}-before-{introduced}"),
                category: "product_version_range",
                branch: format!("vers:{scheme}/<{introduced}"),
                name: format!("{product} before {introduced}"),
            };
            if out.not_affected.iter().all(|(q, _)| *q != p) {
                out.not_affected.push((p, introduced.to_owned()));
            }
        }
    }
    out
}

fn ids(list: &[&Product]) -> Vec<String> {
    list.iter().map(|p| p.id.clone()).collect()
}

fn role_word(role: CreditRole) -> &'static str {
    role.cve_type()
}

/// A credited name split into the person and their organisation:
/// `Jonas Weber (Bugfinders)` → (`Jonas Weber`, `Bugfinders`).
pub(crate) fn split_affiliation(name: &str) -> (String, Option<String>) {
    match name.find(" (") {
        Some(i) if name.ends_with(')') => (
            name[..i].trim().to_owned(),
            Some(name[i + 2..name.len() - 1].trim().to_owned()).filter(|o| !o.is_empty()),
        ),
        _ => (name.trim().to_owned(), None),
    }
}

fn cwe(issue: &Issue) -> Option<Value> {
    let id = issue
        .cwe
        .as_deref()
        .or_else(|| issue.problem_types.iter().find_map(|p| p.cwe.as_deref()))?;
    let name = issue
        .problem_types
        .iter()
        .find(|p| p.cwe.as_deref() == Some(id))
        .map(|p| {
            p.description
                .trim()
                .strip_prefix(id)
                .unwrap_or(&p.description)
                .trim()
                .to_owned()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| id.to_owned());
    Some(json!({ "id": id, "name": name }))
}

/// When the document's release is public, and whether it is already.
fn embargo_end(release: &Release) -> String {
    match facts::release_date(release) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => "the public release (no date is planned yet)".into(),
    }
}

fn vulnerability(
    project: &Project,
    release: &Release,
    issue: &Issue,
    n: usize,
    problems: &mut Vec<FieldProblem>,
) -> Value {
    let at = format!("vulnerabilities/{n}");
    let products = issue_products(project, issue);
    if products.affected.is_empty() {
        problems.push(FieldProblem::new(
            format!("{at}/product_status/known_affected"),
            format!(
                "{} names no affected versions: add the affected ranges",
                issue.id
            ),
        ));
    }
    let affected: Vec<&Product> = products.affected.iter().collect();
    let fixed: Vec<&Product> = products.fixed.iter().map(|(p, _)| p).collect();
    let before: Vec<&Product> = products.not_affected.iter().map(|(p, _)| p).collect();
    let mut v = serde_json::Map::new();
    v.insert("title".into(), issue.title.clone().into());
    // CSAF's `cve` takes only a CVE ID; a GCVE ID goes among the `ids`,
    // its system named GCVE.
    if let Some(cve) = super::cve::record_cve_id(issue) {
        v.insert("cve".into(), cve.into());
    }
    let mut other = vec![json!({ "system_name": vendor_name(project), "text": issue.id })];
    if let Some(gcve) = issue.identifier().filter(|id| is_valid_gcve_id(id)) {
        other.push(json!({ "system_name": "GCVE", "text": gcve }));
    }
    other.extend(
        issue
            .other_ids
            .iter()
            .map(|i| json!({ "system_name": i.scheme, "text": i.id })),
    );
    v.insert("ids".into(), other.into());
    if let Some(c) = cwe(issue) {
        v.insert("cwe".into(), c);
    }
    v.insert("discovery_date".into(), time(issue.intake.received).into());
    if let Some(t) = facts::public_date(project, issue) {
        v.insert("release_date".into(), time(t).into());
    }
    let mut notes = Vec::new();
    if !issue.description.trim().is_empty() {
        notes.push(json!({"category": "description", "title": "Issue summary", "text": issue.description.trim()}));
    }
    if !issue.impact.trim().is_empty() {
        notes.push(
            json!({"category": "summary", "title": "Impact summary", "text": issue.impact.trim()}),
        );
    }
    if let Some(c) = issue
        .cvss
        .as_ref()
        .filter(|c| c.version == CvssVersion::V4_0)
    {
        notes.push(json!({"category": "other", "title": "CVSS v4.0 vector", "text": c.vector}));
    }
    if notes.is_empty() {
        problems.push(FieldProblem::new(
            format!("{at}/notes"),
            "the issue has no description: write what is wrong and what an attacker gains",
        ));
    } else {
        v.insert("notes".into(), notes.into());
    }
    let mut status = serde_json::Map::new();
    if !affected.is_empty() {
        status.insert("known_affected".into(), ids(&affected).into());
    }
    if !fixed.is_empty() {
        status.insert("fixed".into(), ids(&fixed).into());
    }
    if !before.is_empty() {
        status.insert("known_not_affected".into(), ids(&before).into());
        v.insert(
            "flags".into(),
            json!([{ "label": "vulnerable_code_not_present", "product_ids": ids(&before) }]),
        );
    }
    v.insert("product_status".into(), status.into());
    if let Some(c) = issue
        .cvss
        .as_ref()
        .filter(|c| c.version == CvssVersion::V3_1)
    {
        match super::cve::cvss_score(c.version, &c.vector) {
            Ok(s) if !affected.is_empty() => {
                v.insert(
                    "scores".into(),
                    json!([{
                        "cvss_v3": {
                            "version": s.version,
                            "vectorString": s.vector_string,
                            "baseScore": s.base_score,
                            "baseSeverity": s.base_severity,
                        },
                        "products": ids(&affected),
                    }]),
                );
            }
            Ok(_) => {}
            Err(e) => problems.push(FieldProblem::new(
                format!("{at}/scores/0/cvss_v3/vectorString"),
                format!("{e}: correct the vector in the severity step"),
            )),
        }
    }
    let mut threats = Vec::new();
    if let Some(s) = issue.severity {
        threats.push(json!({"category": "impact", "details": s.to_string()}));
    }
    if issue.actively_exploited {
        threats.push(json!({"category": "exploit_status", "details": "Exploited in the wild."}));
    }
    if !threats.is_empty() {
        v.insert("threats".into(), threats.into());
    }
    let url = facts::advisory_url(project, release);
    let mut remediations = Vec::new();
    for (p, ranges) in &products.fixed {
        let mut r = json!({
            "category": "vendor_fix",
            "details": format!("Upgrade to {}.", p.name),
            "product_ids": ranges,
        });
        if let Some(u) = &url {
            r["url"] = u.clone().into();
        }
        remediations.push(r);
    }
    if !issue.mitigation.trim().is_empty() && !affected.is_empty() {
        remediations.push(json!({
            "category": "workaround",
            "details": issue.mitigation.trim(),
            "product_ids": ids(&affected),
        }));
    }
    if !affected.is_empty() && products.fixed.is_empty() {
        remediations.push(json!({
            "category": "none_available",
            "details": "No fixed version is planned yet.",
            "product_ids": ids(&affected),
        }));
    }
    if !remediations.is_empty() {
        v.insert("remediations".into(), remediations.into());
    }
    let mut refs = Vec::new();
    if let Some(cve) = super::cve::record_cve_id(issue) {
        refs.push(json!({"category": "external", "summary": cve, "url": format!("https://www.cve.org/CVERecord?id={cve}")}));
    }
    for c in &issue.fix_commits {
        if let Some(u) = facts::commit_url(project, &c.id) {
            refs.push(json!({"category": "external", "summary": format!("Fix: {}", c.summary.trim()), "url": u}));
        }
    }
    for r in &issue.references {
        let summary = if r.name.trim().is_empty() {
            r.url.clone()
        } else {
            r.name.trim().to_owned()
        };
        refs.push(json!({"category": "external", "summary": summary, "url": r.url}));
    }
    if !refs.is_empty() {
        v.insert("references".into(), refs.into());
    }
    let acks: Vec<Value> = facts::people(issue)
        .into_iter()
        .map(|p| {
            let (name, org) = split_affiliation(&p.name);
            let roles: Vec<String> = p.roles.iter().map(|r| role_word(*r).to_owned()).collect();
            let mut a = json!({ "names": [name], "summary": facts::and_list(&roles) });
            if let Some(o) = org {
                a["organization"] = o.into();
            }
            a
        })
        .collect();
    if !acks.is_empty() {
        v.insert("acknowledgments".into(), acks.into());
    }
    v.into()
}

fn build(
    project: &Project,
    release: &Release,
    now: DateTime<Utc>,
    profile: Profile,
) -> (Value, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    let issues = facts::release_issues(project, release);
    if issues.is_empty() {
        problems.push(FieldProblem::new(
            "vulnerabilities",
            format!(
                "release {} fixes no issue: add its issues first",
                release.id
            ),
        ));
    }
    let ns = namespace(project).unwrap_or_else(|| {
        problems.push(FieldProblem::new(
            "document/publisher/namespace",
            format!(
                "neither the advisory address nor the public repository is set: set {}",
                crate::core::settings::REPO_URL
            ),
        ));
        "https://invalid.example".into()
    });
    let product = product_name(project);
    let published = release.published;
    let mut notes = vec![json!({
        "category": "summary",
        "title": "Summary",
        "text": summary_text(&product, release, &issues),
    })];
    let distribution = match published {
        Some(t) => json!({
            "text": format!("Public since {}: distribute freely.", t.format("%Y-%m-%d %H:%M UTC")),
            "tlp": { "label": "WHITE", "url": "https://www.first.org/tlp/" },
        }),
        None => {
            let until = embargo_end(release);
            notes.push(json!({
                "category": "legal_disclaimer",
                "title": "Embargo",
                "text": format!(
                    "This document is under embargo until {until}. Share it only with the people who must prepare the update, and publish nothing of it before then."
                ),
            }));
            json!({
                "text": format!("TLP:AMBER, embargoed until {until}: share only with those who must prepare the update; publish nothing before then."),
                "tlp": { "label": "AMBER", "url": "https://www.first.org/tlp/" },
            })
        }
    };
    let (status, version, date, summary) = match published {
        Some(t) => ("final", "1", t, "Initial public release."),
        None => (
            "draft",
            "0",
            now,
            "Draft shared under embargo before the release.",
        ),
    };
    let mut publisher = json!({
        "category": "vendor",
        "name": vendor_name(project),
        "namespace": ns,
    });
    if !project.mail.from.trim().is_empty() {
        publisher["contact_details"] = project.mail.from.trim().into();
    }
    let mut refs = Vec::new();
    if let Some(u) = facts::advisory_url(project, release) {
        refs.push(json!({"category": "self", "summary": "Security advisory", "url": u}));
    }
    if origin(&project.publication.severity_policy_url).is_some() {
        refs.push(json!({"category": "external", "summary": "Severity policy", "url": project.publication.severity_policy_url.trim()}));
    }
    let mut document = json!({
        "category": profile.category(),
        "csaf_version": CSAF_VERSION,
        "lang": "en",
        "title": format!("{product} {}: {}", release.version, match profile {
            Profile::SecurityAdvisory => "security advisory",
            Profile::Vex => "vulnerability exploitability (VEX)",
        }),
        "publisher": publisher,
        "distribution": distribution,
        "notes": notes,
        "tracking": {
            "id": tracking_id(project, release, profile),
            "status": status,
            "version": version,
            "initial_release_date": time(date),
            "current_release_date": time(date),
            "revision_history": [{ "date": time(date), "number": version, "summary": summary }],
            "generator": {
                "date": time(now),
                "engine": { "name": "Embargo", "version": env!("CARGO_PKG_VERSION") },
            },
        },
    });
    if let Some(s) = issues.iter().filter_map(|i| i.severity).max() {
        let mut a = json!({ "text": s.to_string() });
        if origin(&project.publication.severity_policy_url).is_some() {
            a["namespace"] = project.publication.severity_policy_url.trim().into();
        }
        document["aggregate_severity"] = a;
    }
    if !refs.is_empty() {
        document["references"] = refs.into();
    }
    let vulnerabilities: Vec<Value> = issues
        .iter()
        .enumerate()
        .map(|(n, i)| vulnerability(project, release, i, n, &mut problems))
        .collect();
    let doc = json!({
        "document": document,
        "product_tree": product_tree(project, &issues),
        "vulnerabilities": vulnerabilities,
    });
    (doc, problems)
}

fn summary_text(product: &str, release: &Release, issues: &[&Issue]) -> String {
    let n = issues.len();
    let mut text = format!(
        "{product} {} fixes {} security {}:\n",
        release.version,
        facts::count_words(n),
        if n == 1 { "issue" } else { "issues" }
    );
    for i in issues {
        let id = i.identifier().unwrap_or(&i.id);
        let sev = i
            .severity
            .map(|s| format!(", {} severity", s.to_string().to_lowercase()))
            .unwrap_or_default();
        text.push_str(&format!("\n* {id}: {}{sev}", i.title.trim()));
    }
    text
}

fn product_tree(project: &Project, issues: &[&Issue]) -> Value {
    let mut all: Vec<Product> = Vec::new();
    for i in issues {
        let p = issue_products(project, i);
        for q in p
            .not_affected
            .into_iter()
            .map(|(q, _)| q)
            .chain(p.affected)
            .chain(p.fixed.into_iter().map(|(q, _)| q))
        {
            if all.iter().all(|x| x.id != q.id) {
                all.push(q);
            }
        }
    }
    let branches: Vec<Value> = all
        .iter()
        .map(|p| {
            json!({
                "category": p.category,
                "name": p.branch,
                "product": { "name": p.name, "product_id": p.id },
            })
        })
        .collect();
    json!({
        "branches": [{
            "category": "vendor",
            "name": vendor_name(project),
            "branches": [{
                "category": "product_name",
                "name": product_name(project),
                "branches": branches,
            }],
        }],
    })
}

/// The document's tracking ID: `postbote-sa-4.12.3` (`-vex-` for VEX).
pub fn tracking_id(project: &Project, release: &Release, profile: Profile) -> String {
    format!(
        "{}-{}-{}",
        slug(&product_name(project)),
        profile.tag(),
        release.version.trim()
    )
}

fn document(
    project: &Project,
    release: &Release,
    now: DateTime<Utc>,
    profile: Profile,
) -> Result<Value, ExportError> {
    match build(project, release, now, profile) {
        (doc, problems) if problems.is_empty() => Ok(doc),
        (_, problems) => Err(ExportError::Incomplete {
            what: format!(
                "the CSAF {} of release {}",
                match profile {
                    Profile::SecurityAdvisory => "advisory",
                    Profile::Vex => "VEX document",
                },
                release.id
            ),
            problems,
        }),
    }
}

/// The CSAF 2.0 security advisory of `release`, made at `now`.
pub fn advisory(
    project: &Project,
    release: &Release,
    now: DateTime<Utc>,
) -> Result<Value, ExportError> {
    document(project, release, now, Profile::SecurityAdvisory)
}

/// The CSAF 2.0 VEX document of `release`, made at `now`.
pub fn vex(project: &Project, release: &Release, now: DateTime<Utc>) -> Result<Value, ExportError> {
    document(project, release, now, Profile::Vex)
}

/// A document as pretty-printed JSON with a final newline.
pub fn to_json(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("a document serializes");
    text.push('\n');
    text
}

/// The file name CSAF gives a document: its tracking ID in lower case,
/// every run of characters other than `+`, `-`, `a-z` and `0-9` replaced
/// by `_`, then `.json` (`postbote-sa-4_12_3.json`).
pub fn file_name(project: &Project, release: &Release, profile: Profile) -> String {
    let id = tracking_id(project, release, profile).to_lowercase();
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    format!("{out}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_csaf_file_name_rule() {
        assert_eq!(slug(" Postbote Mail! "), "postbote-mail");
        assert_eq!(
            split_affiliation("Jonas Weber (Bugfinders)"),
            ("Jonas Weber".into(), Some("Bugfinders".into()))
        );
        assert_eq!(split_affiliation("Tomás Berg"), ("Tomás Berg".into(), None));
        assert_eq!(
            origin("https://postbote.example/security/x.txt"),
            Some("https://postbote.example".into())
        );
        assert_eq!(origin("ftp://x"), None);
    }
}
