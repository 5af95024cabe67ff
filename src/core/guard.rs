//! Which commits are under embargo: the fix commits of every issue that is a
//! security issue and whose release has not gone public yet. The git adapter
//! checks that none of them is reachable from a public remote; the pre-push
//! hook refuses to send one there.

use chrono::{DateTime, Utc};

use crate::core::model::{Issue, Project, Verdict};

/// A fix commit still under embargo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Embargoed {
    /// The issue.
    pub issue: String,
    /// The commit ID as recorded (full or abbreviated).
    pub commit: String,
}

/// The fix commits under embargo at `now`, for one issue or all.
pub fn embargoed_commits(
    project: &Project,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> Vec<Embargoed> {
    project
        .issues
        .iter()
        .filter(|i| only.is_none_or(|id| i.id == id))
        .filter(|i| !matches!(i.verdict, Verdict::NotSecurity))
        .filter(|i| {
            project
                .release_of(&i.id)
                .and_then(|r| r.published)
                .is_none_or(|published| published > now)
        })
        .flat_map(|i| {
            // A row left empty in the form names no commit.
            i.fix_commits
                .iter()
                .filter(|c| !c.id.trim().is_empty())
                .map(|c| Embargoed {
                    issue: i.id.clone(),
                    commit: c.id.clone(),
                })
        })
        .collect()
}

/// Why the guard has no commit of `issue` to check at `now` (what the
/// guard panel says when it checked none): not a security issue, no fix
/// commit recorded, or a release already public, whose fix commits are no
/// longer under embargo.
pub fn nothing_to_guard(project: &Project, issue: &Issue, now: DateTime<Utc>) -> String {
    let recorded = issue
        .fix_commits
        .iter()
        .filter(|c| !c.id.trim().is_empty())
        .count();
    let published = project
        .release_of(&issue.id)
        .and_then(|r| r.published)
        .filter(|p| *p <= now);
    if matches!(issue.verdict, Verdict::NotSecurity) {
        "Not a security issue: its commits are under no embargo, so there is nothing to guard."
            .to_owned()
    } else if recorded == 0 {
        "No fix commit is recorded yet, so there is nothing to guard: record the fix commits in \
         the fix step's form first."
            .to_owned()
    } else if let Some(p) = published {
        format!(
            "The release went public on {}: its {recorded} fix commit(s) are no longer under \
             embargo, so there is nothing to guard; they may go to the public remotes now.",
            p.format("%Y-%m-%d %H:%M UTC")
        )
    } else {
        format!(
            "{recorded} fix commit(s) recorded, none checked yet: run the guard again \
             (Check again)."
        )
    }
}

/// Fix commits whose message does not carry the issue's CVE ID, by commit
/// ID, given each commit's message. Empty when the issue has no CVE ID yet.
pub fn missing_cve<'a>(cve: Option<&str>, messages: &'a [(String, String)]) -> Vec<&'a str> {
    let Some(cve) = cve else { return Vec::new() };
    messages
        .iter()
        .filter(|(_, message)| !message.contains(cve))
        .map(|(id, _)| id.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::store::example;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn only_unreleased_security_fixes_are_embargoed() {
        let p = example().expect("the example parses");
        let before = embargoed_commits(&p, at("2026-11-23T12:00:00Z"), None);
        assert!(
            before.iter().all(|e| e.issue != "POSTBOTE-1"),
            "released in October: {before:?}"
        );
        assert!(before.iter().any(|e| e.issue == "POSTBOTE-2"), "{before:?}");
        let after = embargoed_commits(&p, at("2027-01-01T00:00:00Z"), Some("POSTBOTE-2"));
        assert!(
            !after.is_empty(),
            "not published even later: still embargoed"
        );
        let mut p = p;
        if let Some(r) = p
            .releases
            .iter_mut()
            .find(|r| r.issues.iter().any(|i| i == "POSTBOTE-2"))
        {
            r.published = Some(at("2026-12-01T14:00:00Z"));
        }
        assert!(embargoed_commits(&p, at("2026-12-01T14:00:01Z"), Some("POSTBOTE-2")).is_empty());
        assert!(!embargoed_commits(&p, at("2026-12-01T13:59:59Z"), Some("POSTBOTE-2")).is_empty());
    }

    #[test]
    fn nothing_to_guard_says_why() {
        let p = example().expect("the example parses");
        let now = at("2026-11-23T12:00:00Z");
        let released = p.issue("POSTBOTE-1").expect("in the example");
        assert_eq!(released.fix_commits.len(), 1);
        assert!(embargoed_commits(&p, now, Some("POSTBOTE-1")).is_empty());
        let why = nothing_to_guard(&p, released, now);
        assert!(
            why.starts_with("The release went public on 2026-10-13 14:02 UTC: its 1 fix commit(s)"),
            "{why}"
        );
        let fresh = p.issue("POSTBOTE-3").expect("in the example");
        assert!(nothing_to_guard(&p, fresh, now).starts_with("No fix commit is recorded yet"));
        let mut empty_row = fresh.clone();
        empty_row.fix_commits.push(crate::core::model::FixCommit {
            id: " ".into(),
            branch: String::new(),
            summary: String::new(),
        });
        assert!(nothing_to_guard(&p, &empty_row, now).starts_with("No fix commit is recorded yet"));
    }

    #[test]
    fn messages_without_the_cve_are_listed() {
        let m = vec![
            ("a1".to_owned(), "Fix overflow (CVE-2026-41807)".to_owned()),
            ("b2".to_owned(), "Add a test".to_owned()),
        ];
        assert_eq!(missing_cve(Some("CVE-2026-41807"), &m), vec!["b2"]);
        assert!(missing_cve(None, &m).is_empty());
    }
}
