//! The embargo guard, written once for the app's guard panel and `embargo
//! guard`: is any embargoed fix commit reachable from a public remote, is
//! every recorded fix commit in the repository, does each fix commit's
//! message name the issue's CVE, do the public remotes already show an
//! embargoed issue's identifier, ID or fix subject in a branch or tag name
//! or a commit message (the leak check), and is the pre-push hook
//! installed; the
//! hook itself (what it refuses when git runs it) and installing or
//! removing it. The repository is the project's, a relative path taken
//! from the project file's directory. And the push of a published
//! release's fix and tag to the public remotes ([`push_public`]), refused
//! before publication and whenever it would carry another issue's
//! embargoed fix.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::adapters::git::{self, GitError};
use crate::core::guard::{self as rules, Embargoed, Exposure};
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
    /// Words of embargoed issues the public remotes already show (the
    /// leak check), each saying what matched and where.
    pub exposures: Vec<Exposure>,
    /// Whether our pre-push hook is installed.
    pub hook: bool,
}

/// What a push would publish that it must not (see [`pre_push_check`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrePush {
    /// Embargoed fix commits the push would send.
    pub leaks: Vec<Leak>,
    /// Words of embargoed issues in the names of the pushed refs or the
    /// messages of the commits the push would send.
    pub exposures: Vec<Exposure>,
}

impl PrePush {
    /// Whether the push may go.
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty() && self.exposures.is_empty()
    }
}

/// The words that give away the issues under embargo at `now` (`only` one),
/// with the subjects git reads from their fix commits.
fn clues_in(
    repo: &git2::Repository,
    project: &Project,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> Vec<rules::Needle> {
    let mut subjects = Vec::new();
    for issue in project
        .issues
        .iter()
        .filter(|i| only.is_none_or(|id| i.id == id))
    {
        let fixes: Vec<String> = issue
            .fix_commits
            .iter()
            .map(|c| c.id.clone())
            .filter(|c| !c.trim().is_empty())
            .collect();
        subjects.extend(
            git::subjects(repo, &fixes)
                .into_iter()
                .map(|(_, subject)| (issue.id.clone(), subject)),
        );
    }
    rules::clues(project, now, only, &subjects)
}

/// The leak check over what the public remotes show, each commit hit named
/// with the public refs it is reachable from.
fn public_exposures(
    repo: &git2::Repository,
    project: &Project,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> Result<Vec<Exposure>, GitError> {
    let needles = clues_in(repo, project, now, only);
    if needles.is_empty() {
        return Ok(Vec::new());
    }
    let shown = git::public_texts(repo, &project.repo)?;
    let mut found = rules::scan(&needles, &shown);
    for e in &mut found {
        if let Some(c) = &e.commit {
            e.reference = git::refs_reaching(repo, &project.repo, c);
        }
    }
    Ok(found)
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
            rules::missing_cve(issue.identifier(), &messages)
                .into_iter()
                .map(|commit| Embargoed {
                    issue: id.to_owned(),
                    commit: commit.to_owned(),
                }),
        );
    }
    let exposures = public_exposures(&repo, project, now, only)?;
    Ok(Guarded {
        report,
        missing_cve,
        exposures,
        hook: git::hook_installed(&repo),
    })
}

/// As git's pre-push hook, with the leak check: the embargoed commits that
/// pushing `updates` (the lines git gives the hook) to `remote` would
/// publish, and the words of embargoed issues in the names of the refs it
/// pushes and in the messages of the commits it sends. A clean result lets
/// the push through; a push to a private remote always is.
pub fn pre_push_check(
    project: &Project,
    project_file: &Path,
    remote: &str,
    updates: &str,
    now: DateTime<Utc>,
) -> Result<PrePush, GitError> {
    let repo = open(project, Some(project_file))?;
    let embargoed = rules::embargoed_commits(project, now, None);
    let leaks = git::pre_push(&repo, &project.repo, &embargoed, remote, updates);
    let needles = clues_in(&repo, project, now, None);
    let exposures = if needles.is_empty() {
        Vec::new()
    } else {
        rules::scan(
            &needles,
            &git::pushed_texts(&repo, &project.repo, remote, updates)?,
        )
    };
    Ok(PrePush { leaks, exposures })
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

/// What [`push_public`] pushed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Pushed {
    /// The branch pushed (the release branch).
    pub branch: String,
    /// The release tag pushed.
    pub tag: String,
    /// The public remotes it went to.
    pub remotes: Vec<String>,
    /// What git printed, each push after the command line it ran.
    pub output: String,
}

/// Why [`push_public`] pushed nothing, or not everywhere.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The release is not public yet, or the data is missing.
    #[error("{0}")]
    NotReady(String),
    /// The push would publish another issue's embargoed fix.
    #[error(
        "REFUSED: pushing {branch} would publish embargoed fixes of issues not yet released: {}; \
         nothing was pushed (move those commits off the branch, or wait until they are released)",
        .leaks.iter().map(|l| format!("{} of {}", &l.commit[..12.min(l.commit.len())], l.issue)).collect::<Vec<_>>().join(", ")
    )]
    Embargoed {
        /// The branch.
        branch: String,
        /// What it would publish.
        leaks: Vec<Leak>,
    },
    /// The push would name an issue still under embargo (the leak check).
    #[error(
        "REFUSED: pushing {branch} would name issues still under embargo: {}; nothing was pushed \
         (reword or rename what names them, or wait until they are released)",
        .found.iter().map(Exposure::describe).collect::<Vec<_>>().join("; ")
    )]
    Named {
        /// The branch.
        branch: String,
        /// What matched where.
        found: Vec<Exposure>,
    },
    /// A git operation failed before pushing.
    #[error(transparent)]
    Git(#[from] GitError),
    /// `git push` failed; what it printed.
    #[error("git push to {remote} failed: {output}")]
    Failed {
        /// The remote.
        remote: String,
        /// What git printed (earlier pushes included).
        output: String,
    },
}

/// Push the release branch of `issue` and its release tag to every public
/// remote with `git push`, once the release is recorded as published (at
/// or before `now`): through the guard first — a push that would carry a
/// fix of an issue still under embargo is refused, nothing pushed — and
/// then through git itself (its pre-push hook, credentials and output).
pub fn push_public(
    project: &Project,
    project_file: Option<&Path>,
    issue: &str,
    now: DateTime<Utc>,
) -> Result<Pushed, PushError> {
    let not_ready = |m: String| PushError::NotReady(m);
    let found = project
        .issue(issue)
        .ok_or_else(|| not_ready(format!("there is no issue `{issue}` in this project")))?;
    let release = project.release_of(issue).ok_or_else(|| {
        not_ready(format!(
            "issue `{issue}` is not planned into a release yet: plan the release first"
        ))
    })?;
    if release.published.is_none_or(|p| p > now) {
        return Err(not_ready(format!(
            "release {} is not recorded as published yet: record it as published (the Publish \
             step's \"Record as published now\", or embargo publish) first; nothing was pushed",
            release.version
        )));
    }
    let dir = git::repo_dir(project_file, &project.repo.path)?;
    let repo = git::open(&dir.display().to_string())?;
    let refs = git::refs(&repo)?;
    let branch = super::artifacts::release_branch(Some(found), &refs).ok_or_else(|| {
        not_ready(
            "the repository has no branch checked out and the fix commits name none: \
                   record the fix commits with their branch (fix step)"
                .to_owned(),
        )
    })?;
    let tag = crate::core::model::RepoSettings::fill(&project.repo.tag_template, &release.version);
    let branch_tip = git::commit_of(&repo, &format!("refs/heads/{branch}"))?;
    let tag_commit = git::commit_of(&repo, &format!("refs/tags/{tag}")).map_err(|_| {
        not_ready(format!(
            "the release tag {tag} does not exist: build the release artifacts first (build step)"
        ))
    })?;
    let public: Vec<String> = repo
        .remotes()
        .map_err(GitError::from)?
        .iter()
        .filter_map(|r| r.ok().flatten())
        .filter(|r| project.repo.is_public_remote(r))
        .map(str::to_owned)
        .collect();
    if public.is_empty() {
        return Err(not_ready(
            "the repository has no public remote: add one (git remote add) or list it under \
             Project › Settings › Repository › Public remotes (CLI: embargo settings --public-remotes NAMES)"
                .to_owned(),
        ));
    }
    let embargoed = rules::embargoed_commits(project, now, None);
    let zero = "0".repeat(40);
    let updates = format!(
        "refs/heads/{branch} {} refs/heads/{branch} {zero}\nrefs/tags/{tag} {} refs/tags/{tag} {zero}\n",
        branch_tip.id(),
        tag_commit.id()
    );
    let mut leaks = Vec::new();
    for remote in &public {
        leaks.extend(git::pre_push(
            &repo,
            &project.repo,
            &embargoed,
            remote,
            &updates,
        ));
    }
    leaks.dedup_by(|a, b| a.commit == b.commit);
    if !leaks.is_empty() {
        return Err(PushError::Embargoed { branch, leaks });
    }
    // The leak check, as the pre-push hook makes it: no pushed name or
    // commit message may name an issue still under embargo.
    let needles = clues_in(&repo, project, now, None);
    if !needles.is_empty() {
        let mut found = Vec::new();
        for remote in &public {
            found.extend(rules::scan(
                &needles,
                &git::pushed_texts(&repo, &project.repo, remote, &updates)?,
            ));
        }
        if !found.is_empty() {
            return Err(PushError::Named { branch, found });
        }
    }
    let mut output = String::new();
    for remote in &public {
        let refspecs = [
            format!("refs/heads/{branch}:refs/heads/{branch}"),
            format!("refs/tags/{tag}:refs/tags/{tag}"),
        ];
        output.push_str(&format!("$ git push {remote} {}\n", refspecs.join(" ")));
        let run = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .arg("push")
            .arg("--")
            .arg(remote)
            .args(&refspecs)
            .stdin(std::process::Stdio::null())
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|e| PushError::Failed {
                remote: remote.clone(),
                output: format!("{output}cannot run git: {e}"),
            })?;
        output.push_str(&String::from_utf8_lossy(&run.stdout));
        output.push_str(&String::from_utf8_lossy(&run.stderr));
        if !run.status.success() {
            return Err(PushError::Failed {
                remote: remote.clone(),
                output,
            });
        }
    }
    Ok(Pushed {
        branch,
        tag,
        remotes: public,
        output,
    })
}
