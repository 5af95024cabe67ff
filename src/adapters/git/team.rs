//! The team's private repository, which holds the project file itself (not
//! the software's repository the guard watches): committing the local
//! change, fetching and pushing the branch, ahead/behind, fast-forwarding,
//! the merge commit whose project file a caller merged (see
//! `workflows::sync`), and the git configuration of the merge driver. Only
//! bytes the caller gives are written for the project file, so a project
//! kept encrypted reaches the objects, the index and the work tree as
//! ciphertext only.

use std::path::{Path, PathBuf};

use git2::build::CheckoutBuilder;
use git2::{
    AutotagOption, Cred, CredentialType, FetchOptions, IndexEntry, IndexTime, Oid, PushOptions,
    RemoteCallbacks, Repository, Signature, Status, StatusOptions,
};

use crate::core::ports::Watch;

/// Why the team repository could not be used; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// The project file is in no git repository.
    #[error(
        "{} is not in a git repository: make the team's private repository first \
         (`git init`, add the project file, `git remote add origin URL`; see the README's \
         \"Working as a team\")",
        .0.display()
    )]
    NoRepo(PathBuf),
    /// The repository has no work tree.
    #[error("{} is a bare repository; sync works in a clone of it", .0.display())]
    Bare(PathBuf),
    /// HEAD is not on a branch.
    #[error(
        "the team repository is not on a branch (detached HEAD); `git switch` to the branch the team shares"
    )]
    Detached,
    /// No such remote.
    #[error(
        "the team repository has no remote `{0}`; add it (`git remote add {0} URL`) or name another with --remote"
    )]
    NoRemote(String),
    /// Other files have uncommitted changes.
    #[error(
        "the team repository has uncommitted changes besides the project file ({0}); commit or stash them first, so that a sync cannot overwrite them"
    )]
    Dirty(String),
    /// Files other than the project conflict.
    #[error(
        "files besides the project file changed on both sides ({0}); merge them with git (`git pull`), then sync again"
    )]
    OtherConflicts(String),
    /// The remote refused the push.
    #[error(
        "{remote} refused the push of {branch}: {why}; sync again to merge what was pushed meanwhile"
    )]
    Refused {
        /// The remote.
        remote: String,
        /// The branch.
        branch: String,
        /// What it said.
        why: String,
    },
    /// No identity for the commit.
    #[error(
        "git has no user.name/user.email for the sync commit; set them (`git config user.name …`, `git config user.email …`)"
    )]
    NoIdentity,
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The user cancelled.
    #[error("the sync was cancelled; nothing was pushed")]
    Cancelled,
    /// The remote's version of the project file is not a plain file.
    #[error(
        "{remote}'s version of {file} is not a plain file (a symbolic link or a directory); \
         nothing was taken: ask who pushed it to put the project file back"
    )]
    NotAFile {
        /// The remote.
        remote: String,
        /// The project file's path in the repository.
        file: String,
    },
    /// A file the driver setup writes is a link.
    #[error("{} is a symbolic link; Embargo does not write through it", .0.display())]
    Link(PathBuf),
    /// libgit2 failed.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TeamError + '_ {
    move |source| TeamError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The team repository holding a project file.
pub struct Team {
    repo: Repository,
    workdir: PathBuf,
    /// The project file's path in the repository, `/`-separated.
    rel: String,
    branch: String,
}

impl std::fmt::Debug for Team {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Team")
            .field("workdir", &self.workdir)
            .field("rel", &self.rel)
            .field("branch", &self.branch)
            .finish_non_exhaustive()
    }
}

impl Team {
    /// The repository that holds `project_file`, found upwards from its
    /// directory, on its current branch.
    pub fn open(project_file: &Path) -> Result<Self, TeamError> {
        let file = project_file.canonicalize().map_err(io(project_file))?;
        let dir = file.parent().unwrap_or(Path::new("/"));
        let repo =
            Repository::discover(dir).map_err(|_| TeamError::NoRepo(project_file.to_owned()))?;
        let Some(workdir) = repo.workdir().map(Path::to_owned) else {
            return Err(TeamError::Bare(repo.path().to_owned()));
        };
        let workdir = workdir.canonicalize().map_err(io(&workdir))?;
        let rel = file
            .strip_prefix(&workdir)
            .map_err(|_| TeamError::NoRepo(project_file.to_owned()))?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let branch = match repo.head() {
            Ok(head) if head.is_branch() => head.shorthand().unwrap_or("main").to_owned(),
            Ok(_) => return Err(TeamError::Detached),
            // An unborn branch: HEAD names it though it has no commit yet.
            Err(_) => repo
                .find_reference("HEAD")
                .ok()
                .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_owned))
                .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_owned))
                .ok_or(TeamError::Detached)?,
        };
        Ok(Self {
            repo,
            workdir,
            rel,
            branch,
        })
    }

    /// The branch the team shares (the current one).
    pub fn branch(&self) -> &str {
        &self.branch
    }

    /// The repository's work tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The remote to sync with: `asked`, else the branch's upstream remote,
    /// else `origin`; refused when the repository has no such remote.
    pub fn remote_name(&self, asked: Option<&str>) -> Result<String, TeamError> {
        let name = match asked {
            Some(a) => a.to_owned(),
            None => self
                .repo
                .branch_upstream_remote(&format!("refs/heads/{}", self.branch))
                .ok()
                .and_then(|b| b.as_str().ok().map(str::to_owned))
                .unwrap_or_else(|| "origin".to_owned()),
        };
        self.repo
            .find_remote(&name)
            .map_err(|_| TeamError::NoRemote(name.clone()))?;
        Ok(name)
    }

    /// The addresses a remote fetches from and pushes to.
    pub fn remote_urls(&self, name: &str) -> Result<Vec<String>, TeamError> {
        let remote = self
            .repo
            .find_remote(name)
            .map_err(|_| TeamError::NoRemote(name.to_owned()))?;
        let mut urls: Vec<String> = [remote.url().ok(), remote.pushurl().ok().flatten()]
            .into_iter()
            .flatten()
            .map(str::to_owned)
            .collect();
        urls.dedup();
        Ok(urls)
    }

    /// Files other than the project file (and its backup, lock and
    /// temporary files) with uncommitted changes, ignored files aside.
    pub fn other_changes(&self) -> Result<Vec<String>, TeamError> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts))?;
        let mine = |p: &str| p == self.rel || p.starts_with(&format!("{}.", self.rel));
        Ok(statuses
            .iter()
            .filter(|e| e.status() != Status::CURRENT)
            .filter_map(|e| e.path().ok().map(str::to_owned))
            // Untracked files are not at risk; modified tracked ones are.
            .filter(|p| !mine(p))
            .filter(|p| {
                self.repo
                    .status_file(Path::new(p))
                    .is_ok_and(|s| !s.is_wt_new())
            })
            .collect())
    }

    /// The tip of the local branch, if it has a commit.
    pub fn head(&self) -> Option<Oid> {
        self.repo
            .refname_to_id(&format!("refs/heads/{}", self.branch))
            .ok()
    }

    /// The last fetched tip of the remote's branch, if any (no network).
    pub fn tracking(&self, remote: &str) -> Option<Oid> {
        self.repo
            .refname_to_id(&format!("refs/remotes/{remote}/{}", self.branch))
            .ok()
    }

    /// How many commits `local` has that `upstream` has not, and the
    /// reverse.
    pub fn ahead_behind(&self, local: Option<Oid>, upstream: Option<Oid>) -> (usize, usize) {
        match (local, upstream) {
            (Some(l), Some(u)) => self.repo.graph_ahead_behind(l, u).unwrap_or((0, 0)),
            (Some(l), None) => (self.count(l), 0),
            (None, Some(u)) => (0, self.count(u)),
            (None, None) => (0, 0),
        }
    }

    fn count(&self, tip: Oid) -> usize {
        let Ok(mut walk) = self.repo.revwalk() else {
            return 0;
        };
        if walk.push(tip).is_err() {
            return 0;
        }
        walk.count()
    }

    /// The common ancestor of two commits.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Option<Oid> {
        self.repo.merge_base(a, b).ok()
    }

    /// The project file's bytes in commit `commit`; `None` when the commit
    /// does not hold it.
    pub fn file_at(&self, commit: Oid) -> Result<Option<Vec<u8>>, TeamError> {
        let tree = self.repo.find_commit(commit)?.tree()?;
        let Ok(entry) = tree.get_path(Path::new(&self.rel)) else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(entry.id())?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The project file's bytes in the work tree (not followed through a
    /// link).
    pub fn file_now(&self) -> Result<Vec<u8>, TeamError> {
        let path = self.workdir.join(&self.rel);
        std::fs::read(&path).map_err(io(&path))
    }

    /// Commit the project file's `bytes` (as the work tree holds them) on
    /// the branch with `message`; the caller compared them with the last
    /// commit's ([`Self::file_at`]). Only the project file is staged.
    /// Returns the new commit.
    pub fn commit_file(&self, bytes: &[u8], message: &str) -> Result<Oid, TeamError> {
        let head = self.head();
        let mut index = self.repo.index()?;
        index.add(&self.entry(bytes)?)?;
        index.write()?;
        let tree = self.repo.find_tree(index.write_tree()?)?;
        let sig = self.signature()?;
        let parents = match head {
            Some(h) => vec![self.repo.find_commit(h)?],
            None => Vec::new(),
        };
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let oid = self.repo.commit(
            Some(&format!("refs/heads/{}", self.branch)),
            &sig,
            &sig,
            message,
            &tree,
            &parents,
        )?;
        Ok(oid)
    }

    /// The index entry of the project file holding `bytes`, its blob
    /// written.
    fn entry(&self, bytes: &[u8]) -> Result<IndexEntry, TeamError> {
        let id = self.repo.blob(bytes)?;
        Ok(IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100_644,
            uid: 0,
            gid: 0,
            file_size: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            id,
            flags: 0,
            flags_extended: 0,
            path: self.rel.as_bytes().to_vec(),
        })
    }

    fn signature(&self) -> Result<Signature<'static>, TeamError> {
        self.repo.signature().map_err(|_| TeamError::NoIdentity)
    }

    fn callbacks<'w>(watch: &'w dyn Watch, what: &'w str) -> RemoteCallbacks<'w> {
        let mut cb = RemoteCallbacks::new();
        let mut tried = CredentialType::empty();
        cb.credentials(move |url, username, allowed| {
            // Each kind once: libgit2 asks again after a refusal.
            if allowed.contains(CredentialType::SSH_KEY) && !tried.contains(CredentialType::SSH_KEY)
            {
                tried |= CredentialType::SSH_KEY;
                return Cred::ssh_key_from_agent(username.unwrap_or("git"));
            }
            if allowed.contains(CredentialType::USER_PASS_PLAINTEXT)
                && !tried.contains(CredentialType::USER_PASS_PLAINTEXT)
            {
                tried |= CredentialType::USER_PASS_PLAINTEXT;
                let config = git2::Config::open_default()?;
                return Cred::credential_helper(&config, url, username);
            }
            if allowed.contains(CredentialType::DEFAULT) && !tried.contains(CredentialType::DEFAULT)
            {
                tried |= CredentialType::DEFAULT;
                return Cred::default();
            }
            Err(git2::Error::from_str(
                "no credentials: load your SSH key into ssh-agent, or set up a git credential helper",
            ))
        });
        cb.transfer_progress(move |p| {
            watch.say(what);
            watch.set(p.received_objects() as u64, p.total_objects() as u64);
            !watch.is_cancelled()
        });
        cb.push_transfer_progress(move |done, total, _bytes| {
            watch.set(done as u64, total as u64);
        });
        cb
    }

    /// Fetch the branch from `remote` into its remote-tracking ref; the
    /// remote's tip after it, `None` when the remote has no such branch
    /// yet.
    pub fn fetch(&self, remote: &str, watch: &dyn Watch) -> Result<Option<Oid>, TeamError> {
        let mut r = self
            .repo
            .find_remote(remote)
            .map_err(|_| TeamError::NoRemote(remote.to_owned()))?;
        let what = format!("fetching from {remote}");
        let mut opts = FetchOptions::new();
        opts.remote_callbacks(Self::callbacks(watch, &what))
            .download_tags(AutotagOption::None);
        let spec = format!("+refs/heads/{b}:refs/remotes/{remote}/{b}", b = self.branch);
        match r.fetch(&[&spec], Some(&mut opts), None) {
            Ok(()) => {}
            Err(_) if watch.is_cancelled() => return Err(TeamError::Cancelled),
            Err(e) => return Err(e.into()),
        }
        Ok(self.tracking(remote))
    }

    /// Refuse commit `commit` (from `remote`) when it holds the project
    /// file as anything but a plain file: a link there would make the next
    /// save write wherever it points.
    pub fn check_plain_file(&self, commit: Oid, remote: &str) -> Result<(), TeamError> {
        let tree = self.repo.find_commit(commit)?.tree()?;
        match tree.get_path(Path::new(&self.rel)) {
            Err(_) => Ok(()),
            Ok(e) if e.filemode() == 0o100_644 || e.filemode() == 0o100_755 => Ok(()),
            Ok(_) => Err(TeamError::NotAFile {
                remote: remote.to_owned(),
                file: self.rel.clone(),
            }),
        }
    }

    /// Move the branch and the work tree to `to`, a descendant of HEAD.
    /// The caller made sure nothing uncommitted is at risk
    /// ([`Self::other_changes`], the project file committed).
    pub fn fast_forward(&self, to: Oid) -> Result<(), TeamError> {
        let commit = self.repo.find_commit(to)?;
        self.checkout(&commit.tree()?)?;
        self.repo.reference(
            &format!("refs/heads/{}", self.branch),
            to,
            true,
            "embargo sync: fast-forward",
        )?;
        Ok(())
    }

    fn checkout(&self, tree: &git2::Tree<'_>) -> Result<(), TeamError> {
        let mut co = CheckoutBuilder::new();
        co.force();
        self.repo.checkout_tree(tree.as_object(), Some(&mut co))?;
        Ok(())
    }

    /// Commit the merge of `theirs` into `ours` (HEAD), with the project
    /// file's merged `bytes` (merged by the caller, never by git) and every
    /// other file merged by libgit2, refused when one of those conflicts.
    /// Moves the branch and the work tree to it.
    pub fn merge_commit(
        &self,
        ours: Oid,
        theirs: Oid,
        bytes: &[u8],
        message: &str,
    ) -> Result<Oid, TeamError> {
        let (o, t) = (self.repo.find_commit(ours)?, self.repo.find_commit(theirs)?);
        let mut index = self.repo.merge_commits(&o, &t, None)?;
        let _ = index.conflict_remove(Path::new(&self.rel));
        index.add(&self.entry(bytes)?)?;
        if index.has_conflicts() {
            let paths: Vec<String> = index
                .conflicts()?
                .filter_map(Result::ok)
                .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .collect();
            return Err(TeamError::OtherConflicts(paths.join(", ")));
        }
        let tree = self.repo.find_tree(index.write_tree_to(&self.repo)?)?;
        let sig = self.signature()?;
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &[&o, &t])?;
        self.checkout(&tree)?;
        self.repo.reference(
            &format!("refs/heads/{}", self.branch),
            oid,
            true,
            "embargo sync: merge",
        )?;
        // The index follows the new HEAD.
        let mut idx = self.repo.index()?;
        idx.read_tree(&tree)?;
        idx.write()?;
        Ok(oid)
    }

    /// Push the branch to `remote` (fast-forward only: the remote refuses
    /// anything else).
    pub fn push(&self, remote: &str, watch: &dyn Watch) -> Result<(), TeamError> {
        let mut r = self
            .repo
            .find_remote(remote)
            .map_err(|_| TeamError::NoRemote(remote.to_owned()))?;
        let what = format!("pushing to {remote}");
        let refused = std::cell::RefCell::new(None::<String>);
        {
            let mut cb = Self::callbacks(watch, &what);
            cb.push_update_reference(|_name, status| {
                if let Some(s) = status {
                    *refused.borrow_mut() = Some(s.to_owned());
                }
                Ok(())
            });
            let mut opts = PushOptions::new();
            opts.remote_callbacks(cb);
            let spec = format!("refs/heads/{b}:refs/heads/{b}", b = self.branch);
            r.push(&[&spec], Some(&mut opts))?;
        }
        if let Some(why) = refused.into_inner() {
            return Err(TeamError::Refused {
                remote: remote.to_owned(),
                branch: self.branch.clone(),
                why,
            });
        }
        // The remote-tracking ref follows, as git's own push does.
        if let Some(h) = self.head() {
            self.repo.reference(
                &format!("refs/remotes/{remote}/{}", self.branch),
                h,
                true,
                "embargo sync: push",
            )?;
        }
        Ok(())
    }

    /// Set up the merge driver for this repository: the `.gitattributes`
    /// lines (plain projects merge with `embargo merge-driver`; encrypted
    /// ones are never merged as text) and the repository's git
    /// configuration naming `exe`. Returns what was added, empty when all
    /// was in place.
    pub fn install_driver(&self, exe: &Path) -> Result<Vec<String>, TeamError> {
        let mut added = Vec::new();
        let path = self.workdir.join(".gitattributes");
        if path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(TeamError::Link(path));
        }
        let old = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io(&path)(e)),
        };
        let mut text = old.clone();
        for line in DRIVER_ATTRIBUTES {
            if !old.lines().any(|l| l.trim() == line) {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(line);
                text.push('\n');
                added.push(format!(".gitattributes: {line}"));
            }
        }
        if text != old {
            crate::adapters::outfile::write(
                &path,
                text.as_bytes(),
                0o644,
                crate::adapters::outfile::Existing::Replace,
            )
            .map_err(io(&path))?;
        }
        let mut config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        let driver = format!("{} merge-driver %O %A %B %P", shell_word(exe));
        for (key, value) in [
            ("merge.embargo.name", "Embargo project merge"),
            ("merge.embargo.driver", driver.as_str()),
        ] {
            if config.get_string(key).ok().as_deref() != Some(value) {
                config.set_str(key, value)?;
                added.push(format!("git config {key} '{value}'"));
            }
        }
        Ok(added)
    }
}

/// The `.gitattributes` lines of the merge driver.
pub const DRIVER_ATTRIBUTES: [&str; 2] = [
    "*.embargo.ron merge=embargo",
    "*.embargo.ron.pgp -diff merge=binary",
];

/// `path` as one word for the shell git runs the driver with.
fn shell_word(path: &Path) -> String {
    let s = path.to_string_lossy();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The URLs of the remotes the project lists as public in the software's
/// repository it names (none when it names none or it cannot be opened),
/// and whether that repository is the team repository at `team_workdir`.
pub fn public_remote_urls(
    project_file: &Path,
    project: &crate::core::model::Project,
    team_workdir: &Path,
) -> (Vec<String>, bool) {
    let Ok(dir) = super::repo_dir(Some(project_file), &project.repo.path) else {
        return (Vec::new(), false);
    };
    let Ok(repo) = Repository::open(&dir) else {
        return (Vec::new(), false);
    };
    let same = repo
        .workdir()
        .and_then(|w| w.canonicalize().ok())
        .is_some_and(|w| w == team_workdir);
    let mut urls = Vec::new();
    for name in &project.repo.public_remotes {
        if let Ok(r) = repo.find_remote(name) {
            urls.extend(
                [r.url().ok(), r.pushurl().ok().flatten()]
                    .into_iter()
                    .flatten()
                    .map(str::to_owned),
            );
        }
    }
    (urls, same)
}

/// git's `user.email` for the repository holding `project_file` (its own
/// configuration, then the user's), if set.
pub fn git_email(project_file: &Path) -> Option<String> {
    let dir = match project_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let config = match Repository::discover(dir).ok() {
        Some(repo) => repo.config().ok()?,
        None => git2::Config::open_default().ok()?,
    };
    config
        .get_string("user.email")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
