//! Project files on disk: one pretty-printed RON file `NAME.embargo.ron` per
//! project.
//!
//! Saving is atomic (a temporary file in the same directory, fsync, rename,
//! fsync of the directory) and keeps the previous version as
//! `NAME.embargo.ron.bak`; files are created and kept with mode 0600 because
//! they hold embargoed details. A lock file beside the project stops a second
//! writer and names the process that holds it; a lock left by a dead process
//! is taken over with a notice. Every file carries a schema version: older
//! ones are migrated, newer ones refused. A failed load never touches the file.
//!
//! A save that cannot write (a read-only or immutable directory, one the user
//! may not write, a full disk or quota) fails before anything is replaced,
//! removes what it had begun to write, and says which file was not saved,
//! why in words, and what to do about it.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::model::{Project, SCHEMA_VERSION};

/// The file name suffix of project files.
pub const EXTENSION: &str = ".embargo.ron";

/// Why a project could not be loaded or saved. Each message says what failed
/// and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("read", "write", ...).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The file is empty.
    #[error(
        "{path} is empty: it is not an Embargo project (restore it from {path}.bak if you have one)"
    )]
    Empty {
        /// The file concerned.
        path: PathBuf,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{path} is not a text file (invalid UTF-8 at byte {offset}): it is not an Embargo project"
    )]
    NotText {
        /// The file concerned.
        path: PathBuf,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The file is RON (or something) but not an Embargo project.
    #[error("{path} is not an Embargo project: {detail}")]
    NotAProject {
        /// The file concerned.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
    /// The file was written by a newer Embargo.
    #[error(
        "{path} has schema version {found}, newer than this Embargo understands ({supported}): \
         upgrade Embargo to open it; the file was not changed"
    )]
    NewerSchema {
        /// The file concerned.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The schema version is not one Embargo ever wrote.
    #[error(
        "{path} has schema version {found}, which no Embargo release has written: the file is damaged or not an Embargo project"
    )]
    UnknownSchema {
        /// The file concerned.
        path: PathBuf,
        /// The version in the file.
        found: u32,
    },
    /// The file is malformed.
    #[error(
        "{path}:{line}:{column}: {message} (fix the file by hand or restore {path}.bak; it was not changed)"
    )]
    Malformed {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The project's directory cannot be written: it is read-only (a
    /// read-only mount, an immutable directory) or the user may not write
    /// it. Nothing was changed.
    #[error(
        "cannot save {path}: its directory {dir} cannot be written (it is read-only, \
         or you may not write to it); the file was not changed: make the directory \
         writable (for example `chmod u+w {dir}`, or remount the disk read-write), \
         or save the project in another directory"
    )]
    NotWritable {
        /// The project file.
        path: PathBuf,
        /// Its directory.
        dir: PathBuf,
        /// The OS error (permission denied, read-only file system, ...).
        source: io::Error,
    },
    /// The disk (or the user's quota) holding the project is full. Nothing
    /// was changed and nothing was left behind.
    #[error(
        "cannot save {path}: the disk holding {dir} is full (or your quota on it is \
         used up), and the project needs {needed} bytes there; the file was not \
         changed: free some space on that disk, or save the project on another disk"
    )]
    DiskFull {
        /// The project file.
        path: PathBuf,
        /// Its directory.
        dir: PathBuf,
        /// The size of the project as it was being saved.
        needed: u64,
        /// The OS error (no space left on device, quota exceeded).
        source: io::Error,
    },
    /// The file is kept encrypted at rest, and this load or save was asked
    /// for without its key.
    #[error(
        "{path} is encrypted at rest: open it with its key (the app asks for it; \
         in the CLI gpg-agent is used, or --project-key-file FILE)"
    )]
    Encrypted {
        /// The project file.
        path: PathBuf,
    },
    /// Another process holds the project's lock.
    #[error(
        "{path} is open in another Embargo ({holder}): close it there first, \
         or wait until that process ends"
    )]
    Locked {
        /// The project file.
        path: PathBuf,
        /// Who holds the lock.
        holder: LockHolder,
    },
}

impl StoreError {
    fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }

    /// The error of a failed write towards saving `project` (of `needed`
    /// bytes): a read-only directory and a full disk get their own
    /// explanation, anything else says what was being done to which file.
    fn saving(
        action: &'static str,
        target: &Path,
        project: &Path,
        needed: u64,
        source: io::Error,
    ) -> Self {
        use io::ErrorKind as K;
        let dir = parent_dir(project).to_owned();
        let path = project.to_owned();
        match source.kind() {
            K::StorageFull | K::QuotaExceeded => Self::DiskFull {
                path,
                dir,
                needed,
                source: plain(source),
            },
            K::ReadOnlyFilesystem | K::PermissionDenied => Self::NotWritable {
                path,
                dir,
                source: plain(source),
            },
            _ => Self::io(action, target, source),
        }
    }
}

/// The OS error without the temporary file's name that `tempfile` adds to
/// it: the message names the project file, the one the user knows.
fn plain(e: io::Error) -> io::Error {
    if e.raw_os_error().is_some() || e.get_ref().is_none() {
        e
    } else {
        io::Error::from(e.kind())
    }
}

/// Parse a project from RON text. `path` is only used in error messages.
pub fn parse_project(text: &str, path: &Path) -> Result<Project, StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Empty {
            path: path.to_owned(),
        });
    }
    // One parse in the common case: the whole file as a project of this
    // build's schema. Only when that fails, or the schema is not ours, is
    // the header read on its own, so that a newer file is refused with a
    // clear message rather than with whatever its new fields make the
    // parser say.
    let full = ron::from_str::<Project>(text);
    if let Ok(project) = &full
        && project.schema == SCHEMA_VERSION
    {
        return full.map_err(|e| malformed(path, &e));
    }
    #[derive(Deserialize)]
    #[serde(rename = "EmbargoProject")]
    struct Header {
        schema: u32,
    }
    let header: Header = ron::from_str(text).map_err(|e| match e.code {
        ron::Error::ExpectedDifferentStructName { found, .. } => StoreError::NotAProject {
            path: path.to_owned(),
            detail: format!("it holds a `{found}`, not an `EmbargoProject`"),
        },
        ron::Error::MissingStructField {
            field: "schema", ..
        } => StoreError::NotAProject {
            path: path.to_owned(),
            detail: "it has no `schema` field".to_owned(),
        },
        _ => malformed(path, &e),
    })?;
    match header.schema {
        // The header is fine, so the project's own parse error says what
        // is wrong.
        SCHEMA_VERSION => full.map_err(|e| malformed(path, &e)),
        n if n > SCHEMA_VERSION => Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: n,
            supported: SCHEMA_VERSION,
        }),
        // Migrations from older schemas go here, oldest first, each turning
        // version n into n + 1. Version 1 is the first Embargo wrote.
        n => Err(StoreError::UnknownSchema {
            path: path.to_owned(),
            found: n,
        }),
    }
}

fn malformed(path: &Path, e: &ron::error::SpannedError) -> StoreError {
    StoreError::Malformed {
        path: path.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// The project as pretty-printed RON, fields in declaration order.
pub fn project_to_string(project: &Project) -> String {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    let mut text = ron::ser::to_string_pretty(project, config)
        .expect("a project holds only serializable data");
    text.push('\n');
    text
}

/// Load a project file. The file is only read.
pub fn load(path: &Path) -> Result<Project, StoreError> {
    if is_sealed(path) {
        return Err(StoreError::Encrypted {
            path: path.to_owned(),
        });
    }
    parse_bytes(read_bytes(path)?, path)
}

/// The ending of a project file kept encrypted at rest:
/// `NAME.embargo.ron.pgp`.
pub const SEALED_SUFFIX: &str = ".pgp";

/// Whether `path` names a project kept encrypted at rest.
pub fn is_sealed(path: &Path) -> bool {
    path.as_os_str().to_string_lossy().ends_with(SEALED_SUFFIX)
}

/// The encrypted file's name for the plain project file `path`.
pub fn sealed_path(path: &Path) -> PathBuf {
    with_suffix(path, SEALED_SUFFIX)
}

/// The plain file's name for the encrypted project file `path` (the same
/// name without `.pgp`).
pub fn plain_path(path: &Path) -> PathBuf {
    let s = path.as_os_str().to_string_lossy();
    PathBuf::from(s.strip_suffix(SEALED_SUFFIX).unwrap_or(&s))
}

/// A file's bytes, for a loader of its own (an encrypted project).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, StoreError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| StoreError::io("read", path, e))?;
    Ok(bytes)
}

/// Parse a project from the bytes of `path` (read, or decrypted).
pub fn parse_bytes(bytes: Vec<u8>, path: &Path) -> Result<Project, StoreError> {
    let text = String::from_utf8(bytes).map_err(|e| StoreError::NotText {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    parse_project(&text, path)
}

/// The backup path of a project file: `NAME.embargo.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(path, ".bak")
}

/// The lock path of a project file: `NAME.embargo.ron.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Save a project atomically. On any error the file on disk is the previous
/// version, untouched.
pub fn save(path: &Path, project: &Project) -> Result<(), StoreError> {
    // The plain text must never land under an encrypted file's name.
    if is_sealed(path) {
        return Err(StoreError::Encrypted {
            path: path.to_owned(),
        });
    }
    save_bytes(path, project_to_string(project).as_bytes())
}

/// Save a file's bytes atomically, as [`save`] does: a private temporary
/// file made durable, the previous version kept as the backup, then renamed
/// over the file. For a project encrypted at rest the bytes are already
/// encrypted, so the temporary file and the backup are too.
pub fn save_bytes(path: &Path, text: &[u8]) -> Result<(), StoreError> {
    let dir = parent_dir(path);
    let needed = text.len() as u64;
    let fail = |action, target: &Path, e| StoreError::saving(action, target, path, needed, e);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // tempfile creates the file with mode 0600, and removes it when dropped
    // on an error below.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail("create a temporary file in", dir, e))?;
    // Through the std file, whose errors are the OS's own.
    tmp.as_file_mut()
        .write_all(text)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| fail("write", tmp.path(), e))?;

    // Keep the previous version: hard-link it to a temporary name, then move
    // that over the old backup, so the backup is always a whole file.
    if path.exists() {
        let bak = backup_path(path);
        let bak_tmp = with_suffix(&bak, ".new");
        let _ = fs::remove_file(&bak_tmp);
        let linked = fs::hard_link(path, &bak_tmp).or_else(|_| fs::copy(path, &bak_tmp).map(drop));
        linked
            .and_then(|()| set_private(&bak_tmp))
            .and_then(|()| fs::rename(&bak_tmp, &bak))
            .map_err(|e| {
                // A copy cut short by a full disk must not stay behind.
                let _ = fs::remove_file(&bak_tmp);
                fail("keep a backup as", &bak, e)
            })?;
    }
    tmp.persist(path)
        .map_err(|e| fail("replace", path, e.error))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io("sync the directory", dir, e))?;
    Ok(())
}

#[cfg(unix)]
fn set_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// Remove temporary files left by a save that was interrupted (a crash or a
/// kill). Only call while holding the project's lock.
pub fn remove_stale_temporaries(path: &Path) {
    let dir = parent_dir(path);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if n.starts_with(&prefix) && n.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Who holds a project lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    /// Process ID.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// The program, e.g. `embargo gui`.
    pub program: String,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, process {} on {}", self.program, self.pid, self.host)
    }
}

impl LockHolder {
    fn me(program: &str) -> Self {
        Self {
            pid: std::process::id(),
            host: hostname(),
            program: program.to_owned(),
        }
    }

    fn to_line(&self) -> String {
        format!("{} {} {}\n", self.pid, self.host, self.program)
    }

    fn parse(line: &str) -> Option<Self> {
        let mut parts = line.trim().splitn(3, ' ');
        Some(Self {
            pid: parts.next()?.parse().ok()?,
            host: parts.next()?.to_owned(),
            program: parts.next().unwrap_or("").to_owned(),
        })
    }
}

fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// An exclusive hold on a project file. Dropping it releases the lock.
///
/// The lock is an OS file lock on `NAME.embargo.ron.lock`, so it dies with its
/// process; the file also names the holder for the message a second writer
/// gets.
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
    path: PathBuf,
    /// Set when the lock was taken over from a process that died holding it.
    pub stale: Option<LockHolder>,
}

impl ProjectLock {
    /// Take the lock of the project at `project_path`, or say who holds it.
    pub fn acquire(project_path: &Path, program: &str) -> Result<Self, StoreError> {
        let path = lock_path(project_path);
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| match e.kind() {
                    // The lock is taken to save: say so, and what to do.
                    io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
                        StoreError::NotWritable {
                            path: project_path.to_owned(),
                            dir: parent_dir(project_path).to_owned(),
                            source: plain(e),
                        }
                    }
                    _ => StoreError::io("create the lock file", &path, e),
                })?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    let holder = LockHolder::parse(&text).unwrap_or(LockHolder {
                        pid: 0,
                        host: "unknown host".to_owned(),
                        program: "another process".to_owned(),
                    });
                    return Err(StoreError::Locked {
                        path: project_path.to_owned(),
                        holder,
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(StoreError::io("lock", &path, e));
                }
            }
            // The previous holder may have removed the file between our open
            // and our lock: then we locked a deleted file; start again.
            if !same_file(&file, &path) {
                continue;
            }
            let mut previous = String::new();
            let _ = file.read_to_string(&mut previous);
            let stale = LockHolder::parse(&previous);
            let me = LockHolder::me(program);
            file.set_len(0)
                .and_then(|()| {
                    use std::io::Seek;
                    file.seek(io::SeekFrom::Start(0))?;
                    file.write_all(me.to_line().as_bytes())?;
                    file.sync_all()
                })
                .map_err(|e| StoreError::io("write the lock file", &path, e))?;
            remove_stale_temporaries(project_path);
            return Ok(Self { file, path, stale });
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock; a waiter that opened
        // it meanwhile sees the inode change and retries.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The example project shipped with Embargo: its file name and text. The app
/// opens it (unsaved, with no path) when there is no project to open.
pub const EXAMPLE: (&str, &str) = (
    "postbote.embargo.ron",
    include_str!("../../assets/examples/postbote.embargo.ron"),
);

/// The example project, parsed.
pub fn example() -> Result<Project, StoreError> {
    parse_project(EXAMPLE.1, Path::new(EXAMPLE.0))
}
