//! Facts the advisories and records derive the same way from the model: the
//! public date, the version that fixes a range (as it will be published),
//! the credits (one entry per person), the web addresses from the publication settings, the
//! order of a release's issues, and plain-text wrapping.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use crate::core::model::{AffectedRange, Credit, CreditRole, Issue, Project, Release};

/// When a release is (or was) public: published, else planned.
pub(crate) fn release_date(release: &Release) -> Option<DateTime<Utc>> {
    release.published.or(release.planned)
}

/// When an issue is (or was) public: its own date, else its release's.
pub(crate) fn public_date(project: &Project, issue: &Issue) -> Option<DateTime<Utc>> {
    issue
        .date_public
        .or_else(|| project.release_of(&issue.id).and_then(release_date))
}

/// When an issue went public, if it has: its own date, else the date its
/// release was published; `None` while the release is only planned.
pub(crate) fn published_date(project: &Project, issue: &Issue) -> Option<DateTime<Utc>> {
    issue
        .date_public
        .or_else(|| project.release_of(&issue.id).and_then(|r| r.published))
}

/// The version that fixes `range` as it will be published: the range's
/// own, else the version of the issue's release; without a `-dev` suffix
/// (a record made under embargo states the release it announces, as every
/// record OpenSSL publishes does; none carries `-dev`).
pub(crate) fn fixed_version(
    project: &Project,
    issue: &Issue,
    range: &AffectedRange,
) -> Option<String> {
    match &range.fixed {
        Some(v) => Some(v.strip_suffix("-dev").unwrap_or(v).to_owned()),
        None => project.release_of(&issue.id).map(|r| r.version.clone()),
    }
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    let pre_ok = v[core.len()..]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'));
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && pre_ok
}

/// The `versionType` of a range: `semver` when both ends are semantic
/// versions, else `custom` (as OpenSSL writes `1.1.1` to `1.1.1zd`).
pub(crate) fn version_type(introduced: &str, less_than: Option<&str>) -> &'static str {
    if is_semver(introduced) && less_than.is_none_or(is_semver) {
        "semver"
    } else {
        "custom"
    }
}

/// Compare versions piece by piece, numbers as numbers: `4.9.0 < 4.12.0`.
pub(crate) fn version_cmp(a: &str, b: &str) -> Ordering {
    fn pieces(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (pa, pb) = (pieces(a), pieces(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => x
                .trim_start_matches('0')
                .len()
                .cmp(&y.trim_start_matches('0').len())
                .then_with(|| x.trim_start_matches('0').cmp(y.trim_start_matches('0'))),
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// The branch a version belongs to: its first two dot-separated parts, or
/// for letter-suffixed patch releases (OpenSSL's `1.1.1zd`) the numbered part.
pub(crate) fn branch(version: &str) -> String {
    let numbered = version.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if numbered != version && !numbered.is_empty() {
        return numbered.to_owned();
    }
    version.splitn(3, '.').take(2).collect::<Vec<_>>().join(".")
}

/// One person credited for an issue, with every part they played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Credited {
    /// The name to print, with the affiliation when any entry gave one.
    pub name: String,
    /// Their parts, in the order first named.
    pub roles: Vec<CreditRole>,
}

/// A name compared as people read it: case, spacing and a trailing
/// affiliation in brackets do not make another person.
fn person_key(name: &str) -> (String, String) {
    let full = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let bare = match full.find(" (") {
        Some(i) if full.ends_with(')') => full[..i].to_owned(),
        _ => full.clone(),
    };
    (full, bare)
}

fn same_person(a: &str, b: &str) -> bool {
    let ((fa, ba), (fb, bb)) = (person_key(a), person_key(b));
    fa == fb || (ba == bb && (fa == ba || fb == bb))
}

/// Everyone credited, one entry per person, in the order first named: the
/// reporter (when they want to be named) first, then the issue's further
/// credits. "Jonas Weber" and "Jonas Weber (Bugfinders)" are one person,
/// printed with the affiliation.
pub(crate) fn people(issue: &Issue) -> Vec<Credited> {
    let mut named: Vec<(&str, CreditRole)> = Vec::new();
    if let Some(Credit::Named(name)) = &issue.reporter.credit {
        named.push((name, CreditRole::Reporter));
    }
    named.extend(issue.credits.iter().map(|c| (c.name.as_str(), c.role)));
    let mut out: Vec<Credited> = Vec::new();
    for (name, role) in named {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        match out.iter_mut().find(|p| same_person(&p.name, name)) {
            Some(p) => {
                if name.len() > p.name.len() {
                    p.name = name.to_owned();
                }
                if !p.roles.contains(&role) {
                    p.roles.push(role);
                }
            }
            None => out.push(Credited {
                name: name.to_owned(),
                roles: vec![role],
            }),
        }
    }
    out
}

/// The credits of a record (CVE JSON 5 and OSV give each entry one type):
/// each person once per part they played, except that one who found the
/// flaw and reported it is credited as its finder only, as OpenSSL's and
/// curl's records do.
pub(crate) fn credits(issue: &Issue) -> Vec<(String, CreditRole)> {
    people(issue)
        .into_iter()
        .flat_map(|p| {
            let finder = p.roles.contains(&CreditRole::Finder);
            p.roles
                .into_iter()
                .filter(move |r| !(finder && *r == CreditRole::Reporter))
                .map(move |r| (p.name.clone(), r))
        })
        .collect()
}

/// `template` with `{key}` replaced by `value`; `None` when the template is empty.
pub(crate) fn fill(template: &str, key: &str, value: &str) -> Option<String> {
    let t = template.trim();
    (!t.is_empty()).then(|| t.replace(&format!("{{{key}}}"), value))
}

/// The web address of a commit, when the project says how to make one.
pub(crate) fn commit_url(project: &Project, id: &str) -> Option<String> {
    fill(&project.publication.commit_url, "commit", id)
}

/// The web address of a release's security advisory.
pub(crate) fn advisory_url(project: &Project, release: &Release) -> Option<String> {
    let date = release_date(release)?;
    fill(
        &project.publication.advisory_url,
        "date",
        &date.format("%Y%m%d").to_string(),
    )
}

/// Whether `id` is a full SHA-1 or SHA-256 commit hash in lower-case hex.
pub(crate) fn is_full_hash(id: &str) -> bool {
    (id.len() == 40 || id.len() == 64) && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The issues of a release in advisory order: severity from Critical to
/// Low (unassessed last), then by the date the report came in.
pub(crate) fn release_issues<'a>(project: &'a Project, release: &Release) -> Vec<&'a Issue> {
    let mut issues: Vec<&Issue> = release
        .issues
        .iter()
        .filter_map(|id| project.issue(id))
        .collect();
    issues.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.intake.received.cmp(&b.intake.received))
    });
    issues
}

/// `text` wrapped at `width` columns, paragraphs (blank-line separated) and
/// line breaks kept; words longer than the width stay whole.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.trim().lines() {
        let mut current = String::new();
        for word in line.split_whitespace() {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out.join("\n")
}

/// A count in words for small numbers, as the newsflash says "one" or "two".
pub(crate) fn count_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// A list for prose: `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(version_cmp("4.9.0", "4.12.0"), Ordering::Less);
        assert_eq!(version_cmp("1.1.1zd", "1.1.1a"), Ordering::Greater);
        assert_eq!(version_cmp("3.0", "3.0.0"), Ordering::Less);
        assert_eq!(version_cmp("010", "10"), Ordering::Equal);
    }

    #[test]
    fn version_types_follow_openssl() {
        assert_eq!(version_type("3.5.0", Some("3.5.4")), "semver");
        assert_eq!(version_type("3.5.0", Some("3.5.4-dev")), "semver");
        assert_eq!(version_type("1.1.1", Some("1.1.1zd")), "custom");
        assert_eq!(version_type("4.99", Some("4.99.1")), "custom");
    }

    fn issue_with(reporter: Option<&str>, credits: &[(&str, CreditRole)]) -> Issue {
        let mut i = Issue::new("X-1", "t", Utc::now());
        i.reporter.credit = reporter.map(|n| Credit::Named(n.into()));
        i.credits = credits
            .iter()
            .map(|(n, r)| crate::core::model::Acknowledgement {
                name: (*n).into(),
                role: *r,
            })
            .collect();
        i
    }

    #[test]
    fn each_person_is_credited_once_with_all_their_parts() {
        let i = issue_with(
            Some("Jonas Weber"),
            &[
                ("Jonas Weber (Bugfinders)", CreditRole::Finder),
                ("Tomás Berg", CreditRole::RemediationDeveloper),
                ("jonas  weber", CreditRole::Analyst),
            ],
        );
        assert_eq!(
            people(&i),
            vec![
                Credited {
                    name: "Jonas Weber (Bugfinders)".into(),
                    roles: vec![
                        CreditRole::Reporter,
                        CreditRole::Finder,
                        CreditRole::Analyst
                    ],
                },
                Credited {
                    name: "Tomás Berg".into(),
                    roles: vec![CreditRole::RemediationDeveloper],
                },
            ]
        );
        assert_eq!(
            credits(&i),
            vec![
                ("Jonas Weber (Bugfinders)".into(), CreditRole::Finder),
                ("Jonas Weber (Bugfinders)".into(), CreditRole::Analyst),
                ("Tomás Berg".into(), CreditRole::RemediationDeveloper),
            ],
            "the finder who reported is credited as finder only"
        );
        // Two people of one affiliation stay two people.
        let i = issue_with(
            Some("Ann Lee (Acme)"),
            &[("Bo Chan (Acme)", CreditRole::Finder)],
        );
        assert_eq!(people(&i).len(), 2);
        // A reporter who is not also the finder keeps the reporter type.
        let i = issue_with(Some("Ann Lee"), &[("Bo Chan", CreditRole::Finder)]);
        assert_eq!(
            credits(&i),
            vec![
                ("Ann Lee".into(), CreditRole::Reporter),
                ("Bo Chan".into(), CreditRole::Finder)
            ]
        );
    }

    #[test]
    fn wrap_keeps_paragraphs() {
        assert_eq!(wrap("aa bb cc\n\ndd", 5), "aa bb\ncc\n\ndd");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(branch("4.12.3"), "4.12");
        assert_eq!(branch("1.1.1zd"), "1.1.1");
    }
}
