//! The team from the command line: `embargo sync` (the app's Sync button,
//! through the same `workflows::sync`), and `embargo members
//! list|add|remove|set`, the team a project lists and an encrypted project
//! is encrypted to (through `ops::set_members`, journaled as the app's
//! members window journals it).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Outcome;
use super::edit::{self, Usage};
use super::progress::Terminal;
use crate::adapters::openpgp::mime;
use crate::adapters::store;
use crate::adapters::vault;
use crate::core::merge::Side;
use crate::core::model::Member;
use crate::core::ops;
use crate::workflows::sync::{self, Merge, Options, Resolution};

/// `embargo sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The project file, in a clone of the team's private repository.
    pub file: PathBuf,
    /// The remote to sync with; default the branch's upstream remote, else
    /// `origin`.
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
    /// Resolve the conflicts named by FIELD… (as a sync lists them, e.g.
    /// `issues[P-2].severity`) with one side's value.
    #[arg(long, value_name = "ours|theirs", requires = "fields")]
    pub take: Option<String>,
    /// The fields --take resolves.
    #[arg(value_name = "FIELD", requires = "take")]
    pub fields: Vec<String>,
    /// Resolve this conflict with our value (may be repeated; with --theirs,
    /// to take different sides in one sync).
    #[arg(long, value_name = "FIELD")]
    pub ours: Vec<String>,
    /// Resolve this conflict with their value (may be repeated).
    #[arg(long, value_name = "FIELD")]
    pub theirs: Vec<String>,
    /// Resolve a conflict with a value of your own, written as the conflict
    /// shows values: `--value 'issues[P-2].severity' Medium` (may be
    /// repeated).
    #[arg(long, num_args = 2, value_names = ["FIELD", "VALUE"], action = clap::ArgAction::Append)]
    pub value: Vec<String>,
    /// Allow a remote on this public forge host (github.com, …): say so
    /// only for a private repository that only your team can read.
    #[arg(long, value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Set up the merge driver instead (the `.gitattributes` lines and the
    /// repository's git configuration), so that a plain `git pull` merges
    /// projects as sync does; nothing is synced.
    #[arg(long, conflicts_with_all = ["take", "ours", "theirs", "value"])]
    pub install_driver: bool,
    /// Only show where the project stands against the remote as of the
    /// last fetch (ahead, behind, uncommitted change); no network.
    #[arg(long, conflicts_with_all = ["take", "ours", "theirs", "value", "install_driver"])]
    pub status: bool,
    /// Print JSON: `{remote, branch, committed, merge, pushed, ahead,
    /// behind, conflicts: [{path, base, ours, theirs, ours_by,
    /// theirs_by}]}` (`merge`: up-to-date, fast-forward, merged,
    /// conflict); with --status `{remote, branch, ahead, behind, changed}`;
    /// with --install-driver `{added}`.
    #[arg(long)]
    pub json: bool,
}

fn resolutions(args: &SyncArgs) -> Result<Vec<Resolution>, Usage> {
    let mut out = Vec::new();
    if let Some(side) = &args.take {
        let side = match side.trim().to_ascii_lowercase().as_str() {
            "ours" => Side::Ours,
            "theirs" => Side::Theirs,
            _ => {
                return Err(Usage(format!(
                    "--take: `{side}` is not a side; give ours or theirs, then the fields"
                )));
            }
        };
        out.extend(args.fields.iter().map(|path| Resolution::Take {
            path: path.clone(),
            side,
        }));
    }
    for (paths, side) in [(&args.ours, Side::Ours), (&args.theirs, Side::Theirs)] {
        out.extend(paths.iter().map(|path| Resolution::Take {
            path: path.clone(),
            side,
        }));
    }
    for pair in args.value.chunks(2) {
        if let [path, text] = pair {
            out.push(Resolution::Value {
                path: path.clone(),
                text: text.clone(),
            });
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct Added<'a> {
    added: &'a [String],
}

/// Run `embargo sync`. Exit 0 when synced (or nothing to do), 1 when it
/// stopped on conflicts (listed; nothing pushed) or was refused.
pub fn sync(args: &SyncArgs) -> Result<Outcome> {
    let file = &args.file;
    if args.install_driver {
        let exe = std::env::current_exe().context("cannot tell where this embargo binary is")?;
        let added = sync::install_driver(file, &exe)?;
        if args.json {
            edit::print_json(&Added { added: &added })?;
        } else if added.is_empty() {
            println!("the merge driver was set up already");
        } else {
            for a in &added {
                println!("added {a}");
            }
        }
        return Ok(Outcome::Exit(0));
    }
    if args.status {
        let s = sync::standing(file, args.remote.as_deref())?;
        if args.json {
            edit::print_json(&s)?;
        } else {
            let changed = if s.changed { ", not committed" } else { "" };
            println!(
                "{}/{}: {} ahead, {} behind{changed} (as of the last fetch)",
                s.remote, s.branch, s.ahead, s.behind
            );
        }
        return Ok(Outcome::Exit(0));
    }
    let resolutions = match resolutions(args) {
        Ok(r) => r,
        Err(e) => return edit::exit_code(Err(e.into())),
    };
    let _lock = super::lock(file, "embargo sync")?;
    let opener = super::vault::opener_for(file)?;
    let options = Options {
        remote: args.remote.clone(),
        allow_hosts: args.allow_host.clone(),
        resolutions,
        opener: opener.as_ref(),
    };
    let report = sync::sync(file, &options, &Terminal::new(args.json))?;
    if args.json {
        edit::print_json(&report)?;
    } else {
        let head = format!("{}/{}", report.remote, report.branch);
        match report.merge {
            Merge::Conflict => {}
            Merge::UpToDate if !report.pushed && report.committed.is_none() => {
                println!("{head}: up to date");
            }
            Merge::UpToDate => {}
            Merge::FastForward => println!("{head}: took the team's changes"),
            Merge::Merged => println!("{head}: merged the team's changes with yours"),
        }
        if let Some(c) = &report.committed {
            println!("committed your change ({})", &c[..c.len().min(12)]);
        }
        if report.pushed {
            println!("pushed to {head}");
        }
    }
    if report.merge == Merge::Conflict {
        eprintln!(
            "embargo sync: both sides changed these fields; nothing was pushed \
             (your change is committed locally):"
        );
        for c in &report.conflicts {
            eprintln!("  {c}");
        }
        eprintln!(
            "resolve each with `embargo sync {} --take ours|theirs FIELD…` or \
             `--value FIELD VALUE`, or in the app (Sync)",
            file.display()
        );
        return Ok(Outcome::Exit(1));
    }
    Ok(Outcome::Exit(0))
}

/// `embargo members`.
#[derive(Debug, Args)]
pub struct MembersArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MembersCommand,
}

/// The subcommands of `embargo members`.
#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// List the team: address, certificate, name.
    List {
        /// The project file.
        file: PathBuf,
        /// Print JSON: an array of `{name, address, cert_fingerprint}`.
        #[arg(long)]
        json: bool,
    },
    /// Add a member; an encrypted project is re-encrypted to them too.
    Add {
        /// The project file.
        file: PathBuf,
        /// Their mail address (journal entries name them by it).
        #[arg(long)]
        address: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// Import their OpenPGP certificate from this file.
        #[arg(long, value_name = "FILE")]
        cert: Option<PathBuf>,
        /// Print JSON: the member.
        #[arg(long)]
        json: bool,
    },
    /// Remove a member; an encrypted project is re-encrypted without them
    /// (the versions git already holds stay readable to them).
    Remove {
        /// The project file.
        file: PathBuf,
        /// Their address.
        #[arg(long)]
        member: String,
        /// Print JSON: `{removed}`.
        #[arg(long)]
        json: bool,
    },
    /// Change a member's name or certificate.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
        .args(["name", "cert", "no_cert"])))]
    Set {
        /// The project file.
        file: PathBuf,
        /// Their address.
        #[arg(long)]
        member: String,
        /// Their new name.
        #[arg(long)]
        name: Option<String>,
        /// Import their OpenPGP certificate from this file.
        #[arg(long, value_name = "FILE", conflicts_with = "no_cert")]
        cert: Option<PathBuf>,
        /// Forget their certificate.
        #[arg(long)]
        no_cert: bool,
        /// Print JSON: the member.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct MemberJson<'a> {
    name: &'a str,
    address: &'a str,
    cert_fingerprint: Option<&'a str>,
}

impl<'a> From<&'a Member> for MemberJson<'a> {
    fn from(m: &'a Member) -> Self {
        Self {
            name: &m.name,
            address: &m.address,
            cert_fingerprint: m.cert_fingerprint.as_deref(),
        }
    }
}

fn print_member(m: &Member) {
    println!(
        "{:<32} {:<40} {}",
        m.address,
        m.cert_fingerprint.as_deref().unwrap_or("-"),
        m.name
    );
}

/// The certificate in `path`, checked: `(fingerprint, armored text)`.
fn read_cert(path: &Path) -> Result<(String, String)> {
    Ok(mime::import_cert_file(path)?)
}

fn say_encrypted(file: &Path, count: usize, json: bool) {
    if store::is_sealed(file) && !json {
        eprintln!(
            "{} is now encrypted to your key and {count} member certificate(s)",
            file.display()
        );
    }
}

/// Say how an encrypted project is now kept, and print the member.
fn show_member(file: &Path, m: &Member, count: usize, json: bool) -> Result<()> {
    say_encrypted(file, count, json);
    if json {
        edit::print_json(&MemberJson::from(m))
    } else {
        print_member(m);
        Ok(())
    }
}

fn encrypted_count(project: &crate::core::model::Project) -> usize {
    vault::member_certs(project).map_or(0, |c| c.len())
}

/// Run `embargo members`.
pub fn members(args: MembersArgs) -> Result<Outcome> {
    edit::exit_code(match args.command {
        MembersCommand::List { file, json } => {
            let (project, _) = super::load_project(&file)?;
            if json {
                let rows: Vec<MemberJson<'_>> = project.members.iter().map(Into::into).collect();
                edit::print_json(&rows)
            } else {
                project.members.iter().for_each(print_member);
                Ok(())
            }
        }
        MembersCommand::Add {
            file,
            address,
            name,
            cert,
            json,
        } => (|| {
            let mut m = Member::new(name.trim(), address.trim());
            if let Some(path) = &cert {
                let (fpr, text) = read_cert(path)?;
                m.cert_fingerprint = Some(fpr);
                m.cert = Some(text);
            }
            let (m, count) = edit::change(&file, "embargo members add", |p, _, now| {
                ops::add_member(p, m.clone(), now).map_err(|e| Usage(e.to_string()))?;
                Ok((m, encrypted_count(p)))
            })?;
            show_member(&file, &m, count, json)
        })(),
        MembersCommand::Remove { file, member, json } => (|| {
            let (removed, count) = edit::change(&file, "embargo members remove", |p, _, now| {
                let removed =
                    ops::remove_member(p, &member, now).map_err(|e| Usage(e.to_string()))?;
                Ok((removed, encrypted_count(p)))
            })?;
            say_encrypted(&file, count, json);
            if json {
                #[derive(Serialize)]
                struct Removed<'a> {
                    removed: &'a str,
                }
                edit::print_json(&Removed {
                    removed: &removed.address,
                })
            } else {
                println!("removed {}", removed.address);
                Ok(())
            }
        })(),
        MembersCommand::Set {
            file,
            member,
            name,
            cert,
            no_cert,
            json,
        } => (|| {
            let cert = cert.as_deref().map(read_cert).transpose()?;
            let (m, count) = edit::change(&file, "embargo members set", |p, _, now| {
                let i = ops::member_position(p, &member).map_err(|e| Usage(e.to_string()))?;
                let mut members = p.members.clone();
                let m = &mut members[i];
                if let Some(n) = &name {
                    m.name = n.trim().to_owned();
                }
                if let Some((fpr, text)) = &cert {
                    m.cert_fingerprint = Some(fpr.clone());
                    m.cert = Some(text.clone());
                }
                if no_cert {
                    m.cert_fingerprint = None;
                    m.cert = None;
                }
                let m = m.clone();
                ops::set_members(p, members, now);
                Ok((m, encrypted_count(p)))
            })?;
            show_member(&file, &m, count, json)
        })(),
    })
}
