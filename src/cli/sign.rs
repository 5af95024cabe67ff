//! `embargo sign` and `embargo verify`: detached OpenPGP signatures and
//! checksum lists for release files, from a key in gpg-agent or in a key
//! file, each signature verified after signing (as the app does: both call
//! [`crate::workflows::sign`]), optionally recorded in a project's release
//! and journal.
//!
//! Exit codes: 0 success; 1 failure with one message on stderr (for
//! `sign`: also a signature that does not verify after signing, then
//! nothing is recorded; for `verify`: the signature does not verify); 2
//! usage error.

use anyhow::Result;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::progress::Terminal;
use super::{Outcome, now, vault};
use crate::adapters::openpgp::{self, KeyInfo, KeySource, OpenPgpError, Passphrase, Verified};
use crate::core::ops;
use crate::core::ports::Unwatched;
use crate::workflows::{self, keys::KeyRequest, sign::Signed};

/// Arguments of `embargo sign`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("keysource").required(true).args(["key", "key_file"])))]
pub struct SignArgs {
    /// Sign with this key from GnuPG's agent (its fingerprint).
    #[arg(long, value_name = "FINGERPRINT")]
    pub key: Option<String>,
    /// GnuPG's home directory for --key (default: $GNUPGHOME or ~/.gnupg).
    #[arg(long, value_name = "DIR", requires = "key")]
    pub homedir: Option<PathBuf>,
    /// Sign with the secret key in this armored file.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Read the passphrase from this file descriptor (its first line);
    /// without it a protected key file's passphrase is asked on the terminal.
    #[arg(long, value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// Also write SHA256SUMS and SHA512SUMS beside the files.
    #[arg(long)]
    pub sums: bool,
    /// Record the signed files in this project's release (with --release).
    #[arg(long, value_name = "PROJECT", requires = "release")]
    pub project: Option<PathBuf>,
    /// The release (its ID) to record them in.
    #[arg(long, value_name = "ID", requires = "project")]
    pub release: Option<String>,
    /// Print JSON: `{signer, files: [{path, signature, size, sha256, sha512}], sums: [...],
    /// verified: [{signature, signer, key}]}` (every signature is verified after signing).
    #[arg(long)]
    pub json: bool,
    /// The files to sign: tarballs, patches, anything.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Arguments of `embargo verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The signer's certificate (public key), armored or binary.
    #[arg(long, value_name = "CERT")]
    pub cert: PathBuf,
    /// Print JSON: `{good, signer, key, created}` or `{good: false, error}`.
    #[arg(long)]
    pub json: bool,
    /// The detached signature (`FILE.asc`).
    pub signature: PathBuf,
    /// The signed file.
    pub file: PathBuf,
}

#[derive(Serialize)]
struct SignJson<'a> {
    signer: &'a str,
    files: Vec<FileJson<'a>>,
    sums: Vec<String>,
    /// Each signature, verified after signing (added; the rest is as before).
    verified: Vec<VerifiedJson>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: String,
    signature: String,
    size: u64,
    sha256: &'a str,
    sha512: &'a str,
}

/// The key a command's `--key FPR [--homedir DIR]` or `--key-file FILE`
/// names, else the project's.
pub(super) fn key_source(
    key: Option<&str>,
    homedir: Option<&Path>,
    key_file: Option<&Path>,
    project_key: Option<&crate::core::model::SigningKeyRef>,
) -> Result<KeySource> {
    Ok(match (key, key_file, project_key) {
        (Some(fpr), _, _) => KeySource::Agent {
            fingerprint: openpgp::normalize_fingerprint(fpr),
            homedir: homedir.map(Path::to_owned),
        },
        (None, Some(path), _) => KeySource::File {
            path: path.to_owned(),
        },
        (None, None, Some(k)) => KeySource::from_project(k),
        (None, None, None) => {
            anyhow::bail!("say which key signs: --key FINGERPRINT or --key-file FILE")
        }
    })
}

/// Read a passphrase from file descriptor `fd` (its first line).
pub(super) fn passphrase_from_fd(fd: u32) -> Result<Passphrase> {
    super::read_fd(fd, "passphrase", Passphrase::read_from)
}

/// Run `embargo sign`: sign, then verify every signature (a signature that
/// does not verify fails the run and nothing is recorded).
pub fn sign(args: SignArgs) -> Result<Outcome> {
    let source = key_source(
        args.key.as_deref(),
        args.homedir.as_deref(),
        args.key_file.as_deref(),
        None,
    )?;
    // Lock the project before the long work, so nobody else changes it.
    let lock = match &args.project {
        Some(p) => Some(super::lock(p, "embargo sign")?),
        None => None,
    };
    let ask = |info: &KeyInfo| {
        rpassword::prompt_password(format!("Passphrase for {}: ", info.label()))
            .map(Passphrase::new)
            .map_err(|e| OpenPgpError::Prompt(e.to_string()))
    };
    let request = KeyRequest {
        source,
        passphrase: args.passphrase_fd.map(passphrase_from_fd).transpose()?,
        ask: std::io::stdin()
            .is_terminal()
            .then_some(&ask as workflows::keys::Ask<'_>),
    };
    let mut unlocked = workflows::keys::unlock(request, now()?, &Unwatched)?;
    eprintln!("Signing with {}", unlocked.label());
    if let Some(warning) = &unlocked.warning {
        eprintln!("warning: {warning}");
    }
    let watch = Terminal::new(args.json);
    let signed = workflows::sign::sign(&mut unlocked, &args.files, args.sums, &watch)?;
    drop(unlocked);
    if let (Some(project_file), Some(release)) = (&args.project, &args.release) {
        record(project_file, release, &signed)?;
    }
    drop(lock);
    for v in &signed.verified {
        eprintln!(
            "verified: {} is a good signature by {}",
            v.signature.display(),
            signed.signer
        );
    }
    print_signed(&signed, args.json)?;
    Ok(Outcome::Exit(0))
}

fn record(project_file: &Path, release: &str, signed: &Signed) -> Result<()> {
    let (mut project, _) = super::load_to_write(project_file)?;
    ops::record_artifacts(&mut project, release, signed.artifacts.clone(), now()?)?;
    vault::save(project_file, &project)?;
    Ok(())
}

/// One signature verified after signing, in `--json`.
#[derive(Serialize)]
pub(super) struct VerifiedJson {
    /// The signature file.
    signature: String,
    /// The certificate that made it.
    signer: String,
    /// The (sub)key that made it.
    key: String,
}

/// The signatures `signed` verified, for `--json`.
pub(super) fn verified_json(signed: &Signed) -> Vec<VerifiedJson> {
    signed
        .verified
        .iter()
        .filter_map(|v| {
            v.result.as_ref().ok().map(|good| VerifiedJson {
                signature: v.signature.display().to_string(),
                signer: good.signer.clone(),
                key: good.key.clone(),
            })
        })
        .collect()
}

fn print_signed(signed: &Signed, json: bool) -> Result<()> {
    let output = &signed.output;
    if json {
        let doc = SignJson {
            signer: &output.signer,
            files: output
                .files
                .iter()
                .map(|f| FileJson {
                    path: f.path.display().to_string(),
                    signature: f.signature.display().to_string(),
                    size: f.size,
                    sha256: &f.sha256,
                    sha512: &f.sha512,
                })
                .collect(),
            sums: output
                .sums
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            verified: verified_json(signed),
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for f in &output.files {
            println!(
                "{}  {} bytes  sha256 {}",
                f.signature.display(),
                f.size,
                f.sha256
            );
        }
        for s in &output.sums {
            println!("{}", s.display());
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct VerifyJson {
    good: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Run `embargo verify`: exit 0 for a good signature, 1 otherwise.
pub fn verify(args: VerifyArgs) -> Result<Outcome> {
    let result = workflows::sign::verify_file(&args.cert, &args.signature, &args.file);
    match (result, args.json) {
        (Ok(v), false) => {
            println!("Good signature {}", describe(&v));
            Ok(Outcome::Exit(0))
        }
        (Ok(v), true) => {
            let doc = VerifyJson {
                good: true,
                signer: Some(v.signer),
                key: Some(v.key),
                created: v.created.map(|t| t.to_rfc3339()),
                error: None,
            };
            println!("{}", serde_json::to_string_pretty(&doc)?);
            Ok(Outcome::Exit(0))
        }
        (Err(e @ OpenPgpError::BadSignature { .. }), json) => {
            if json {
                let doc = VerifyJson {
                    good: false,
                    signer: None,
                    key: None,
                    created: None,
                    error: Some(e.to_string()),
                };
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
            eprintln!("error: {e}");
            Ok(Outcome::Exit(1))
        }
        (Err(e), _) => Err(e.into()),
    }
}

fn describe(v: &Verified) -> String {
    let when = v
        .created
        .map(|t| format!(", made {}", t.format("%Y-%m-%d %H:%M:%S UTC")))
        .unwrap_or_default();
    if v.key == v.signer {
        format!("from {}{when}", v.signer)
    } else {
        format!("from {} (subkey {}){when}", v.signer, v.key)
    }
}
