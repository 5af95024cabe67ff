//! Output files for an unpublished release: tarballs, the patch,
//! signatures, checksum lists and exported advisories and records hold
//! embargoed content, so they are private to the user (mode 0600) like the
//! project file. Every such file is first written to a temporary file
//! created new beside its target (never through a link: `O_CREAT|O_EXCL`,
//! mode 0600 from the first byte), its mode set on the open file (never by
//! path), made durable, then renamed into place; a rename replaces a link
//! at the target instead of writing through it. [`open_nofollow`] reads a
//! file that Embargo will rewrite without following a link.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// The mode of a release file: readable and writable by the user only.
pub const PRIVATE: u32 = 0o600;

/// A new temporary file in `target`'s directory, with mode `mode` (set on
/// the open file), to be renamed over `target` once complete. It is
/// removed when dropped unless persisted.
pub fn temp_beside(target: &Path, mode: u32) -> io::Result<NamedTempFile> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // tempfile creates it with O_EXCL and mode 0600.
    let tmp = tempfile::Builder::new()
        .prefix(".embargo-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    set_mode(tmp.as_file(), mode)?;
    Ok(tmp)
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Whether [`write`] may replace an existing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (a link there is replaced, not followed).
    Replace,
    /// Fail with [`io::ErrorKind::AlreadyExists`].
    Keep,
}

/// Write `bytes` to `target` with mode `mode`, atomically: readers see the
/// old file or the whole new one, and a failure leaves no partial file.
pub fn write(target: &Path, bytes: &[u8], mode: u32, existing: Existing) -> io::Result<()> {
    let mut tmp = temp_beside(target, mode)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    persist(tmp, target, existing)
}

/// [`write`] a private file (mode 0600), replacing what is at `target`: how
/// an export, a record or a write-up is saved.
pub fn write_private(target: &Path, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    write(target, bytes.as_ref(), PRIVATE, Existing::Replace)
}

/// Rename a complete temporary file from [`temp_beside`] to `target`.
pub fn persist(tmp: NamedTempFile, target: &Path, existing: Existing) -> io::Result<()> {
    match existing {
        Existing::Replace => tmp.persist(target).map(drop).map_err(|e| e.error),
        Existing::Keep => tmp.persist_noclobber(target).map(drop).map_err(|e| e.error),
    }
}

/// Open `path` for reading without following a symbolic link: `Ok(None)`
/// when there is no such file; an error of kind
/// [`io::ErrorKind::InvalidInput`] when it is a link or not a regular file
/// (a FIFO or a device is not waited on).
pub fn open_nofollow(path: &Path) -> io::Result<Option<File>> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(rustix::io::Errno::LOOP) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a symbolic link",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let file = File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(Some(file))
}
