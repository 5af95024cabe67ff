//! `embargo mail`: render a notice of an issue from a template, check it,
//! compose it (PGP/MIME signed with the project's key when it has one, and
//! encrypted where a recipient requires it) and save it as an `.eml` file or
//! send it by SMTP submission.
//!
//! A project overrides a shipped template with `templates/NAME.txt.j2`
//! beside its project file. Secrets never come from the command line: the
//! key's passphrase from `--passphrase-fd N` (or the terminal), the SMTP
//! password from `--password-fd N` (or the terminal), the embargoed
//! download's password for the fix-availability mail from
//! `--share-password-fd N`.
//!
//! A release announcement, an oss-security post and any mail to a public
//! list (whatever its template) wait until the release is marked
//! published; `--before-publication --reason TEXT` sends one earlier and
//! journals the reason. `--smtp-ca FILE` (or the project's `smtp_ca`)
//! trusts the user's own CA for the SMTP server's certificate.
//!
//! The distros notice attaches the release's patch (or the fix commits
//! made into one) inside the encryption; `--json` lists the attachments.
//! `--template correction` without `--to` goes to everyone `embargo
//! corrections` lists: who was told a severity, disclosure instant,
//! affected or fixed version or identifier that has changed since.
//!
//! Exit codes: 0 saved or sent; 1 the template, a check or the sending
//! failed, with one message on stderr (when sending fails the mail is kept
//! as a draft `.eml` in `drafts/` beside the project file, and the message
//! says where); 2 usage error.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::progress::Terminal;
use super::{Outcome, now, vault};
use crate::adapters::mail::SmtpPassword;
use crate::adapters::openpgp::Passphrase;
use crate::workflows::notice::{self, NoticeError};

/// Arguments of `embargo mail`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("output").required(true).args(["eml", "send"])))]
pub struct MailArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue's ID.
    #[arg(long)]
    pub issue: String,
    /// The template: reporter-ack, not-security-reply, advance-notice,
    /// distros-notice, customer-notice, pre-announcement, fix-availability,
    /// release-announcement, oss-security, correction (without --to: to
    /// everyone `embargo corrections` lists).
    #[arg(long, value_name = "NAME")]
    pub template: String,
    /// Recipients, comma separated: names, addresses or roles (maintainers,
    /// distros, vendor, support-customer, reporter, announce, oss-security);
    /// default: the project's recipients with the template's roles.
    #[arg(long, value_name = "LIST")]
    pub to: Option<String>,
    /// Save the mail as an `.eml` file in this directory, for a mail client.
    #[arg(long, value_name = "DIR")]
    pub eml: Option<PathBuf>,
    /// Send the mail by SMTP submission.
    #[arg(long)]
    pub send: bool,
    /// The SMTP server, instead of the project's (plain SMTP only to localhost).
    #[arg(long, value_name = "HOST:PORT", requires = "send")]
    pub smtp: Option<String>,
    /// Read the signing key's passphrase from this file descriptor (its first line).
    #[arg(long, value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// Trust this CA certificate (a PEM file) for the SMTP server's
    /// certificate, instead of the project's `smtp_ca`: for a server whose
    /// certificate your own CA signed.
    #[arg(long, value_name = "FILE", requires = "send")]
    pub smtp_ca: Option<PathBuf>,
    /// Send (or save) a release announcement, an oss-security post or any
    /// mail to a public list although the release is not
    /// marked published; needs --reason, which is journaled.
    #[arg(long, requires = "reason")]
    pub before_publication: bool,
    /// Why the mail must go before publication (with --before-publication).
    #[arg(long, value_name = "TEXT", requires = "before_publication")]
    pub reason: Option<String>,
    /// Read the SMTP password from this file descriptor (its first line).
    #[arg(long, value_name = "N", requires = "send")]
    pub password_fd: Option<u32>,
    /// Read the embargoed download's password of the one list the mail goes
    /// to from this file descriptor (its first line), as printed once by
    /// `embargo share`; the fix-availability mail carries it, encrypted.
    #[arg(long, value_name = "N")]
    pub share_password_fd: Option<u32>,
    /// Print JSON: `{template, subject, to, cc, bcc, message_id, signed,
    /// encrypted, sent, eml, attachments}`, or `{failures: [{check,
    /// message}]}`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct MailJson<'a> {
    template: &'a str,
    subject: &'a str,
    to: &'a [String],
    cc: &'a [String],
    bcc: &'a [String],
    message_id: &'a str,
    signed: bool,
    encrypted: bool,
    sent: bool,
    eml: Option<String>,
    attachments: &'a [String],
}

/// The command line's secrets: file descriptors first, then the terminal.
struct Asked {
    passphrase_fd: Option<u32>,
    password_fd: Option<u32>,
}

impl notice::Secrets for Asked {
    fn passphrase(&mut self) -> Result<Option<Passphrase>, String> {
        self.passphrase_fd
            .take()
            .map(|fd| super::read_fd(fd, "passphrase", Passphrase::read_from))
            .transpose()
            .map_err(|e| format!("{e:#}"))
    }

    fn ask_passphrase(&mut self, fingerprint: &str) -> Result<Option<Passphrase>, String> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        rpassword::prompt_password(format!("Passphrase for {fingerprint}: "))
            .map(|typed| Some(Passphrase::new(typed)))
            .map_err(|e| format!("cannot read the passphrase from the terminal: {e}"))
    }

    fn smtp_password(&mut self, user: &str, host: &str) -> Result<Option<SmtpPassword>, String> {
        match self.password_fd.take() {
            Some(fd) => super::read_fd(fd, "SMTP password", SmtpPassword::read_from)
                .map(Some)
                .map_err(|e| format!("{e:#}")),
            None if std::io::stdin().is_terminal() => {
                rpassword::prompt_password(format!("SMTP password for {user}@{host}: "))
                    .map(|typed| Some(SmtpPassword::new(typed)))
                    .map_err(|e| format!("cannot read the password from the terminal: {e}"))
            }
            None => Err(format!(
                "the SMTP login `{user}` needs a password: give it with --password-fd N"
            )),
        }
    }
}

/// Run `embargo mail`.
pub fn mail(args: MailArgs) -> Result<Outcome> {
    let _lock = super::lock(&args.file, "embargo mail")?;
    let (mut project, playbook) = super::load_to_write(&args.file)?;
    let now = now()?;
    let share_password = args
        .share_password_fd
        .map(|fd| {
            super::read_fd(fd, "download password", |f| {
                crate::adapters::read_secret_line(f, "download password")
            })
        })
        .transpose()?;
    let output = match &args.eml {
        Some(dir) => notice::Output::Eml(dir.clone()),
        None => notice::Output::Send {
            smtp: args.smtp.clone(),
            ca: args.smtp_ca.clone(),
        },
    };
    let request = notice::Request {
        project: &project,
        playbook: &playbook,
        project_file: Some(&args.file),
        issue: &args.issue,
        template: &args.template,
        to: args.to.as_deref().unwrap_or_default(),
        before_publication: args
            .before_publication
            .then_some(args.reason.as_deref())
            .flatten(),
        share_password: share_password.as_deref().map(|p| (None, p.as_str())),
        output: &output,
        now,
        edited: None,
        step: None,
    };
    let mut secrets = Asked {
        passphrase_fd: args.passphrase_fd,
        password_fd: args.password_fd,
    };
    let result = notice::deliver(&request, &mut secrets, &Terminal::new(args.json));
    drop(share_password);
    let delivered = match result {
        Ok(d) => d,
        Err(NoticeError::Refused { subject, failures }) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "failures": failures }))?
                );
            }
            let e = NoticeError::Refused { subject, failures };
            eprintln!("error: {e}");
            return Ok(Outcome::Exit(1));
        }
        Err(e @ NoticeError::NotSent { .. }) => {
            eprintln!("error: {e}");
            return Ok(Outcome::Exit(1));
        }
        Err(e) => return Err(e.into()),
    };
    for w in &delivered.warnings {
        eprintln!("warning: {w}");
    }
    notice::record(&mut project, &delivered, now)?;
    vault::save(&args.file, &project)?;
    print_result(&delivered, args.json)?;
    Ok(Outcome::Exit(0))
}

fn print_result(delivered: &notice::Delivered, json: bool) -> Result<()> {
    let (draft, composed) = (&delivered.draft, &delivered.composed);
    if json {
        let doc = MailJson {
            template: &draft.template,
            subject: &draft.subject,
            to: &draft.to,
            cc: &draft.cc,
            bcc: &draft.bcc,
            message_id: &composed.message_id,
            signed: composed.signed,
            encrypted: composed.encrypted,
            sent: delivered.saved.is_none(),
            eml: delivered.saved.as_ref().map(|p| p.display().to_string()),
            attachments: &delivered.attached,
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!("{}", delivered.summary());
    Ok(())
}

/// Arguments of `embargo corrections`.
#[derive(Debug, clap::Args)]
pub struct CorrectionsArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue's ID.
    #[arg(long)]
    pub issue: String,
    /// Print JSON: an array of `{recipient, told_at, template, saved,
    /// changes: [{fact, label, old, new}]}`.
    #[arg(long)]
    pub json: bool,
}

/// Run `embargo corrections`.
pub fn corrections(args: CorrectionsArgs) -> Result<Outcome> {
    let (project, _) = super::load_project(&args.file)?;
    let issue = project
        .issue(&args.issue)
        .ok_or_else(|| crate::core::ops::OpError::NoIssue(args.issue.clone()))?;
    let due = crate::core::told::corrections(&project, issue);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&due)?);
        return Ok(Outcome::Exit(0));
    }
    if due.is_empty() {
        println!(
            "{}: no corrections to send; nobody was told a value that has changed since",
            args.issue
        );
        return Ok(Outcome::Exit(0));
    }
    println!("{}: corrections to send", args.issue);
    for c in &due {
        println!("  {}", crate::core::told::describe(c));
    }
    println!(
        "Draft them with: embargo mail {} --issue {} --template correction --eml DIR (or --send)",
        args.file.display(),
        args.issue
    );
    Ok(Outcome::Exit(0))
}
