//! Projects kept encrypted at rest (`NAME.embargo.ron.pgp`), from the
//! command line: `embargo encrypt` and `embargo decrypt`, and the opening
//! and saving every other subcommand does through [`open`] and [`save`].
//! An encrypted project is opened with the secret key in gpg-agent (GnuPG's
//! default home, or `$GNUPGHOME`), or with `--project-key-file FILE` and,
//! for a protected key, `--project-passphrase-fd N`; it is saved encrypted
//! to the same certificate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::openpgp::{self, KeySource, Passphrase};
use crate::adapters::store;
use crate::adapters::vault::{self, Keeping};
use crate::core::model::Project;

/// How an encrypted project is opened; global flags of every subcommand.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Unlock {
    /// The secret key file that opens a project kept encrypted
    /// (`NAME.embargo.ron.pgp`); without it, gpg-agent is asked.
    #[arg(long, global = true, value_name = "FILE")]
    pub project_key_file: Option<PathBuf>,
    /// Read the passphrase of that key (or of the agent's key, through
    /// loopback pinentry) from this file descriptor.
    #[arg(long, global = true, value_name = "N")]
    pub project_passphrase_fd: Option<u32>,
}

/// `embargo encrypt`.
#[derive(Debug, clap::Args)]
pub struct EncryptArgs {
    /// The plain project file (`NAME.embargo.ron`).
    pub file: PathBuf,
    /// Encrypt to this certificate in GnuPG's keyring; default: the
    /// project's signing key (the coordinator's own).
    #[arg(long, value_name = "FINGERPRINT", conflicts_with = "cert")]
    pub to: Option<String>,
    /// GnuPG's home directory for --to.
    #[arg(long, value_name = "DIR", requires = "to")]
    pub homedir: Option<PathBuf>,
    /// Encrypt to the certificate in this file.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Print JSON: `{file, encrypted_to}`.
    #[arg(long)]
    pub json: bool,
}

/// `embargo decrypt`.
#[derive(Debug, clap::Args)]
pub struct DecryptArgs {
    /// The encrypted project file (`NAME.embargo.ron.pgp`).
    pub file: PathBuf,
    /// Print JSON: `{file}`.
    #[arg(long)]
    pub json: bool,
}

static UNLOCK: Mutex<Option<Unlock>> = Mutex::new(None);
/// How each project this process opened is kept, so that it is saved the
/// same way.
static KEPT: Mutex<Option<HashMap<PathBuf, Keeping>>> = Mutex::new(None);

/// Remember the global unlock flags for this process's opens.
pub fn set_unlock(unlock: Unlock) {
    *UNLOCK.lock().unwrap_or_else(|e| e.into_inner()) = Some(unlock);
}

fn opener() -> Result<Opener> {
    let unlock = UNLOCK
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default();
    let passphrase = match unlock.project_passphrase_fd {
        Some(fd) => Some(super::read_fd(
            fd,
            "project key's passphrase",
            Passphrase::read_from,
        )?),
        None => None,
    };
    Ok(match unlock.project_key_file {
        Some(path) => Opener::File { path, passphrase },
        None => Opener::Agent {
            homedir: None,
            passphrase,
        },
    })
}

/// The key that opens `file` when it is encrypted (from the global flags,
/// its passphrase read now), `None` for a plain file: for an operation that
/// decrypts more than the file itself (a sync reads older versions too).
pub fn opener_for(file: &Path) -> Result<Option<Opener>> {
    if store::is_sealed(file) {
        Ok(Some(opener()?))
    } else {
        Ok(None)
    }
}

/// Open a project file, plain or encrypted at rest.
pub fn open(file: &Path) -> Result<Project> {
    let opener = opener_for(file)?;
    let (project, keeping) = vault::open(file, || opener.expect("asked for only when sealed"))?;
    KEPT.lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_default()
        .insert(file.to_owned(), keeping);
    Ok(project)
}

/// Save a project file the way it was opened (encrypted, or plain).
pub fn save(file: &Path, project: &Project) -> Result<()> {
    let keeping = KEPT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_default()
        .get(file)
        .cloned()
        .unwrap_or_default();
    vault::save(file, project, &keeping)?;
    Ok(())
}

#[derive(Serialize)]
struct EncryptedJson<'a> {
    file: &'a Path,
    encrypted_to: String,
}

/// `embargo encrypt FILE`: keep the project encrypted from now on.
pub fn encrypt(args: &EncryptArgs) -> Result<()> {
    let cert = match (&args.cert, &args.to) {
        (Some(path), _) => openpgp::load_cert_file(path)?,
        (None, Some(fpr)) => openpgp::load_cert(&KeySource::Agent {
            fingerprint: fpr.clone(),
            homedir: args.homedir.clone(),
        })?,
        (None, None) => {
            let project = store::load(&args.file)?;
            let Some(key) = &project.signing else {
                bail!(
                    "{} names no signing key to encrypt to: give --to FINGERPRINT or --cert FILE",
                    args.file.display()
                );
            };
            openpgp::load_cert(&KeySource::from_project(key))
                .context("cannot load the project's signing key to encrypt to")?
        }
    };
    let cert = cert.strip_secret_key_material();
    let to = cert.fingerprint().to_hex();
    let target = vault::encrypt(&args.file, cert, "embargo encrypt")?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&EncryptedJson {
                file: &target,
                encrypted_to: to,
            })?
        );
    } else {
        println!(
            "{} is now kept encrypted to {to}; the plain file and its backup were removed",
            target.display()
        );
    }
    Ok(())
}

/// `embargo decrypt FILE`: keep the project as plain text again.
pub fn decrypt(args: &DecryptArgs) -> Result<()> {
    let target = vault::decrypt(&args.file, opener()?, "embargo decrypt")?;
    if args.json {
        println!("{}", serde_json::json!({ "file": target }));
    } else {
        println!(
            "{} is plain text again; the encrypted file was removed",
            target.display()
        );
    }
    Ok(())
}
