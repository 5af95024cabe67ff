//! Outgoing mail with lettre: a [`Draft`] made into an RFC 5322 message
//! (plain, PGP/MIME signed, or PGP/MIME signed and encrypted, RFC 3156;
//! an encrypted one may carry [`Attachment`]s, the patch, in a
//! `multipart/mixed` inside the encryption, never a plain or signed one),
//! saved as an `.eml` file for the user's own mail client, or sent by SMTP
//! submission. Sending uses STARTTLS (port 587) or implicit TLS (port 465);
//! plain SMTP is allowed only to this machine (`localhost`, `127.0.0.1`,
//! `::1`), and even there STARTTLS is used when the server offers it. The
//! server's certificate must be signed by a CA in Mozilla's list of roots
//! or by the user's own CA (a PEM file: `--smtp-ca FILE`, or the project's
//! `smtp_ca`). [`check`] runs a notice's checks with everything verified
//! (certificates, the download password against its bcrypt hash), for
//! both front ends. The SMTP password is asked each time, held in a
//! [`SmtpPassword`] that is zeroized when dropped and never printed, and
//! never stored.

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::openpgp::{Cert, OpenPgpError, SigningKey, mime};
use crate::core::model::{Issue, MailSettings, Project, Recipient, ShareCredential};
use crate::core::notice::{self, Failure, Verify};
use crate::core::ports::Watch;
use crate::core::render::mail::{Draft, address_of};

/// How long one SMTP conversation may take before it is given up.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// An SMTP password the user typed: zeroized when dropped, never printed
/// (its `Debug` shows nothing of it), never written anywhere.
pub struct SmtpPassword(zeroize::Zeroizing<String>);

impl SmtpPassword {
    /// Take ownership of a typed password.
    pub fn new(text: String) -> Self {
        Self(zeroize::Zeroizing::new(text))
    }

    /// Read a password from a reader (a file descriptor in the CLI): the
    /// first line, without its line ending.
    pub fn read_from(reader: impl std::io::Read) -> std::io::Result<Self> {
        super::read_secret_line(reader, "password").map(Self)
    }
}

impl std::fmt::Debug for SmtpPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpPassword(..)")
    }
}

/// Where and how to submit mail.
#[derive(Debug)]
pub struct SmtpSettings {
    /// The submission host.
    pub host: String,
    /// Its port: 587 (STARTTLS), 465 (implicit TLS), or any port on
    /// this machine (plain).
    pub port: u16,
    /// The user name; empty for no login.
    pub user: String,
    /// The password, when logging in.
    pub password: Option<SmtpPassword>,
    /// A PEM file with the user's own CA certificate, trusted besides the
    /// usual roots.
    pub ca: Option<PathBuf>,
}

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// No TLS required: only to this machine. STARTTLS is still used when
    /// the server offers it.
    Plain,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte (SMTPS, port 465).
    ImplicitTls,
}

impl SmtpSettings {
    /// Whether the host is this machine.
    pub fn is_local(&self) -> bool {
        matches!(
            self.host.trim_matches(['[', ']']),
            "localhost" | "127.0.0.1" | "::1"
        )
    }

    /// The protection used: plain allowed on this machine (with STARTTLS
    /// when offered), implicit TLS on port 465, STARTTLS otherwise.
    pub fn security(&self) -> Security {
        if self.is_local() {
            Security::Plain
        } else if self.port == 465 {
            Security::ImplicitTls
        } else {
            Security::StartTls
        }
    }
}

/// A mail could not be composed, saved or sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// An address does not parse.
    #[error(
        "`{address}` is not a valid mail address ({reason}); correct it in the recipients or the template"
    )]
    Address {
        /// The address.
        address: String,
        /// The parser's reason.
        reason: String,
    },
    /// The project has no sender.
    #[error(
        "the project has no sender address; set it in {} (e.g. `Security <security@example.org>`)",
        crate::core::settings::MAIL_FROM
    )]
    NoSender,
    /// The message could not be built.
    #[error("cannot build the message: {0}")]
    Build(String),
    /// Signing or encryption failed.
    #[error(transparent)]
    OpenPgp(#[from] OpenPgpError),
    /// The `.eml` file could not be written.
    #[error("cannot write {}: {source}; check the directory's permissions and free space", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// No connection to the server.
    #[error(
        "cannot connect to the SMTP server {host}:{port}: {reason}; check the host and port, and that the server runs"
    )]
    Connect {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Why.
        reason: String,
    },
    /// The server's certificate is not accepted.
    #[error("the SMTP server {host}:{port} cannot be trusted: {explained} ({reason})")]
    Certificate {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// What is wrong and what to do, in plain words.
        explained: String,
        /// The TLS library's reason.
        reason: String,
    },
    /// The CA certificate file to trust cannot be used.
    #[error(
        "cannot use the CA certificate {}: {reason}; give a PEM file holding your CA's certificate (`-----BEGIN CERTIFICATE-----`)", .path.display()
    )]
    CaFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The server refused the login.
    #[error(
        "the SMTP server {host}:{port} refused the login of `{user}`: {reason}; check the user name and password"
    )]
    Auth {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// The user name.
        user: String,
        /// The server's answer.
        reason: String,
    },
    /// The server refused the mail or the conversation failed.
    #[error("the SMTP server {host}:{port} did not take the mail: {reason}")]
    Refused {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// The server's answer.
        reason: String,
    },
    /// Plain SMTP to another machine was asked for.
    #[error("refusing plain SMTP to {0}: use port 587 (STARTTLS) or 465 (TLS)")]
    Insecure(String),
}

/// A composed mail, ready to save or send.
#[derive(Clone, Debug)]
pub struct Composed {
    /// Its `Message-ID`, with angle brackets.
    pub message_id: String,
    /// When it was dated.
    pub date: DateTime<Utc>,
    /// The message as sent: no `Bcc:` header.
    pub message: Message,
    /// The message as saved: with the `Bcc:` header, for a mail client.
    pub draft: Message,
    /// Whether it is signed.
    pub signed: bool,
    /// Whether it is encrypted.
    pub encrypted: bool,
}

impl Composed {
    /// The envelope recipients (To, Cc and Bcc).
    pub fn envelope_to(&self) -> Vec<String> {
        self.message
            .envelope()
            .to()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

fn mailbox(text: &str) -> Result<Mailbox, SendError> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|e| SendError::Address {
            address: text.to_owned(),
            reason: e.to_string(),
        })
}

/// A fresh `Message-ID` in the sender's domain.
pub fn new_message_id(from: &str, now: DateTime<Utc>) -> String {
    let domain = address_of(from)
        .rsplit_once('@')
        .map(|(_, d)| d.to_owned())
        .unwrap_or_else(|| "embargo.invalid".to_owned());
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(now.timestamp_nanos_opt().unwrap_or_default() as u128);
    h.write_u32(std::process::id());
    format!(
        "<{}.{:016x}.embargo@{domain}>",
        now.format("%Y%m%d%H%M%S"),
        h.finish()
    )
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn content_type(s: &str) -> Result<ContentType, SendError> {
    ContentType::parse(s).map_err(|e| SendError::Build(format!("content type {s}: {e}")))
}

/// A file attached to a mail: only ever inside the encrypted part.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name (one plain name, see
    /// [`crate::core::model::safe_file_name`]).
    pub file_name: String,
    /// Its MIME type, e.g. `text/x-diff`.
    pub content_type: String,
    /// Its bytes, sent base64-encoded so that they arrive unchanged.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // An embargoed patch is not for logs: its name and size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Attachment({}, {}, {} bytes)",
            self.file_name,
            self.content_type,
            self.bytes.len()
        )
    }
}

/// The MIME type a patch is attached with (as mail clients label
/// `git format-patch` output).
pub const PATCH_TYPE: &str = "text/x-diff";

/// The part that is signed (and encrypted): the text alone, or, with
/// attachments, a `multipart/mixed` of the text and each attachment
/// (base64, with its file name).
fn content_bytes(text_part: &SinglePart, attachments: &[Attachment]) -> Result<Vec<u8>, SendError> {
    use lettre::message::header::ContentTransferEncoding;
    if attachments.is_empty() {
        return Ok(text_part.formatted());
    }
    let mut mixed = MultiPart::mixed().singlepart(text_part.clone());
    for a in attachments {
        let name = crate::core::model::safe_file_name(&a.file_name)
            .map_err(|e| SendError::Build(format!("attachment name: {e}")))?;
        let body = lettre::message::Body::new_with_encoding(
            a.bytes.clone(),
            ContentTransferEncoding::Base64,
        )
        .map_err(|_| SendError::Build(format!("cannot encode the attachment {name}")))?;
        let ctype = content_type(&format!("{}; name=\"{name}\"", a.content_type))?;
        mixed =
            mixed.singlepart(lettre::message::Attachment::new(name.to_owned()).body(body, ctype));
    }
    Ok(mixed.formatted())
}

/// Compose `draft` from `from`. With `key` the mail is PGP/MIME signed;
/// with `key` and `encrypt_to` it is signed and encrypted to those
/// certificates (the caller adds the sender's own). `attachments` go only
/// into an encrypted mail: asked for one that is not, it is refused.
pub fn compose(
    from: &str,
    draft: &Draft,
    key: Option<&mut SigningKey>,
    encrypt_to: Option<&[mime::EncryptTo]>,
    attachments: &[Attachment],
    now: DateTime<Utc>,
) -> Result<Composed, SendError> {
    if !attachments.is_empty() && (key.is_none() || encrypt_to.is_none()) {
        return Err(SendError::Build(format!(
            "refusing to attach {} to a mail that is not encrypted: an embargoed file never leaves in clear",
            attachments
                .iter()
                .map(|a| a.file_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if from.trim().is_empty() {
        return Err(SendError::NoSender);
    }
    let from_box = mailbox(from)?;
    let message_id = new_message_id(from, now);
    let text_part = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(crlf(&crate::core::render::mail::wrap_body(&draft.body)));
    let (body, signed, encrypted): (Option<MultiPart>, bool, bool) = match (key, encrypt_to) {
        (None, Some(_)) => {
            return Err(SendError::Build(
                "an encrypted mail must also be signed: set up the project's signing key".into(),
            ));
        }
        (None, None) => (None, false, false),
        (Some(key), None) => {
            let mut bytes = text_part.formatted();
            // The CRLF before the next boundary belongs to the boundary.
            bytes.truncate(bytes.len().saturating_sub(2));
            let sig = mime::sign_part(key, &bytes)?;
            let multi = MultiPart::signed(
                "application/pgp-signature".to_owned(),
                mime::MICALG.to_owned(),
            )
            .singlepart(text_part.clone())
            .singlepart(
                SinglePart::builder()
                    .header(content_type(
                        "application/pgp-signature; name=\"signature.asc\"",
                    )?)
                    .body(sig),
            );
            (Some(multi), true, false)
        }
        (Some(key), Some(certs)) => {
            let bytes = content_bytes(&text_part, attachments)?;
            let armored = mime::sign_and_encrypt(key, certs, &bytes, SystemTime::from(now))?;
            let multi = MultiPart::encrypted("application/pgp-encrypted".to_owned())
                .singlepart(
                    SinglePart::builder()
                        .header(content_type("application/pgp-encrypted")?)
                        .body(String::from("Version: 1\r\n")),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(content_type(
                            "application/octet-stream; name=\"encrypted.asc\"",
                        )?)
                        .body(armored),
                );
            (Some(multi), true, true)
        }
    };
    let build = |keep_bcc: bool| -> Result<Message, SendError> {
        let mut b = Message::builder()
            .from(from_box.clone())
            .subject(draft.subject.clone())
            .message_id(Some(message_id.clone()))
            .date(SystemTime::from(now))
            .header(UserAgent);
        if let Some(id) = &draft.in_reply_to {
            // A reply to the report: threaded under it.
            b = b.in_reply_to(id.clone()).references(id.clone());
        }
        for m in &draft.to {
            b = b.to(mailbox(m)?);
        }
        for m in &draft.cc {
            b = b.cc(mailbox(m)?);
        }
        for m in &draft.bcc {
            b = b.bcc(mailbox(m)?);
        }
        if draft.to.is_empty() && draft.cc.is_empty() {
            // Bcc only: address the sender, as mail clients do.
            b = b.to(from_box.clone());
        }
        if keep_bcc {
            b = b.keep_bcc();
        }
        match &body {
            Some(multi) => b.multipart(multi.clone()),
            None => b.singlepart(text_part.clone()),
        }
        .map_err(|e| SendError::Build(e.to_string()))
    };
    Ok(Composed {
        message: build(false)?,
        draft: build(true)?,
        message_id,
        date: now,
        signed,
        encrypted,
    })
}

/// Whether `recipient`'s certificate can be encrypted to at `now`, for
/// [`crate::core::notice::check`].
pub fn cert_usable(recipient: &Recipient, now: DateTime<Utc>) -> Result<(), String> {
    mime::usable_for_mail(recipient.cert.as_deref(), SystemTime::from(now))
}

/// Compose `draft` the way the project wants it: signed with the project's
/// key (`key`: its certificate and the unlocked key) when it has one, and
/// encrypted to every recipient plus the sender when one of them must get
/// encrypted mail; plain when the project has no key and nobody requires
/// encryption. `attachments` (the patch) go only into an encrypted mail.
/// Returns the mail and warnings for the user.
pub fn compose_for_project(
    project: &Project,
    draft: &Draft,
    key: Option<(&Cert, &mut SigningKey)>,
    attachments: &[Attachment],
    now: DateTime<Utc>,
) -> Result<(Composed, Vec<String>), SendError> {
    let clock = SystemTime::from(now);
    let from = &project.mail.from;
    let Some((cert, key)) = key else {
        if draft.must_encrypt() {
            return Err(SendError::Build(format!(
                "the mail must be signed and encrypted, but the project has no signing key; set one in {}",
                crate::core::settings::SIGNING_KEY
            )));
        }
        return Ok((
            compose(from, draft, None, None, attachments, now)?,
            Vec::new(),
        ));
    };
    if !draft.must_encrypt() {
        return Ok((
            compose(from, draft, Some(key), None, attachments, now)?,
            Vec::new(),
        ));
    }
    let mut certs = Vec::new();
    for r in &draft.recipients {
        let text = r.cert.as_deref().ok_or_else(|| {
            SendError::Build(format!(
                "{} has no certificate; import it under Project › Recipients",
                r.address
            ))
        })?;
        // Bcc recipients are anonymous in the encrypted message too.
        let bcc = draft
            .bcc
            .iter()
            .any(|m| address_of(m).eq_ignore_ascii_case(&r.address));
        certs.push(mime::EncryptTo {
            cert: mime::parse_cert(text.as_bytes())?,
            hidden: bcc,
        });
    }
    let mut warnings = Vec::new();
    // The sender's own copy stays readable, when their key can encrypt.
    if mime::encryption_key(cert, clock).is_ok() {
        certs.push(mime::EncryptTo {
            cert: cert.clone(),
            hidden: false,
        });
    } else {
        warnings.push(format!(
            "the signing key {} has no encryption subkey: the sent mail cannot be read with it",
            cert.fingerprint()
        ));
    }
    let composed = compose(from, draft, Some(key), Some(&certs), attachments, now)?;
    Ok((composed, warnings))
}

/// The `User-Agent` header.
#[derive(Clone, Debug)]
struct UserAgent;

impl lettre::message::header::Header for UserAgent {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("User-Agent")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(
            Self::name(),
            format!("Embargo/{}", env!("CARGO_PKG_VERSION")),
        )
    }
}

/// A file name for the draft of `composed` in `dir`: its date, template and
/// a part of its Message-ID, so that drafts never overwrite each other.
pub fn eml_path(dir: &Path, template: &str, composed: &Composed) -> PathBuf {
    let id: String = composed
        .message_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(30)
        .collect();
    dir.join(format!(
        "{}-{template}-{id}.eml",
        composed.date.format("%Y%m%dT%H%M%SZ")
    ))
}

/// Save `composed` (with its Bcc header) as an `.eml` file in `dir`,
/// creating the directory; returns the file's path. A mail holds embargoed
/// text: the file is private to the user (0600) like the project file,
/// written whole through a new temporary file and renamed into place
/// (never through a link, never over an existing file), so a failure
/// leaves no partial mail behind.
pub fn save_eml(dir: &Path, template: &str, composed: &Composed) -> Result<PathBuf, SendError> {
    use super::outfile;
    std::fs::create_dir_all(dir).map_err(|source| SendError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let path = eml_path(dir, template, composed);
    outfile::write(
        &path,
        &composed.draft.formatted(),
        outfile::PRIVATE,
        outfile::Existing::Keep,
    )
    .map_err(|source| SendError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Send `composed` by SMTP submission, telling `watch` what happens.
pub fn send(
    settings: &SmtpSettings,
    composed: &Composed,
    watch: &dyn Watch,
) -> Result<(), SendError> {
    let host = settings.host.trim().to_owned();
    let port = settings.port;
    let tls = tls_parameters(&host, port, settings.ca.as_deref())?;
    let mut builder = SmtpTransport::builder_dangerous(host.clone())
        .tls(match settings.security() {
            Security::Plain => Tls::Opportunistic(tls),
            Security::StartTls => Tls::Required(tls),
            Security::ImplicitTls => Tls::Wrapper(tls),
        })
        .port(port)
        .timeout(Some(SMTP_TIMEOUT));
    if !settings.user.is_empty() {
        let password = settings
            .password
            .as_ref()
            .map(|p| p.0.as_str().to_owned())
            .unwrap_or_default();
        builder = builder.credentials(Credentials::new(settings.user.clone(), password));
    }
    let transport = builder.build();
    watch.say(&format!("connecting to {host}:{port}"));
    let result = transport.send(&composed.message);
    match result {
        Ok(_) => {
            watch.say("sent");
            Ok(())
        }
        Err(e) => Err(classify(&e, settings)),
    }
}

/// The TLS parameters for `host`: Mozilla's roots, plus the CA in `ca`.
fn tls_parameters(host: &str, port: u16, ca: Option<&Path>) -> Result<TlsParameters, SendError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(path) = ca {
        builder = builder.add_root_certificate(read_ca(path)?);
    }
    builder.build().map_err(|e| SendError::Connect {
        host: host.to_owned(),
        port,
        reason: chain(&e),
    })
}

/// The largest CA file read: a few certificates.
const MAX_CA_FILE: u64 = 1 << 20;

/// Read a PEM file of CA certificates.
pub fn read_ca(path: &Path) -> Result<Certificate, SendError> {
    let bad = |reason: String| SendError::CaFile {
        path: path.to_owned(),
        reason,
    };
    let mut pem = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path).map_err(|e| bad(e.to_string()))?,
            MAX_CA_FILE + 1,
        ),
        &mut pem,
    )
    .map_err(|e| bad(e.to_string()))?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(bad(
            "it is larger than 1 MiB, too large for a CA file".to_owned()
        ));
    }
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(bad("it holds no PEM certificate".to_owned()));
    }
    Certificate::from_pem(&pem).map_err(|e| bad(chain(&e)))
}

/// The CA file to trust: `given` (the command line's or the notice
/// window's), else the project's `smtp_ca`; a relative path is taken from
/// the project file's directory `project_dir`.
pub fn ca_file(
    mail: &MailSettings,
    given: Option<&Path>,
    project_dir: Option<&Path>,
) -> Option<PathBuf> {
    let path = match given {
        Some(p) => p.to_owned(),
        None if !mail.smtp_ca.trim().is_empty() => {
            let p = PathBuf::from(mail.smtp_ca.trim());
            match project_dir {
                Some(d) if p.is_relative() => d.join(p),
                _ => p,
            }
        }
        None => return None,
    };
    Some(path)
}

/// Check `draft` for `issue` before it leaves, with everything verified:
/// each recipient's certificate fully, and the download password handed in
/// (`share_password`) against its list's stored bcrypt hash. Both front
/// ends check with this. Slow (bcrypt): never on the UI thread.
pub fn check(
    project: &Project,
    issue: &Issue,
    draft: &Draft,
    share_password: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<Failure> {
    let cert = |r: &Recipient| cert_usable(r, now);
    let password = |c: &ShareCredential| match share_password {
        Some(p) => super::share::password_matches(c, p),
        None => Err("no password was handed in".to_owned()),
    };
    notice::check(
        project,
        issue,
        draft,
        now,
        &Verify {
            cert: &cert,
            share_password: &password,
        },
    )
}

/// The plain words for a certificate the TLS library refused, if `reason`
/// is one.
fn explain_certificate(reason: &str, host: &str) -> Option<String> {
    let trust = "if the server uses your own CA, trust its certificate with --smtp-ca FILE (or Project › Settings › Mail › CA to trust, or the notice window's CA field)";
    if reason.contains("UnknownIssuer") {
        Some(format!(
            "the server's certificate is not signed by a CA this system trusts; {trust}, else check that {host} is the right server"
        ))
    } else if reason.contains("certificate not valid for name")
        || reason.contains("NotValidForName")
    {
        Some(format!(
            "the server's certificate is not made out to {host}; give the server by the name its certificate is for, or check the host"
        ))
    } else if reason.contains("certificate expired") || reason.contains("Expired") {
        Some("the server's certificate has expired; its administrator must renew it (or this machine's clock is wrong)".to_owned())
    } else if reason.contains("not valid yet") || reason.contains("NotValidYet") {
        Some("the server's certificate is not valid yet; check this machine's clock".to_owned())
    } else if reason.contains("invalid peer certificate") {
        Some(format!(
            "the server's certificate is not accepted; {trust}, else check the host and port"
        ))
    } else {
        None
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

fn classify(e: &lettre::transport::smtp::Error, settings: &SmtpSettings) -> SendError {
    let host = settings.host.clone();
    let port = settings.port;
    let reason = chain(e);
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    if let Some(explained) = explain_certificate(&reason, &host) {
        return SendError::Certificate {
            host,
            port,
            explained,
            reason,
        };
    }
    let auth_codes = ["530", "534", "535", "538", "454"];
    let answered = e.is_response() || e.is_permanent() || e.is_transient();
    if answered && auth_codes.contains(&code.as_str())
        || reason.contains("authentication mechanism")
    {
        return SendError::Auth {
            host,
            port,
            user: settings.user.clone(),
            reason,
        };
    }
    if answered {
        return SendError::Refused { host, port, reason };
    }
    SendError::Connect { host, port, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::RecipientRole;

    fn settings(host: &str, port: u16) -> SmtpSettings {
        SmtpSettings {
            host: host.to_owned(),
            port,
            user: "security".to_owned(),
            password: Some(SmtpPassword::new("hunter2-secret".to_owned())),
            ca: None,
        }
    }

    /// A draft of `template` to `to` with `subject` and `body` and nothing
    /// else set: each test changes what it is about.
    fn draft(template: &str, subject: &str, to: &str, body: &str) -> Draft {
        Draft {
            template: template.into(),
            subject: subject.into(),
            to: vec![to.into()],
            cc: Vec::new(),
            bcc: Vec::new(),
            body: body.into(),
            recipients: Vec::new(),
            embargoed_details: true,
            starts_embargo: false,
            carries_password: false,
            share_list: None,
            before_publication: None,
            in_reply_to: None,
            told: Default::default(),
            patch: None,
        }
    }

    /// The instant the tests compose at.
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let s = settings("smtp.example.org", 587);
        let shown = format!("{s:?} {:?}", s.password);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("SmtpPassword(..)"), "{shown}");
    }

    #[test]
    fn a_ca_file_without_a_certificate_is_refused_plainly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").expect("written");
        let e = read_ca(&path).expect_err("no certificate");
        assert!(e.to_string().contains("holds no PEM certificate"), "{e}");
        let e = read_ca(&dir.path().join("missing.pem")).expect_err("no file");
        assert!(
            e.to_string().contains("cannot use the CA certificate"),
            "{e}"
        );
    }

    #[test]
    fn certificate_errors_are_explained_in_plain_words() {
        let unknown = explain_certificate(
            "Connection error: invalid peer certificate: UnknownIssuer",
            "smtp.example.org",
        )
        .expect("explained");
        assert!(
            unknown.contains("not signed by a CA this system trusts"),
            "{unknown}"
        );
        assert!(unknown.contains("--smtp-ca FILE"), "{unknown}");
        assert!(explain_certificate("connection refused", "h").is_none());
    }

    #[test]
    fn plain_smtp_only_on_this_machine() {
        assert_eq!(settings("localhost", 2525).security(), Security::Plain);
        assert_eq!(settings("127.0.0.1", 25).security(), Security::Plain);
        assert_eq!(settings("[::1]", 25).security(), Security::Plain);
        assert_eq!(
            settings("smtp.example.org", 25).security(),
            Security::StartTls
        );
        assert_eq!(
            settings("smtp.example.org", 587).security(),
            Security::StartTls
        );
        assert_eq!(
            settings("smtp.example.org", 465).security(),
            Security::ImplicitTls
        );
    }

    #[test]
    fn a_reply_is_threaded_and_its_body_wrapped() {
        let draft = Draft {
            in_reply_to: Some("<report-1@example.org>".into()),
            ..draft(
                "reporter-ack",
                "Re: Overflow",
                "ada@example.org",
                &format!("{}\n", "word ".repeat(40).trim()),
            )
        };
        let now = now();
        let c = compose(
            "Security <security@demo.example>",
            &draft,
            None,
            None,
            &[],
            now,
        )
        .expect("composes");
        let sent = String::from_utf8(c.message.formatted()).expect("ascii");
        assert!(
            sent.contains("In-Reply-To: <report-1@example.org>\r\n"),
            "{sent}"
        );
        assert!(
            sent.contains("References: <report-1@example.org>\r\n"),
            "{sent}"
        );
        let body = sent.split("\r\n\r\n").nth(1).expect("body");
        assert!(body.lines().count() >= 3, "{body}");
        assert!(body.lines().all(|l| l.len() <= 72), "{body}");
    }

    #[test]
    fn an_attachment_is_refused_for_a_mail_that_is_not_encrypted() {
        let draft = Draft {
            starts_embargo: true,
            ..draft(
                "distros-notice",
                "[vs] x",
                "distros@vs.openwall.org",
                "Hello\n",
            )
        };
        let patch = Attachment {
            file_name: "demo-CVE-2026-1234.patch".into(),
            content_type: PATCH_TYPE.into(),
            bytes: b"diff --git a/x b/x\n".to_vec(),
        };
        let now = now();
        let e = compose(
            "Security <security@demo.example>",
            &draft,
            None,
            None,
            std::slice::from_ref(&patch),
            now,
        )
        .expect_err("refused");
        assert!(
            e.to_string().contains(
                "refusing to attach demo-CVE-2026-1234.patch to a mail that is not encrypted"
            ),
            "{e}"
        );
        // Its bytes never show in a log line.
        assert_eq!(
            format!("{patch:?}"),
            "Attachment(demo-CVE-2026-1234.patch, text/x-diff, 19 bytes)"
        );
    }

    #[test]
    fn bcc_is_in_the_envelope_and_the_draft_but_not_in_the_sent_headers() {
        let vendor = Recipient::new("Vendor, Inc.", "sec@vendor.example", RecipientRole::Vendor);
        let draft = Draft {
            bcc: vec![vendor.mailbox()],
            recipients: vec![vendor],
            starts_embargo: true,
            ..draft(
                "distros-notice",
                "[vs] Grüße",
                "distros@vs.openwall.org",
                "Hello,\nline two\n",
            )
        };
        let now = now();
        let c = compose(
            "Security <security@demo.example>",
            &draft,
            None,
            None,
            &[],
            now,
        )
        .expect("composes");
        let sent = String::from_utf8(c.message.formatted()).expect("ascii");
        let saved = String::from_utf8(c.draft.formatted()).expect("ascii");
        assert!(!sent.contains("sec@vendor.example"), "{sent}");
        assert!(saved.contains("sec@vendor.example"), "{saved}");
        assert_eq!(
            c.envelope_to(),
            vec!["distros@vs.openwall.org", "sec@vendor.example"]
        );
        assert!(
            sent.contains(&format!("Message-ID: {}", c.message_id)),
            "{sent}"
        );
        assert!(c.message_id.ends_with("@demo.example>"));
        assert!(sent.contains("line two\r\n"), "{sent}");
        assert!(!c.signed && !c.encrypted);
    }
}
