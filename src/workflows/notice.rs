//! Deliver a notice: render it from its template (the project's own
//! override in `templates/NAME.txt.j2` beside the project file, else the
//! shipped one), check it with everything verified, sign and encrypt it as
//! the project wants, then save it as an `.eml` file or send it by SMTP
//! submission; a mail that could not be sent is kept as a draft in
//! `drafts/` beside the project file. [`deliver`] is the one operation
//! `embargo mail` and the app's notice window both run; [`record`]
//! journals what it did, the same way for both. A mail that carries the
//! patch (the distros notice; a customer or fix-availability notice to
//! recipients who all asked for it) gets it attached inside the signed
//! and encrypted part: the release's patch file, read without following
//! a link, only from the project's directory and only when it is the file
//! the release records, else the issue's fix commits made into a patch
//! with git ([`patch_attachment`]); a patch that cannot be had stops the
//! mail, and a mail that goes out unencrypted never carries one (its text
//! says so, and [`notice_warnings`] warns).
//! A subject and body the user edited ([`Edited`], the app's notice
//! window) replace the rendered ones before anything is checked, signed or
//! sent, and the journal says the mail was edited; a mail composed for a
//! step settles that step when sent. [`notice_warnings`] says what the
//! user should know although the mail passes (embargoed details in clear,
//! a certificate that does not name its recipient): the CLI prints them,
//! the app asks or flags.
//!
//! What the two front ends once did differently is decided here: a
//! template override that exists but cannot be read is an error (the mail
//! is not made from the shipped text instead); the SMTP server given is
//! read by [`crate::core::notice::smtp_server`] (a host without a port, an
//! empty host and a project without a server are refused alike); a failed
//! send keeps its draft beside the project, never in a temporary
//! directory. Secrets (the key's passphrase, the SMTP password, a handed-
//! over download password) come through [`Secrets`] when needed, are
//! dropped as soon as they are used, and never reach a file or a message.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::adapters::mail::{self as transport, Composed, SendError, SmtpPassword, SmtpSettings};
use crate::adapters::openpgp::{Cert, KeySource, OpenPgpError, Passphrase, SigningKey};
use crate::core::model::{Project, Recipient, SigningKeyRef};
use crate::core::notice::{self, Failure, ServerError};
use crate::core::ops::OpError;
use crate::core::playbook::Playbook;
use crate::core::ports::Watch;
use crate::core::render::mail::{self as mails, Draft, MailError};
use crate::workflows::keys::{self, KeyRequest};

/// The largest template override read: a mail template is a few KiB.
const MAX_TEMPLATE: u64 = 1 << 20;

/// The largest patch attached: a security fix is a few KiB; a larger file
/// is not one a notice should carry.
pub const MAX_PATCH: u64 = 16 << 20;

/// Where the notice goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Saved as an `.eml` file in this directory, for a mail client.
    Eml(PathBuf),
    /// Sent by SMTP submission.
    Send {
        /// The server as `HOST:PORT`, instead of the project's.
        smtp: Option<String>,
        /// A PEM file with the user's own CA, instead of the project's
        /// `smtp_ca`.
        ca: Option<PathBuf>,
    },
}

/// What to deliver.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The project.
    pub project: &'a Project,
    /// Its playbook.
    pub playbook: &'a Playbook,
    /// The project file, when it is saved: overrides are read and drafts
    /// kept beside it, a relative `smtp_ca` is taken from its directory.
    pub project_file: Option<&'a Path>,
    /// The issue's ID.
    pub issue: &'a str,
    /// The template's name.
    pub template: &'a str,
    /// The recipients, comma separated (names, addresses or roles); empty:
    /// the template's roles.
    pub to: &'a str,
    /// Why the mail goes before the release is marked published (journaled).
    pub before_publication: Option<&'a str>,
    /// A download password the mail is to carry, with the list it belongs
    /// to when known: then it is carried only when the mail goes to exactly
    /// that list.
    pub share_password: Option<(Option<&'a str>, &'a str)>,
    /// Save or send.
    pub output: &'a Output,
    /// The present instant.
    pub now: DateTime<Utc>,
    /// The subject and body as the user edited them (the app's notice
    /// window): they replace the rendered ones before anything is checked,
    /// signed, sent or journaled. `None`: the rendered text as it is.
    pub edited: Option<Edited<'a>>,
    /// The key of the step the mail was composed for: sending it settles
    /// that step.
    pub step: Option<&'a str>,
}

/// A subject and body edited before sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edited<'a> {
    /// The subject line.
    pub subject: &'a str,
    /// The plain-text body.
    pub body: &'a str,
}

/// Put the user's `edited` subject and body into the rendered `draft`: a
/// subject is one line (line breaks become spaces, so no header can be
/// smuggled in), a body ends with a line break. Returns whether anything
/// changed.
pub fn apply_edit(draft: &mut Draft, edited: &Edited<'_>) -> bool {
    let subject = edited
        .subject
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut body = edited.body.replace("\r\n", "\n").replace('\r', "\n");
    if !body.ends_with('\n') {
        body.push('\n');
    }
    let changed = subject != draft.subject || body != draft.body;
    draft.subject = subject;
    draft.body = body;
    changed
}

/// The secrets a delivery may need, asked only when needed. The CLI reads
/// them from file descriptors or the terminal; the app hands over what was
/// typed.
pub trait Secrets {
    /// The signing key's passphrase given up front, if any.
    fn passphrase(&mut self) -> Result<Option<Passphrase>, String>;
    /// Asked when the key needs a passphrase and none was given: one typed
    /// now, or `None` when none can be asked (the key's error stands).
    fn ask_passphrase(&mut self, _fingerprint: &str) -> Result<Option<Passphrase>, String> {
        Ok(None)
    }
    /// The password of the SMTP login `user` at `host`; asked only when the
    /// project logs in.
    fn smtp_password(&mut self, user: &str, host: &str) -> Result<Option<SmtpPassword>, String>;
}

/// Secrets handed over whole, as the app's notice window does.
#[derive(Debug, Default)]
pub struct Given {
    /// The key's passphrase typed.
    pub passphrase: Option<Passphrase>,
    /// The SMTP password typed.
    pub smtp_password: Option<SmtpPassword>,
}

impl Secrets for Given {
    fn passphrase(&mut self) -> Result<Option<Passphrase>, String> {
        Ok(self.passphrase.take())
    }

    fn smtp_password(&mut self, _user: &str, _host: &str) -> Result<Option<SmtpPassword>, String> {
        Ok(self.smtp_password.take())
    }
}

/// A notice could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// No such issue.
    #[error(transparent)]
    Issue(#[from] OpError),
    /// The template is unknown or does not render, or a recipient is unknown.
    #[error(transparent)]
    Template(#[from] MailError),
    /// The project's override of the template exists but cannot be read.
    #[error(
        "cannot read the template override {}: {why}; fix or remove it (without it the shipped template is used)", .path.display()
    )]
    Override {
        /// The override file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The mail fails checks: nothing was sent or saved.
    #[error("the mail `{subject}` is refused, nothing was sent or saved; it fails {}:\n{}", count(.failures), list(.failures))]
    Refused {
        /// The mail's subject.
        subject: String,
        /// The checks it fails.
        failures: Vec<Failure>,
    },
    /// The SMTP server cannot be used.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// A secret could not be had.
    #[error("{0}")]
    Secret(String),
    /// The mail could not be composed (signed, encrypted) or saved.
    #[error(transparent)]
    Mail(#[from] SendError),
    /// The patch the mail is to carry cannot be had.
    #[error("cannot attach the patch {file}: {why}; nothing was sent or saved")]
    Patch {
        /// The attachment's file name.
        file: String,
        /// Why, and what to do.
        why: String,
    },
    /// The user stopped it before it left.
    #[error("stopped: the mail was not sent")]
    Cancelled,
    /// Sending failed; the mail is kept as a draft.
    #[error("{error}\nThe mail was not sent; it is kept as a draft in {}", .draft.display())]
    NotSent {
        /// Why it was not sent.
        error: SendError,
        /// The draft beside the project.
        draft: PathBuf,
    },
    /// Sending failed, and the draft could not be kept either.
    #[error("{error}\nThe mail was not sent, and the draft could not be saved either: {kept}")]
    NotSentNoDraft {
        /// Why it was not sent.
        error: SendError,
        /// Why the draft is not kept.
        kept: String,
    },
}

fn count(failures: &[Failure]) -> String {
    match failures.len() {
        1 => "1 check".to_owned(),
        n => format!("{n} checks"),
    }
}

fn list(failures: &[Failure]) -> String {
    let lines: Vec<String> = failures.iter().map(|f| format!("  {f}")).collect();
    lines.join("\n")
}

/// A delivered notice.
#[derive(Debug)]
pub struct Delivered {
    /// The issue.
    pub issue: String,
    /// The mail as rendered.
    pub draft: Draft,
    /// The mail as composed (Message-ID, signed, encrypted, envelope).
    pub composed: Composed,
    /// The files attached (inside the encryption): the patch, when the
    /// mail carries it.
    pub attached: Vec<String>,
    /// Where it was saved as `.eml`; `None` when it was sent.
    pub saved: Option<PathBuf>,
    /// Warnings for the user (a key that cannot read its own copy,
    /// embargoed details in clear, a certificate that does not name its
    /// recipient).
    pub warnings: Vec<String>,
    /// The step it was composed for and whether it was edited.
    pub origin: notice::Origin,
}

impl Delivered {
    /// One line for the user: what left, to whom, or where it is saved.
    pub fn summary(&self) -> String {
        let how = match (self.composed.signed, self.composed.encrypted) {
            (_, true) => "signed and encrypted",
            (true, false) => "signed",
            _ => "plain",
        };
        match &self.saved {
            Some(p) => format!(
                "saved {how} mail “{}” as {}",
                self.draft.subject,
                p.display()
            ),
            None => format!(
                "sent {how} mail “{}” to {} ({})",
                self.draft.subject,
                self.composed.envelope_to().join(", "),
                self.composed.message_id
            ),
        }
    }
}

/// Where a mail that could not be sent is kept: `drafts/` beside the
/// project file.
pub fn drafts_dir(project_file: &Path) -> PathBuf {
    project_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("drafts")
}

/// The project's own override of template `name` (a known template's name:
/// the caller checked it), if it has one. One that exists but is not a
/// regular file, is too large or cannot be read is an error.
pub fn override_text(project_file: &Path, name: &str) -> Result<Option<String>, NoticeError> {
    let dir = project_file.parent().unwrap_or(Path::new("."));
    let path = dir.join("templates").join(format!("{name}.txt.j2"));
    let bad = |why: String| NoticeError::Override {
        path: path.clone(),
        why,
    };
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(bad(e.to_string())),
        Ok(m) if !m.is_file() => return Err(bad("it is not a regular file".to_owned())),
        Ok(m) if m.len() > MAX_TEMPLATE => {
            return Err(bad("it is larger than 1 MiB".to_owned()));
        }
        Ok(_) => {}
    }
    let mut text = String::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_TEMPLATE + 1).read_to_string(&mut text))
        .map_err(|e| bad(e.to_string()))?;
    if text.len() as u64 > MAX_TEMPLATE {
        return Err(bad("it is larger than 1 MiB".to_owned()));
    }
    Ok(Some(text))
}

/// The download password a mail to `to` carries: one handed over for a
/// list only when the mail goes to exactly that list, one given without a
/// list (the command line's) always.
pub fn carried<'a>(
    to: &[Recipient],
    share_password: Option<(Option<&str>, &'a str)>,
) -> Option<&'a str> {
    match share_password {
        Some((Some(list), password)) => match to {
            [only] if only.name == list => Some(password),
            _ => None,
        },
        Some((None, password)) => Some(password),
        None => None,
    }
}

/// Render the notice of `request` (with the project's override) and check
/// it with everything verified; nothing leaves. The checked draft, or why
/// it is refused.
pub fn prepare(request: &Request<'_>) -> Result<Draft, NoticeError> {
    prepare_edited(request).map(|(draft, _)| draft)
}

/// [`prepare`], and whether the user's edit changed the rendered text.
fn prepare_edited(request: &Request<'_>) -> Result<(Draft, bool), NoticeError> {
    let project = request.project;
    let issue = project
        .issue(request.issue)
        .ok_or_else(|| OpError::NoIssue(request.issue.to_owned()))?;
    if mails::template(request.template).is_none() {
        return Err(MailError::UnknownTemplate(request.template.to_owned()).into());
    }
    let to = mails::pick_recipients(project, request.to)?;
    let custom = match request.project_file {
        Some(file) => override_text(file, request.template)?,
        None => None,
    };
    let share = carried(&to, request.share_password);
    let mut draft = mails::render(
        project,
        request.playbook,
        issue,
        request.template,
        custom.as_deref(),
        &to,
        share,
        request.now,
    )?;
    draft.before_publication = request.before_publication.map(str::to_owned);
    let edited = request
        .edited
        .is_some_and(|edited| apply_edit(&mut draft, &edited));
    let failures = transport::check(project, issue, &draft, share, request.now);
    if !failures.is_empty() {
        return Err(NoticeError::Refused {
            subject: draft.subject,
            failures,
        });
    }
    Ok((draft, edited))
}

/// What a user should know about `draft` before and after it leaves,
/// although it passes the checks: embargoed details going out in clear
/// ([`notice::unencrypted_embargoed`]), a patch the mail carries that is
/// not available yet or withheld because the mail is not encrypted
/// ([`notice::patch_warning`]), and every recipient whose
/// certificate does not name their address
/// ([`crate::adapters::openpgp::mime::cert_mismatch`]). `embargo mail`
/// prints them as warnings; the app asks before it sends in clear and
/// flags the certificates in its windows.
pub fn notice_warnings(project: &Project, issue: &str, draft: &Draft) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(issue) = project.issue(issue)
        && let Some(w) = notice::unencrypted_embargoed(project, issue, draft)
    {
        out.push(w);
    }
    if let Some(w) = notice::patch_warning(draft) {
        out.push(w);
    }
    for r in &draft.recipients {
        if let Some(w) = crate::adapters::openpgp::mime::cert_mismatch(r) {
            out.push(w);
        }
    }
    out
}

/// Unlock the project's signing key through [`keys::unlock`], the one
/// unlock sequence of every operation: with the passphrase `secrets` gives
/// up front, or else, when the key asks for one, with one asked then.
fn unlock(
    key: &SigningKeyRef,
    secrets: &mut dyn Secrets,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<(Cert, SigningKey), NoticeError> {
    let source = KeySource::from_project(key);
    let given = secrets.passphrase().map_err(NoticeError::Secret)?;
    let asked_for = given.is_none();
    let unlocked = match keys::unlock(KeyRequest::new(source.clone(), given), now, watch) {
        Err(OpenPgpError::PassphraseNeeded { fingerprint }) if asked_for => {
            match secrets
                .ask_passphrase(&fingerprint)
                .map_err(NoticeError::Secret)?
            {
                Some(p) => keys::unlock(KeyRequest::new(source, Some(p)), now, watch),
                None => Err(OpenPgpError::PassphraseNeeded { fingerprint }),
            }
        }
        other => other,
    }
    .map_err(SendError::from)?;
    Ok((unlocked.cert, unlocked.key))
}

/// The SMTP server, login and trusted CA for sending `request`'s mail.
fn smtp_settings(
    request: &Request<'_>,
    smtp: Option<&str>,
    ca: Option<&Path>,
    secrets: &mut dyn Secrets,
) -> Result<SmtpSettings, NoticeError> {
    let mail = &request.project.mail;
    let (host, port) = notice::smtp_server(mail, smtp)?;
    let mut settings = SmtpSettings {
        host,
        port,
        user: mail.smtp_user.clone(),
        password: None,
        ca: transport::ca_file(mail, ca, request.project_file.and_then(Path::parent)),
    };
    if !settings.user.is_empty() {
        settings.password = secrets
            .smtp_password(&settings.user, &settings.host)
            .map_err(NoticeError::Secret)?;
    }
    Ok(settings)
}

/// Deliver the notice of `request`: render, check, sign (and encrypt), then
/// save it as `.eml` or send it; when sending fails keep it as a draft in
/// `drafts/` beside the project file. The project is not changed: the
/// caller records the result with [`record`]. Blocking (bcrypt, the key,
/// the network): never on the UI thread.
pub fn deliver(
    request: &Request<'_>,
    secrets: &mut dyn Secrets,
    watch: &dyn Watch,
) -> Result<Delivered, NoticeError> {
    watch.say("checking");
    let (draft, edited) = prepare_edited(request)?;
    // Where it goes is settled before the key is unlocked.
    let server = match request.output {
        Output::Eml(_) => None,
        Output::Send { smtp, ca } => Some((smtp.as_deref(), ca.as_deref())),
    };
    if let Some((smtp, _)) = server {
        notice::smtp_server(&request.project.mail, smtp)?;
    }
    if watch.is_cancelled() {
        return Err(NoticeError::Cancelled);
    }
    // The patch is read before the key is unlocked: a patch that cannot be
    // had stops the mail before anything is signed.
    let attachments = match draft.patch.as_ref().filter(|p| p.attached) {
        Some(plan) => {
            watch.say("reading the patch");
            vec![patch_attachment(request, plan)?]
        }
        None => Vec::new(),
    };
    let key = match &request.project.signing {
        Some(k) => {
            watch.say("signing");
            Some(unlock(k, secrets, request.now, watch)?)
        }
        None => None,
    };
    let (composed, mut warnings) = {
        let mut key = key;
        let key = key.as_mut().map(|(c, k)| (&*c, k));
        transport::compose_for_project(request.project, &draft, key, &attachments, request.now)?
    };
    if !attachments.is_empty() && !composed.encrypted {
        // compose refuses this already; never let a patch out in clear.
        return Err(NoticeError::Patch {
            file: attachments[0].file_name.clone(),
            why: "the mail would not be encrypted".to_owned(),
        });
    }
    warnings.extend(notice_warnings(request.project, request.issue, &draft));
    let origin = notice::Origin {
        step: request.step.map(str::to_owned),
        edited,
    };
    let done = |saved| Delivered {
        issue: request.issue.to_owned(),
        draft: draft.clone(),
        composed: composed.clone(),
        attached: attachments.iter().map(|a| a.file_name.clone()).collect(),
        saved,
        warnings: warnings.clone(),
        origin: origin.clone(),
    };
    let Some((smtp, ca)) = server else {
        let Output::Eml(dir) = request.output else {
            unreachable!("no server: an .eml file")
        };
        watch.say("saving");
        let path = transport::save_eml(dir, &draft.template, &composed)?;
        return Ok(done(Some(path)));
    };
    let settings = smtp_settings(request, smtp, ca, secrets)?;
    if watch.is_cancelled() {
        return Err(NoticeError::Cancelled);
    }
    match transport::send(&settings, &composed, watch) {
        Ok(()) => Ok(done(None)),
        Err(error) => Err(keep_draft(request, &draft, &composed, error)),
    }
}

/// The patch of `plan` as an attachment: the release's patch file, read
/// without following a link, refused outside the project's directory (the
/// directory of the project file, where the build puts its
/// `NAME-VERSION-release/` directory) and when it is not the file the
/// release records (size or SHA-256); else the issue's fix commits from
/// the project's repository, format-patch style
/// ([`crate::adapters::git::commits_patch`]).
pub fn patch_attachment(
    request: &Request<'_>,
    plan: &notice::PatchPlan,
) -> Result<transport::Attachment, NoticeError> {
    let bad = |why: String| NoticeError::Patch {
        file: plan.file_name.clone(),
        why,
    };
    let bytes = match &plan.source {
        None => return Err(bad("no patch is available".to_owned())),
        Some(notice::PatchSource::Artifact { path, size, sha256 }) => {
            read_patch_file(request.project_file, Path::new(path), *size, sha256).map_err(bad)?
        }
        Some(notice::PatchSource::FixCommits(ids)) => {
            use crate::adapters::git;
            let dir = git::repo_dir(request.project_file, &request.project.repo.path)
                .map_err(|e| bad(e.to_string()))?;
            let repo = git::open(&dir.display().to_string()).map_err(|e| bad(e.to_string()))?;
            git::commits_patch(&repo, ids).map_err(|e| {
                bad(format!(
                    "the fix commits cannot be made into a patch ({e}); check the fix commits recorded, or build the release's files (`embargo artifacts`) for a patch file"
                ))
            })?
        }
    };
    Ok(transport::Attachment {
        file_name: plan.file_name.clone(),
        content_type: transport::PATCH_TYPE.to_owned(),
        bytes,
    })
}

/// Read the release's patch file `path` (relative: from the project file's
/// directory) safely: see [`patch_attachment`].
fn read_patch_file(
    project_file: Option<&Path>,
    path: &Path,
    size: u64,
    sha256: &str,
) -> Result<Vec<u8>, String> {
    use sha2::Digest as _;
    let Some(file) = project_file else {
        return Err(
            "the project is not saved, so it has no directory for its files; save it first"
                .to_owned(),
        );
    };
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = dir.canonicalize().map_err(|e| {
        format!(
            "the project's directory {} cannot be read ({e})",
            dir.display()
        )
    })?;
    let full = if path.is_relative() {
        dir.join(path)
    } else {
        path.to_owned()
    };
    let outside = || {
        format!(
            "{} is outside the project's directory {}; the release's patch is read only from there (where `embargo artifacts` writes it)",
            full.display(),
            root.display()
        )
    };
    let parent = full.parent().ok_or_else(outside)?;
    let name = full.file_name().ok_or_else(outside)?;
    // Links in the directories are resolved and must stay inside; the file
    // itself is opened without following one.
    let parent = parent
        .canonicalize()
        .map_err(|e| format!("{} cannot be read ({e})", full.display()))?;
    if !parent.starts_with(&root) {
        return Err(outside());
    }
    let target = parent.join(name);
    let mut f = crate::adapters::outfile::open_nofollow(&target)
        .map_err(|e| format!("{} cannot be read: {e}", target.display()))?
        .ok_or_else(|| {
            format!(
                "{} does not exist; build the release's files again (`embargo artifacts`)",
                target.display()
            )
        })?;
    let mut bytes = Vec::new();
    f.by_ref()
        .take(MAX_PATCH + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{} cannot be read: {e}", target.display()))?;
    if bytes.len() as u64 > MAX_PATCH {
        return Err(format!(
            "{} is larger than 16 MiB, too large to mail",
            target.display()
        ));
    }
    let sha = crate::adapters::hex(&sha2::Sha256::digest(&bytes));
    if bytes.len() as u64 != size || !sha.eq_ignore_ascii_case(sha256.trim()) {
        return Err(format!(
            "{} is not the file the release records (its size or SHA-256 differs): it changed since it was built; build and sign the release's files again",
            target.display()
        ));
    }
    Ok(bytes)
}

/// Keep a mail that could not be sent in `drafts/` beside the project.
fn keep_draft(
    request: &Request<'_>,
    draft: &Draft,
    composed: &Composed,
    error: SendError,
) -> NoticeError {
    let Some(file) = request.project_file else {
        return NoticeError::NotSentNoDraft {
            error,
            kept: "the project is not saved yet, so it has no drafts directory; save it first"
                .to_owned(),
        };
    };
    match transport::save_eml(&drafts_dir(file), &draft.template, composed) {
        Ok(draft) => NoticeError::NotSent { error, draft },
        Err(e) => NoticeError::NotSentNoDraft {
            error,
            kept: e.to_string(),
        },
    }
}

/// Journal `delivered` in its issue (and its recipients' notice state when
/// it was sent), with a reason to send before publication if one was given.
pub fn record(
    project: &mut Project,
    delivered: &Delivered,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let issue = project
        .issue_mut(&delivered.issue)
        .ok_or_else(|| OpError::NoIssue(delivered.issue.clone()))?;
    let id = &delivered.composed.message_id;
    let origin = &delivered.origin;
    match &delivered.saved {
        None => notice::record_sent_from(issue, &delivered.draft, id, now, origin),
        Some(path) => {
            notice::record_saved_from(
                issue,
                &delivered.draft,
                id,
                &path.display().to_string(),
                now,
                origin,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Unwatched;

    fn example() -> (tempfile::TempDir, PathBuf, Project, Playbook) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("p.embargo.ron");
        let mut p = crate::adapters::store::example().expect("example");
        p.signing = None;
        p.mail.smtp_user.clear();
        let playbook = crate::adapters::playbooks::load(&p.playbook, None).expect("playbook");
        (dir, file, p, playbook)
    }

    fn request<'a>(
        p: &'a Project,
        playbook: &'a Playbook,
        file: &'a Path,
        output: &'a Output,
    ) -> Request<'a> {
        Request {
            project: p,
            playbook,
            project_file: Some(file),
            issue: "POSTBOTE-2",
            template: "advance-notice",
            to: "",
            before_publication: None,
            share_password: None,
            output,
            now: DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
                .expect("valid")
                .to_utc(),
            edited: None,
            step: None,
        }
    }

    #[test]
    fn an_override_that_cannot_be_read_is_an_error_not_the_shipped_text() {
        let (dir, file, p, playbook) = example();
        let out = Output::Eml(dir.path().join("out"));
        let r = request(&p, &playbook, &file, &out);
        // Present but a directory: refused, nothing saved.
        let templates = dir.path().join("templates");
        std::fs::create_dir_all(templates.join("advance-notice.txt.j2")).expect("dir");
        let e = deliver(&r, &mut Given::default(), &Unwatched).expect_err("refused");
        assert!(matches!(e, NoticeError::Override { .. }), "{e}");
        assert!(e.to_string().contains("advance-notice.txt.j2"), "{e}");
        assert!(!dir.path().join("out").exists());
        // A readable one is used.
        std::fs::remove_dir(templates.join("advance-notice.txt.j2")).expect("removed");
        std::fs::write(
            templates.join("advance-notice.txt.j2"),
            "Subject: [vs] our own words\n\nHello {{ issue.id }}\n",
        )
        .expect("written");
        let subject = match prepare(&r) {
            Ok(draft) => draft.subject,
            Err(NoticeError::Refused { subject, .. }) => subject,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(subject, "[vs] our own words");
    }

    #[test]
    fn the_edited_text_is_what_is_checked_and_saved() {
        let (dir, file, p, playbook) = example();
        let out = Output::Eml(dir.path().join("out"));
        let mut r = request(&p, &playbook, &file, &out);
        let rendered = prepare(&r).expect("the rendered notice passes");
        let body = format!("{}Edited line.\n", rendered.body);
        r.edited = Some(Edited {
            subject: "Our own\r\nBcc: x@evil.example",
            body: &body,
        });
        r.step = Some("advance_notice");
        let d = deliver(&r, &mut Given::default(), &Unwatched).expect("saved");
        assert_eq!(d.draft.subject, "Our own Bcc: x@evil.example");
        assert!(d.draft.body.ends_with("Edited line.\n"));
        assert!(d.origin.edited);
        let saved = std::fs::read_to_string(d.saved.as_ref().expect("eml")).expect("read");
        assert!(saved.contains("Edited line."), "{saved}");
        assert!(!saved.contains("\nBcc: x@evil"), "{saved}");
        // The edit is checked: a body that no longer states the release
        // date of a distros notice is refused.
        let mut r = request(&p, &playbook, &file, &out);
        r.template = "distros-notice";
        r.to = "maintainers";
        r.edited = Some(Edited {
            subject: "[vs] x",
            body: "no date here\n",
        });
        match prepare(&r) {
            Err(NoticeError::Refused { failures, .. }) => {
                assert!(
                    failures.iter().any(|f| f.check == "release-stated"),
                    "{failures:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_server_without_a_port_is_refused_before_anything_is_signed_or_kept() {
        let (dir, file, p, playbook) = example();
        let out = Output::Send {
            smtp: Some("127.0.0.1".into()),
            ca: None,
        };
        let r = request(&p, &playbook, &file, &out);
        let e = deliver(&r, &mut Given::default(), &Unwatched).expect_err("refused");
        assert!(
            matches!(e, NoticeError::Server(ServerError::NotHostPort(_))),
            "{e}"
        );
        assert!(!dir.path().join("drafts").exists(), "nothing kept");
    }
}
