//! Credentials and files for the embargoed download: a random password
//! per list from the OS CSPRNG (128 bits), hashed at once with bcrypt for
//! `.htpasswd` and as HA1 for `.htdigest`; the password itself is returned
//! once for the caller to show and is zeroized when dropped. The release's
//! files are copied into a directory that holds nothing else (checked
//! against their recorded size and SHA-256), and the `.htpasswd`,
//! `.htdigest`, nginx and Apache files are written atomically, never
//! through a link. This is the I/O of [`crate::workflows::share`], the one
//! entry the CLI's `embargo share` and the app's download panel both call.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use md5::Digest as _;
use zeroize::Zeroizing;

use crate::core::model::{Project, Release, ShareCredential, ShareState};
use crate::core::share::{self, Refusal, ServerPaths};

/// Making credentials or writing the files failed.
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    /// The OS random source failed.
    #[error("the system's random source failed ({0}); try again")]
    Random(String),
    /// bcrypt failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// A file could not be written.
    #[error("cannot write {}: {source}; check the directory exists and is writable", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A configuration template failed.
    #[error("cannot render the server configuration: {0}")]
    Template(String),
    /// A value or a directory cannot be used for the download.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// The served directory cannot be used.
    #[error("cannot serve the release from {}: {why}", .dir.display())]
    Root {
        /// The directory.
        dir: PathBuf,
        /// Why, and what to do.
        why: String,
    },
    /// A recorded artifact is missing or differs from what was recorded.
    #[error("cannot serve {}: {why}", .path.display())]
    Artifact {
        /// Where it was looked for.
        path: PathBuf,
        /// Why, and what to do.
        why: String,
    },
    /// The request cannot be carried out for this project.
    #[error("{0}")]
    Project(String),
    /// The user stopped it before anything was written.
    #[error("stopped: no credential was made and no file written")]
    Cancelled,
}

/// bcrypt cost: Apache's `htpasswd -B` default is 5; 10 is the usual choice.
const COST: u32 = 10;

/// A fresh password: 16 random bytes as 32 hex digits.
pub fn new_password() -> Result<Zeroizing<String>, ShareError> {
    let mut bytes = Zeroizing::new([0u8; 16]);
    getrandom::fill(&mut *bytes).map_err(|e| ShareError::Random(e.to_string()))?;
    Ok(Zeroizing::new(crate::adapters::hex(&*bytes)))
}

/// A credential for `list` with `password`, hashed both ways.
pub fn credential(
    list: &str,
    realm: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<ShareCredential, ShareError> {
    let user = share::usercode(list);
    let bcrypt = bcrypt::hash_with_result(password, COST)
        .map_err(|e| ShareError::Hash(e.to_string()))?
        .format_for_version(bcrypt::Version::TwoY);
    let ha1 = crate::adapters::hex(&md5::Md5::digest(
        format!("{user}:{realm}:{password}").as_bytes(),
    ));
    Ok(ShareCredential {
        list: list.to_owned(),
        user,
        bcrypt,
        realm: realm.to_owned(),
        ha1,
        created: now,
        state: ShareState::Active,
    })
}

/// Whether `password` is the one `credential`'s bcrypt hash was made from
/// (`Err` says why not), for [`crate::core::notice::Verify`]. Slow by
/// design (bcrypt): never on the UI thread.
pub fn password_matches(credential: &ShareCredential, password: &str) -> Result<(), String> {
    match bcrypt::verify(password, &credential.bcrypt) {
        Ok(true) => Ok(()),
        Ok(false) => Err("it does not match the stored hash".to_owned()),
        Err(e) => Err(format!("the stored hash cannot be read: {e}")),
    }
}

fn write(path: &Path, text: &str) -> Result<(), ShareError> {
    let err = |source| ShareError::Write {
        path: path.to_owned(),
        source,
    };
    // Readable by the web server's group, not by everyone; the mode is set
    // on the new file itself, never through a path.
    use crate::adapters::outfile;
    outfile::write(path, text.as_bytes(), 0o640, outfile::Existing::Replace).map_err(err)
}

/// Write `.htpasswd`, `.htdigest`, `nginx.conf` and `apache.conf` into
/// `out` for the release's active credentials; `paths` says where the web
/// server will find them. Returns the files written.
pub fn write_files(
    out: &Path,
    project: &Project,
    release: &Release,
    realm: &str,
    paths: &ServerPaths,
) -> Result<Vec<PathBuf>, ShareError> {
    std::fs::create_dir_all(out).map_err(|source| ShareError::Write {
        path: out.to_owned(),
        source,
    })?;
    let template = |e: minijinja::Error| ShareError::Template(e.to_string());
    let mut written = write_credentials(out, release)?;
    let files = [
        (
            "nginx.conf",
            share::nginx_conf(project, release, realm, paths).map_err(template)?,
        ),
        (
            "apache.conf",
            share::apache_conf(project, release, realm, paths, false).map_err(template)?,
        ),
        (
            "apache-digest.conf",
            share::apache_conf(project, release, realm, paths, true).map_err(template)?,
        ),
    ];
    for (name, text) in files {
        let path = out.join(name);
        write(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Write only `.htpasswd` and `.htdigest` into the existing directory
/// `out`, for the release's active credentials (none once they expired or
/// were revoked: then the web server lets nobody in). Returns the files.
pub fn write_credentials(out: &Path, release: &Release) -> Result<Vec<PathBuf>, ShareError> {
    let mut written = Vec::new();
    for (name, text) in [
        (".htpasswd", share::htpasswd(release)),
        (".htdigest", share::htdigest(release)),
    ] {
        let path = out.join(name);
        write(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// `path` made absolute and lexically normal (no `.` parts).
pub fn absolute(path: &Path) -> Result<PathBuf, ShareError> {
    let abs = std::path::absolute(path).map_err(|source| ShareError::Write {
        path: path.to_owned(),
        source,
    })?;
    // Lexically normal: `std::path::absolute` keeps `..`, which the
    // configuration check then refuses; `.` parts are dropped.
    Ok(abs.components().collect())
}

/// `path` as UTF-8, for the server configuration; refused otherwise.
pub fn utf8(path: &Path) -> Result<String, ShareError> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| ShareError::Root {
            dir: path.to_owned(),
            why: "its name is not valid UTF-8, so it cannot be written into the configuration"
                .into(),
        })
}

/// The home directories of the system's users, from `/etc/passwd`, and
/// `$HOME`.
fn home_dirs() -> Vec<PathBuf> {
    let mut homes: Vec<PathBuf> = std::fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(':').nth(5))
        .filter(|h| h.len() > 1)
        .map(PathBuf::from)
        .collect();
    if let Some(h) = std::env::var_os("HOME") {
        homes.push(PathBuf::from(h));
    }
    homes
        .into_iter()
        .filter_map(|h| h.canonicalize().ok())
        .collect()
}

/// Make `root` hold exactly the release's files: refuse `/`, a home
/// directory, a link or anything that is not a directory, and a directory
/// that holds anything else; copy each file in (mode 0640, checked against
/// its recorded size and SHA-256) unless it is there already. Returns the
/// served files.
pub fn stage(
    root: &Path,
    project_dir: &Path,
    files: &[share::Served],
) -> Result<Vec<PathBuf>, ShareError> {
    let refuse = |why: String| ShareError::Root {
        dir: root.to_owned(),
        why,
    };
    match std::fs::symlink_metadata(root) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(refuse(
                "it is a symbolic link; give the directory itself (a link can be pointed elsewhere after the check)".into(),
            ));
        }
        Ok(m) if !m.is_dir() => return Err(refuse("it is not a directory".into())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(root)
                .map_err(|e| refuse(format!("it cannot be made ({e})")))?;
        }
        Err(e) => return Err(refuse(format!("it cannot be read ({e})"))),
    }
    let real = root
        .canonicalize()
        .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    if real == Path::new("/") {
        return Err(refuse(
            "it is the root of the file system, and every readable file would be served".into(),
        ));
    }
    if home_dirs().contains(&real) {
        return Err(refuse(
            "it is a home directory; serve from a directory that holds only the release's files (the default is OUT/files)".into(),
        ));
    }
    let entries =
        std::fs::read_dir(root).map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    for entry in entries {
        let entry = entry.map_err(|e| refuse(format!("it cannot be read ({e})")))?;
        let name = entry.file_name();
        let known = name
            .to_str()
            .is_some_and(|n| files.iter().any(|f| f.name == n));
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if !known || !regular {
            return Err(refuse(format!(
                "it holds {}, which is not one of the release's files; serve from a directory that holds only them (the default is OUT/files), or move it away",
                name.to_string_lossy()
            )));
        }
    }
    let mut served = Vec::new();
    for f in files {
        let source = project_dir.join(&f.source);
        let target = root.join(&f.name);
        copy_checked(&source, &target, f.expect.as_ref())?;
        served.push(target);
    }
    Ok(served)
}

/// Copy `source` to `target` through a temporary file in the target's
/// directory (mode 0640), checking size and SHA-256 against `expect`.
fn copy_checked(
    source: &Path,
    target: &Path,
    expect: Option<&(u64, String)>,
) -> Result<(), ShareError> {
    use sha2::Digest as _;
    use std::io::{Read as _, Write as _};
    let bad = |why: String| ShareError::Artifact {
        path: source.to_owned(),
        why,
    };
    let mut input = std::fs::File::open(source).map_err(|e| {
        bad(format!(
            "it cannot be read ({}); build or sign the release's files first, or record where they are",
            e
        ))
    })?;
    if !input.metadata().is_ok_and(|m| m.is_file()) {
        return Err(bad("it is not a regular file".into()));
    }
    let write_err = |source| ShareError::Write {
        path: target.to_owned(),
        source,
    };
    // Readable by the web server's group; created new, never through a link.
    let mut tmp = crate::adapters::outfile::temp_beside(target, 0o640).map_err(write_err)?;
    let mut hash = sha2::Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = input
            .read(&mut buf)
            .map_err(|e| bad(format!("it cannot be read ({})", e)))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        tmp.write_all(&buf[..n]).map_err(write_err)?;
        size += n as u64;
    }
    if let Some((want_size, want_sha)) = expect {
        let sha = crate::adapters::hex(&hash.finalize());
        if size != *want_size || !sha.eq_ignore_ascii_case(want_sha) {
            return Err(bad(
                "it is not the file the release records (its size or SHA-256 differs); rebuild or sign it again so the release records it".into(),
            ));
        }
    }
    tmp.as_file().sync_all().map_err(write_err)?;
    crate::adapters::outfile::persist(tmp, target, crate::adapters::outfile::Existing::Replace)
        .map_err(write_err)
}
