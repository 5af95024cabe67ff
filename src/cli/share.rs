//! `embargo share`: credentials for the embargoed download, one usercode
//! per private recipient list, and the files a web server needs
//! (`.htpasswd`, `.htdigest`, nginx and Apache configuration), with the
//! release's files copied into a directory that holds nothing else. New
//! passwords are printed once and never stored; the project keeps hashes.
//! The work is [`workflows::share::prepare`](crate::workflows::share::prepare),
//! which the app's panel runs too.
//!
//! Exit codes: 0 done; 1 failure with one message; 2 usage error.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Serialize;

use super::progress::Terminal;
use super::{Outcome, now, vault};
use crate::core::share::DEFAULT_REALM;
use crate::workflows::share as files;

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
    /// The dedicated directory the web server serves the release's files
    /// from; Embargo copies them in and refuses a directory that holds
    /// anything else (default: OUT/files).
    #[arg(long)]
    pub root: Option<String>,
    /// The URL path they are served under (default: /embargo/VERSION/).
    #[arg(long)]
    pub location: Option<String>,
    /// Print JSON: `{release, realm, files: [...], credentials: [{list, user, password}], revoked: [...], expired, root, served: [...]}`.
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
    root: String,
    served: Vec<String>,
}

/// Run `embargo share`.
pub fn share(args: ShareArgs) -> Result<Outcome> {
    let _lock = super::lock(&args.file, "embargo share")?;
    let (mut project, _) = super::load_to_write(&args.file)?;
    let now = now()?;
    let project_dir = std::path::absolute(&args.file)
        .ok()
        .and_then(|f| f.parent().map(std::path::Path::to_path_buf))
        .context("cannot tell the project's directory")?;
    let request = files::Request {
        issue: args.issue.clone(),
        project_dir,
        out: args.out.clone(),
        rotate: args.rotate.clone(),
        revoke: args.revoke.clone(),
        realm: args.realm.clone(),
        root: args.root.as_ref().map(PathBuf::from),
        location: args.location.clone(),
    };
    let done = files::prepare(&project, &request, now, &Terminal::new(args.json))?;
    if files::record(&mut project, &args.issue, &done, now)? {
        vault::save(&args.file, &project)?;
    }
    let made: Vec<New> = done
        .made
        .iter()
        .map(|m| New {
            list: m.list.clone(),
            user: m.user.clone(),
            password: m.password.to_string(),
        })
        .collect();
    if args.json {
        let doc = ShareJson {
            release: done.release.clone(),
            realm: args.realm.clone(),
            files: done.files.iter().map(|p| p.display().to_string()).collect(),
            credentials: made,
            revoked: done.revoked.clone(),
            expired: done.expired,
            root: done.root.display().to_string(),
            served: done
                .served
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
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
        for r in &done.revoked {
            println!("revoked: {r}");
        }
        if done.expired > 0 {
            println!(
                "the release is public: {} credential(s) expired",
                done.expired
            );
        }
        for f in &done.files {
            println!("{}", f.display());
        }
        if done.served.is_empty() {
            eprintln!(
                "note: {} serves nothing yet: the release records no files (build or sign them, then run `embargo share` again)",
                done.root.display()
            );
        } else {
            println!(
                "serving {} file(s) from {}",
                done.served.len(),
                done.root.display()
            );
        }
    }
    Ok(Outcome::Exit(0))
}
