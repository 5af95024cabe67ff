//! The embargoed download's credentials and files: make a password for
//! every private list without one, rotate or revoke one list's, and expire
//! them all once the release is public; copy the release's files into the
//! served directory and write the web server's files. [`prepare`] is the
//! one operation `embargo share` and the app's download panel both run,
//! [`expire_after_publication`] what both run once a release is marked
//! published (the app right away; a credential also expires at the next
//! [`prepare`]), and [`record`] stores the result the same way for both.
//! New passwords are returned once, zeroized when dropped, and never
//! stored: the project keeps bcrypt and HA1 hashes. The file work is
//! [`crate::adapters::share`]'s.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use crate::adapters::share as files;
pub use crate::adapters::share::ShareError;
use crate::core::model::{Project, ShareCredential};
use crate::core::ops::{self, OpError};
use crate::core::ports::Watch;
use crate::core::share::{self, DEFAULT_REALM, ServerPaths};

/// What [`prepare`] is asked to do.
#[derive(Clone, Debug)]
pub struct Request {
    /// The issue whose release is shared.
    pub issue: String,
    /// The project's directory: relative artifact paths are read from it.
    pub project_dir: PathBuf,
    /// Where `.htpasswd`, `.htdigest` and the server configuration go.
    pub out: PathBuf,
    /// Lists that get a new password (their old one stops working).
    pub rotate: Vec<String>,
    /// Lists whose credentials are withdrawn.
    pub revoke: Vec<String>,
    /// The authentication realm.
    pub realm: String,
    /// The dedicated directory the web server serves (default `OUT/files`).
    pub root: Option<PathBuf>,
    /// The URL path (default `/embargo/VERSION/`).
    pub location: Option<String>,
}

/// A new password, shown once.
pub struct NewCredential {
    /// The list.
    pub list: String,
    /// Its usercode.
    pub user: String,
    /// The password (zeroized when dropped).
    pub password: Zeroizing<String>,
}

/// What [`prepare`] did. The project is not changed: the caller records
/// it with [`record`].
pub struct Prepared {
    /// The release's ID.
    pub release: String,
    /// The release's credentials (hashes) after the change.
    pub shares: Vec<ShareCredential>,
    /// New passwords, to show once.
    pub made: Vec<NewCredential>,
    /// Lists whose credentials were withdrawn.
    pub revoked: Vec<String>,
    /// How many credentials expired because the release is public.
    pub expired: usize,
    /// The served directory (absolute).
    pub root: PathBuf,
    /// The release's files in it.
    pub served: Vec<PathBuf>,
    /// The password and configuration files written.
    pub files: Vec<PathBuf>,
}

impl Prepared {
    /// Whether the credentials changed (and must be recorded).
    pub fn changed(&self) -> bool {
        !self.made.is_empty() || !self.revoked.is_empty() || self.expired > 0
    }

    /// The journal line for the change.
    pub fn what(&self) -> String {
        let mut parts = Vec::new();
        if !self.made.is_empty() {
            let names: Vec<&str> = self.made.iter().map(|m| m.list.as_str()).collect();
            parts.push(format!("new for {}", names.join(", ")));
        }
        if !self.revoked.is_empty() {
            parts.push(format!("revoked for {}", self.revoked.join(", ")));
        }
        if self.expired > 0 {
            parts.push(format!("{} expired: the release is public", self.expired));
        }
        parts.join("; ")
    }
}

/// Make, rotate, revoke or expire the download credentials of the issue's
/// release, copy its files into the served directory and write the web
/// server's files. Every value that goes into the configuration is checked
/// first, and nothing is written when one is refused.
pub fn prepare(
    project: &Project,
    request: &Request,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<Prepared, ShareError> {
    share::check_realm(&request.realm)?;
    let lists: Vec<String> = share::private_lists(project)
        .into_iter()
        .map(|r| r.name.clone())
        .collect();
    if lists.is_empty() {
        return Err(ShareError::Project(
            "the project has no private recipient lists: add the maintainers, distros or vendor lists first"
                .into(),
        ));
    }
    for l in request.rotate.iter().chain(&request.revoke) {
        if !lists.contains(l) {
            return Err(ShareError::Project(format!(
                "`{l}` is not a private recipient list of this project; they are: {}",
                lists.join(", ")
            )));
        }
    }
    let mut release = project.release_of(&request.issue).cloned().ok_or_else(|| {
        ShareError::Project(format!(
            "issue `{}` is not planned into a release yet: plan the release first",
            request.issue
        ))
    })?;
    let out = files::absolute(&request.out)?;
    let root = match &request.root {
        Some(r) => files::absolute(r)?,
        None => out.join("files"),
    };
    // Check every value before anything is made or written.
    let root_text = files::utf8(&root)?;
    let paths = ServerPaths::new(
        &release,
        &root_text,
        request.location.as_deref(),
        &files::utf8(&out)?,
    )?;
    let to_serve = share::served_files(&release)?;

    let expired = share::expire_if_public(&mut release, now);
    if watch.is_cancelled() {
        return Err(ShareError::Cancelled);
    }
    let mut made = Vec::new();
    let mut revoked = Vec::new();
    if expired == 0 && release.published.is_none_or(|p| p > now) {
        for l in &request.revoke {
            if share::revoke(&mut release, l) {
                revoked.push(l.clone());
            }
        }
        for l in &lists {
            let wanted = request.rotate.contains(l)
                || (!request.revoke.contains(l) && share::never_shared(&release, l));
            if wanted {
                watch.say(&format!("making the password of {l}"));
                let password = files::new_password()?;
                let c = files::credential(l, &request.realm, &password, now)?;
                made.push(NewCredential {
                    list: l.clone(),
                    user: c.user.clone(),
                    password,
                });
                share::add(&mut release, c);
            }
        }
    }
    std::fs::create_dir_all(&out).map_err(|source| ShareError::Write {
        path: out.clone(),
        source,
    })?;
    let served = if release.published.is_some_and(|p| p <= now) {
        // Public now: nothing is served from the embargoed directory.
        Vec::new()
    } else {
        watch.say("copying the release's files");
        files::stage(&root, &request.project_dir, &to_serve)?
    };
    watch.say("writing the web server's files");
    let files = files::write_files(&out, project, &release, &request.realm, &paths)?;
    Ok(Prepared {
        release: release.id.clone(),
        shares: release.shares,
        made,
        revoked,
        expired,
        root,
        served,
        files,
    })
}

/// Record what [`prepare`] or [`expire_after_publication`] did in the
/// project (journaled as the change it was); whether anything changed.
pub fn record(
    project: &mut Project,
    issue: &str,
    prepared: &Prepared,
    now: DateTime<Utc>,
) -> Result<bool, OpError> {
    if !prepared.changed() {
        return Ok(false);
    }
    ops::set_shares(
        project,
        issue,
        &prepared.release,
        prepared.shares.clone(),
        &prepared.what(),
        now,
    )?;
    Ok(true)
}

/// Where the app writes the download's files for the issue's release:
/// `BASE-share` beside the project file (`BASE` the release's tarball
/// name), with the release's files served from its `files/`.
pub fn default_out(
    project: &Project,
    issue: &str,
    project_file: &Path,
) -> Result<PathBuf, ShareError> {
    let file = files::absolute(project_file)?;
    let release = project.release_of(issue).ok_or_else(|| {
        ShareError::Project("Plan the release first: the credentials belong to it.".into())
    })?;
    let base = project
        .repo
        .tarball_base(&release.version)
        .map_err(|e| ShareError::Project(e.to_string()))?;
    Ok(file
        .parent()
        .unwrap_or(Path::new("/"))
        .join(format!("{base}-share")))
}

/// Once the issue's release is public, expire every active credential and,
/// when `out` holds the download's files, rewrite its `.htpasswd` and
/// `.htdigest` so the web server lets nobody in. `None` when nothing was
/// active or the release is not public yet. Record the result with
/// [`record`].
pub fn expire_after_publication(
    project: &Project,
    issue: &str,
    out: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<Option<Prepared>, ShareError> {
    let Some(mut release) = project.release_of(issue).cloned() else {
        return Ok(None);
    };
    let expired = share::expire_if_public(&mut release, now);
    if expired == 0 {
        return Ok(None);
    }
    let written = match out {
        Some(dir) if dir.is_dir() => files::write_credentials(dir, &release)?,
        _ => Vec::new(),
    };
    Ok(Some(Prepared {
        release: release.id.clone(),
        shares: release.shares,
        made: Vec::new(),
        revoked: Vec::new(),
        expired,
        root: PathBuf::new(),
        served: Vec::new(),
        files: written,
    }))
}

/// A request with the defaults the app uses: the realm
/// [`DEFAULT_REALM`], the files in [`default_out`], served from its
/// `files/` under `/embargo/VERSION/`.
pub fn app_request(
    project: &Project,
    issue: &str,
    project_file: &Path,
    rotate: Vec<String>,
    revoke: Vec<String>,
) -> Result<Request, ShareError> {
    let out = default_out(project, issue, project_file)?;
    Ok(Request {
        issue: issue.to_owned(),
        project_dir: out.parent().map(Path::to_path_buf).unwrap_or_default(),
        out,
        rotate,
        revoke,
        realm: DEFAULT_REALM.to_owned(),
        root: None,
        location: None,
    })
}
