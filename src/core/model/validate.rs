//! Consistency rules a loaded project must satisfy beyond its syntax: unique
//! issue and release IDs, releases that name existing issues, one release per
//! issue, well-formed CVE IDs and a known playbook.

use std::collections::BTreeSet;

use super::{CveState, PlaybookRef, Project, is_valid_cve_id};

/// One problem found in a project, naming where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `issue EXIM-2`, `release 4.99.3`, `playbook`.
    pub place: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every consistency problem of `project`; empty when it is valid.
pub fn validate(project: &Project, builtin_playbooks: &[&str]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |place: String, message: String| problems.push(Problem { place, message });
    if let PlaybookRef::Builtin(name) = &project.playbook
        && !builtin_playbooks.contains(&name.as_str())
    {
        push(
            "playbook".into(),
            format!(
                "no built-in playbook is named `{name}` (use one of: {})",
                builtin_playbooks.join(", ")
            ),
        );
    }
    let mut ids = BTreeSet::new();
    for issue in &project.issues {
        if issue.id.trim().is_empty() {
            push(
                format!("issue “{}”", issue.title),
                "the issue has an empty ID".into(),
            );
        } else if !ids.insert(issue.id.as_str()) {
            push(
                format!("issue {}", issue.id),
                "the ID is used by two issues".into(),
            );
        }
        if let CveState::Assigned { id } = &issue.cve
            && !is_valid_cve_id(id)
        {
            push(
                format!("issue {}", issue.id),
                format!("`{id}` is not a CVE ID (CVE-YYYY-NNNN)"),
            );
        }
    }
    let mut release_ids = BTreeSet::new();
    let mut released = BTreeSet::new();
    for release in &project.releases {
        if !release_ids.insert(release.id.as_str()) {
            push(
                format!("release {}", release.id),
                "the ID is used by two releases".into(),
            );
        }
        for issue in &release.issues {
            if !ids.contains(issue.as_str()) {
                push(
                    format!("release {}", release.id),
                    format!("it names issue {issue}, which does not exist"),
                );
            } else if !released.insert(issue.as_str()) {
                push(
                    format!("issue {issue}"),
                    "it is planned into two releases".into(),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Issue, Release};
    use chrono::Utc;

    #[test]
    fn finds_each_kind_of_problem() {
        let mut p = Project::new("X", PlaybookRef::Builtin("nope".into()));
        let now = Utc::now();
        p.issues.push(Issue::new("X-1", "a", now));
        p.issues.push(Issue::new("X-1", "b", now));
        p.issues[0].cve = CveState::Assigned {
            id: "CVE-26-1".into(),
        };
        let r = |id: &str, issues: &[&str]| Release {
            id: id.into(),
            version: id.into(),
            planned: None,
            published: None,
            base_tag: None,
            issues: issues.iter().map(|s| s.to_string()).collect(),
            artifacts: vec![],
            milestones: Default::default(),
            shares: Vec::new(),
        };
        p.releases.push(r("1", &["X-1", "X-9"]));
        p.releases.push(r("1", &["X-1"]));
        let found: Vec<String> = validate(&p, &["exim"])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[0].starts_with("playbook: no built-in playbook is named `nope`"));
        assert!(
            found
                .iter()
                .any(|f| f.contains("X-9, which does not exist"))
        );
        assert!(
            found
                .iter()
                .any(|f| f == "issue X-1: it is planned into two releases")
        );
        p.issues.pop();
        p.releases.clear();
        p.issues[0].cve = CveState::Requested;
        p.playbook = PlaybookRef::Builtin("exim".into());
        assert!(validate(&p, &["exim"]).is_empty());
    }
}
