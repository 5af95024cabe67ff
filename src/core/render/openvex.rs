//! The OpenVEX 0.2.0 document of a release: for each of its issues a
//! `fixed` statement for the version that fixes it, an `affected`
//! statement (with the upgrade as its action) for the affected range, and
//! a `not_affected` statement with the justification
//! `vulnerable_code_not_present` for the versions before the one that
//! introduced the flaw. Products are package URLs of the `generic` type,
//! `pkg:generic/postbote@4.12.3`; a range is the same package URL with its
//! `vers` range as a qualifier, as the OpenVEX examples identify products
//! by purl. The same products as the CSAF documents
//! ([`super::csaf`]), so the two agree.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::csaf::{self, Product};
use super::facts;
use super::{ExportError, FieldProblem};
use crate::core::model::{Project, Release};

/// The OpenVEX context of version 0.2.0.
pub const CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `s` percent-encoded for a purl qualifier value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The package URL of a CSAF product: a version, or a range.
fn purl(package: &str, p: &Product) -> String {
    match p.category {
        "product_version" => format!("pkg:generic/{package}@{}", encode(&p.branch)),
        _ => format!("pkg:generic/{package}?vers={}", encode(&p.branch)),
    }
}

/// The OpenVEX document of `release`, made at `now`.
pub fn document(
    project: &Project,
    release: &Release,
    now: DateTime<Utc>,
) -> Result<Value, ExportError> {
    let mut problems = Vec::new();
    let issues = facts::release_issues(project, release);
    if issues.is_empty() {
        problems.push(FieldProblem::new(
            "statements",
            format!(
                "release {} fixes no issue: add its issues first",
                release.id
            ),
        ));
    }
    let Some(ns) = csaf::namespace(project) else {
        problems.push(FieldProblem::new(
            "@id",
            format!(
                "neither the advisory address nor the public repository is set: set {}",
                crate::core::settings::REPO_URL
            ),
        ));
        return Err(incomplete(release, problems));
    };
    let product = csaf::product_name(project);
    let package = csaf::slug(&product);
    // Issued when the release went public; a document made before is
    // issued now and says in each statement that it is under embargo.
    let issued = release.published.unwrap_or(now);
    let embargo = match (release.published, facts::release_date(release)) {
        (Some(_), _) => None,
        (None, Some(t)) => Some(format!(
            "Under embargo until {}; do not publish before then.",
            t.format("%Y-%m-%d %H:%M UTC")
        )),
        (None, None) => Some("Under embargo until the release; do not publish.".to_owned()),
    };
    let with_embargo = |text: String| match &embargo {
        Some(e) => format!("{text} {e}"),
        None => text,
    };
    let mut statements = Vec::new();
    for (n, issue) in issues.iter().enumerate() {
        let products = csaf::issue_products(project, issue);
        if products.affected.is_empty() {
            problems.push(FieldProblem::new(
                format!("statements/{n}/products"),
                format!(
                    "{} names no affected versions: add the affected ranges",
                    issue.id
                ),
            ));
        }
        // Named by its CVE or GCVE ID (OpenVEX takes any identifier as
        // `name`), else by the issue's own ID.
        let name = issue.identifier().unwrap_or(&issue.id).to_owned();
        let mut aliases: Vec<String> = Vec::new();
        if issue.identifier().is_some() {
            aliases.push(issue.id.clone());
        }
        aliases.extend(issue.other_ids.iter().map(|i| i.id.clone()));
        let mut vulnerability = json!({ "name": name, "description": issue.title.trim() });
        if let Some(cve) = issue.cve_id() {
            vulnerability["@id"] = format!("https://www.cve.org/CVERecord?id={cve}").into();
        }
        if !aliases.is_empty() {
            vulnerability["aliases"] = aliases.into();
        }
        let statement = |status: &str, list: Vec<String>| {
            let mut s = json!({
                "vulnerability": vulnerability,
                "timestamp": time(issued),
                "products": list.into_iter().map(|id| json!({ "@id": id })).collect::<Vec<_>>(),
                "status": status,
            });
            if issued < now {
                s["last_updated"] = time(now).into();
            }
            s
        };
        for (p, _) in &products.fixed {
            let mut s = statement("fixed", vec![purl(&package, p)]);
            s["status_notes"] = with_embargo(format!("Fixed in {}.", p.name)).into();
            statements.push(s);
        }
        for p in &products.affected {
            let mut s = statement("affected", vec![purl(&package, p)]);
            let fix = products
                .fixed
                .iter()
                .find(|(_, ranges)| ranges.contains(&p.id))
                .map(|(f, _)| f.name.clone());
            s["action_statement"] = match fix {
                Some(f) => format!("Upgrade to {f}."),
                None => "No fixed version is planned yet.".to_owned(),
            }
            .into();
            if !issue.mitigation.trim().is_empty() {
                s["status_notes"] =
                    with_embargo(format!("Workaround: {}", issue.mitigation.trim())).into();
            } else if let Some(e) = &embargo {
                s["status_notes"] = e.clone().into();
            }
            statements.push(s);
        }
        for (p, introduced) in &products.not_affected {
            let mut s = statement("not_affected", vec![purl(&package, p)]);
            s["justification"] = "vulnerable_code_not_present".into();
            s["impact_statement"] =
                format!("The vulnerable code was introduced in {product} {introduced}.").into();
            statements.push(s);
        }
    }
    if !problems.is_empty() {
        return Err(incomplete(release, problems));
    }
    let mut doc = json!({
        "@context": CONTEXT,
        "@id": format!("{ns}/vex/{}", csaf::tracking_id(project, release, csaf::Profile::Vex)),
        "author": if project.publication.vendor.trim().is_empty() {
            product.clone()
        } else {
            project.publication.vendor.trim().to_owned()
        },
        "role": "vendor",
        "timestamp": time(issued),
        "version": 1,
        "tooling": format!("Embargo {}", env!("CARGO_PKG_VERSION")),
        "statements": statements,
    });
    if issued < now {
        doc["last_updated"] = time(now).into();
    }
    Ok(doc)
}

fn incomplete(release: &Release, problems: Vec<FieldProblem>) -> ExportError {
    ExportError::Incomplete {
        what: format!("the OpenVEX document of release {}", release.id),
        problems,
    }
}

/// A document as pretty-printed JSON with a final newline.
pub fn to_json(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("a document serializes");
    text.push('\n');
    text
}

/// The usual file name: `postbote-vex-4_12_3.openvex.json`.
pub fn file_name(project: &Project, release: &Release) -> String {
    csaf::file_name(project, release, csaf::Profile::Vex).replace(".json", ".openvex.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_encoded_in_the_purl() {
        let p = Product {
            id: "x".into(),
            category: "product_version_range",
            branch: "vers:semver/>=4.0.0|<4.12.3".into(),
            name: "X".into(),
        };
        assert_eq!(
            purl("postbote", &p),
            "pkg:generic/postbote?vers=vers%3Asemver%2F%3E%3D4.0.0%7C%3C4.12.3"
        );
    }
}
