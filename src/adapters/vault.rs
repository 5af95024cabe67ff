//! A project file as its coordinator keeps it: plain RON
//! (`NAME.embargo.ron`), or encrypted at rest to their own OpenPGP
//! certificate (`NAME.embargo.ron.pgp`). Opening an encrypted file needs the
//! secret key (gpg-agent or a key file) once; every later save encrypts to
//! the same certificate, so the temporary file and the backup the store
//! writes hold only ciphertext, and the plain text never touches the disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::openpgp::atrest::{self, Opener, Sealer};
use super::openpgp::{Cert, OpenPgpError};
use super::store::{self, ProjectLock, StoreError};
use crate::core::model::Project;

/// How a project is kept on disk.
#[derive(Clone, Debug, Default)]
pub enum Keeping {
    /// Plain RON text.
    #[default]
    Plain,
    /// Encrypted to a certificate.
    Sealed(Arc<Sealer>),
}

impl Keeping {
    /// The certificate an encrypted project is kept for, for the UI.
    pub fn describe(&self) -> Option<&str> {
        match self {
            Self::Plain => None,
            Self::Sealed(s) => Some(s.describe()),
        }
    }
}

/// Why an encrypted project could not be opened, saved, encrypted or
/// decrypted. Each message names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Reading, parsing or writing the file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The key could not decrypt, or the certificate not encrypt.
    #[error("{}: {cause}", .path.display())]
    Key {
        /// The project file.
        path: PathBuf,
        /// What the key said (in the message, so not a `source` too).
        cause: OpenPgpError,
    },
    /// The target file of an encrypt or decrypt exists already.
    #[error("{} exists already: move it away first; nothing was changed", .0.display())]
    Exists(PathBuf),
    /// Encrypting a file that is encrypted, or decrypting a plain one.
    #[error("{}", .0)]
    Wrong(String),
}

fn key_error(path: &Path) -> impl FnOnce(OpenPgpError) -> VaultError + '_ {
    move |cause| VaultError::Key {
        path: path.to_owned(),
        cause,
    }
}

/// Open the project at `path`: plain, or decrypted with the key `opener`
/// names (asked for only when the file is encrypted).
pub fn open(
    path: &Path,
    opener: impl FnOnce() -> Opener,
) -> Result<(Project, Keeping), VaultError> {
    if !store::is_sealed(path) {
        return Ok((store::load(path)?, Keeping::Plain));
    }
    let bytes = store::read_bytes(path)?;
    let (text, cert) = atrest::unseal(&bytes, &opener()).map_err(key_error(path))?;
    let project = store::parse_bytes(text.to_vec(), path)?;
    let sealer = Sealer::new(cert, SystemTime::now()).map_err(key_error(path))?;
    Ok((project, Keeping::Sealed(Arc::new(sealer))))
}

/// Save `project` to `path` as `keeping` says, atomically with a backup
/// (see [`store::save_bytes`]). A plain project is refused under an
/// encrypted file's name and an encrypted one under a plain name, so that
/// the name always says what the file holds. A project that does not
/// validate is refused ([`store::check_valid`]), so that the app and every
/// subcommand refuse it alike.
pub fn save(path: &Path, project: &Project, keeping: &Keeping) -> Result<(), VaultError> {
    store::check_valid(path, project)?;
    write(path, project, keeping)
}

/// [`save`] without the validation: for [`encrypt`] and [`decrypt`], which
/// only change how a project is kept, so that one that does not validate
/// can still be decrypted to be mended by hand.
fn write(path: &Path, project: &Project, keeping: &Keeping) -> Result<(), VaultError> {
    match keeping {
        Keeping::Plain => Ok(store::save_as_is(path, project)?),
        Keeping::Sealed(sealer) => {
            if !store::is_sealed(path) {
                return Err(VaultError::Wrong(format!(
                    "{} would hold an encrypted project under a plain name: save it as {}",
                    path.display(),
                    store::sealed_path(path).display()
                )));
            }
            let text = zeroize::Zeroizing::new(store::project_to_string(project));
            let sealed = sealer.seal(text.as_bytes()).map_err(key_error(path))?;
            Ok(store::save_bytes(path, &sealed)?)
        }
    }
}

/// Encrypt the plain project at `path` to `cert`: writes
/// `NAME.embargo.ron.pgp`, then removes the plain file and its backup.
/// Returns the new file's path. The plain file is removed, not wiped: on
/// a disk that keeps old blocks, its text may remain there.
pub fn encrypt(path: &Path, cert: Cert, program: &str) -> Result<PathBuf, VaultError> {
    // Through a link, the plain file to remove is its target.
    let path = &store::resolve(path)?;
    if store::is_sealed(path) {
        return Err(VaultError::Wrong(format!(
            "{} is encrypted already",
            path.display()
        )));
    }
    let target = store::sealed_path(path);
    if target.exists() {
        return Err(VaultError::Exists(target));
    }
    let sealer = Sealer::new(cert, SystemTime::now()).map_err(key_error(path))?;
    let _plain_lock = ProjectLock::acquire(path, program)?;
    let _sealed_lock = ProjectLock::acquire(&target, program)?;
    let project = store::load(path)?;
    write(&target, &project, &Keeping::Sealed(Arc::new(sealer)))?;
    remove_with_backup(path)?;
    Ok(target)
}

/// Decrypt the encrypted project at `path` with the key `opener` names:
/// writes the plain `NAME.embargo.ron`, then removes the encrypted file
/// and its backup. Returns the new file's path.
pub fn decrypt(path: &Path, opener: Opener, program: &str) -> Result<PathBuf, VaultError> {
    let path = &store::resolve(path)?;
    if !store::is_sealed(path) {
        return Err(VaultError::Wrong(format!(
            "{} is not encrypted (its name does not end in .pgp)",
            path.display()
        )));
    }
    let target = store::plain_path(path);
    if target.exists() {
        return Err(VaultError::Exists(target));
    }
    let _sealed_lock = ProjectLock::acquire(path, program)?;
    let _plain_lock = ProjectLock::acquire(&target, program)?;
    let (project, _) = open(path, || opener)?;
    write(&target, &project, &Keeping::Plain)?;
    remove_with_backup(path)?;
    Ok(target)
}

/// Remove a project file and its backup (the lock is the caller's).
fn remove_with_backup(path: &Path) -> Result<(), VaultError> {
    for p in [path.to_owned(), store::backup_path(path)] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(VaultError::Wrong(format!(
                    "cannot remove {}: {e}; remove it by hand",
                    p.display()
                )));
            }
        }
    }
    Ok(())
}
