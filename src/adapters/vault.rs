//! A project file as its coordinator keeps it: plain RON
//! (`NAME.embargo.ron`), or encrypted at rest (`NAME.embargo.ron.pgp`) to
//! their own OpenPGP certificate and to the certificate of every member of
//! the team the project lists (`Project::members`). Opening an encrypted
//! file needs the secret key (gpg-agent or a key file) once; every later
//! save encrypts to the same certificate and to the members listed then, so
//! adding or removing a member re-encrypts with the next save. The
//! temporary file and the backup the store writes hold only ciphertext, and
//! the plain text never touches the disk.

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
    open_bytes(path, bytes, Some(&opener()))
}

/// The project in `bytes`, a version of the project file `path` (read, or
/// kept by git), and how it is kept: plain, or decrypted with `opener`
/// (needed only then) in memory and to be encrypted again to the same
/// certificate.
pub fn open_bytes(
    path: &Path,
    bytes: Vec<u8>,
    opener: Option<&Opener>,
) -> Result<(Project, Keeping), VaultError> {
    if !store::is_sealed(path) {
        return Ok((store::parse_bytes(bytes, path)?, Keeping::Plain));
    }
    let Some(opener) = opener else {
        return Err(VaultError::Wrong(format!(
            "{} is encrypted: it needs its key to be opened",
            path.display()
        )));
    };
    let (text, cert) = atrest::unseal(&bytes, opener).map_err(key_error(path))?;
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
///
/// Journal entries made since the last save are credited to the user when
/// the user is a member of the project ([`credited`]), so that the app and
/// every subcommand credit them alike.
pub fn save(path: &Path, project: &Project, keeping: &Keeping) -> Result<(), VaultError> {
    Ok(store::save_bytes(path, &to_bytes(path, project, keeping)?)?)
}

/// `project` with the journal entries not saved yet credited to the user
/// ([`Project::claim_new_entries`]), when the user's address is a
/// member's: the address in the preferences' `identity`, else git's
/// `user.email` for the project file's repository. `None` when there is
/// nothing to credit or the user is no member.
pub fn credited(path: &Path, project: &Project) -> Option<Project> {
    if project.members.is_empty() || !project.has_entries_without_id() {
        return None;
    }
    let mut ids = Vec::new();
    if let Some(dir) = super::recent::config_dir()
        && let Some(me) = super::prefs::identity(&dir)
    {
        ids.push(me);
    }
    ids.extend(super::git::team::git_email(path));
    let author = project.author_for(ids.iter().map(String::as_str))?;
    let mut p = project.clone();
    p.claim_new_entries(&author);
    Some(p)
}

/// [`save`] without the validation: for [`encrypt`] and [`decrypt`], which
/// only change how a project is kept, so that one that does not validate
/// can still be decrypted to be mended by hand.
fn write(path: &Path, project: &Project, keeping: &Keeping) -> Result<(), VaultError> {
    Ok(store::save_bytes(
        path,
        &file_bytes(path, project, keeping)?,
    )?)
}

/// The bytes `project` is kept in under `path` as `keeping` says, after
/// the validation [`save`] does: for a caller that stores them itself (a
/// team's sync commits them to git). Encrypted, they are encrypted to the
/// keeper's certificate and every member's.
pub fn to_bytes(path: &Path, project: &Project, keeping: &Keeping) -> Result<Vec<u8>, VaultError> {
    store::check_valid(path, project)?;
    match credited(path, project) {
        Some(p) => file_bytes(path, &p, keeping),
        None => file_bytes(path, project, keeping),
    }
}

fn file_bytes(path: &Path, project: &Project, keeping: &Keeping) -> Result<Vec<u8>, VaultError> {
    match keeping {
        Keeping::Plain => {
            // The plain text must never land under an encrypted file's name.
            if store::is_sealed(path) {
                return Err(StoreError::Encrypted {
                    path: path.to_owned(),
                }
                .into());
            }
            Ok(store::project_to_string(project).into_bytes())
        }
        Keeping::Sealed(sealer) => {
            if !store::is_sealed(path) {
                return Err(VaultError::Wrong(format!(
                    "{} would hold an encrypted project under a plain name: save it as {}",
                    path.display(),
                    store::sealed_path(path).display()
                )));
            }
            let members = member_certs(project).map_err(VaultError::Wrong)?;
            let text = zeroize::Zeroizing::new(store::project_to_string(project));
            sealer
                .seal_also_to(text.as_bytes(), &members)
                .map_err(|e| match e {
                    OpenPgpError::CannotEncrypt { fingerprint } => {
                        VaultError::Wrong(cannot_encrypt_to(project, &fingerprint))
                    }
                    other => key_error(path)(other),
                })
        }
    }
}

/// The certificates of the project's members who have one, parsed; or
/// which member's certificate is not one, and what to do.
pub fn member_certs(project: &Project) -> Result<Vec<Cert>, String> {
    use sequoia_openpgp::parse::Parse;
    project
        .members
        .iter()
        .filter_map(|m| m.cert.as_deref().map(|text| (m, text)))
        .map(|(m, text)| {
            Cert::from_bytes(text.as_bytes()).map_err(|e| {
                format!(
                    "the certificate of member {} <{}> is not an OpenPGP certificate ({e}); \
                     import it again with `embargo members set FILE --member {} --cert FILE`",
                    m.name, m.address, m.address
                )
            })
        })
        .collect()
}

fn cannot_encrypt_to(project: &Project, fingerprint: &str) -> String {
    let who = project
        .members
        .iter()
        .find(|m| {
            m.cert_fingerprint
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(fingerprint))
        })
        .map_or_else(
            || "the project's own key".to_owned(),
            |m| format!("member {} <{}>", m.name, m.address),
        );
    format!(
        "cannot encrypt the project to {who}: the key {fingerprint} has no valid encryption \
         subkey (expired, revoked or missing); import a fresh certificate or remove the member; \
         nothing was saved"
    )
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
