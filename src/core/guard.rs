//! Which commits are under embargo: the fix commits of every issue that is a
//! security issue and whose release has not gone public yet. The git adapter
//! checks that none of them is reachable from a public remote; the pre-push
//! hook refuses to send one there.

use chrono::{DateTime, Utc};

use crate::core::model::{Project, Verdict};

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
            i.fix_commits.iter().map(|c| Embargoed {
                issue: i.id.clone(),
                commit: c.id.clone(),
            })
        })
        .collect()
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
    fn messages_without_the_cve_are_listed() {
        let m = vec![
            ("a1".to_owned(), "Fix overflow (CVE-2026-41807)".to_owned()),
            ("b2".to_owned(), "Add a test".to_owned()),
        ];
        assert_eq!(missing_cve(Some("CVE-2026-41807"), &m), vec!["b2"]);
        assert!(missing_cve(None, &m).is_empty());
    }
}
