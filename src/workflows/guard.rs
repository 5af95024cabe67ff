//! The embargo guard, written once for the app's guard panel and `embargo
//! guard`: is any embargoed fix commit reachable from a public remote, is
//! every recorded fix commit in the repository, does each fix commit's
//! message name the issue's CVE, and is the pre-push hook installed; the
//! hook itself (what it refuses when git runs it) and installing or
//! removing it. The repository is the project's, a relative path taken
//! from the project file's directory.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::adapters::git::{self, GitError};
use crate::core::guard::{self as rules, Embargoed};
use crate::core::model::Project;

pub use crate::adapters::git::{GuardReport, Leak};

/// What the guard found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guarded {
    /// Leaks, commits missing from the repository, how many were checked
    /// and which remotes count as public.
    pub report: GuardReport,
    /// Fix commits whose message does not name their issue's CVE ID.
    pub missing_cve: Vec<Embargoed>,
    /// Whether our pre-push hook is installed.
    pub hook: bool,
}

fn open(project: &Project, project_file: Option<&Path>) -> Result<git2::Repository, GitError> {
    let dir = git::repo_dir(project_file, &project.repo.path)?;
    git::open(&dir.display().to_string())
}

/// Run the guard on `project`'s repository for the fix commits still under
/// embargo at `now`, of the issue `only` or of every issue.
pub fn check(
    project: &Project,
    project_file: Option<&Path>,
    only: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Guarded, GitError> {
    let repo = open(project, project_file)?;
    let embargoed = rules::embargoed_commits(project, now, only);
    let report = git::guard(&repo, &project.repo, &embargoed)?;
    let mut issues: Vec<&str> = match only {
        Some(id) => vec![id],
        None => embargoed.iter().map(|e| e.issue.as_str()).collect(),
    };
    issues.sort_unstable();
    issues.dedup();
    let mut missing_cve = Vec::new();
    for id in issues {
        let Some(issue) = project.issue(id) else {
            continue;
        };
        let fixes: Vec<String> = issue.fix_commits.iter().map(|c| c.id.clone()).collect();
        let messages = git::messages(&repo, &fixes);
        missing_cve.extend(
            rules::missing_cve(issue.cve_id(), &messages)
                .into_iter()
                .map(|commit| Embargoed {
                    issue: id.to_owned(),
                    commit: commit.to_owned(),
                }),
        );
    }
    Ok(Guarded {
        report,
        missing_cve,
        hook: git::hook_installed(&repo),
    })
}

/// As git's pre-push hook: the embargoed commits that pushing `updates`
/// (the lines git gives the hook) to `remote` would publish; empty lets
/// the push through.
pub fn pre_push(
    project: &Project,
    project_file: &Path,
    remote: &str,
    updates: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Leak>, GitError> {
    let repo = open(project, Some(project_file))?;
    let embargoed = rules::embargoed_commits(project, now, None);
    Ok(git::pre_push(
        &repo,
        &project.repo,
        &embargoed,
        remote,
        updates,
    ))
}

/// Install the pre-push hook in the project's repository: it runs this
/// binary's guard on the project file (by its absolute path). Returns the
/// hook's path.
pub fn install_hook(project: &Project, project_file: &Path) -> Result<PathBuf, GitError> {
    let repo = open(project, Some(project_file))?;
    let exe = std::env::current_exe().map_err(|e| GitError::Io {
        path: PathBuf::from("embargo"),
        source: std::io::Error::new(
            e.kind(),
            format!("cannot tell where this embargo binary is: {e}"),
        ),
    })?;
    let file = std::fs::canonicalize(project_file).map_err(|e| GitError::Io {
        path: project_file.to_owned(),
        source: e,
    })?;
    git::install_hook(&repo, &exe, &file)
}

/// Remove our pre-push hook from the project's repository (another hook is
/// left alone). Returns whether one was removed.
pub fn remove_hook(project: &Project, project_file: Option<&Path>) -> Result<bool, GitError> {
    git::remove_hook(&open(project, project_file)?)
}
