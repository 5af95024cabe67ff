//! `embargo guard` (no embargoed commit on a public remote, and the pre-push
//! hook that keeps it so), `embargo artifacts` (signed tag, tarballs,
//! standalone patch, checksums and signatures of a release, each signature
//! verified afterwards) and `embargo push` (a published release's branch
//! and tag to the public remotes, through the guard). All are the app's
//! operations too: they call [`crate::workflows::guard`] and
//! [`crate::workflows::artifacts`] and print.
//!
//! Exit codes: `guard` exits 1 when an embargoed commit is public (or, as a
//! pre-push hook, would be made public); both exit 1 with one message on any
//! other failure, 2 on a usage error.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Serialize;

use super::progress::Terminal;
use super::{Outcome, load_project, now, vault};
use crate::core::model::{Project, TarballFormat};
use crate::core::ops;
use crate::workflows::{
    self,
    artifacts::{Choices, Plan},
    guard::{GuardReport, Leak},
    keys::KeyRequest,
};

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
    /// Print JSON: `{ok, checked, public_remotes, leaks: [{issue, commit, refs}], missing: [{issue, commit}],
    /// missing_cve: [{issue, commit}], exposures: [{issue, matched, clue, place, reference, commit}], hook}`.
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
    /// The commit, branch or tag to build from and tag (with FILE; also
    /// spelled --from, as the app's "Build from" field); default: the
    /// issue's last fix commit.
    #[arg(long, requires = "file", visible_alias = "from", value_name = "REV")]
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
    /// Print JSON: `{tag, files: [...], signatures: [...], sums: [...], signer,
    /// verified: [{signature, signer, key}]}` (every signature is verified after signing).
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<TarballFormat, String> {
    TarballFormat::ALL
        .into_iter()
        .find(|f| f.short() == s)
        .ok_or_else(|| format!("`{s}` is not a format: use tar, gz, bz2 or xz"))
}

#[derive(Serialize)]
struct GuardJson<'a> {
    ok: bool,
    #[serde(flatten)]
    report: &'a GuardReport,
    /// Fix commits whose message does not name the CVE (added).
    missing_cve: &'a [crate::core::guard::Embargoed],
    /// Words of embargoed issues the public remotes show (added).
    exposures: &'a [crate::core::guard::Exposure],
    /// Whether the pre-push hook is installed (added).
    hook: bool,
}

/// Run `embargo guard`.
pub fn guard(args: GuardArgs) -> Result<Outcome> {
    let (project, _) = load_project(&args.file)?;
    if args.install_hook {
        let path = workflows::guard::install_hook(&project, &args.file)?;
        println!("installed {}", path.display());
        return Ok(Outcome::Exit(0));
    }
    if args.remove_hook {
        match workflows::guard::remove_hook(&project, Some(&args.file))? {
            true => println!("removed the pre-push hook"),
            false => println!("no pre-push hook was installed"),
        }
        return Ok(Outcome::Exit(0));
    }
    if let Some(remote) = &args.pre_push {
        let mut updates = String::new();
        std::io::stdin()
            .read_to_string(&mut updates)
            .context("cannot read the pushed refs from git")?;
        let found =
            workflows::guard::pre_push_check(&project, &args.file, remote, &updates, now()?)?;
        if found.is_clean() {
            return Ok(Outcome::Exit(0));
        }
        if !found.leaks.is_empty() {
            eprintln!(
                "embargo: push to public remote `{remote}` REFUSED: it would publish embargoed fixes"
            );
            print_leaks(&found.leaks);
        }
        if !found.exposures.is_empty() {
            eprintln!(
                "embargo: push to public remote `{remote}` REFUSED: it would name issues under embargo"
            );
            print_exposures(&found.exposures);
        }
        eprintln!(
            "Push to a private remote instead, reword or rename what names the issue, or wait until the issue is released (then this check lets it through)."
        );
        return Ok(Outcome::Exit(1));
    }
    let guarded =
        workflows::guard::check(&project, Some(&args.file), args.issue.as_deref(), now()?)?;
    let report = &guarded.report;
    let ok = report.leaks.is_empty() && guarded.exposures.is_empty();
    if report.checked == 0
        && let Some(issue) = args.issue.as_deref().and_then(|id| project.issue(id))
    {
        // Why there was nothing to check, as the guard panel says it.
        eprintln!(
            "note: {}",
            crate::core::guard::nothing_to_guard(&project, issue, now()?)
        );
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&GuardJson {
                ok,
                report,
                missing_cve: &guarded.missing_cve,
                exposures: &guarded.exposures,
                hook: guarded.hook,
            })?
        );
    } else if ok {
        println!(
            "ok: {} embargoed commit(s), none reachable from the public remotes ({}); no branch, tag or commit message there names an issue under embargo",
            report.checked,
            report.public_remotes.join(", ")
        );
    } else {
        if !report.leaks.is_empty() {
            println!("EMBARGO BROKEN: embargoed fixes are on public remotes");
            print_leaks(&report.leaks);
        }
        if !guarded.exposures.is_empty() {
            println!("EMBARGO BROKEN: the public remotes name issues under embargo");
            print_exposures(&guarded.exposures);
        }
    }
    for m in &report.missing {
        eprintln!(
            "warning: {} (fix of {}) is not in the repository; fetch it or correct the ID",
            m.commit, m.issue
        );
    }
    Ok(Outcome::Exit(if ok { 0 } else { 1 }))
}

fn print_exposures(found: &[crate::core::guard::Exposure]) {
    for e in found {
        eprintln!("  {}", e.describe());
    }
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
    /// The signer's fingerprint, when signed (added).
    #[serde(skip_serializing_if = "Option::is_none")]
    signer: Option<String>,
    /// Each signature, verified after signing (added).
    verified: Vec<super::sign::VerifiedJson>,
}

/// The key that signs, unless `--no-sign`.
fn key_for(args: &ArtifactsArgs, project: Option<&Project>) -> Result<Option<KeyRequest<'static>>> {
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
    Ok(Some(KeyRequest::new(source, passphrase)))
}

/// Run `embargo artifacts`: build, sign and verify (a signature that does
/// not verify fails the run and nothing is recorded).
pub fn artifacts(args: ArtifactsArgs) -> Result<Outcome> {
    let mut loaded = None;
    let lock;
    let (plan, key) = if let Some(file) = &args.file {
        lock = Some(super::lock(file, "embargo artifacts")?);
        let (project, _) = super::load_to_write(file)?;
        let issue = args
            .issue
            .clone()
            .context("say which issue's release to build: --issue ID")?;
        let choices = Choices {
            commit: args.commit.clone(),
            base_tag: args.base_tag.clone(),
            formats: args.formats.clone(),
            out: Some(args.out.clone()),
        };
        let (plan, release_id) = Plan::for_release(&project, Some(file), &issue, choices)?;
        let key = key_for(&args, Some(&project))?;
        loaded = Some((file.clone(), project, release_id));
        (plan, key)
    } else {
        lock = None;
        let repo = args
            .repo
            .clone()
            .context("--repo is required without a project")?;
        let tag = args.tag.clone().context("--tag is required with --repo")?;
        let name = args
            .name
            .clone()
            .context("--name is required with --repo")?;
        let version = args
            .version
            .clone()
            .context("--version is required with --repo")?;
        let plan = Plan::from_tag(
            repo,
            tag,
            &name,
            &version,
            args.formats.clone(),
            args.base_tag.clone(),
            args.out.clone(),
        )?;
        (plan, key_for(&args, None)?)
    };
    let watch = Terminal::new(args.json);
    let built = workflows::artifacts::build(&plan, key, now()?, &watch)?;
    for w in &built.warnings {
        eprintln!("warning: {w}");
    }
    let mut signatures = Vec::new();
    let mut sums = Vec::new();
    if let Some(signed) = &built.signed {
        for v in &signed.verified {
            eprintln!(
                "verified: {} is a good signature by {}",
                v.signature.display(),
                signed.signer
            );
        }
        signatures = signed
            .output
            .files
            .iter()
            .map(|f| f.signature.display().to_string())
            .collect();
        sums = signed
            .output
            .sums
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        if let Some((file, project, release_id)) = loaded.as_mut() {
            ops::record_artifacts(project, release_id, signed.artifacts.clone(), now()?)?;
            vault::save(file, project)?;
        }
    }
    drop(lock);
    let files: Vec<String> = built
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ArtifactsJson {
                tag: built.tag.clone(),
                files,
                signatures,
                sums,
                signer: built.signed.as_ref().map(|s| s.signer.clone()),
                verified: built
                    .signed
                    .as_ref()
                    .map(super::sign::verified_json)
                    .unwrap_or_default(),
            })?
        );
    } else {
        for f in files.iter().chain(&signatures).chain(&sums) {
            println!("{f}");
        }
    }
    Ok(Outcome::Exit(0))
}

/// Arguments of `embargo push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue whose release's branch and tag to push.
    #[arg(long)]
    pub issue: String,
    /// Print JSON: `{branch, tag, remotes, output}`.
    #[arg(long)]
    pub json: bool,
}

/// Run `embargo push`: once the release is published, the release branch
/// and tag go to every public remote unless the guard refuses; journaled.
pub fn push(args: PushArgs) -> Result<Outcome> {
    let pushed = super::edit::change(&args.file, "embargo push", |p, _, now| {
        let pushed = workflows::guard::push_public(p, Some(&args.file), &args.issue, now)?;
        ops::record_push(
            p,
            &args.issue,
            &pushed.branch,
            &pushed.tag,
            &pushed.remotes,
            Some("publish_release"),
            now,
        )?;
        Ok(pushed)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&pushed)?);
    } else {
        eprint!("{}", pushed.output);
        println!(
            "pushed {} and {} to {}",
            pushed.branch,
            pushed.tag,
            pushed.remotes.join(", ")
        );
    }
    Ok(Outcome::Exit(0))
}
