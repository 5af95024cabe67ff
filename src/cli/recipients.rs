//! `embargo recipients list|add|remove|import|set` and `embargo
//! notice-state`: the recipients window from a script. Every change goes
//! through [`ops::set_recipients`] or [`ops::set_notices`], the functions
//! the window's Apply calls, so it is journaled as the click journals it; a
//! certificate is read and checked by the adapter the window's Import
//! button uses ([`mime::import_cert_file`]), and a pasted list of addresses
//! is read as the window reads it ([`mails::parse_pasted`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Outcome;
use super::edit::{self, Usage};
use crate::adapters::openpgp::mime;
use crate::core::model::{NoticeState, Project, Recipient, RecipientRole};
use crate::core::ops;
use crate::core::render::mail as mails;

/// `embargo recipients`.
#[derive(Debug, Args)]
pub struct RecipientsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: RecipientsCommand,
}

/// The subcommands of `embargo recipients`.
#[derive(Debug, Subcommand)]
pub enum RecipientsCommand {
    /// List the recipients: address, name, role, certificate, encryption.
    List {
        /// The project file.
        file: PathBuf,
        /// Print JSON: an array of `{name, address, role, cert_fingerprint, must_encrypt}`.
        #[arg(long)]
        json: bool,
    },
    /// Add a recipient.
    Add {
        /// The project file.
        file: PathBuf,
        /// Their mail address.
        #[arg(long)]
        address: String,
        /// Their name, e.g. "Openwall distros".
        #[arg(long, default_value = "")]
        name: String,
        /// Their role.
        #[arg(long, value_parser = parse_role, default_value = "vendor")]
        role: RecipientRole,
        /// Import their OpenPGP certificate from this file.
        #[arg(long, value_name = "FILE")]
        cert: Option<PathBuf>,
        /// Mail to them must be encrypted.
        #[arg(long)]
        encrypt: bool,
        /// Print JSON: the recipient.
        #[arg(long)]
        json: bool,
    },
    /// Remove a recipient (their notice state in the issues is kept).
    Remove {
        /// The project file.
        file: PathBuf,
        /// Their address.
        #[arg(long)]
        recipient: String,
        /// Print JSON: `{removed}`.
        #[arg(long)]
        json: bool,
    },
    /// Add the addresses of a list (one a line, or comma separated, as
    /// pasted into the recipients window), skipping those already listed.
    Import {
        /// The project file.
        file: PathBuf,
        /// The file holding the list; `-` reads standard input.
        list: PathBuf,
        /// The role of the added recipients.
        #[arg(long, value_parser = parse_role, default_value = "vendor")]
        role: RecipientRole,
        /// Print JSON: `{added: [...], skipped: [...]}`.
        #[arg(long)]
        json: bool,
    },
    /// Change a recipient: name, role, certificate, encryption.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
        .args(["name", "role", "cert", "no_cert", "encrypt", "no_encrypt"])))]
    Set {
        /// The project file.
        file: PathBuf,
        /// Their address.
        #[arg(long)]
        recipient: String,
        /// Their new name.
        #[arg(long)]
        name: Option<String>,
        /// Their new role.
        #[arg(long, value_parser = parse_role)]
        role: Option<RecipientRole>,
        /// Import their OpenPGP certificate from this file.
        #[arg(long, value_name = "FILE", conflicts_with = "no_cert")]
        cert: Option<PathBuf>,
        /// Forget their certificate.
        #[arg(long)]
        no_cert: bool,
        /// Mail to them must be encrypted.
        #[arg(long, conflicts_with = "no_encrypt")]
        encrypt: bool,
        /// Mail to them need not be encrypted.
        #[arg(long)]
        no_encrypt: bool,
        /// Print JSON: the recipient.
        #[arg(long)]
        json: bool,
    },
}

/// `embargo notice-state`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("state").required(true).multiple(true)
    .args(["accepted", "declined", "wants_patch", "no_patch", "notified"])))]
pub struct NoticeStateArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue's ID.
    #[arg(long)]
    pub issue: String,
    /// The recipient's address (one of the project's recipients).
    #[arg(long)]
    pub recipient: String,
    /// They accepted the embargo.
    #[arg(long, conflicts_with = "declined")]
    pub accepted: bool,
    /// They declined the embargo.
    #[arg(long)]
    pub declined: bool,
    /// They want the patch before the release.
    #[arg(long, conflicts_with = "no_patch")]
    pub wants_patch: bool,
    /// They do not want the patch before the release.
    #[arg(long)]
    pub no_patch: bool,
    /// They were notified now, by the mail with this Message-ID (one sent
    /// from your own mail client, e.g. an `.eml` that `embargo mail --eml` saved).
    #[arg(long, value_name = "MESSAGE-ID")]
    pub notified: Option<String>,
    /// Print JSON: the recipient's notice state for the issue.
    #[arg(long)]
    pub json: bool,
}

fn role_names() -> Vec<&'static str> {
    RecipientRole::ALL.iter().map(|r| r.short()).collect()
}

/// A role by its short name (`maintainers`, `distros`, `vendor`, ...).
fn parse_role(s: &str) -> Result<RecipientRole, String> {
    RecipientRole::ALL
        .into_iter()
        .find(|r| r.short() == s.trim())
        .ok_or_else(|| edit::unknown(s, &role_names(), "a recipient role"))
}

#[derive(Serialize)]
struct RecipientJson<'a> {
    name: &'a str,
    address: &'a str,
    role: &'static str,
    cert_fingerprint: Option<&'a str>,
    must_encrypt: bool,
}

impl<'a> From<&'a Recipient> for RecipientJson<'a> {
    fn from(r: &'a Recipient) -> Self {
        Self {
            name: &r.name,
            address: &r.address,
            role: r.role.short(),
            cert_fingerprint: r.cert_fingerprint.as_deref(),
            must_encrypt: r.must_encrypt,
        }
    }
}

fn print_recipient(r: &Recipient) {
    let cert = r.cert_fingerprint.as_deref().unwrap_or("-");
    let encrypt = if r.must_encrypt { "encrypt" } else { "-" };
    println!(
        "{:<32} {:<16} {:<40} {:<7} {}",
        r.address,
        r.role.short(),
        cert,
        encrypt,
        r.name
    );
}

/// Run `embargo recipients`.
pub fn recipients(args: RecipientsArgs) -> Result<Outcome> {
    edit::exit_code(match args.command {
        RecipientsCommand::List { file, json } => list(&file, json),
        RecipientsCommand::Add {
            file,
            address,
            name,
            role,
            cert,
            encrypt,
            json,
        } => {
            let mut r = Recipient::new(name.trim(), address.trim(), role);
            r.must_encrypt = encrypt;
            if let Some(path) = cert {
                import_cert(&mut r, &path)?;
                warn_cert(&r);
            }
            add(&file, r, json)
        }
        RecipientsCommand::Remove {
            file,
            recipient,
            json,
        } => remove(&file, &recipient, json),
        RecipientsCommand::Import {
            file,
            list,
            role,
            json,
        } => import(&file, &list, role, json),
        RecipientsCommand::Set {
            file,
            recipient,
            name,
            role,
            cert,
            no_cert,
            encrypt,
            no_encrypt,
            json,
        } => {
            // The certificate is read before the project is locked and opened.
            let cert = match cert {
                Some(path) => {
                    let mut probe = Recipient::new("", "", RecipientRole::Vendor);
                    import_cert(&mut probe, &path)?;
                    Some(probe)
                }
                None => None,
            };
            let encrypt = match (encrypt, no_encrypt) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            set(&file, &recipient, json, |r| {
                if let Some(n) = name {
                    r.name = n.trim().to_owned();
                }
                if let Some(role) = role {
                    r.role = role;
                }
                if let Some(c) = cert {
                    r.cert_fingerprint = c.cert_fingerprint;
                    r.cert = c.cert;
                    warn_cert(r);
                }
                if no_cert {
                    r.cert_fingerprint = None;
                    r.cert = None;
                }
                if let Some(e) = encrypt {
                    r.must_encrypt = e;
                }
            })
        }
    })
}

/// Read, check and keep the certificate in `path` for `r`, as the window's
/// Import button does.
fn import_cert(r: &mut Recipient, path: &Path) -> Result<()> {
    let (fingerprint, text) = mime::import_cert_file(path)?;
    r.cert_fingerprint = Some(fingerprint);
    r.cert = Some(text);
    Ok(())
}

/// Say so when the certificate of `r` does not name its address, as the
/// recipients window flags it.
fn warn_cert(r: &Recipient) {
    if let Some(why) = mime::cert_mismatch(r) {
        eprintln!("warning: {why}");
    }
}

fn list(file: &Path, json: bool) -> Result<()> {
    let (project, _) = super::load_project(file)?;
    if json {
        let rows: Vec<RecipientJson<'_>> = project.recipients.iter().map(Into::into).collect();
        return edit::print_json(&rows);
    }
    for r in &project.recipients {
        print_recipient(r);
    }
    Ok(())
}

fn position(project: &Project, address: &str) -> Result<usize> {
    let address = address.trim();
    project
        .recipients
        .iter()
        .position(|r| r.address.trim().eq_ignore_ascii_case(address))
        .ok_or_else(|| {
            let known: Vec<&str> = project
                .recipients
                .iter()
                .map(|r| r.address.as_str())
                .collect();
            anyhow::anyhow!(
                "{}",
                edit::unknown(address, &known, "a recipient of this project")
                    + " (add one with `embargo recipients add`)"
            )
        })
}

fn add(file: &Path, r: Recipient, json: bool) -> Result<()> {
    if !mails::is_address(&r.address) {
        return Err(Usage(format!(
            "`{}` is not a mail address such as security@example.org",
            r.address
        ))
        .into());
    }
    let shown = r.clone();
    edit::change(file, "embargo recipients add", |p, _, now| {
        if p.recipients
            .iter()
            .any(|x| x.address.trim().eq_ignore_ascii_case(&r.address))
        {
            bail!(
                "{} is already a recipient: change it with `embargo recipients set`",
                r.address
            );
        }
        let mut all = p.recipients.clone();
        all.push(r);
        ops::set_recipients(p, all, None, now)?;
        Ok(())
    })?;
    if json {
        edit::print_json(&RecipientJson::from(&shown))
    } else {
        print_recipient(&shown);
        Ok(())
    }
}

#[derive(Serialize)]
struct RemovedJson {
    removed: String,
}

fn remove(file: &Path, address: &str, json: bool) -> Result<()> {
    let removed = edit::change(file, "embargo recipients remove", |p, _, now| {
        let n = position(p, address)?;
        let mut all = p.recipients.clone();
        let r = all.remove(n);
        ops::set_recipients(p, all, None, now)?;
        Ok(r.address)
    })?;
    if json {
        edit::print_json(&RemovedJson { removed })
    } else {
        println!("removed {removed}");
        Ok(())
    }
}

#[derive(Serialize)]
struct ImportJson<'a> {
    added: Vec<RecipientJson<'a>>,
    skipped: Vec<String>,
}

fn import(file: &Path, list: &Path, role: RecipientRole, json: bool) -> Result<()> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
            .context("cannot read the list from standard input")?
    } else {
        std::fs::read_to_string(list).with_context(|| format!("cannot read {}", list.display()))?
    };
    let (added, skipped) = edit::change(file, "embargo recipients import", |p, _, now| {
        let (new, skipped) = mails::parse_pasted(p, &text, role);
        let mut all = p.recipients.clone();
        all.extend(new.iter().cloned());
        ops::set_recipients(p, all, None, now)?;
        Ok((new, skipped))
    })?;
    if json {
        return edit::print_json(&ImportJson {
            added: added.iter().map(Into::into).collect(),
            skipped,
        });
    }
    for r in &added {
        print_recipient(r);
    }
    println!("added {} recipient(s)", added.len());
    if !skipped.is_empty() {
        eprintln!("not addresses: {}", skipped.join(", "));
    }
    Ok(())
}

fn set(file: &Path, address: &str, json: bool, f: impl FnOnce(&mut Recipient)) -> Result<()> {
    let r = edit::change(file, "embargo recipients set", |p, _, now| {
        let n = position(p, address)?;
        let mut all = p.recipients.clone();
        f(&mut all[n]);
        let r = all[n].clone();
        ops::set_recipients(p, all, None, now)?;
        Ok(r)
    })?;
    if json {
        edit::print_json(&RecipientJson::from(&r))
    } else {
        print_recipient(&r);
        Ok(())
    }
}

#[derive(Serialize)]
struct NoticeJson<'a> {
    issue: &'a str,
    recipient: String,
    notified_at: Option<String>,
    message_id: String,
    template: String,
    accepted: Option<bool>,
    wants_patch: bool,
}

/// Run `embargo notice-state`.
pub fn notice_state(args: NoticeStateArgs) -> Result<Outcome> {
    edit::exit_code(record_notice(&args))
}

fn record_notice(args: &NoticeStateArgs) -> Result<()> {
    let notified = match args.notified.as_deref().map(str::trim) {
        Some("") => return Err(Usage("--notified needs the mail's Message-ID".into()).into()),
        // Kept with its angle brackets, as a mail sent by Embargo keeps it.
        other => other.map(|id| format!("<{}>", id.trim_start_matches('<').trim_end_matches('>'))),
    };
    let state = edit::change(&args.file, "embargo notice-state", |p, _, now| {
        let n = position(p, &args.recipient)?;
        let address = p.recipients[n].address.trim().to_owned();
        let issue = p
            .issue(&args.issue)
            .ok_or_else(|| ops::OpError::NoIssue(args.issue.clone()))?;
        let mut state = issue
            .notice(&address)
            .cloned()
            .unwrap_or_else(|| NoticeState::new(address.clone()));
        if args.accepted {
            state.accepted = Some(true);
        }
        if args.declined {
            state.accepted = Some(false);
        }
        if args.wants_patch {
            state.wants_patch = true;
        }
        if args.no_patch {
            state.wants_patch = false;
        }
        if let Some(id) = &notified {
            state.notified_at = Some(now);
            state.message_id.clone_from(id);
            // What a saved mail told them was sent after all.
            if let Some(told) = state.told.as_mut() {
                told.saved = false;
            }
        }
        ops::set_notices(p, &args.issue, vec![state.clone()], now)?;
        Ok(state)
    })?;
    if args.json {
        return edit::print_json(&NoticeJson {
            issue: &args.issue,
            recipient: state.recipient,
            notified_at: state
                .notified_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            message_id: state.message_id,
            template: state.template,
            accepted: state.accepted,
            wants_patch: state.wants_patch,
        });
    }
    let accepted = match state.accepted {
        None => "embargo not answered",
        Some(true) => "accepted the embargo",
        Some(false) => "declined the embargo",
    };
    let patch = if state.wants_patch {
        ", wants the patch"
    } else {
        ""
    };
    println!("{} {}: {accepted}{patch}", args.issue, state.recipient);
    Ok(())
}
