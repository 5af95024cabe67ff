//! `embargo guard` (no embargoed commit on a public remote, and the pre-push
//! hook that keeps it so) and `embargo artifacts` (signed tag, tarballs,
//! standalone patch, checksums and signatures of a release).
//!
//! Exit codes: `guard` exits 1 when an embargoed commit is public (or, as a
//! pre-push hook, would be made public); both exit 1 with one message on any
//! other failure, 2 on a usage error.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{Outcome, load_project, now, vault};
use crate::adapters::git::{self, GuardReport, Leak};
use crate::adapters::openpgp::{self, SigningKey, Unwatched};
use crate::core::guard;
use crate::core::model::{Project, RepoSettings, TarballFormat};
use crate::core::ops;
use crate::workflows;

/// Arguments of `embargo guard`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("hook").args(["install_hook", "remove_hook", "pre_push"])))]
pub struct GuardArgs {
    /// The project file.
    pub file: PathBuf,
    /// Check only this issue's fix commits.
    #[arg(long)]
    pub issue: Option<String>,
    /// Install a pre-push hook in the project's repository that runs this check.
    #[arg(long)]
    pub install_hook: bool,
    /// Remove the pre-push hook installed by --install-hook.
    #[arg(long)]
    pub remove_hook: bool,
    /// Run as git's pre-push hook for this remote (reads the pushed refs on
    /// standard input); exit 1 refuses the push.
    #[arg(long, value_name = "REMOTE")]
    pub pre_push: Option<String>,
    /// Print JSON: `{ok, checked, public_remotes, leaks: [{issue, commit, refs}], missing: [{issue, commit}]}`.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `embargo artifacts`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("signer").args(["key", "key_file", "no_sign"])))]
pub struct ArtifactsArgs {
    /// The project file (or use --repo, --tag, --name and --version).
    #[arg(required_unless_present = "repo", conflicts_with = "repo")]
    pub file: Option<PathBuf>,
    /// The issue whose release to build (with FILE).
    #[arg(long, requires = "file")]
    pub issue: Option<String>,
    /// The commit to tag (with FILE); default: the issue's last fix commit.
    #[arg(long, requires = "file")]
    pub commit: Option<String>,
    /// Without a project: the repository.
    #[arg(long, requires_all = ["tag", "name", "version"])]
    pub repo: Option<PathBuf>,
    /// Without a project: the existing tag to build from.
    #[arg(long)]
    pub tag: Option<String>,
    /// Without a project: the project's name in file names (`NAME-VERSION.tar.gz`).
    #[arg(long)]
    pub name: Option<String>,
    /// Without a project: the version.
    #[arg(long)]
    pub version: Option<String>,
    /// The tag the standalone patch starts from (default: the release's base tag).
    #[arg(long)]
    pub base_tag: Option<String>,
    /// Tarball formats, comma separated (default: the project's, else gz,bz2,xz).
    #[arg(long, value_delimiter = ',', value_parser = parse_format)]
    pub formats: Vec<TarballFormat>,
    /// Sign with this key from gpg-agent (default with FILE: the project's key).
    #[arg(long, value_name = "FINGERPRINT")]
    pub key: Option<String>,
    /// Sign with the secret key in this file.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Read the key passphrase from this file descriptor.
    #[arg(long, value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// Make no signatures (and an unsigned annotated tag).
    #[arg(long)]
    pub no_sign: bool,
    /// Output directory (default: the current directory).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Print JSON: `{tag, files: [...], signatures: [...], sums: [...]}`.
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<TarballFormat, String> {
    TarballFormat::ALL
        .into_iter()
        .find(|f| f.short() == s)
        .ok_or_else(|| format!("`{s}` is not a format: use tar, gz, bz2 or xz"))
}

/// The project's repository path, relative paths taken from the project
/// file's directory.
fn repo_path(project_file: &Path, project: &Project) -> Result<String> {
    Ok(git::repo_dir(Some(project_file), &project.repo.path)?
        .display()
        .to_string())
}

#[derive(Serialize)]
struct GuardJson<'a> {
    ok: bool,
    #[serde(flatten)]
    report: &'a GuardReport,
}

/// Run `embargo guard`.
pub fn guard(args: GuardArgs) -> Result<Outcome> {
    let (project, _) = load_project(&args.file)?;
    let repo = git::open(&repo_path(&args.file, &project)?)?;
    if args.install_hook {
        let exe = std::env::current_exe().context("cannot tell where this embargo binary is")?;
        let project_file = std::fs::canonicalize(&args.file)
            .with_context(|| format!("cannot resolve {}", args.file.display()))?;
        let path = git::install_hook(&repo, &exe, &project_file)?;
        println!("installed {}", path.display());
        return Ok(Outcome::Exit(0));
    }
    if args.remove_hook {
        match git::remove_hook(&repo)? {
            true => println!("removed the pre-push hook"),
            false => println!("no pre-push hook was installed"),
        }
        return Ok(Outcome::Exit(0));
    }
    let embargoed = guard::embargoed_commits(&project, now()?, args.issue.as_deref());
    if let Some(remote) = &args.pre_push {
        let mut updates = String::new();
        std::io::stdin()
            .read_to_string(&mut updates)
            .context("cannot read the pushed refs from git")?;
        let leaks = git::pre_push(&repo, &project.repo, &embargoed, remote, &updates);
        if leaks.is_empty() {
            return Ok(Outcome::Exit(0));
        }
        eprintln!(
            "embargo: push to public remote `{remote}` REFUSED: it would publish embargoed fixes"
        );
        print_leaks(&leaks);
        eprintln!(
            "Push to a private remote instead, or wait until the issue is released (then this check lets it through)."
        );
        return Ok(Outcome::Exit(1));
    }
    let report = git::guard(&repo, &project.repo, &embargoed)?;
    let ok = report.leaks.is_empty();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&GuardJson {
                ok,
                report: &report
            })?
        );
    } else if ok {
        println!(
            "ok: {} embargoed commit(s), none reachable from the public remotes ({})",
            report.checked,
            report.public_remotes.join(", ")
        );
    } else {
        println!("EMBARGO BROKEN: embargoed fixes are on public remotes");
        print_leaks(&report.leaks);
    }
    for m in &report.missing {
        eprintln!(
            "warning: {} (fix of {}) is not in the repository; fetch it or correct the ID",
            m.commit, m.issue
        );
    }
    Ok(Outcome::Exit(if ok { 0 } else { 1 }))
}

fn print_leaks(leaks: &[Leak]) {
    for l in leaks {
        eprintln!(
            "  {} (fix of {}) via {}",
            l.commit,
            l.issue,
            l.refs.join(", ")
        );
    }
}

#[derive(Serialize)]
struct ArtifactsJson {
    tag: Option<String>,
    files: Vec<String>,
    signatures: Vec<String>,
    sums: Vec<String>,
}

fn signer_for(args: &ArtifactsArgs, project: Option<&Project>) -> Result<Option<SigningKey>> {
    if args.no_sign {
        return Ok(None);
    }
    let source = super::sign::key_source(
        args.key.as_deref(),
        None,
        args.key_file.as_deref(),
        project.and_then(|p| p.signing.as_ref()),
    )?;
    let passphrase = args
        .passphrase_fd
        .map(super::sign::passphrase_from_fd)
        .transpose()?;
    let unlocked = workflows::keys::unlock(
        workflows::keys::KeyRequest::new(source, passphrase),
        now()?,
        &crate::core::ports::Unwatched,
    )?;
    eprintln!("Signing with {}", unlocked.label());
    Ok(Some(unlocked.key))
}

/// Run `embargo artifacts`.
pub fn artifacts(args: ArtifactsArgs) -> Result<Outcome> {
    let mut loaded = None;
    let lock;
    let (repo, commit_rev, tag, base, version, base_tag, formats, create_tag) = if let Some(file) =
        &args.file
    {
        lock = Some(super::lock(file, "embargo artifacts")?);
        let (project, _) = super::load_to_write(file)?;
        let issue_id = args
            .issue
            .clone()
            .context("say which issue's release to build: --issue ID")?;
        let issue = project
            .issue(&issue_id)
            .with_context(|| format!("there is no issue `{issue_id}` in this project"))?;
        let release = project.release_of(&issue_id).with_context(|| {
            format!("issue `{issue_id}` is not planned into a release yet: plan the release first")
        })?;
        let commit = match &args.commit {
                Some(c) => c.clone(),
                None => issue.fix_commits.last().map(|c| c.id.clone()).with_context(|| {
                    format!("issue `{issue_id}` has no fix commits recorded: record them, or pass --commit REV")
                })?,
            };
        let repo = git::open(&repo_path(file, &project)?)?;
        let version = release.version.clone();
        let tag = RepoSettings::fill(&project.repo.tag_template, &version);
        let base = project
            .repo
            .tarball_base(&version)
            .map_err(git::GitError::from)?;
        let base_tag = args.base_tag.clone().or_else(|| release.base_tag.clone());
        let formats = if args.formats.is_empty() {
            project.repo.tarball_formats.clone()
        } else {
            args.formats.clone()
        };
        let release_id = release.id.clone();
        loaded = Some((file.clone(), project, release_id));
        (repo, commit, tag, base, version, base_tag, formats, true)
    } else {
        lock = None;
        let repo_dir = args
            .repo
            .clone()
            .context("--repo is required without a project")?;
        let repo = git::open(&repo_dir.display().to_string())?;
        let tag = args.tag.clone().context("--tag is required with --repo")?;
        let name = args
            .name
            .clone()
            .context("--name is required with --repo")?;
        let version = args
            .version
            .clone()
            .context("--version is required with --repo")?;
        let formats = if args.formats.is_empty() {
            TarballFormat::defaults()
        } else {
            args.formats.clone()
        };
        let base = format!("{name}-{version}");
        crate::core::model::safe_file_name(&base).map_err(git::GitError::from)?;
        (
            repo,
            tag.clone(),
            tag,
            base,
            version,
            args.base_tag.clone(),
            formats,
            false,
        )
    };

    git::check_clean(&repo)?;
    let commit = git::commit_of(&repo, &commit_rev)?;
    let project = loaded.as_ref().map(|(_, p, _)| p);
    if let Some(p) = project {
        git::check_version(&repo, &commit, &p.repo, &version)?;
    }
    let mut key = signer_for(&args, project)?;
    let made_tag = if create_tag {
        let message = format!("{} {version}\n", project.map_or("", |p| p.name.as_str()));
        git::create_tag(&repo, &tag, &commit, &message, key.as_mut())?;
        eprintln!("tagged {} as {tag}", &commit.id().to_string()[..12]);
        Some(tag.clone())
    } else {
        None
    };

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut files =
        git::archive::write_tarballs(&repo, &commit, &base, &formats, &args.out, Box::new(|_| {}))?;
    match &base_tag {
        Some(b) => {
            let patch = git::patch_path(&args.out, &base)?;
            let n = git::write_patch(&repo, b, commit.id(), &patch)?;
            eprintln!("patch: {n} commit(s) since {b}");
            files.push(patch);
        }
        None => eprintln!(
            "warning: no base tag (set the release's base_tag or pass --base-tag): no standalone patch"
        ),
    }
    let mut signatures = Vec::new();
    let mut sums = Vec::new();
    if let Some(key) = key.as_mut() {
        let output = openpgp::sign_files(key, &files, true, &Unwatched)?;
        signatures = output
            .files
            .iter()
            .map(|f| f.signature.display().to_string())
            .collect();
        sums = output
            .sums
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        if let Some((file, project, release_id)) = loaded.as_mut() {
            ops::record_artifacts(project, release_id, output.artifacts()?, now()?)?;
            vault::save(file, project)?;
        }
    }
    drop(lock);
    let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ArtifactsJson {
                tag: made_tag,
                files,
                signatures,
                sums
            })?
        );
    } else {
        for f in files.iter().chain(&signatures).chain(&sums) {
            println!("{f}");
        }
    }
    Ok(Outcome::Exit(0))
}
