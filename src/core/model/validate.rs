//! Consistency rules a loaded project must satisfy beyond its syntax: unique
//! issue and release IDs, releases that name existing issues, one release per
//! issue, well-formed CVE IDs and a known playbook. Issue IDs, release IDs
//! and versions become file names (`ID.osv.json`, `NAME-VERSION.tar.gz`), so
//! they are held to a file-name-safe alphabet, and the tarball name template
//! must give one plain file name; [`safe_file_name`] is the one check every
//! file name made from project data passes before it is joined to its
//! directory.

use std::collections::BTreeSet;

use super::{CveState, IdAuthority, PlaybookRef, Project, RepoSettings, is_valid_vuln_id};

/// The rule an issue or release ID follows, as the messages state it.
pub const ID_RULE: &str = "an ID may hold only letters, digits, `-`, `_` and `.`, and must not start with a dot (it becomes part of file names, such as ID.osv.json)";

/// The rule a release version follows, as the messages state it.
pub const VERSION_RULE: &str = "a version may hold only letters, digits, `.`, `-`, `_`, `+` and `~`, and must not start with a dot (it becomes part of file names, such as NAME-VERSION.tar.gz)";

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// A name made from project data that cannot be used as a file name: it
/// would leave its directory, hide itself, or not be one path component.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{}` cannot be used as a file name: {reason}; {what_to_do}", .name.escape_debug())]
pub struct UnsafeName {
    /// The name refused.
    pub name: String,
    /// Why.
    pub reason: &'static str,
    /// What to change.
    pub what_to_do: &'static str,
}

const FIX_NAME: &str = "change the issue ID, release version or tarball name template it is made from (`embargo check FILE` lists the rules)";

/// Check that `name`, made from project data, is one plain file name that
/// stays in the directory it is joined to: not empty, no `/`, `\`, NUL or
/// other control character, not `.` or `..`, no leading dot, at most 255
/// bytes. Returns it unchanged when it is.
pub fn safe_file_name(name: &str) -> Result<&str, UnsafeName> {
    let refuse = |reason| {
        Err(UnsafeName {
            name: name.to_owned(),
            reason,
            what_to_do: FIX_NAME,
        })
    };
    if name.is_empty() {
        refuse("it is empty")
    } else if name.contains(['/', '\\']) {
        refuse("it holds a `/` or `\\`, so it would name a file in another directory")
    } else if name.chars().any(char::is_control) {
        refuse("it holds a control character (a newline, NUL, …)")
    } else if name.starts_with('.') {
        refuse("it starts with a dot (`..` leaves the directory, `.NAME` is hidden)")
    } else if name.len() > NAME_MAX {
        refuse("it is longer than 255 bytes")
    } else {
        Ok(name)
    }
}

fn plain(s: &str, extra: &[char]) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') || extra.contains(&c)
        })
}

/// Whether `id` is a valid issue or release ID: letters, digits, `-`, `_`
/// and `.`, not starting with a dot (see [`ID_RULE`]).
pub fn is_valid_id(id: &str) -> bool {
    plain(id, &[])
}

/// Whether `version` is a valid release version: letters, digits, `.`, `-`,
/// `_`, `+` and `~`, not starting with a dot (see [`VERSION_RULE`]), so
/// 4.12.3, 1.1.1w, 4.99.3-rc1 and 2.0.0+deb12u1 are.
pub fn is_valid_version(version: &str) -> bool {
    plain(version, &['+', '~'])
}

impl RepoSettings {
    /// The base name of a release's tarballs (and the top directory inside
    /// them): the tarball name template with `version` filled in, refused
    /// unless it is one plain file name (see [`safe_file_name`]).
    pub fn tarball_base(&self, version: &str) -> Result<String, UnsafeName> {
        let base = Self::fill(&self.tarball_template, version);
        safe_file_name(&base)?;
        Ok(base)
    }
}

/// The version the tarball template is tried with when no release checks it.
const SAMPLE_VERSION: &str = "1.0.0";

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
    if project.publication.id_authority == Some(IdAuthority::Gcve { gna: 0 }) {
        push(
            "identifier authority".into(),
            "GCVE numbering authority 0 is the CVE Program itself (GCVE-0-YYYY-NNNN is \
             CVE-YYYY-NNNN): write `id_authority: Some(Cve)`, or give your own GNA's number"
                .into(),
        );
    }
    let template = &project.repo.tarball_template;
    let template_ok = match project.repo.tarball_base(SAMPLE_VERSION) {
        Ok(_) => true,
        Err(e) => {
            push(
                "tarball name template".into(),
                format!(
                    "`{}` does not give one plain file name ({}): use a name such as NAME-{{version}}, without `/`, `\\` or a leading dot",
                    template.escape_debug(),
                    e.reason
                ),
            );
            false
        }
    };
    let mut ids = BTreeSet::new();
    for issue in &project.issues {
        if issue.id.trim().is_empty() {
            push(
                format!("issue “{}”", issue.title),
                "the issue has an empty ID".into(),
            );
        } else if !is_valid_id(&issue.id) {
            push(
                format!("issue {}", issue.id.escape_debug()),
                format!(
                    "the ID `{}` is not allowed: {ID_RULE}",
                    issue.id.escape_debug()
                ),
            );
            ids.insert(issue.id.as_str());
        } else if !ids.insert(issue.id.as_str()) {
            push(
                format!("issue {}", issue.id),
                "the ID is used by two issues".into(),
            );
        }
        if let CveState::Assigned { id } = &issue.cve
            && !is_valid_vuln_id(id)
        {
            push(
                format!("issue {}", issue.id),
                format!(
                    "`{}` is not a CVE ID (CVE-YYYY-NNNN) nor a GCVE ID (GCVE-GNA-YYYY-NNNN)",
                    id.escape_debug()
                ),
            );
        }
    }
    let mut release_ids = BTreeSet::new();
    let mut released = BTreeSet::new();
    for release in &project.releases {
        let place = format!("release {}", release.id.escape_debug());
        if !is_valid_id(&release.id) {
            push(
                place.clone(),
                format!(
                    "the ID `{}` is not allowed: {ID_RULE}",
                    release.id.escape_debug()
                ),
            );
        }
        if !release_ids.insert(release.id.as_str()) {
            push(place.clone(), "the ID is used by two releases".into());
        }
        if !is_valid_version(&release.version) {
            push(
                place.clone(),
                format!(
                    "the version `{}` is not allowed: {VERSION_RULE}",
                    release.version.escape_debug()
                ),
            );
        } else if template_ok && let Err(e) = project.repo.tarball_base(&release.version) {
            push(
                place.clone(),
                format!(
                    "its tarball name `{}` is not one plain file name ({}): shorten the tarball name template or the version",
                    e.name.escape_debug(),
                    e.reason
                ),
            );
        }
        for issue in &release.issues {
            if !ids.contains(issue.as_str()) {
                push(
                    place.clone(),
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
    let mut addresses = BTreeSet::new();
    for member in &project.members {
        let address = member.address.trim();
        let place = format!("member {}", address.escape_debug());
        if address.is_empty() {
            push(
                format!("member “{}”", member.name.escape_debug()),
                "the member has no mail address (it names them as the author of journal entries)"
                    .into(),
            );
        } else if !looks_like_address(address) {
            push(
                place.clone(),
                format!(
                    "`{}` is not a mail address (name@domain)",
                    address.escape_debug()
                ),
            );
        } else if !addresses.insert(address.to_ascii_lowercase()) {
            push(
                place.clone(),
                "the address is listed for two members".into(),
            );
        }
        if let Some(fpr) = &member.cert_fingerprint
            && !(fpr.len() >= 32 && fpr.chars().all(|c| c.is_ascii_hexdigit()))
        {
            push(
                place,
                format!(
                    "`{}` is not an OpenPGP fingerprint (hex digits, no spaces): import the member's certificate again",
                    fpr.escape_debug()
                ),
            );
        }
    }
    let journals = std::iter::once(("project journal".to_owned(), &project.journal)).chain(
        project.issues.iter().map(|i| {
            (
                format!("journal of issue {}", i.id.escape_debug()),
                &i.journal,
            )
        }),
    );
    for (place, journal) in journals {
        let mut entry_ids = BTreeSet::new();
        for entry in journal.iter().filter(|e| !e.id.is_empty()) {
            if !super::is_valid_entry_id(&entry.id) {
                push(
                    place.clone(),
                    format!(
                        "the entry id `{}` is not a UUID: remove the `id` line, and Embargo gives the entry a new one",
                        entry.id.escape_debug()
                    ),
                );
            } else if !entry_ids.insert(entry.id.as_str()) {
                push(
                    place.clone(),
                    format!(
                        "the entry id `{}` is used by two entries: remove the `id` line of the copy, and Embargo gives it a new one",
                        entry.id
                    ),
                );
            }
        }
    }
    problems
}

/// Whether `s` has the shape of a mail address: something, one `@`, and a
/// domain with a dot or a name, without blanks or angle brackets.
pub fn looks_like_address(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
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

    #[test]
    fn every_real_version_and_id_is_valid() {
        for v in [
            "4.12.3",
            "3.0.18",
            "1.1.1w",
            "4.99.3-rc1",
            "4.97.1",
            "2.0.0+deb12u1",
            "1.0~rc2",
            "1.0.1",
            "1",
        ] {
            assert!(is_valid_version(v), "{v}");
        }
        for id in [
            "POSTBOTE-1",
            "EXIM-2",
            "X_1",
            "CVE-2026-31122",
            "4.12.3",
            "a.b",
        ] {
            assert!(is_valid_id(id), "{id}");
        }
        for bad in [
            "", "../x", "..", ".", ".hidden", "a/b", "a\\b", "a b", "a\nb", "a\0b", "$(x)", "a'b",
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
            assert!(!is_valid_version(bad), "{bad:?}");
        }
        assert!(!is_valid_id("1.0+1"), "`+` is for versions only");
    }

    #[test]
    fn safe_file_names_stay_in_their_directory() {
        for ok in [
            "POSTBOTE-1.osv.json",
            "postbote-4.12.3.tar.gz",
            "a..b",
            "x y",
        ] {
            assert_eq!(safe_file_name(ok), Ok(ok));
        }
        for (bad, why) in [
            ("", "empty"),
            ("..", "starts with a dot"),
            (".", "starts with a dot"),
            ("...osv.json", "starts with a dot"),
            ("../x.osv.json", "`/`"),
            ("/etc/passwd", "`/`"),
            ("a\\..\\b", "`\\`"),
            ("a\nb", "control character"),
            ("a\0b", "control character"),
        ] {
            let e = safe_file_name(bad).expect_err(bad);
            assert!(e.reason.contains(why), "{bad:?}: {e}");
            assert!(
                e.to_string().contains("cannot be used as a file name"),
                "{e}"
            );
        }
        assert!(safe_file_name(&"a".repeat(256)).is_err());
        assert!(safe_file_name(&"a".repeat(255)).is_ok());
    }

    fn planned(p: &mut Project, id: &str, version: &str) {
        p.releases.push(Release {
            id: id.into(),
            version: version.into(),
            planned: None,
            published: None,
            base_tag: None,
            issues: vec![],
            artifacts: vec![],
            milestones: Default::default(),
            shares: Vec::new(),
        });
    }

    #[test]
    fn ids_versions_and_templates_that_leave_the_directory_are_problems() {
        let now = Utc::now();
        let mut p = Project::new("Postbote", PlaybookRef::Builtin("exim".into()));
        p.issues.push(Issue::new("../x", "a", now));
        planned(&mut p, "4.12.3", "4.12.3");
        planned(&mut p, "../../r", "../../v");
        let found: Vec<String> = validate(&p, &["exim"])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].starts_with(
                "issue ../x: the ID `../x` is not allowed: an ID may hold only letters, digits"
            ),
            "{found:#?}"
        );
        assert!(found[1].starts_with("release ../../r: the ID `../../r` is not allowed"));
        assert!(found[2].starts_with("release ../../r: the version `../../v` is not allowed"));

        let mut p = Project::new("Postbote", PlaybookRef::Builtin("exim".into()));
        planned(&mut p, "4.12.3", "4.12.3");
        for template in [
            "../{version}",
            "/tmp/x-{version}",
            "{version}/..",
            ".x-{version}",
            "",
            "a\\b",
        ] {
            p.repo.tarball_template = template.into();
            let found: Vec<String> = validate(&p, &["exim"])
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(found.len(), 1, "{template}: {found:#?}");
            assert!(
                found[0].starts_with("tarball name template: `"),
                "{template}: {found:#?}"
            );
            assert!(p.repo.tarball_base("4.12.3").is_err(), "{template}");
        }
        p.repo.tarball_template = "postbote-{version}".into();
        assert!(validate(&p, &["exim"]).is_empty());
        assert_eq!(
            p.repo.tarball_base("4.12.3").as_deref(),
            Ok("postbote-4.12.3")
        );
        // A version that makes the name too long is named with its release.
        p.releases[0].version = "1".repeat(250);
        p.releases[0].id = "long".into();
        let found = validate(&p, &["exim"]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].place, "release long");
        assert!(found[0].message.contains("longer than 255 bytes"));
    }
}
