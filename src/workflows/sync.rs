//! Sync a project with the team's private repository: the one sequence the
//! app's Sync button and `embargo sync` run. Commit the local change (its
//! message lists the journal entries since the last sync), fetch, merge
//! with `core::merge` (never a textual merge of RON), push. A conflict
//! stops before anything is written or pushed and is returned, to be
//! resolved ([`Resolution`]) by a second sync. A remote the project lists
//! as public, or one on a public forge the user did not allow, is refused
//! before anything is fetched or sent (`core::team::refusal`).
//!
//! A project kept encrypted is decrypted in memory only (the three versions
//! of a merge), merged, and encrypted again to the keeper's certificate and
//! every member's before its bytes reach git: the objects, the index and
//! the work tree only ever hold ciphertext.

use std::path::Path;

use serde::Serialize;

use crate::adapters::git::team::{Team, TeamError};
use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::vault::{self, Keeping, VaultError};
use crate::core::merge::{self, Conflict, MergeError, Side};
use crate::core::model::Project;
use crate::core::ports::Watch;
use crate::core::team::{self as rules, RemoteFacts};

/// How a conflict is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Take one side's value of the field at `path`.
    Take {
        /// The conflict's path, as [`Conflict::path`] gives it.
        path: String,
        /// Which side.
        side: Side,
    },
    /// Use an edited value (written as the conflict shows values; see
    /// [`merge::resolve_with`]).
    Value {
        /// The conflict's path.
        path: String,
        /// The value.
        text: String,
    },
}

/// What a sync is asked to do besides the defaults.
#[derive(Debug, Default)]
pub struct Options<'a> {
    /// The remote; default the branch's upstream remote, else `origin`.
    pub remote: Option<String>,
    /// Public forge hosts the user allows (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Resolutions of the conflicts a previous sync stopped on.
    pub resolutions: Vec<Resolution>,
    /// The key that opens an encrypted project (the three versions a merge
    /// reads); `None` for a plain one.
    pub opener: Option<&'a Opener>,
}

/// How the branch came to agree with the remote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Merge {
    /// The remote had nothing new.
    UpToDate,
    /// Only the remote had something new: taken as it is.
    FastForward,
    /// Both had: merged field by field.
    Merged,
    /// Both had, and they conflict: nothing was written or pushed.
    Conflict,
}

/// What a sync did; `--json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The remote.
    pub remote: String,
    /// The branch.
    pub branch: String,
    /// The commit of the local change, if there was one.
    pub committed: Option<String>,
    /// How the branch came to agree with the remote.
    pub merge: Merge,
    /// Whether the branch was pushed.
    pub pushed: bool,
    /// Commits the branch has that the remote has not, after the sync.
    pub ahead: usize,
    /// Commits the remote has that the branch has not, after the sync.
    pub behind: usize,
    /// The conflicts left (then nothing was pushed).
    pub conflicts: Vec<Conflict>,
    /// The project as the file now holds it, when the sync changed it
    /// (for the app to show).
    #[serde(skip)]
    pub project: Option<Project>,
}

/// Where the project stands against the remote, without fetching.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The remote.
    pub remote: String,
    /// The branch.
    pub branch: String,
    /// Local commits not yet pushed (as of the last fetch).
    pub ahead: usize,
    /// Remote commits not yet merged (as of the last fetch).
    pub behind: usize,
    /// Whether the project file has changes not yet committed.
    pub changed: bool,
}

/// Why a sync did not happen; each message says what to do. Nothing was
/// pushed in any case.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The repository side.
    #[error(transparent)]
    Team(#[from] TeamError),
    /// Reading, decrypting, validating or encrypting the project.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The remote is public.
    #[error("sync refused: {0}")]
    Public(String),
    /// A resolution named no conflict, or a value that does not fit.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The two histories share no version of the project.
    #[error(
        "the project file was made separately on both sides (no common version); keep one: \
         move yours away, `git pull`, and copy your entries over with the app"
    )]
    Unrelated,
}

/// The remote's facts for [`rules::refusal`]: its URLs, and the URLs of the
/// public remotes of the software's repository the project names.
fn facts(
    team: &Team,
    file: &Path,
    project: &Project,
    remote: &str,
) -> Result<RemoteFacts, SyncError> {
    let urls = team.remote_urls(remote)?;
    let (public_urls, same_repository) =
        crate::adapters::git::team::public_remote_urls(file, project, team.workdir());
    Ok(RemoteFacts {
        name: remote.to_owned(),
        urls,
        public_urls,
        same_repository,
    })
}

/// Where the project at `file` stands against `remote` (default as in
/// [`sync`]) as of the last fetch: for the app's status bar. No network.
pub fn standing(file: &Path, remote: Option<&str>) -> Result<Standing, SyncError> {
    let team = Team::open(file)?;
    let remote = team.remote_name(remote)?;
    let head = team.head();
    let (ahead, behind) = team.ahead_behind(head, team.tracking(&remote));
    let committed = match head {
        Some(h) => team.file_at(h)?,
        None => None,
    };
    let changed = committed.as_deref() != Some(team.file_now()?.as_slice());
    Ok(Standing {
        remote,
        branch: team.branch().to_owned(),
        ahead,
        behind,
        changed,
    })
}

/// Sync the project file `file` with the team's repository it is in.
/// The caller holds the project's lock and saved what it shows.
pub fn sync(file: &Path, options: &Options<'_>, watch: &dyn Watch) -> Result<Report, SyncError> {
    let team = Team::open(file)?;
    let remote = team.remote_name(options.remote.as_deref())?;
    let bytes = team.file_now()?;
    let (local, keeping) = vault::open_bytes(file, bytes.clone(), options.opener)?;
    let sealed = matches!(keeping, Keeping::Sealed(_));
    if let Some(why) = rules::refusal(
        &local,
        &facts(&team, file, &local, &remote)?,
        &options.allow_hosts,
    ) {
        return Err(SyncError::Public(why));
    }
    let dirty = team.other_changes()?;
    if !dirty.is_empty() {
        return Err(TeamError::Dirty(dirty.join(", ")).into());
    }
    let read = |commit| -> Result<Option<Project>, SyncError> {
        match team.file_at(commit)? {
            Some(b) => Ok(Some(vault::open_bytes(file, b, options.opener)?.0)),
            None => Ok(None),
        }
    };

    let head_bytes = match team.head() {
        Some(h) => team.file_at(h)?,
        None => None,
    };
    let committed = if head_bytes.as_deref() == Some(bytes.as_slice()) {
        None
    } else {
        watch.say("committing the local change");
        // Only a change needs the last commit's version: for its message.
        let before = match head_bytes {
            Some(b) => Some(vault::open_bytes(file, b, options.opener)?.0),
            None => None,
        };
        let message = rules::commit_message(before.as_ref(), &local, sealed);
        Some(team.commit_file(&bytes, &message)?.to_string())
    };
    if watch.is_cancelled() {
        return Err(TeamError::Cancelled.into());
    }

    let theirs = team.fetch(&remote, watch)?;
    if let Some(t) = theirs {
        team.check_plain_file(t, &remote)?;
    }
    let ours = team.head();
    let (ahead, behind) = team.ahead_behind(ours, theirs);
    let mut report = Report {
        remote: remote.clone(),
        branch: team.branch().to_owned(),
        committed,
        merge: Merge::UpToDate,
        pushed: false,
        ahead,
        behind,
        conflicts: Vec::new(),
        project: None,
    };
    match (ours, theirs) {
        (_, Some(t)) if behind > 0 && ahead == 0 => {
            watch.say("taking the remote's changes");
            team.fast_forward(t)?;
            report.merge = Merge::FastForward;
            report.project = Some(vault::open_bytes(file, team.file_now()?, options.opener)?.0);
        }
        (Some(o), Some(t)) if behind > 0 => {
            watch.say("merging");
            let base = team.merge_base(o, t).ok_or(SyncError::Unrelated)?;
            let base = read(base)?.ok_or(SyncError::Unrelated)?;
            let theirs_p = read(t)?.ok_or(SyncError::Unrelated)?;
            let mut merged = merge::merge(&base, &local, &theirs_p);
            for r in &options.resolutions {
                match r {
                    Resolution::Take { path, side } => {
                        merge::resolve(&mut merged, &local, &theirs_p, path, *side)?;
                    }
                    Resolution::Value { path, text } => {
                        merge::resolve_with(&mut merged, path, text)?
                    }
                }
            }
            if !merged.is_clean() {
                report.merge = Merge::Conflict;
                report.conflicts = merged.conflicts;
                return Ok(report);
            }
            let out = vault::to_bytes(file, &merged.project, &keeping)?;
            let message = format!(
                "embargo sync: merge {remote}/{}\n\n{}",
                team.branch(),
                rules::commit_message(Some(&local), &merged.project, sealed)
                    .lines()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            team.merge_commit(o, t, &out, message.trim_end())?;
            report.merge = Merge::Merged;
            report.project = Some(merged.project);
        }
        _ => {}
    }
    if watch.is_cancelled() {
        return Err(TeamError::Cancelled.into());
    }
    let head = team.head();
    let (ahead, _) = team.ahead_behind(head, team.tracking(&remote));
    if ahead > 0 {
        watch.say(&format!("pushing to {remote}"));
        team.push(&remote, watch)?;
        report.pushed = true;
    }
    (report.ahead, report.behind) = team.ahead_behind(team.head(), team.tracking(&remote));
    Ok(report)
}

/// Set up `embargo merge-driver` for the repository holding `file`, so
/// that a plain `git pull` merges projects as [`sync`] does; `exe` is the
/// binary git is to run. Returns what was added.
pub fn install_driver(file: &Path, exe: &Path) -> Result<Vec<String>, SyncError> {
    Ok(Team::open(file)?.install_driver(exe)?)
}
