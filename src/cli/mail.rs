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
//! Exit codes: 0 saved or sent; 1 the template, a check or the sending
//! failed, with one message on stderr (when sending fails the mail is kept
//! as a draft `.eml` in `drafts/` beside the project file, and the message
//! says where); 2 usage error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use super::{Outcome, now, vault};
use crate::adapters::mail::{self as transport, Composed, SendError, SmtpPassword, SmtpSettings};
use crate::adapters::openpgp::{OpenPgpError, Passphrase};
use crate::core::notice;
use crate::core::render::mail::{self as mails, Draft};

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
    /// release-announcement, oss-security.
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
    /// encrypted, sent, eml}`, or `{failures: [{check, message}]}`.
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
}

/// The project's own override of a template, if it has one.
fn override_text(project_file: &Path, name: &str) -> Result<Option<String>> {
    let dir = project_file.parent().unwrap_or(Path::new("."));
    let path = dir.join("templates").join(format!("{name}.txt.j2"));
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow!(e).context(format!("cannot read {}", path.display()))),
    }
}

/// Where a mail that could not be sent is kept.
pub fn drafts_dir(project_file: &Path) -> PathBuf {
    project_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("drafts")
}

/// Run `embargo mail`.
pub fn mail(args: MailArgs) -> Result<Outcome> {
    let _lock = super::lock(&args.file, "embargo mail")?;
    let (mut project, playbook) = super::load_to_write(&args.file)?;
    let now = now()?;
    let issue = project
        .issue(&args.issue)
        .ok_or_else(|| crate::core::ops::OpError::NoIssue(args.issue.clone()))?;
    if mails::template(&args.template).is_none() {
        return Err(mails::MailError::UnknownTemplate(args.template.clone()).into());
    }
    let chosen = match &args.to {
        Some(list) => mails::pick_recipients(&project, list)?,
        None => Vec::new(),
    };
    let custom = override_text(&args.file, &args.template)?;
    let share_password = args
        .share_password_fd
        .map(|fd| {
            super::read_fd(fd, "download password", |f| {
                crate::adapters::read_secret_line(f, "download password")
            })
        })
        .transpose()?;
    let mut draft = mails::render(
        &project,
        &playbook,
        issue,
        &args.template,
        custom.as_deref(),
        &chosen,
        share_password.as_deref().map(String::as_str),
        now,
    )?;
    if args.before_publication {
        draft.before_publication = args.reason.clone();
    }
    let failures = transport::check(
        &project,
        issue,
        &draft,
        share_password.as_deref().map(String::as_str),
        now,
    );
    drop(share_password);
    if !failures.is_empty() {
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "failures": failures }))?
            );
        }
        let list: Vec<String> = failures.iter().map(|f| format!("  {f}")).collect();
        eprintln!(
            "error: the mail `{}` is refused, nothing was sent or saved; it fails {} check{}:\n{}",
            draft.subject,
            failures.len(),
            if failures.len() == 1 { "" } else { "s" },
            list.join("\n")
        );
        return Ok(Outcome::Exit(1));
    }
    let composed = compose(&project, &draft, args.passphrase_fd, now)?;
    let (sent, eml) = if let Some(dir) = &args.eml {
        let path = transport::save_eml(dir, &draft.template, &composed)?;
        (false, path)
    } else {
        let mut settings = smtp_settings(&project.mail, args.smtp.as_deref(), args.password_fd)?;
        settings.ca =
            transport::ca_file(&project.mail, args.smtp_ca.as_deref(), args.file.parent());
        let progress = |s: &str| {
            if !args.json {
                eprintln!("{s}");
            }
        };
        if let Err(e) = transport::send(&settings, &composed, &progress) {
            let dir = drafts_dir(&args.file);
            return match transport::save_eml(&dir, &draft.template, &composed) {
                Ok(path) => {
                    eprintln!(
                        "error: {e}\nThe mail was not sent; it is kept as a draft in {}",
                        path.display()
                    );
                    Ok(Outcome::Exit(1))
                }
                Err(save) => Err(anyhow!(
                    "{e}\nThe mail was not sent, and the draft could not be saved either: {save}"
                )),
            };
        }
        (true, PathBuf::new())
    };
    let issue = project
        .issue_mut(&args.issue)
        .expect("the issue was found above");
    if sent {
        notice::record_sent(issue, &draft, &composed.message_id, now);
    } else {
        let path = eml.display().to_string();
        notice::record_saved(issue, &draft, &composed.message_id, &path, now);
    }
    vault::save(&args.file, &project)?;
    print_result(
        &draft,
        &composed,
        sent,
        (!sent).then_some(eml.as_path()),
        args.json,
    )?;
    Ok(Outcome::Exit(0))
}

fn compose(
    project: &crate::core::model::Project,
    draft: &Draft,
    passphrase_fd: Option<u32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Composed> {
    let passphrase = passphrase_fd
        .map(|fd| super::read_fd(fd, "passphrase", Passphrase::read_from))
        .transpose()?;
    let result = match transport::compose_for_project(project, draft, passphrase.as_ref(), now) {
        Err(SendError::OpenPgp(OpenPgpError::PassphraseNeeded { fingerprint }))
            if std::io::stdin().is_terminal() =>
        {
            drop(passphrase);
            let typed = rpassword::prompt_password(format!("Passphrase for {fingerprint}: "))
                .context("cannot read the passphrase from the terminal")?;
            let typed = Passphrase::new(typed);
            transport::compose_for_project(project, draft, Some(&typed), now)
        }
        other => other,
    };
    let (composed, warnings) = result?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(composed)
}

fn smtp_settings(
    mail: &crate::core::model::MailSettings,
    smtp: Option<&str>,
    password_fd: Option<u32>,
) -> Result<SmtpSettings> {
    let (host, port) = match smtp {
        Some(s) => {
            let (h, p) = s.rsplit_once(':').ok_or_else(|| {
                anyhow!("--smtp `{s}` is not HOST:PORT, e.g. smtp.example.org:587")
            })?;
            let port = p
                .parse::<u16>()
                .map_err(|_| anyhow!("--smtp `{s}`: `{p}` is not a port number"))?;
            (h.trim_matches(['[', ']']).to_owned(), port)
        }
        None => (mail.smtp_host.clone(), mail.smtp_port),
    };
    if host.is_empty() || port == 0 {
        bail!(
            "the project has no SMTP server; set Mail › SMTP host and port, or give --smtp HOST:PORT"
        );
    }
    let mut settings = SmtpSettings {
        host,
        port,
        user: mail.smtp_user.clone(),
        password: None,
        ca: None,
    };
    if !settings.user.is_empty() {
        settings.password = Some(match password_fd {
            Some(fd) => super::read_fd(fd, "SMTP password", SmtpPassword::read_from)?,
            None if std::io::stdin().is_terminal() => SmtpPassword::new(
                rpassword::prompt_password(format!(
                    "SMTP password for {}@{}: ",
                    settings.user, settings.host
                ))
                .context("cannot read the password from the terminal")?,
            ),
            None => bail!(
                "the SMTP login `{}` needs a password: give it with --password-fd N",
                settings.user
            ),
        });
    }
    Ok(settings)
}

fn print_result(
    draft: &Draft,
    composed: &Composed,
    sent: bool,
    eml: Option<&Path>,
    json: bool,
) -> Result<()> {
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
            sent,
            eml: eml.map(|p| p.display().to_string()),
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    let how = match (composed.signed, composed.encrypted) {
        (_, true) => "signed and encrypted",
        (true, false) => "signed",
        _ => "plain",
    };
    match eml {
        Some(p) => println!("saved {how} mail “{}” as {}", draft.subject, p.display()),
        None => println!(
            "sent {how} mail “{}” to {} ({})",
            draft.subject,
            composed.envelope_to().join(", "),
            composed.message_id
        ),
    }
    Ok(())
}
