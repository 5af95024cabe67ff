//! Building a release's files, written once for the app's "Build release
//! artifacts" and `embargo artifacts`: from the private repository, check
//! the work tree is clean, the commit resolves and its version file names
//! the release's version, and that the tag can be made; unlock the key;
//! make the signed annotated tag, the tarballs (one tar, compressed in
//! parallel) and the standalone patch; sign them with both checksum lists;
//! verify every signature ([`super::sign::sign`]). A run that fails or is
//! cancelled before its files are signed leaves nothing behind: the tag,
//! the tarballs, the patch and the directories it made are removed again.
//! What the release is built from is a [`Plan`], made from the project's
//! release ([`Plan::for_release`]) or, without a project, from an existing
//! tag ([`Plan::from_tag`]). What the app offers to build from — the
//! release branch and its tip (the default), the tags for the base tag,
//! the recent commits — is read by [`sources`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use git2::{Oid, Repository};

use super::keys::{self, KeyRequest};
use super::sign::{self, SignError, Signed};
use crate::adapters::git::{self, GitError};
use crate::core::model::{Issue, Project, RepoSettings, TarballFormat, safe_file_name};
use crate::core::ports::Watch;

/// An annotated tag to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTag {
    /// Its name.
    pub name: String,
    /// Its message.
    pub message: String,
}

/// What a build makes, and from what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The private repository.
    pub repo: PathBuf,
    /// The commit (or tag) to build from.
    pub commit: String,
    /// The base name of the files, `NAME-VERSION` (one plain file name).
    pub base: String,
    /// The tarball formats.
    pub formats: Vec<TarballFormat>,
    /// The tag the standalone patch starts from; `None`: no patch.
    pub base_tag: Option<String>,
    /// Where the files go.
    pub out: PathBuf,
    /// The tag to make on the commit; `None` to build from an existing tag.
    pub tag: Option<NewTag>,
    /// The repository settings and version the version file must carry.
    pub version: Option<(RepoSettings, String)>,
}

/// What the front end chose beyond the project's settings; `None` or empty
/// takes the project's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    /// The commit to tag; default: the issue's last fix commit.
    pub commit: Option<String>,
    /// The tag the patch starts from; default: the release's base tag.
    pub base_tag: Option<String>,
    /// Tarball formats; default: the project's.
    pub formats: Vec<TarballFormat>,
    /// The output directory; default: `BASE-release` beside the project
    /// file.
    pub out: Option<PathBuf>,
}

impl Plan {
    /// The build of the release issue `issue` of `project` (saved at
    /// `project_file`, which relative repository paths start from) is
    /// planned into, and that release's ID.
    pub fn for_release(
        project: &Project,
        project_file: Option<&Path>,
        issue: &str,
        choices: Choices,
    ) -> Result<(Self, String), SignError> {
        let not_ready = |m: String| SignError::NotReady(m);
        let found = project
            .issue(issue)
            .ok_or_else(|| not_ready(format!("there is no issue `{issue}` in this project")))?;
        let release = project.release_of(issue).ok_or_else(|| {
            not_ready(format!(
                "issue `{issue}` is not planned into a release yet: plan the release first"
            ))
        })?;
        let commit = match choices.commit {
            Some(c) => c,
            None => found
                .fix_commits
                .last()
                .map(|c| c.id.clone())
                .ok_or_else(|| {
                    not_ready(format!(
                        "issue `{issue}` has no fix commits recorded: record them in the fix step \
                     (or pass --commit REV)"
                    ))
                })?,
        };
        let version = release.version.clone();
        let base = project
            .repo
            .tarball_base(&version)
            .map_err(GitError::from)?;
        let out = choices.out.unwrap_or_else(|| {
            let dir = format!("{base}-release");
            match project_file.and_then(Path::parent) {
                Some(d) if !d.as_os_str().is_empty() => d.join(dir),
                _ => PathBuf::from(dir),
            }
        });
        let plan = Self {
            repo: git::repo_dir(project_file, &project.repo.path)?,
            commit,
            formats: if choices.formats.is_empty() {
                project.repo.tarball_formats.clone()
            } else {
                choices.formats
            },
            base_tag: choices.base_tag.or_else(|| release.base_tag.clone()),
            out,
            tag: Some(NewTag {
                name: RepoSettings::fill(&project.repo.tag_template, &version),
                message: format!("{} {version}\n", project.name),
            }),
            version: Some((project.repo.clone(), version)),
            base,
        };
        Ok((plan, release.id.clone()))
    }

    /// The build of an existing `tag` of the repository `repo`, without a
    /// project: files named `NAME-VERSION`, no tag made, no version check.
    pub fn from_tag(
        repo: PathBuf,
        tag: String,
        name: &str,
        version: &str,
        formats: Vec<TarballFormat>,
        base_tag: Option<String>,
        out: PathBuf,
    ) -> Result<Self, SignError> {
        let base = format!("{name}-{version}");
        safe_file_name(&base).map_err(GitError::from)?;
        Ok(Self {
            repo,
            commit: tag,
            base,
            formats: if formats.is_empty() {
                TarballFormat::defaults()
            } else {
                formats
            },
            base_tag,
            out,
            tag: None,
            version: None,
        })
    }

    /// The names of the files a build makes, in the order it makes (and
    /// reports) them: the tarballs, then the patch.
    pub fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .formats
            .iter()
            .map(|f| git::archive::file_name(&self.base, *f))
            .collect();
        if self.base_tag.is_some() {
            names.push(format!("{}.patch", self.base));
        }
        names
    }
}

/// What the repository offers a build of an issue's release: the release
/// branch and the commit at its tip (what the app builds from unless
/// another commit or tag is chosen), and the repository's branches, tags
/// and recent commits to pick from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// The release branch: the branch the issue's fix commits were
    /// recorded on, if the repository has it, else the branch checked out.
    pub release_branch: Option<String>,
    /// The commit at the release branch's tip.
    pub tip: Option<String>,
    /// Everything else the repository lists.
    pub refs: git::Refs,
}

impl Sources {
    /// The revision a build starts from unless the user chooses another:
    /// the release branch, else `HEAD`.
    pub fn default_from(&self) -> String {
        self.release_branch
            .clone()
            .unwrap_or_else(|| "HEAD".to_owned())
    }
}

/// The release branch of `issue` among `refs`: the branch of its last fix
/// commit that names one the repository has, else the checked-out branch.
pub fn release_branch(issue: Option<&Issue>, refs: &git::Refs) -> Option<String> {
    issue
        .into_iter()
        .flat_map(|i| i.fix_commits.iter().rev())
        .map(|c| c.branch.trim())
        .find(|b| !b.is_empty() && refs.branches.iter().any(|(name, _)| name == b))
        .map(str::to_owned)
        .or_else(|| refs.head_branch.clone())
}

/// Read [`Sources`] for the release of `issue` from `project`'s repository
/// (a relative path starts at `project_file`'s directory).
pub fn sources(
    project: &Project,
    project_file: Option<&Path>,
    issue: &str,
) -> Result<Sources, GitError> {
    let dir = git::repo_dir(project_file, &project.repo.path)?;
    let repo = git::open(&dir.display().to_string())?;
    let refs = git::refs(&repo)?;
    let release_branch = release_branch(project.issue(issue), &refs);
    let tip = match &release_branch {
        Some(b) => refs
            .branches
            .iter()
            .find(|(name, _)| name == b)
            .map(|(_, id)| id.clone()),
        None => git::commit_of(&repo, "HEAD")
            .ok()
            .map(|c| c.id().to_string()),
    };
    Ok(Sources {
        release_branch,
        tip,
        refs,
    })
}

/// The warning a build without a base tag gives: no standalone patch.
pub const NO_BASE_TAG: &str =
    "no base tag (set the release's base_tag or pass --base-tag): no standalone patch";

/// What a build made.
#[derive(Clone, Debug)]
pub struct Built {
    /// The tag made, if any.
    pub tag: Option<String>,
    /// The tarballs and the patch.
    pub files: Vec<PathBuf>,
    /// Their signatures and checksum lists, verified; `None` unsigned.
    pub signed: Option<Signed>,
    /// Commits in the standalone patch, if one was written.
    pub patch_commits: Option<usize>,
    /// What the user should know (no base tag: no patch; the key expires
    /// soon).
    pub warnings: Vec<String>,
}

/// Undoes a build that did not finish: what it made is removed when this
/// is dropped armed.
struct Rollback<'r> {
    repo: &'r Repository,
    tag: Option<(String, Oid)>,
    files: Vec<PathBuf>,
    /// Directories the build created, innermost first.
    dirs: Vec<PathBuf>,
    armed: bool,
}

impl Drop for Rollback<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
        for d in &self.dirs {
            // Only while empty: nothing of anyone else's is removed.
            let _ = std::fs::remove_dir(d);
        }
        if let Some((name, oid)) = &self.tag {
            let _ = git::remove_tag(self.repo, name, *oid);
        }
    }
}

/// The directories `dir` and its ancestors that do not exist yet,
/// innermost first.
fn missing_dirs(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_owned)
        .collect()
}

/// Build what `plan` says: checks, the tag (signed with `key` when given,
/// the key judged as of `now`),
/// tarballs, patch, then signatures and checksum lists verified (when
/// `key` is given). Progress and cancelling through `watch`: each phase
/// is said, tarballs and signing report bytes per file (in the order of
/// [`Plan::file_names`]). Until the files are signed, a failure or a
/// cancel removes everything this run made.
pub fn build(
    plan: &Plan,
    key: Option<KeyRequest<'_>>,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<Built, SignError> {
    watch.say("checking the repository");
    let repo = git::open(&plan.repo.display().to_string())?;
    git::check_clean(&repo)?;
    let commit = git::commit_of(&repo, &plan.commit)?;
    if let Some((settings, version)) = &plan.version {
        git::check_version(&repo, &commit, settings, version)?;
    }
    if let Some(tag) = &plan.tag {
        git::check_can_tag(&repo, &tag.name)?;
    }
    let mut warnings = Vec::new();
    let mut key = key.map(|k| keys::unlock(k, now, watch)).transpose()?;
    if let Some(w) = key.as_ref().and_then(|k| k.warning.clone()) {
        warnings.push(w);
    }
    let cancelled = || -> Result<(), SignError> {
        if watch.is_cancelled() {
            Err(GitError::Cancelled.into())
        } else {
            Ok(())
        }
    };
    cancelled()?;
    let mut undo = Rollback {
        repo: &repo,
        tag: None,
        files: Vec::new(),
        dirs: missing_dirs(&plan.out),
        armed: true,
    };
    let tag = match &plan.tag {
        Some(t) => {
            watch.say(&format!("tagging {}", t.name));
            let oid = git::create_tag(
                &repo,
                &t.name,
                &commit,
                &t.message,
                key.as_mut().map(|k| &mut k.key),
            )?;
            undo.tag = Some((t.name.clone(), oid));
            let id = commit.id().to_string();
            watch.say(&format!("tagged {} as {}", &id[..12.min(id.len())], t.name));
            Some(t.name.clone())
        }
        None => None,
    };
    cancelled()?;
    watch.say("making the tarballs");
    let mut files =
        git::archive::write_tarballs(&repo, &commit, &plan.base, &plan.formats, &plan.out, watch)?;
    undo.files.clone_from(&files);
    cancelled()?;
    let mut patch_commits = None;
    match &plan.base_tag {
        Some(b) => {
            watch.say("writing the standalone patch");
            let patch = git::patch_path(&plan.out, &plan.base)?;
            let n = git::write_patch(&repo, b, commit.id(), &patch)?;
            undo.files.push(patch.clone());
            watch.say(&format!("patch: {n} commit(s) since {b}"));
            files.push(patch);
            patch_commits = Some(n);
        }
        None => warnings.push(NO_BASE_TAG.to_owned()),
    }
    let signed = match key.as_mut() {
        Some(k) => {
            cancelled()?;
            match sign::sign(k, &files, true, watch) {
                Ok(signed) => Some(signed),
                // Signed but not verified: the files stay for the user to
                // look at; the message says not to publish them.
                Err(e @ SignError::Unverified(_)) => {
                    undo.armed = false;
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
        }
        None => None,
    };
    undo.armed = false;
    Ok(Built {
        tag,
        files,
        signed,
        patch_commits,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Unwatched;
    use std::process::Command;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn git_ok(dir: &Path, args: &[&str]) {
        let o = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .expect("git");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// A repository with a 1.0.0 tag and a 1.0.1 commit big enough to be
    /// several chunks of tar.
    fn repo(dir: &Path) -> PathBuf {
        let repo = dir.join("repo");
        std::fs::create_dir(&repo).expect("repo");
        git_ok(&repo, &["init", "-q", "-b", "main"]);
        git_ok(&repo, &["config", "user.name", "Rel Eng"]);
        git_ok(&repo, &["config", "user.email", "releng@example.org"]);
        std::fs::write(repo.join("a.c"), "int a;\n").expect("a");
        git_ok(&repo, &["add", "-A"]);
        git_ok(&repo, &["commit", "-qm", "1.0.0"]);
        git_ok(&repo, &["tag", "-a", "x-1.0.0", "-m", "1.0.0"]);
        // Incompressible-ish data, so the tar is several chunks.
        let data: Vec<u8> = (0..3_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        std::fs::write(repo.join("big.bin"), data).expect("big");
        git_ok(&repo, &["add", "-A"]);
        git_ok(&repo, &["commit", "-qm", "fix"]);
        repo
    }

    /// Cancels once the first chunk of tar is made.
    #[derive(Default)]
    struct CancelInTarballs(AtomicBool);

    impl Watch for CancelInTarballs {
        fn item(&self, _index: usize, done: u64, _total: u64) {
            if done > 0 {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        fn is_cancelled(&self) -> bool {
            self.0.load(Ordering::SeqCst)
        }
    }

    fn plan(repo: &Path, out: PathBuf) -> Plan {
        Plan {
            repo: repo.to_owned(),
            commit: "HEAD".into(),
            base: "x-1.0.1".into(),
            formats: vec![TarballFormat::Gz, TarballFormat::Tar],
            base_tag: Some("x-1.0.0".into()),
            out,
            tag: Some(NewTag {
                name: "x-1.0.1".into(),
                message: "x 1.0.1\n".into(),
            }),
            version: None,
        }
    }

    #[test]
    fn a_cancel_during_the_tarballs_leaves_no_tag_file_or_directory() {
        let dir = tempfile::tempdir().expect("dir");
        let repo = repo(dir.path());
        let out = dir.path().join("new/out");
        let plan = plan(&repo, out.clone());
        let watch = CancelInTarballs::default();
        let err = build(&plan, None, Utc::now(), &watch).expect_err("cancelled");
        assert!(err.is_cancelled(), "{err}");
        assert!(
            watch.0.load(Ordering::SeqCst),
            "tar progress reached the watcher"
        );
        assert!(!dir.path().join("new").exists(), "no directory left");
        let r = Repository::open(&repo).expect("repo");
        assert!(
            r.find_reference("refs/tags/x-1.0.1").is_err(),
            "no tag left"
        );

        // Not cancelled, the same plan builds: tag, tarballs and patch.
        let built = build(&plan, None, Utc::now(), &Unwatched).expect("built");
        assert_eq!(built.tag.as_deref(), Some("x-1.0.1"));
        let names: Vec<String> = built
            .files
            .iter()
            .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, plan.file_names());
        assert_eq!(built.patch_commits, Some(1));
    }

    /// Records the largest per-file progress seen.
    #[derive(Default)]
    struct Seen(std::sync::Mutex<Vec<(usize, u64, u64)>>);

    impl Watch for Seen {
        fn item(&self, index: usize, done: u64, total: u64) {
            self.0.lock().expect("lock").push((index, done, total));
        }
    }

    #[test]
    fn tarball_progress_reaches_every_file_bar_up_to_its_total() {
        let dir = tempfile::tempdir().expect("dir");
        let repo = repo(dir.path());
        let mut plan = plan(&repo, dir.path().join("out"));
        plan.tag = None;
        plan.base_tag = None;
        let seen = Seen::default();
        build(&plan, None, Utc::now(), &seen).expect("built");
        let seen = seen.0.into_inner().expect("lock");
        for index in 0..2 {
            let mine: Vec<_> = seen.iter().filter(|(i, _, _)| *i == index).collect();
            assert!(mine.len() > 2, "several reports for file {index}: {mine:?}");
            let (_, done, total) = mine.last().expect("some");
            assert!(*done > 3_000_000 && done == total, "{mine:?}");
        }
    }

    /// Cancels once the signing has begun.
    #[derive(Default)]
    struct CancelWhenSigning(AtomicBool);

    impl Watch for CancelWhenSigning {
        fn say(&self, what: &str) {
            if what == "signing" {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        fn is_cancelled(&self) -> bool {
            self.0.load(Ordering::SeqCst)
        }
    }

    #[test]
    fn a_cancel_while_signing_removes_the_signed_tag_tarballs_and_patch() {
        use crate::adapters::openpgp::KeySource;
        use sequoia_openpgp::cert::CertBuilder;
        use sequoia_openpgp::serialize::SerializeInto;
        let dir = tempfile::tempdir().expect("dir");
        let repo = repo(dir.path());
        let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@example.org>"))
            .set_creation_time(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
            .generate()
            .expect("key");
        let key = dir.path().join("key.asc");
        std::fs::write(&key, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
        let request = || Some(KeyRequest::new(KeySource::File { path: key.clone() }, None));
        let out = dir.path().join("out");
        let plan = plan(&repo, out.clone());
        let watch = CancelWhenSigning::default();
        let err = build(&plan, request(), Utc::now(), &watch).expect_err("cancelled");
        assert!(err.is_cancelled(), "{err}");
        assert!(
            !out.exists(),
            "no tarball, patch, signature or directory left"
        );
        let r = Repository::open(&repo).expect("repo");
        assert!(
            r.find_reference("refs/tags/x-1.0.1").is_err(),
            "no tag left"
        );

        let built = build(&plan, request(), Utc::now(), &Unwatched).expect("built");
        let signed = built.signed.expect("signed");
        assert_eq!(signed.verified.len(), 3, "2 tarballs and the patch");
        assert_eq!(signed.signer, cert.fingerprint().to_hex());
    }

    #[test]
    fn the_release_branch_is_the_fix_commits_branch_else_the_checked_out_one() {
        let dir = tempfile::tempdir().expect("dir");
        let repo = repo(dir.path());
        git_ok(&repo, &["branch", "stable-1.0", "HEAD~1"]);
        let r = Repository::open(&repo).expect("repo");
        let refs = git::refs(&r).expect("refs");
        assert_eq!(refs.head_branch.as_deref(), Some("main"));
        assert_eq!(refs.tags, ["x-1.0.0"]);
        assert_eq!(refs.commits.len(), 2);
        assert_eq!(refs.commits[0].1, "fix");
        let mut issue = Issue::new("X-1", "t", Utc::now());
        assert_eq!(release_branch(Some(&issue), &refs).as_deref(), Some("main"));
        issue.fix_commits.push(crate::core::model::FixCommit {
            id: "abc".into(),
            branch: "stable-1.0".into(),
            summary: String::new(),
        });
        assert_eq!(
            release_branch(Some(&issue), &refs).as_deref(),
            Some("stable-1.0")
        );
        // A branch the repository does not have is not taken.
        issue.fix_commits[0].branch = "gone".into();
        assert_eq!(release_branch(Some(&issue), &refs).as_deref(), Some("main"));
    }

    #[test]
    fn a_failure_after_tagging_removes_the_tag_and_the_tarballs() {
        let dir = tempfile::tempdir().expect("dir");
        let repo = repo(dir.path());
        let out = dir.path().join("out");
        let mut plan = plan(&repo, out.clone());
        plan.base_tag = Some("no-such-tag".into());
        let err = build(&plan, None, Utc::now(), &Unwatched).expect_err("no base tag");
        assert!(err.to_string().contains("no-such-tag"), "{err}");
        assert!(!out.exists(), "no tarball and no directory left");
        let r = Repository::open(&repo).expect("repo");
        assert!(
            r.find_reference("refs/tags/x-1.0.1").is_err(),
            "no tag left"
        );
    }
}
