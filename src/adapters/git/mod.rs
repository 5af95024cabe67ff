//! The git side of an embargo, with libgit2 (git2): the guard that no
//! embargoed fix commit is reachable from a public remote, the pre-push hook
//! that refuses to send one there, the check that fix commits name their
//! CVE, the version-file check, the signed annotated tag, the release
//! tarballs ([`archive`]) and the standalone patch in `git format-patch`
//! form; and the team's private repository that holds the project file
//! itself ([`team`]).

pub mod archive;
pub mod team;

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Sort, StatusOptions};

use crate::adapters::openpgp::{OpenPgpError, SigningKey, sign_bytes};
use crate::core::guard::{Embargoed, Place, Shown};
use crate::core::model::RepoSettings;

/// A git operation failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No repository at the path.
    #[error("no git repository at {} ({reason}); set {} to your local private clone", .path.display(), crate::core::settings::REPO_PATH)]
    NoRepo {
        /// The path tried.
        path: PathBuf,
        /// libgit2's reason.
        reason: String,
    },
    /// libgit2 failed.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    /// A file could not be written or read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output file exists.
    #[error("{} exists already; move it away or choose another output directory", .0.display())]
    Exists(PathBuf),
    /// The tag exists.
    #[error(
        "the tag {0} exists already; a release tag is never moved (delete it yourself if it is wrong)"
    )]
    TagExists(String),
    /// A revision does not resolve.
    #[error("{0} is not a commit in this repository; fetch it or check the ID")]
    NoCommit(String),
    /// The version file does not carry the release version.
    #[error(
        "{file} at {commit} does not carry version {expected} (found: {found}); bump the version and commit first, or correct Project › Settings › Repository › Version file and Version pattern"
    )]
    Version {
        /// The version file.
        file: String,
        /// The commit checked.
        commit: String,
        /// The version wanted.
        expected: String,
        /// What the file says.
        found: String,
    },
    /// Uncommitted changes.
    #[error(
        "the work tree has uncommitted changes ({0}); commit or stash them so the release is made from what is committed"
    )]
    Dirty(String),
    /// Building the tarball stream failed.
    #[error("cannot build the tarball: {0}")]
    Archive(String),
    /// Tagger identity missing.
    #[error(
        "git has no user.name/user.email for the tagger; set them in the repository (git config user.name …)"
    )]
    NoIdentity,
    /// A pre-push hook that is not ours is in place.
    #[error("{} exists and was not installed by Embargo; add this line to it: {line}", .path.display())]
    ForeignHook {
        /// The hook file.
        path: PathBuf,
        /// The line to add.
        line: String,
    },
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] OpenPgpError),
    /// The user cancelled.
    #[error("building the release files was cancelled; no tarball was written")]
    Cancelled,
    /// A file name made from project data would leave its directory.
    #[error("cannot make the release files: {0}")]
    UnsafeName(#[from] crate::core::model::UnsafeName),
}

impl GitError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Expand a leading `~/` to the home directory (the one helper of
/// [`crate::adapters`], named here for the git callers).
pub use crate::adapters::expand_home;

/// The repository directory a project names: `~/` expanded, a relative path
/// taken from the project file's directory.
pub fn repo_dir(project_file: Option<&Path>, configured: &str) -> Result<PathBuf, GitError> {
    let configured = configured.trim();
    if configured.is_empty() {
        return Err(GitError::NoRepo {
            path: PathBuf::new(),
            reason: "the project names no repository".into(),
        });
    }
    let p = expand_home(configured);
    Ok(match project_file.and_then(Path::parent) {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p,
    })
}

/// Open the repository at `path` (no search upwards).
pub fn open(path: &str) -> Result<Repository, GitError> {
    let p = expand_home(path);
    Repository::open(&p).map_err(|e| GitError::NoRepo {
        path: p,
        reason: e.message().to_owned(),
    })
}

/// An embargoed commit found where it must not be.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Leak {
    /// The issue.
    pub issue: String,
    /// The commit.
    pub commit: String,
    /// The public refs it is reachable from (`origin/main`), or the remote
    /// and ref a push would send it to.
    pub refs: Vec<String>,
}

/// What the guard found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GuardReport {
    /// Embargoed commits that are public.
    pub leaks: Vec<Leak>,
    /// Embargoed commits that are not in the repository at all.
    pub missing: Vec<Embargoed>,
    /// How many embargoed commits were checked.
    pub checked: usize,
    /// The public remotes looked at.
    pub public_remotes: Vec<String>,
}

fn resolve(repo: &Repository, id: &str) -> Option<Oid> {
    repo.revparse_single(id)
        .ok()
        .and_then(|o| o.peel_to_commit().ok())
        .map(|c| c.id())
}

fn reachable(repo: &Repository, from: Oid, target: Oid) -> bool {
    from == target || repo.graph_descendant_of(from, target).unwrap_or(false)
}

/// Check every embargoed commit against every public remote-tracking ref.
pub fn guard(
    repo: &Repository,
    settings: &RepoSettings,
    embargoed: &[Embargoed],
) -> Result<GuardReport, GitError> {
    let mut report = GuardReport {
        checked: embargoed.len(),
        ..GuardReport::default()
    };
    let remotes = repo.remotes()?;
    let public: Vec<String> = remotes
        .iter()
        .filter_map(|r| r.ok().flatten())
        .filter(|r| settings.is_public_remote(r))
        .map(str::to_owned)
        .collect();
    let mut tips = Vec::new();
    for remote in &public {
        for r in repo.references_glob(&format!("refs/remotes/{remote}/*"))? {
            let r = r?;
            if let (Ok(name), Ok(commit)) = (r.shorthand(), r.peel_to_commit()) {
                tips.push((name.to_owned(), commit.id()));
            }
        }
    }
    for e in embargoed {
        let Some(oid) = resolve(repo, &e.commit) else {
            report.missing.push(e.clone());
            continue;
        };
        let refs: Vec<String> = tips
            .iter()
            .filter(|(_, tip)| reachable(repo, *tip, oid))
            .map(|(name, _)| name.clone())
            .collect();
        if !refs.is_empty() {
            report.leaks.push(Leak {
                issue: e.issue.clone(),
                commit: oid.to_string(),
                refs,
            });
        }
    }
    report.public_remotes = public;
    Ok(report)
}

/// For a pre-push hook: the embargoed commits that pushing `updates` (the
/// lines git gives the hook on standard input) to `remote` would publish.
/// Pushes to a private remote publish nothing.
pub fn pre_push(
    repo: &Repository,
    settings: &RepoSettings,
    embargoed: &[Embargoed],
    remote: &str,
    updates: &str,
) -> Vec<Leak> {
    if !settings.is_public_remote(remote) {
        return Vec::new();
    }
    let mut leaks = Vec::new();
    for line in updates.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_local_ref, local_sha, remote_ref, _remote_sha] = fields[..] else {
            continue;
        };
        let Ok(local) = Oid::from_str(local_sha) else {
            continue;
        };
        if local.is_zero() {
            continue; // a deletion publishes nothing
        }
        for e in embargoed {
            if let Some(oid) = resolve(repo, &e.commit)
                && reachable(repo, local, oid)
            {
                leaks.push(Leak {
                    issue: e.issue.clone(),
                    commit: oid.to_string(),
                    refs: vec![format!("{remote} {remote_ref}")],
                });
            }
        }
    }
    leaks
}

/// The public remotes of `repo` by `settings`, by name.
fn public_remotes(repo: &Repository, settings: &RepoSettings) -> Result<Vec<String>, GitError> {
    Ok(repo
        .remotes()?
        .iter()
        .filter_map(|r| r.ok().flatten())
        .filter(|r| settings.is_public_remote(r))
        .map(str::to_owned)
        .collect())
}

/// The remote-tracking refs of the public remotes: short name and commit.
fn public_tips(repo: &Repository, settings: &RepoSettings) -> Result<Vec<(String, Oid)>, GitError> {
    let mut tips = Vec::new();
    for remote in public_remotes(repo, settings)? {
        for r in repo.references_glob(&format!("refs/remotes/{remote}/*"))? {
            let r = r?;
            if let (Ok(name), Ok(commit)) = (r.shorthand(), r.peel_to_commit()) {
                tips.push((name.to_owned(), commit.id()));
            }
        }
    }
    Ok(tips)
}

/// Every message of the commits `walk` yields, as [`Shown`] texts on
/// `reference`.
fn messages_of(
    repo: &Repository,
    walk: git2::Revwalk<'_>,
    reference: &str,
) -> Result<Vec<Shown>, GitError> {
    let mut out = Vec::new();
    for id in walk {
        let c = repo.find_commit(id?)?;
        out.push(Shown {
            place: Place::CommitMessage,
            reference: reference.to_owned(),
            commit: Some(c.id().to_string()),
            text: String::from_utf8_lossy(c.message_bytes()).into_owned(),
        });
    }
    Ok(out)
}

/// What the public remotes already show, as far as the remote-tracking
/// refs of the remotes `settings` counts as public know it: the names of
/// their branches (`origin/fix-x` read as `fix-x`), the names of the tags
/// that point into that history (a tag on a public commit is published by
/// any `git push --tags`), and the message of every commit reachable from
/// them. A message's [`Shown::reference`] is left empty: [`refs_reaching`]
/// names the refs of the few that matter.
pub fn public_texts(repo: &Repository, settings: &RepoSettings) -> Result<Vec<Shown>, GitError> {
    let tips = public_tips(repo, settings)?;
    let mut out = Vec::new();
    for (name, _) in &tips {
        let branch = name.split_once('/').map_or(name.as_str(), |(_, b)| b);
        if branch != "HEAD" {
            out.push(Shown {
                place: Place::BranchName,
                reference: name.clone(),
                commit: None,
                text: branch.to_owned(),
            });
        }
    }
    if tips.is_empty() {
        return Ok(out);
    }
    let mut walk = repo.revwalk()?;
    for (_, tip) in &tips {
        walk.push(*tip)?;
    }
    let messages = messages_of(repo, walk, "")?;
    let public: std::collections::HashSet<&str> = messages
        .iter()
        .filter_map(|m| m.commit.as_deref())
        .collect();
    for name in repo
        .tag_names(None)?
        .iter()
        .filter_map(|n| n.ok().flatten())
    {
        let on_public = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .and_then(|o| o.peel_to_commit())
            .is_ok_and(|c| public.contains(c.id().to_string().as_str()));
        if on_public {
            out.push(Shown {
                place: Place::TagName,
                reference: name.to_owned(),
                commit: None,
                text: name.to_owned(),
            });
        }
    }
    out.extend(messages);
    Ok(out)
}

/// The public remote-tracking refs `commit` is reachable from, joined with
/// `, ` (empty when none is, or the commit is unknown).
pub fn refs_reaching(repo: &Repository, settings: &RepoSettings, commit: &str) -> String {
    let (Ok(tips), Ok(oid)) = (public_tips(repo, settings), Oid::from_str(commit)) else {
        return String::new();
    };
    tips.iter()
        .filter(|(_, tip)| reachable(repo, *tip, oid))
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// For a pre-push hook: what pushing `updates` (the lines git gives the
/// hook) to `remote` would make public: the names of the refs it creates
/// or moves there, and the message of every commit it sends that the
/// public remotes do not show yet. A push to a private remote shows nothing.
pub fn pushed_texts(
    repo: &Repository,
    settings: &RepoSettings,
    remote: &str,
    updates: &str,
) -> Result<Vec<Shown>, GitError> {
    if !settings.is_public_remote(remote) {
        return Ok(Vec::new());
    }
    let tips = public_tips(repo, settings)?;
    let mut out = Vec::new();
    for line in updates.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_local_ref, local_sha, remote_ref, remote_sha] = fields[..] else {
            continue;
        };
        let Ok(local) = Oid::from_str(local_sha) else {
            continue;
        };
        if local.is_zero() {
            continue; // a deletion publishes nothing
        }
        let reference = format!("{remote} {remote_ref}");
        let (place, name) = if let Some(b) = remote_ref.strip_prefix("refs/heads/") {
            (Place::BranchName, b)
        } else if let Some(t) = remote_ref.strip_prefix("refs/tags/") {
            (Place::TagName, t)
        } else {
            (Place::RefName, remote_ref)
        };
        out.push(Shown {
            place,
            reference: reference.clone(),
            commit: None,
            text: name.to_owned(),
        });
        let mut walk = repo.revwalk()?;
        walk.push(local)?;
        if let Ok(old) = Oid::from_str(remote_sha)
            && !old.is_zero()
            && repo.find_commit(old).is_ok()
        {
            walk.hide(old)?;
        }
        for (_, tip) in &tips {
            walk.hide(*tip)?;
        }
        out.extend(messages_of(repo, walk, &reference)?);
    }
    Ok(out)
}

/// Each fix commit's ID and subject line; commits not in the repository
/// are left out.
pub fn subjects(repo: &Repository, commits: &[String]) -> Vec<(String, String)> {
    commits
        .iter()
        .filter_map(|id| {
            let c = repo.revparse_single(id).ok()?.peel_to_commit().ok()?;
            let subject = c.summary().ok().flatten()?.to_owned();
            Some((id.clone(), subject))
        })
        .collect()
}

const HOOK_MARK: &str = "# installed by embargo";

/// Whether a hook file's bytes are the hook we install (the paths it names
/// need not be UTF-8).
fn is_ours(text: &[u8]) -> bool {
    String::from_utf8_lossy(text).contains(HOOK_MARK)
}

fn hook_path(repo: &Repository) -> PathBuf {
    repo.path().join("hooks").join("pre-push")
}

/// `s` as one shell word, byte for byte: in single quotes, each `'` written
/// as `'\''`. Inside single quotes the shell expands nothing (`$(…)`, `"`,
/// spaces and newlines stay literal), so a path cannot inject commands.
fn sh_quote(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut out = vec![b'\''];
    for &b in s.as_bytes() {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

/// The hook's command line: both paths quoted as single shell words.
fn hook_line(exe: &Path, project: &Path) -> Vec<u8> {
    let mut line = b"exec ".to_vec();
    line.extend(sh_quote(exe.as_os_str()));
    line.extend_from_slice(b" guard ");
    line.extend(sh_quote(project.as_os_str()));
    line.extend_from_slice(b" --pre-push \"$1\"");
    line
}

/// Install the pre-push hook running `exe guard PROJECT --pre-push REMOTE`.
/// An existing hook of ours is replaced; another one is left alone.
pub fn install_hook(repo: &Repository, exe: &Path, project: &Path) -> Result<PathBuf, GitError> {
    let path = hook_path(repo);
    let line = hook_line(exe, project);
    if let Ok(existing) = std::fs::read(&path)
        && !is_ours(&existing)
    {
        return Err(GitError::ForeignHook {
            path,
            line: String::from_utf8_lossy(&line).into_owned(),
        });
    }
    let dir = path.parent().unwrap_or(repo.path());
    std::fs::create_dir_all(dir).map_err(|e| GitError::io(dir, e))?;
    let mut text = format!(
        "#!/bin/sh\n{HOOK_MARK}: refuses to push embargoed fix commits to public remotes.\n# Remove with: embargo guard PROJECT --remove-hook\n"
    )
    .into_bytes();
    text.extend(line);
    text.push(b'\n');
    // Executable; written new and renamed over, never through a link.
    crate::adapters::outfile::write(
        &path,
        &text,
        0o755,
        crate::adapters::outfile::Existing::Replace,
    )
    .map_err(|e| GitError::io(&path, e))?;
    Ok(path)
}

/// Whether our pre-push hook is installed.
pub fn hook_installed(repo: &Repository) -> bool {
    std::fs::read(hook_path(repo)).is_ok_and(|t| is_ours(&t))
}

/// Remove our pre-push hook; another hook is left alone. Returns whether a
/// hook was removed.
pub fn remove_hook(repo: &Repository) -> Result<bool, GitError> {
    let path = hook_path(repo);
    match std::fs::read(&path) {
        Ok(text) if is_ours(&text) => {
            std::fs::remove_file(&path).map_err(|e| GitError::io(&path, e))?;
            Ok(true)
        }
        Ok(_) => Err(GitError::ForeignHook {
            line: String::new(),
            path,
        }),
        Err(_) => Ok(false),
    }
}

/// Each fix commit's ID and message; commits not in the repository are left out.
pub fn messages(repo: &Repository, commits: &[String]) -> Vec<(String, String)> {
    commits
        .iter()
        .filter_map(|id| {
            let c = repo.revparse_single(id).ok()?.peel_to_commit().ok()?;
            Some((
                id.clone(),
                String::from_utf8_lossy(c.message_bytes()).into_owned(),
            ))
        })
        .collect()
}

/// What a repository offers to build from and to pick: its checked-out
/// branch, its local branches with their tips, its tags (newest first) and
/// the latest commits of the checked-out branch.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Refs {
    /// The branch checked out (`None`: detached or unborn).
    pub head_branch: Option<String>,
    /// Local branches and the commit each points at, by name.
    pub branches: Vec<(String, String)>,
    /// Tag names, the most recent commit first.
    pub tags: Vec<String>,
    /// The latest commits reachable from HEAD, newest first: ID and summary.
    pub commits: Vec<(String, String)>,
}

/// How many recent commits [`refs`] lists.
pub const RECENT_COMMITS: usize = 200;

/// Read what [`Refs`] lists from `repo`.
pub fn refs(repo: &Repository) -> Result<Refs, GitError> {
    let head_branch = repo
        .head()
        .ok()
        .filter(git2::Reference::is_branch)
        .and_then(|h| h.shorthand().ok().map(str::to_owned));
    let mut branches = Vec::new();
    for b in repo.branches(Some(git2::BranchType::Local))? {
        let (b, _) = b?;
        if let (Ok(Some(name)), Ok(commit)) = (b.name(), b.get().peel_to_commit()) {
            branches.push((name.to_owned(), commit.id().to_string()));
        }
    }
    branches.sort();
    let mut tags: Vec<(i64, String)> = Vec::new();
    for name in repo
        .tag_names(None)?
        .iter()
        .filter_map(|n| n.ok().flatten())
    {
        let when = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.time().seconds())
            .unwrap_or(i64::MIN);
        tags.push((when, name.to_owned()));
    }
    tags.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut commits = Vec::new();
    if repo.head().is_ok() {
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        for id in walk.take(RECENT_COMMITS) {
            let c = repo.find_commit(id?)?;
            commits.push((
                c.id().to_string(),
                c.summary().ok().flatten().unwrap_or_default().to_owned(),
            ));
        }
    }
    Ok(Refs {
        head_branch,
        branches,
        tags: tags.into_iter().map(|(_, n)| n).collect(),
        commits,
    })
}

/// Refuse a work tree with uncommitted changes to tracked files.
pub fn check_clean(repo: &Repository) -> Result<(), GitError> {
    if repo.is_bare() {
        return Ok(());
    }
    let mut opts = StatusOptions::new();
    opts.include_untracked(false).include_ignored(false);
    let statuses = repo.statuses(Some(&mut opts))?;
    let dirty: Vec<String> = statuses
        .iter()
        .filter_map(|s| s.path().ok().map(str::to_owned))
        .collect();
    if dirty.is_empty() {
        Ok(())
    } else {
        let shown: Vec<&str> = dirty.iter().take(3).map(String::as_str).collect();
        let more = dirty.len().saturating_sub(3);
        Err(GitError::Dirty(if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }))
    }
}

/// Resolve a revision (commit ID, branch, tag) to a commit.
pub fn commit_of<'r>(repo: &'r Repository, rev: &str) -> Result<git2::Commit<'r>, GitError> {
    repo.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| GitError::NoCommit(rev.to_owned()))
}

/// Check that `settings.version_file` at `commit` carries `version` where
/// `settings.version_pattern` puts `{version}`. No version file configured:
/// nothing to check.
pub fn check_version(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    settings: &RepoSettings,
    version: &str,
) -> Result<(), GitError> {
    if settings.version_file.trim().is_empty() {
        return Ok(());
    }
    let short = commit.id().to_string()[..12].to_owned();
    let text = commit
        .tree()?
        .get_path(Path::new(&settings.version_file))
        .ok()
        .and_then(|e| repo.find_blob(e.id()).ok())
        .map(|b| String::from_utf8_lossy(b.content()).into_owned());
    let mismatch = |found: String| GitError::Version {
        file: settings.version_file.clone(),
        commit: short.clone(),
        expected: version.to_owned(),
        found,
    };
    let Some(text) = text else {
        return Err(mismatch("no such file".into()));
    };
    let pattern = if settings.version_pattern.contains("{version}") {
        settings.version_pattern.clone()
    } else {
        "{version}".to_owned()
    };
    if text.contains(&RepoSettings::fill(&pattern, version)) {
        return Ok(());
    }
    let (before, after) = pattern.split_once("{version}").unwrap_or((&pattern, ""));
    let found = text
        .find(before)
        .map(|i| &text[i + before.len()..])
        .map(|rest| match after.chars().next() {
            Some(end) => rest.split(end).next().unwrap_or(rest),
            None => rest.lines().next().unwrap_or(rest),
        })
        .unwrap_or("no line matching the version pattern")
        .chars()
        .take(40)
        .collect();
    Err(mismatch(found))
}

/// Refuse, before any work is done, what would make [`create_tag`] fail
/// later: an existing tag `name`, or no tagger identity in git's config.
pub fn check_can_tag(repo: &Repository, name: &str) -> Result<(), GitError> {
    if repo.find_reference(&format!("refs/tags/{name}")).is_ok() {
        return Err(GitError::TagExists(name.to_owned()));
    }
    repo.signature().map_err(|_| GitError::NoIdentity)?;
    Ok(())
}

/// Remove the tag `name` made by this run (it points at the tag object
/// `oid`), so that a build that fails or is cancelled after tagging leaves
/// no tag behind. A tag that points elsewhere is left alone.
pub fn remove_tag(repo: &Repository, name: &str, oid: Oid) -> Result<(), GitError> {
    let mut reference = repo.find_reference(&format!("refs/tags/{name}"))?;
    if reference.target() == Some(oid) {
        reference.delete()?;
    }
    Ok(())
}

/// Create the annotated tag `name` on `commit`, signed with `key` when
/// given, so that `git verify-tag` and `git fsck --strict` accept it. An
/// existing tag is never moved.
pub fn create_tag(
    repo: &Repository,
    name: &str,
    commit: &git2::Commit<'_>,
    message: &str,
    key: Option<&mut SigningKey>,
) -> Result<Oid, GitError> {
    let refname = format!("refs/tags/{name}");
    if repo.find_reference(&refname).is_ok() {
        return Err(GitError::TagExists(name.to_owned()));
    }
    let tagger = repo.signature().map_err(|_| GitError::NoIdentity)?;
    let when = tagger.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 { '-' } else { '+' };
    let message = if message.ends_with('\n') {
        message.to_owned()
    } else {
        format!("{message}\n")
    };
    let mut text = format!(
        "object {}\ntype commit\ntag {name}\ntagger {} <{}> {} {sign}{:02}{:02}\n\n{message}",
        commit.id(),
        String::from_utf8_lossy(tagger.name_bytes()),
        String::from_utf8_lossy(tagger.email_bytes()),
        when.seconds(),
        offset.abs() / 60,
        offset.abs() % 60,
    );
    if let Some(key) = key {
        let signature = sign_bytes(key, text.as_bytes())?;
        text.push_str(&signature);
    }
    let oid = repo.odb()?.write(git2::ObjectType::Tag, text.as_bytes())?;
    repo.reference(&refname, oid, false, &format!("embargo: tag {name}"))?;
    Ok(oid)
}

/// Where the standalone patch of the release whose tarballs are named
/// `base` goes in `out_dir`: `BASE.patch`, refused unless that is one plain
/// file name (see [`crate::core::model::safe_file_name`]).
pub fn patch_path(out_dir: &Path, base: &str) -> Result<PathBuf, GitError> {
    let name = format!("{base}.patch");
    Ok(out_dir.join(crate::core::model::safe_file_name(&name)?))
}

/// Write the standalone patch from `base` (a tag or commit) to `fix` in
/// `git format-patch` mailbox form, one message per commit, to `out`
/// (refused if it exists). Merge commits are left out, as format-patch does.
pub fn write_patch(repo: &Repository, base: &str, fix: Oid, out: &Path) -> Result<usize, GitError> {
    if out.exists() {
        return Err(GitError::Exists(out.to_owned()));
    }
    let base = commit_of(repo, base)?;
    let mut walk = repo.revwalk()?;
    walk.push(fix)?;
    walk.hide(base.id())?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let commits: Vec<git2::Commit<'_>> = walk
        .map(|id| id.and_then(|id| repo.find_commit(id)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|c| c.parent_count() <= 1)
        .collect();
    let text = mailbox(repo, &commits)?;
    // The embargoed fix: private (0600), never written through a link.
    use crate::adapters::outfile;
    outfile::write(out, &text, outfile::PRIVATE, outfile::Existing::Keep)
        .map_err(|e| GitError::io(out, e))?;
    Ok(commits.len())
}

/// The patch of the commits `ids` (each against its first parent, in the
/// order given), in `git format-patch` mailbox form: what a notice
/// attaches when the release has no patch file yet. Merge commits are left
/// out, as format-patch does.
pub fn commits_patch(repo: &Repository, ids: &[String]) -> Result<Vec<u8>, GitError> {
    let mut commits = Vec::new();
    for id in ids {
        let c = commit_of(repo, id)?;
        if c.parent_count() <= 1 && !commits.iter().any(|o: &git2::Commit<'_>| o.id() == c.id()) {
            commits.push(c);
        }
    }
    mailbox(repo, &commits)
}

/// `commits` as `git format-patch` messages, one after the other.
fn mailbox(repo: &Repository, commits: &[git2::Commit<'_>]) -> Result<Vec<u8>, GitError> {
    let mut text = Vec::new();
    let total = commits.len();
    for (i, c) in commits.iter().enumerate() {
        let parent_tree = match c.parent_count() {
            0 => None,
            _ => Some(c.parent(0)?.tree()?),
        };
        let mut opts = git2::EmailCreateOptions::new();
        let diff = repo.diff_tree_to_tree(
            parent_tree.as_ref(),
            Some(&c.tree()?),
            Some(opts.diff_options()),
        )?;
        let summary = c.summary().ok().flatten().unwrap_or_default().to_owned();
        let body = c.body().ok().flatten().unwrap_or_default().to_owned();
        let email = git2::Email::from_diff(
            &diff,
            i + 1,
            total,
            &c.id(),
            summary.as_str(),
            body.as_str(),
            &c.author(),
            &mut opts,
        )?;
        text.extend_from_slice(email.as_slice());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn a_quoted_word_reaches_the_shell_byte_for_byte() {
        let words: [&[u8]; 6] = [
            b"/tmp/plain/embargo",
            b"/tmp/it's here/p.embargo.ron",
            b"/tmp/\"q\" $(touch PWNED) `id` ${HOME}/x",
            b"/tmp/new\nline/\\x/'';'",
            b"/tmp/not utf-8 \xff\xfe/p",
            b"",
        ];
        for word in words {
            let mut script = b"printf '%s' ".to_vec();
            script.extend(sh_quote(OsStr::from_bytes(word)));
            let out = std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(OsStr::from_bytes(&script))
                .current_dir(std::env::temp_dir())
                .output()
                .expect("sh runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, word, "{}", String::from_utf8_lossy(word));
        }
    }
}
