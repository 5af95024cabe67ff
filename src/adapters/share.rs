//! Credentials and files for the embargoed download: a random password
//! per list from the OS CSPRNG (128 bits), hashed at once with bcrypt for
//! `.htpasswd` and as HA1 for `.htdigest`; the password itself is returned
//! once for the caller to show and is zeroized when dropped. Writing the
//! `.htpasswd`, `.htdigest`, nginx and Apache files, each atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use md5::Digest as _;
use zeroize::Zeroizing;

use crate::core::model::{Project, Release, ShareCredential, ShareState};
use crate::core::share::{self, ServerPaths};

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
}

/// bcrypt cost: Apache's `htpasswd -B` default is 5; 10 is the usual choice.
const COST: u32 = 10;

/// A fresh password: 16 random bytes as 32 hex digits.
pub fn new_password() -> Result<Zeroizing<String>, ShareError> {
    let mut bytes = Zeroizing::new([0u8; 16]);
    getrandom::fill(&mut *bytes).map_err(|e| ShareError::Random(e.to_string()))?;
    let mut s = Zeroizing::new(String::with_capacity(32));
    for b in bytes.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    Ok(s)
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
    let ha1 = md5::Md5::digest(format!("{user}:{realm}:{password}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
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
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(text.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    // Readable by the web server's group, not by everyone.
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
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
    let files = [
        (".htpasswd", share::htpasswd(release)),
        (".htdigest", share::htdigest(release)),
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
    let mut written = Vec::new();
    for (name, text) in files {
        let path = out.join(name);
        write(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}
