//! Which commits are under embargo: the fix commits of every issue that is a
//! security issue and whose release has not gone public yet. The git adapter
//! checks that none of them is reachable from a public remote; the pre-push
//! hook refuses to send one there.
//!
//! The leak check looks for the words that give an embargoed issue away in
//! what the public remotes already show and in what a push would add: the
//! issue's identifiers (CVE or GCVE, the other form of a CVE, its other
//! IDs), its own ID and the subjects of its fix commits ([`clues`]), in
//! branch and tag names and commit messages ([`Shown`]); [`scan`] matches
//! them, the git adapter only reads the texts.

use chrono::{DateTime, Utc};

use crate::core::model::{Issue, Project, Verdict, cve_to_gcve, gcve_to_cve};

/// A fix commit still under embargo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Embargoed {
    /// The issue.
    pub issue: String,
    /// The commit ID as recorded (full or abbreviated).
    pub commit: String,
}

/// Whether `issue` of `project` is under embargo at `now`: a security issue
/// (or one not judged yet) whose release is not public.
fn under_embargo(project: &Project, issue: &Issue, now: DateTime<Utc>) -> bool {
    !matches!(issue.verdict, Verdict::NotSecurity)
        && project
            .release_of(&issue.id)
            .and_then(|r| r.published)
            .is_none_or(|published| published > now)
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
        .filter(|i| under_embargo(project, i, now))
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

/// What kind of word gives an embargoed issue away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clue {
    /// Its CVE or GCVE ID (either form of a CVE), or one of its other IDs.
    Identifier,
    /// The issue's own ID, e.g. `POSTBOTE-2`.
    IssueId,
    /// The subject of one of its fix commits.
    FixSubject,
}

impl Clue {
    /// The clue in words: "identifier", "issue ID", "fix commit subject".
    pub fn label(self) -> &'static str {
        match self {
            Self::Identifier => "identifier",
            Self::IssueId => "issue ID",
            Self::FixSubject => "fix commit subject",
        }
    }
}

/// One word to look for: which issue it gives away, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needle {
    /// The issue.
    pub issue: String,
    /// What the word is.
    pub clue: Clue,
    /// The word itself, as recorded.
    pub text: String,
}

/// A fix subject shorter than this many characters is too common a line
/// ("Fix typo") to tell anything; it is not looked for.
pub const MIN_SUBJECT_LEN: usize = 12;

/// The words that give away each issue under embargo at `now` (one issue
/// with `only`): its identifier in both forms (`CVE-2026-41807` and
/// `GCVE-0-2026-41807`), its other IDs, its own ID and the subjects of its
/// fix commits, those recorded in the fix step and those git read from the
/// commits (`subjects`: issue ID and subject), each once.
pub fn clues(
    project: &Project,
    now: DateTime<Utc>,
    only: Option<&str>,
    subjects: &[(String, String)],
) -> Vec<Needle> {
    let mut out: Vec<Needle> = Vec::new();
    for issue in project
        .issues
        .iter()
        .filter(|i| only.is_none_or(|id| i.id == id))
        .filter(|i| under_embargo(project, i, now))
    {
        let mut push = |clue: Clue, text: &str| {
            let text = text.trim();
            let long_enough = clue != Clue::FixSubject || text.chars().count() >= MIN_SUBJECT_LEN;
            if !text.is_empty()
                && long_enough
                && !out
                    .iter()
                    .any(|n| n.issue == issue.id && fold(&n.text) == fold(text))
            {
                out.push(Needle {
                    issue: issue.id.clone(),
                    clue,
                    text: text.to_owned(),
                });
            }
        };
        if let Some(id) = issue.identifier() {
            push(Clue::Identifier, id);
            for other in [cve_to_gcve(id), gcve_to_cve(id)].into_iter().flatten() {
                push(Clue::Identifier, &other);
            }
        }
        for other in &issue.other_ids {
            push(Clue::Identifier, &other.id);
        }
        push(Clue::IssueId, &issue.id);
        for c in &issue.fix_commits {
            push(Clue::FixSubject, &c.summary);
        }
        for (id, subject) in subjects {
            if *id == issue.id {
                push(Clue::FixSubject, subject);
            }
        }
    }
    out
}

/// Where a public (or about to be pushed) text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The name of a branch on a public remote (or pushed to one).
    BranchName,
    /// The name of a tag on public history (or pushed to a public remote).
    TagName,
    /// The name of another ref pushed to a public remote.
    RefName,
    /// A commit message reachable from a public ref (or about to be pushed).
    CommitMessage,
}

impl Place {
    /// The place in words: "branch name", "tag name", "ref name", "commit message".
    pub fn label(self) -> &'static str {
        match self {
            Self::BranchName => "branch name",
            Self::TagName => "tag name",
            Self::RefName => "ref name",
            Self::CommitMessage => "commit message",
        }
    }
}

/// A text the public remotes show, or a push to one would show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// What part it is.
    pub place: Place,
    /// The ref it is on or reached from (`origin/main`, `postbote-4.12.3`,
    /// or for a push the remote and its ref, `origin refs/heads/main`).
    pub reference: String,
    /// The commit, for a commit message.
    pub commit: Option<String>,
    /// The text: the branch or tag name, or the whole commit message.
    pub text: String,
}

/// A word of an embargoed issue found where the public can read it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Exposure {
    /// The issue given away.
    pub issue: String,
    /// What matched: the issue's word, as recorded.
    pub matched: String,
    /// What kind of word it is.
    pub clue: Clue,
    /// Which part holds it.
    pub place: Place,
    /// The ref (see [`Shown::reference`]).
    pub reference: String,
    /// The commit whose message holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Exposure {
    /// One line saying what matched where, e.g. “CVE-2026-41807
    /// (identifier of POSTBOTE-2) in the branch name origin/fix-cve-2026-41807”.
    pub fn describe(&self) -> String {
        let what = format!(
            "“{}” ({} of {})",
            self.matched,
            self.clue.label(),
            self.issue
        );
        match &self.commit {
            Some(c) => format!(
                "{what} in the commit message of {} ({})",
                &c[..12.min(c.len())],
                self.reference
            ),
            None => format!("{what} in the {} {}", self.place.label(), self.reference),
        }
    }
}

/// A text folded for matching: lower case, `_` and `/` read as `-` (a
/// branch `fix/cve_2026_41807` names CVE-2026-41807), runs of white space
/// as one space.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '_' | '/' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether folded `hay` holds folded `needle` as a whole word: neither
/// side of the match continues with a letter or digit (`POSTBOTE-2` is not
/// in `POSTBOTE-21`, `CVE-2026-4180` not in `CVE-2026-41807`), nor does a
/// dot and a digit follow it (the issue `POSTBOTE-1` is not the version
/// in the tag `postbote-1.0.0`).
fn holds(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).any(|(at, _)| {
        let mut after = hay[at + needle.len()..].chars();
        let next = after.next();
        let version = next == Some('.') && after.next().is_some_and(|c| c.is_ascii_digit());
        !word(hay[..at].chars().next_back()) && !word(next) && !version
    })
}

/// Every needle found in every shown text. Names (branches, tags, refs)
/// are searched for identifiers and issue IDs, commit messages for every
/// clue; matching ignores case and reads `_` and `/` as `-`.
pub fn scan(needles: &[Needle], shown: &[Shown]) -> Vec<Exposure> {
    let folded: Vec<(String, &Needle)> = needles.iter().map(|n| (fold(&n.text), n)).collect();
    let mut out = Vec::new();
    for s in shown {
        let hay = fold(&s.text);
        for (needle, n) in &folded {
            if s.place != Place::CommitMessage && n.clue == Clue::FixSubject {
                continue;
            }
            if holds(&hay, needle) {
                out.push(Exposure {
                    issue: n.issue.clone(),
                    matched: n.text.clone(),
                    clue: n.clue,
                    place: s.place,
                    reference: s.reference.clone(),
                    commit: s.commit.clone(),
                });
            }
        }
    }
    out
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

    fn shown(place: Place, reference: &str, text: &str) -> Shown {
        Shown {
            place,
            reference: reference.into(),
            commit: (place == Place::CommitMessage).then(|| "a".repeat(40)),
            text: text.into(),
        }
    }

    #[test]
    fn clues_of_an_embargoed_issue_are_its_ids_and_fix_subjects() {
        let mut p = example().expect("the example parses");
        let now = at("2026-11-23T12:00:00Z");
        let issue = p
            .issues
            .iter_mut()
            .find(|i| i.id == "POSTBOTE-2")
            .expect("in the example");
        issue.cve = crate::core::model::CveState::Assigned {
            id: "CVE-2026-41807".into(),
        };
        issue.fix_commits[0].summary = "Fix typo".into();
        let subjects = vec![(
            "POSTBOTE-2".to_owned(),
            "smtp: bound the AUTH PLAIN buffer".to_owned(),
        )];
        let needles = clues(&p, now, Some("POSTBOTE-2"), &subjects);
        let texts: Vec<(&str, Clue)> = needles.iter().map(|n| (n.text.as_str(), n.clue)).collect();
        assert!(
            texts.contains(&("CVE-2026-41807", Clue::Identifier)),
            "{texts:?}"
        );
        assert!(
            texts.contains(&("GCVE-0-2026-41807", Clue::Identifier)),
            "{texts:?}"
        );
        assert!(texts.contains(&("POSTBOTE-2", Clue::IssueId)), "{texts:?}");
        assert!(
            texts.contains(&("smtp: bound the AUTH PLAIN buffer", Clue::FixSubject)),
            "{texts:?}"
        );
        assert!(
            !texts.iter().any(|(t, _)| *t == "Fix typo"),
            "too short to tell anything: {texts:?}"
        );
        // Released issues give nothing away any more.
        assert!(clues(&p, now, Some("POSTBOTE-1"), &[]).is_empty());
    }

    #[test]
    fn scan_finds_whole_words_in_names_and_messages() {
        let needle = |clue, text: &str| Needle {
            issue: "POSTBOTE-2".into(),
            clue,
            text: text.into(),
        };
        let needles = [
            needle(Clue::Identifier, "CVE-2026-41807"),
            needle(Clue::IssueId, "POSTBOTE-2"),
            needle(Clue::FixSubject, "smtp: bound the AUTH PLAIN buffer"),
        ];
        let found = scan(
            &needles,
            &[
                shown(
                    Place::BranchName,
                    "origin/fix/cve_2026_41807",
                    "fix/cve_2026_41807",
                ),
                shown(Place::TagName, "postbote-2-rc", "postbote-2-rc"),
                shown(Place::BranchName, "origin/postbote-21", "postbote-21"),
                shown(
                    Place::BranchName,
                    "origin/cve-2026-418070",
                    "cve-2026-418070",
                ),
                shown(Place::TagName, "postbote-2.0.1", "postbote-2.0.1"),
                shown(
                    Place::TagName,
                    "cve-2026-41807.patch",
                    "x-cve-2026-41807.patch",
                ),
                shown(
                    Place::CommitMessage,
                    "origin/main",
                    "smtp:  bound the auth plain\nbuffer\n\nReported privately.",
                ),
                shown(Place::CommitMessage, "origin/main", "Release 4.12.2"),
            ],
        );
        let got: Vec<(Place, Clue, &str)> = found
            .iter()
            .map(|e| (e.place, e.clue, e.reference.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Place::BranchName,
                    Clue::Identifier,
                    "origin/fix/cve_2026_41807"
                ),
                (Place::TagName, Clue::IssueId, "postbote-2-rc"),
                (Place::TagName, Clue::Identifier, "cve-2026-41807.patch"),
                (Place::CommitMessage, Clue::FixSubject, "origin/main"),
            ]
        );
        assert_eq!(
            found[0].describe(),
            "“CVE-2026-41807” (identifier of POSTBOTE-2) in the branch name origin/fix/cve_2026_41807"
        );
        assert!(
            found[3]
                .describe()
                .starts_with("“smtp: bound the AUTH PLAIN buffer” (fix commit subject of POSTBOTE-2) in the commit message of aaaaaaaaaaaa (origin/main)"),
            "{}",
            found[3].describe()
        );
        // A subject is never looked for in a name.
        let subject_only = [needle(Clue::FixSubject, "release-4.12.3-candidate")];
        assert!(
            scan(
                &subject_only,
                &[shown(
                    Place::BranchName,
                    "origin/x",
                    "release-4.12.3-candidate"
                )]
            )
            .is_empty()
        );
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
