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
//!
//! Every path is treated as hostile. Only a regular file of at most
//! [`MAX_PROJECT_BYTES`] is read as a project (a FIFO or a device is refused
//! before a byte is read). A project that is a symbolic link is saved
//! through the link: the temporary file, the backup and the lock are made
//! beside its target. Nothing is ever created or changed through a link:
//! the lock is opened with `O_CREAT|O_EXCL|O_NOFOLLOW` and refused when it
//! is a link, a hard link or another user's file, the backup is made
//! likewise and its mode set through its descriptor. A project in a
//! directory other users can write is refused (as ssh's `StrictModes`
//! does), unless that directory is sticky and the user's own. Unknown
//! fields are refused rather than dropped on the next save, and a project
//! that does not [`validate`](crate::core::model::validate) is never
//! written ([`check_valid`]).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use serde::Deserialize;

use crate::core::model::{LEGACY_FIELDS, Problem, Project, SCHEMA_VERSION, validate};
use crate::core::playbook::BUILTIN_NAMES;

/// The file name suffix of project files.
pub const EXTENSION: &str = ".embargo.ron";

/// The largest file read as a project: 256 MiB (the example is 30 KiB; a
/// project of a thousand issues is a few MiB).
pub const MAX_PROJECT_BYTES: u64 = 256 << 20;

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
    /// A field this Embargo does not know, in a file of its own schema:
    /// most likely misspelled, and it would be dropped on the next save.
    #[error(
        "{path}:{line}:{column}: `{within}` has no field `{field}`{hint} (Embargo would drop \
         it on the next save: fix the file by hand; it was not changed)"
    )]
    UnknownField {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The unknown field.
        field: String,
        /// The struct it was found in, e.g. `Recipient`.
        within: String,
        /// "; did you mean `x`?", or the fields that struct has.
        hint: String,
    },
    /// The file nests deeper than any project Embargo writes.
    #[error(
        "{path}:{line}: the file is nested too deeply at line {line}: it is not a project \
         Embargo wrote (restore {path}.bak if you have one; it was not changed)"
    )]
    TooDeep {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line where the nesting went too deep.
        line: usize,
    },
    /// The path names something other than a regular file.
    #[error(
        "{path} is {what}, not a regular file: a project is a regular file \
         (NAME.embargo.ron); nothing was read or changed"
    )]
    NotAFile {
        /// The path concerned.
        path: PathBuf,
        /// What it is instead: "a named pipe (FIFO)", "a device", ...
        what: &'static str,
    },
    /// The file is larger than any project.
    #[error(
        "{path} is {size} bytes, more than the 256 MiB a project file can be: it is not an \
         Embargo project; nothing was read"
    )]
    TooLarge {
        /// The file concerned.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The project is a symbolic link to nothing.
    #[error(
        "{path} is a symbolic link to {target}, which does not exist: point the link at the \
         project file, or remove it; nothing was changed"
    )]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
    /// The project's directory does not exist.
    #[error(
        "cannot open {path}: the directory {dir} does not exist: check the path, or create \
         the directory first"
    )]
    NoDirectory {
        /// The project file.
        path: PathBuf,
        /// Its missing directory.
        dir: PathBuf,
    },
    /// Other users can write the project's directory.
    #[error(
        "{path} is not safe to work on: its directory {dir} can be written by other users \
         ({why}), who could replace the project or plant links that make Embargo overwrite \
         other files; nothing was changed: make the directory yours alone \
         (`chmod go-w {dir}`), or move the project into a directory only you can write"
    )]
    UnsafeDirectory {
        /// The project file.
        path: PathBuf,
        /// The directory.
        dir: PathBuf,
        /// Why, e.g. "it is world-writable".
        why: String,
    },
    /// The lock file's name is taken by something Embargo did not make.
    #[error(
        "{lock}, the lock file of {path}, is not one Embargo made: {why}; Embargo never \
         writes through it, as that could overwrite another file: remove {lock} if no \
         Embargo has the project open"
    )]
    UnsafeLock {
        /// The project file.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The disk is too full for even the lock file.
    #[error(
        "cannot change {path}: the disk holding {dir} is full (or your quota on it is used \
         up), so not even its lock file fits there; nothing was changed: free some space on \
         that disk, or move the project to another disk"
    )]
    NoRoomForLock {
        /// The project file.
        path: PathBuf,
        /// Its directory.
        dir: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The project contradicts itself: the same message as `embargo check`.
    #[error("{path} is not a valid project:\n{}", problem_lines(.problems))]
    Invalid {
        /// The project file.
        path: PathBuf,
        /// What is wrong, each naming where.
        problems: Vec<Problem>,
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

/// One indented line per problem, as `embargo check` lists them.
fn problem_lines(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    lines.join("\n")
}

/// Refuse a project that does not validate, with the message `embargo
/// check` gives: every writer (each CLI subcommand, the app's save) calls
/// this before it writes, so that no writer edits "the first" of two issues
/// with one ID. `path` names the file in the message.
pub fn check_valid(path: &Path, project: &Project) -> Result<(), StoreError> {
    let problems = validate(project, &BUILTIN_NAMES);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            path: path.to_owned(),
            problems,
        })
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
    // Some editors on Windows start a UTF-8 file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
        return full
            .map(|mut p| {
                // Entries a person added by hand get their ids now.
                p.fill_ids();
                p
            })
            .map_err(|e| malformed(path, &e));
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
        1 => full.map(migrate_1_to_2).map_err(|e| malformed(path, &e)),
        n => Err(StoreError::UnknownSchema {
            path: path.to_owned(),
            found: n,
        }),
    }
}

/// Version 1 to 2: journal entries get their ids and may name an author,
/// and the project may list its members. A version-1 file reads as a
/// version-2 project whose new fields are empty, so the migration gives
/// every entry its id, derived from the entry and its place (see
/// [`crate::core::model::JournalEntry::derived_id`]): two clones migrating
/// the same file give the same entries the same ids, and a merge of their
/// versions then matches them. Authors stay `None`: who made the old entries
/// is not known.
fn migrate_1_to_2(mut project: Project) -> Project {
    project.fill_ids();
    project.schema = 2;
    project
}

fn malformed(path: &Path, e: &ron::error::SpannedError) -> StoreError {
    let path = path.to_owned();
    let (line, column) = (e.span.start.line, e.span.start.col);
    match &e.code {
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => StoreError::UnknownField {
            path,
            line,
            column,
            field: found.clone(),
            within: outer.clone().unwrap_or_else(|| "EmbargoProject".to_owned()),
            hint: field_hint(found, expected),
        },
        ron::Error::ExceededRecursionLimit => StoreError::TooDeep { path, line },
        code => StoreError::Malformed {
            path,
            line,
            column,
            message: code.to_string(),
        },
    }
}

/// "; did you mean `x`?" for the known field nearest to `found`, or the
/// known fields when none is near. Legacy fields are never offered.
fn field_hint(found: &str, expected: &[&str]) -> String {
    let known: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|f| !LEGACY_FIELDS.contains(f))
        .collect();
    match nearest_name(found, &known) {
        Some(k) => format!("; did you mean `{k}`?"),
        None if known.is_empty() => String::new(),
        None => format!("; its fields are {}", quoted(&known)),
    }
}

/// The name among `known` nearest to a misspelled `found`, when one is near
/// enough to be meant (at most a third of its letters differ): the "did you
/// mean" of a project file's fields and of the command line's names.
pub fn nearest_name<'a>(found: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::osa_distance(found, k), *k))
        .min()
        .filter(|(d, k)| *d <= (found.len().max(k.len()) / 3).max(1))
        .map(|(_, k)| k)
}

fn quoted(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    q.join(", ")
}

/// The project as pretty-printed RON, fields in declaration order.
pub fn project_to_string(project: &Project) -> String {
    // Entries made since the project was loaded get their ids (the same
    // every time, since they are derived from the entries).
    let filled;
    let project = if project.has_entries_without_id() {
        let mut p = project.clone();
        p.fill_ids();
        filled = p;
        &filled
    } else {
        project
    };
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

/// A file's bytes, for a loader of its own (an encrypted project). Only a
/// regular file of at most [`MAX_PROJECT_BYTES`] is read: a FIFO, a device
/// or a directory is refused before a byte is read (it is opened without
/// blocking, so a FIFO with no writer cannot hang the open).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, StoreError> {
    let read_error = |e| StoreError::io("read", path, e);
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path)
        .map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if !meta.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_owned(),
            what: describe(meta.file_type()),
        });
    }
    let too_large = |size| StoreError::TooLarge {
        path: path.to_owned(),
        size,
    };
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read stops at the limit all the same.
    file.take(MAX_PROJECT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_PROJECT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
fn describe(t: fs::FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "something else"
    }
}

/// The file a project path stands for: the path itself, or the target of a
/// symbolic link (followed to its end), so that a save writes through the
/// link and makes its temporary file, backup and lock beside the target.
/// A link to nothing is refused.
pub fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                StoreError::DanglingLink {
                    path: path.to_owned(),
                    target: fs::read_link(path).unwrap_or_default(),
                }
            } else {
                StoreError::io("follow the link", path, e)
            }
        }),
        _ => Ok(path.to_owned()),
    }
}

/// The file `path` stands for ([`resolve`]), once the directories of both
/// the path and its target are found safe to create files in: not writable
/// by other users, unless sticky and owned by the user (as `/tmp` is not,
/// for anyone but root). A directory that cannot be read is left to the
/// operation to report.
fn safe_target(path: &Path) -> Result<PathBuf, StoreError> {
    check_directory(path, path)?;
    let target = resolve(path)?;
    if target != path {
        check_directory(path, &target)?;
    }
    Ok(target)
}

fn check_directory(project: &Path, file: &Path) -> Result<(), StoreError> {
    let dir = parent_dir(file);
    let Ok(meta) = fs::metadata(dir) else {
        return Ok(());
    };
    let mode = meta.mode();
    if mode & 0o022 == 0 {
        return Ok(());
    }
    let sticky = mode & 0o1000 != 0;
    let me = rustix::process::geteuid().as_raw();
    if sticky && meta.uid() == me {
        return Ok(());
    }
    let writable = if mode & 0o002 != 0 {
        "world-writable"
    } else {
        "group-writable"
    };
    let why = if sticky {
        format!(
            "it is {writable} and sticky, but owned by uid {}, not by you (uid {me})",
            meta.uid()
        )
    } else {
        format!("it is {writable}")
    };
    Err(StoreError::UnsafeDirectory {
        path: project.to_owned(),
        dir: dir.to_owned(),
        why,
    })
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
/// version, untouched. A project that does not validate is refused
/// ([`check_valid`]).
pub fn save(path: &Path, project: &Project) -> Result<(), StoreError> {
    check_valid(path, project)?;
    save_as_is(path, project)
}

/// [`save`] without the validation, for decrypting a project as it is (it
/// may need mending by hand).
pub(crate) fn save_as_is(path: &Path, project: &Project) -> Result<(), StoreError> {
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
    let path = &safe_target(path)?;
    match fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(StoreError::NotAFile {
                path: path.clone(),
                what: describe(m.file_type()),
            });
        }
        _ => {}
    }
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
        // A hard link does not follow a link planted under the new name (it
        // fails instead), and neither does the copy made where hard links
        // are not possible.
        let linked = fs::hard_link(path, &bak_tmp).or_else(|_| copy_new(path, &bak_tmp));
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

/// Mode 0600 for the file at `path`, through a descriptor opened without
/// following a link: a link there is refused, never chmodded through.
fn set_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let file = super::outfile::open_nofollow(path)?
        .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

/// Copy `from` to the new file `to`, made private, never through a link.
fn copy_new(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = File::open(from)?;
    let fd = rustix::fs::open(
        to,
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::RUSR | Mode::WUSR,
    )?;
    io::copy(&mut source, &mut File::from(fd))?;
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
    ///
    /// The lock of a project that is a symbolic link is its target's, so
    /// that both names share it. The lock file is created with
    /// `O_CREAT|O_EXCL|O_NOFOLLOW`, or, when one exists, opened without
    /// following a link and refused unless it is a regular file of the
    /// user's with no other name. A directory other users can write is
    /// refused (see [`StoreError::UnsafeDirectory`]).
    pub fn acquire(project_path: &Path, program: &str) -> Result<Self, StoreError> {
        let project_path = &safe_target(project_path)?;
        let path = lock_path(project_path);
        loop {
            let (mut file, created) = open_lock(project_path, &path)?;
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
                    if created {
                        let _ = fs::remove_file(&path);
                    }
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
            let written = file.set_len(0).and_then(|()| {
                use std::io::Seek;
                file.seek(io::SeekFrom::Start(0))?;
                file.write_all(me.to_line().as_bytes())?;
                file.sync_all()
            });
            if let Err(e) = written {
                // Still holding the lock: remove the file, so that a full
                // disk leaves no empty lock behind.
                let _ = fs::remove_file(&path);
                return Err(lock_error(project_path, &path, "write the lock file", e));
            }
            remove_stale_temporaries(project_path);
            return Ok(Self { file, path, stale });
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What to tell the user when this lock was taken over from a process
    /// that died holding it; the app and the CLI say the same.
    pub fn takeover_notice(&self) -> Option<String> {
        self.stale
            .as_ref()
            .map(|s| format!("took over the lock left by {s}, which is no longer running"))
    }
}

/// Open the lock file `lock` of `project`, never through a link: create it
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600), or open the one that exists
/// (`O_NOFOLLOW`) and check that it is a regular file of the user's with no
/// other name. Whether it was created is returned beside it.
fn open_lock(project: &Path, lock: &Path) -> Result<(File, bool), StoreError> {
    use rustix::io::Errno;
    let unsafe_lock = |why: String| StoreError::UnsafeLock {
        path: project.to_owned(),
        lock: lock.to_owned(),
        why,
    };
    let flags = OFlags::RDWR | OFlags::CLOEXEC | OFlags::NOFOLLOW;
    loop {
        match rustix::fs::open(
            lock,
            flags | OFlags::CREATE | OFlags::EXCL,
            Mode::RUSR | Mode::WUSR,
        ) {
            Ok(fd) => return Ok((File::from(fd), true)),
            Err(Errno::EXIST) => {}
            Err(e) => return Err(lock_error(project, lock, "create the lock file", e.into())),
        }
        // NONBLOCK: a FIFO planted there must not hang the open.
        match rustix::fs::open(lock, flags | OFlags::NONBLOCK, Mode::empty()) {
            Ok(fd) => {
                let file = File::from(fd);
                let meta = file
                    .metadata()
                    .map_err(|e| StoreError::io("read the lock file", lock, e))?;
                let me = rustix::process::geteuid().as_raw();
                if !meta.is_file() {
                    return Err(unsafe_lock(format!("it is {}", describe(meta.file_type()))));
                }
                if meta.uid() != me {
                    return Err(unsafe_lock(format!(
                        "it belongs to another user (uid {})",
                        meta.uid()
                    )));
                }
                if meta.nlink() != 1 {
                    return Err(unsafe_lock(
                        "it is a hard link: the same file has other names".to_owned(),
                    ));
                }
                // Back to blocking reads and writes for a regular file.
                rustix::fs::fcntl_setfl(&file, OFlags::empty())
                    .map_err(|e| StoreError::io("open the lock file", lock, e.into()))?;
                return Ok((file, false));
            }
            // Removed by its holder in between: create it again.
            Err(Errno::NOENT) => {}
            Err(Errno::LOOP) => return Err(unsafe_lock("it is a symbolic link".to_owned())),
            Err(e) => return Err(lock_error(project, lock, "open the lock file", e.into())),
        }
    }
}

/// The error of a failed create or write of `project`'s lock file `lock`:
/// a missing directory, a read-only one and a full disk get their own
/// explanation, naming the project rather than its lock.
fn lock_error(project: &Path, lock: &Path, action: &'static str, e: io::Error) -> StoreError {
    use io::ErrorKind as K;
    let dir = parent_dir(project).to_owned();
    let path = project.to_owned();
    match e.kind() {
        K::NotFound if !dir.exists() => StoreError::NoDirectory { path, dir },
        // The lock is taken to save: say so, and what to do.
        K::ReadOnlyFilesystem | K::PermissionDenied => StoreError::NotWritable {
            path,
            dir,
            source: e,
        },
        K::StorageFull | K::QuotaExceeded => StoreError::NoRoomForLock {
            path,
            dir,
            source: e,
        },
        _ => StoreError::io(action, lock, e),
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
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
