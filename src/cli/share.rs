//! `embargo share`: credentials for the embargoed download, one usercode
//! per private recipient list, and the files a web server needs
//! (`.htpasswd`, `.htdigest`, nginx and Apache configuration). New
//! passwords are printed once and never stored; the project keeps hashes.
//!
//! Exit codes: 0 done; 1 failure with one message; 2 usage error.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::{Outcome, now, vault};
use crate::adapters::share as files;
use crate::core::model::{Event, JournalEntry};
use crate::core::share::{self, DEFAULT_REALM, ServerPaths};

/// Arguments of `embargo share`.
#[derive(Debug, clap::Args)]
pub struct ShareArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue whose release is shared.
    #[arg(long)]
    pub issue: String,
    /// Where to write `.htpasswd`, `.htdigest` and the server configuration.
    #[arg(long)]
    pub out: PathBuf,
    /// Make a new password for this list (its old one stops working).
    #[arg(long, value_name = "LIST")]
    pub rotate: Vec<String>,
    /// Withdraw this list's credentials.
    #[arg(long, value_name = "LIST")]
    pub revoke: Vec<String>,
    /// The authentication realm.
    #[arg(long, default_value = DEFAULT_REALM)]
    pub realm: String,
    /// The directory the web server serves the artifacts from (default:
    /// the directory of the release's first artifact).
    #[arg(long)]
    pub root: Option<String>,
    /// The URL path they are served under (default: /embargo/VERSION/).
    #[arg(long)]
    pub location: Option<String>,
    /// Print JSON: `{release, realm, files: [...], credentials: [{list, user, password}], revoked: [...], expired}`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct New {
    list: String,
    user: String,
    password: String,
}

#[derive(Serialize)]
struct ShareJson {
    release: String,
    realm: String,
    files: Vec<String>,
    credentials: Vec<New>,
    revoked: Vec<String>,
    expired: usize,
}

/// Run `embargo share`.
pub fn share(args: ShareArgs) -> Result<Outcome> {
    let _lock = super::lock(&args.file, "embargo share")?;
    let (mut project, _) = super::load_to_write(&args.file)?;
    let now = now()?;
    let lists: Vec<String> = share::private_lists(&project)
        .into_iter()
        .map(|r| r.name.clone())
        .collect();
    if lists.is_empty() {
        bail!(
            "the project has no private recipient lists: add the maintainers, distros or vendor lists first"
        );
    }
    for l in args.rotate.iter().chain(&args.revoke) {
        if !lists.contains(l) {
            bail!(
                "`{l}` is not a private recipient list of this project; they are: {}",
                lists.join(", ")
            );
        }
    }
    let release_id = project
        .release_of(&args.issue)
        .map(|r| r.id.clone())
        .with_context(|| {
            format!(
                "issue `{}` is not planned into a release yet: plan the release first",
                args.issue
            )
        })?;
    let release = project
        .releases
        .iter_mut()
        .find(|r| r.id == release_id)
        .context("the release vanished")?;

    let expired = share::expire_if_public(release, now);
    let mut made = Vec::new();
    let mut revoked = Vec::new();
    if expired == 0 && release.published.is_none_or(|p| p > now) {
        for l in &args.revoke {
            if share::revoke(release, l) {
                revoked.push(l.clone());
            }
        }
        for l in &lists {
            let wanted = args.rotate.contains(l)
                || (!args.revoke.contains(l) && share::never_shared(release, l));
            if wanted {
                let password = files::new_password()?;
                let credential = files::credential(l, &args.realm, &password, now)?;
                made.push(New {
                    list: l.clone(),
                    user: credential.user.clone(),
                    password: password.to_string(),
                });
                share::add(release, credential);
            }
        }
    }
    let root = args.root.clone().or_else(|| share::artifacts_dir(release));
    let root = root.context("say where the artifacts are served from: --root DIR (the release records no artifacts yet)")?;
    let out_abs = std::path::absolute(&args.out).unwrap_or_else(|_| args.out.clone());
    let paths = ServerPaths::new(release, &root, args.location.clone(), &out_abs);
    let release_snapshot = release.clone();
    let written = files::write_files(&args.out, &project, &release_snapshot, &args.realm, &paths)?;
    let journal = |what: String| {
        JournalEntry::new(
            now,
            Some("embargoed_share"),
            Event::FieldChanged {
                field: "share credentials".into(),
                value: what,
            },
        )
    };
    let mut entries = Vec::new();
    for m in &made {
        entries.push(journal(format!("new for {} ({})", m.list, m.user)));
    }
    for r in &revoked {
        entries.push(journal(format!("revoked for {r}")));
    }
    if expired > 0 {
        entries.push(journal(format!("{expired} expired: the release is public")));
    }
    if let Some(issue) = project.issues.iter_mut().find(|i| i.id == args.issue) {
        issue.journal.extend(entries);
    }
    vault::save(&args.file, &project)?;

    if args.json {
        let doc = ShareJson {
            release: release_id,
            realm: args.realm.clone(),
            files: written.iter().map(|p| p.display().to_string()).collect(),
            credentials: made,
            revoked,
            expired,
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for m in &made {
            println!("{}  user {}  password {}", m.list, m.user, m.password);
        }
        if !made.is_empty() {
            eprintln!(
                "These passwords are shown once and not stored: mail each to its list now, e.g. `embargo mail FILE --issue ID --template fix-availability --to LIST --send --share-password-fd 3 3<<<\"$PASSWORD\"`."
            );
        }
        for r in &revoked {
            println!("revoked: {r}");
        }
        if expired > 0 {
            println!("the release is public: {expired} credential(s) expired");
        }
        for f in &written {
            println!("{}", f.display());
        }
    }
    Ok(Outcome::Exit(0))
}
