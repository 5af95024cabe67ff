//! The signing key: where it lives ([`KeySource`]), what the coordinator
//! must see before signing ([`KeyInfo`]: fingerprint, user IDs, expiry,
//! whether it can sign) and the unlocked signer ([`SigningKey`]). A key in
//! GnuPG's agent is used through the agent, which signs a digest and never
//! releases the secret (smartcard keys work the same way); a key file is
//! decrypted in memory with a [`Passphrase`] that is zeroized when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use sequoia_gpg_agent as gpg_agent;
use sequoia_openpgp as openpgp;

use openpgp::Cert;
use openpgp::crypto::{self, Password};
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::types::RevocationStatus;

use super::{OpenPgpError, normalize_fingerprint};
use crate::core::model::{KeyLocation, SigningKeyRef};

/// Warn when the key expires within this many days.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// Where the secret signing key is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// In GnuPG's agent, found by fingerprint in GnuPG's keyring.
    Agent {
        /// The certificate's (primary key's) fingerprint.
        fingerprint: String,
        /// GnuPG's home directory; `None` for GnuPG's default (`$GNUPGHOME`
        /// or `~/.gnupg`).
        homedir: Option<PathBuf>,
    },
    /// In an armored secret key file.
    File {
        /// The key file.
        path: PathBuf,
    },
}

impl KeySource {
    /// The key a project names.
    pub fn from_project(key: &SigningKeyRef) -> Self {
        match &key.location {
            KeyLocation::GpgAgent { homedir } => Self::Agent {
                fingerprint: normalize_fingerprint(&key.fingerprint),
                homedir: homedir.as_ref().map(PathBuf::from),
            },
            KeyLocation::KeyFile { path } => Self::File {
                path: PathBuf::from(path),
            },
        }
    }

    /// A short description for messages and the UI.
    pub fn describe(&self) -> String {
        match self {
            Self::Agent {
                fingerprint,
                homedir: None,
            } => format!("{fingerprint} in gpg-agent"),
            Self::Agent {
                fingerprint,
                homedir: Some(h),
            } => format!("{fingerprint} in gpg-agent ({})", h.display()),
            Self::File { path } => format!("key file {}", path.display()),
        }
    }
}

/// A passphrase the user typed. It is zeroized when dropped and never
/// printed: its `Debug` shows nothing of it.
pub struct Passphrase(zeroize::Zeroizing<String>);

impl Passphrase {
    /// Take ownership of a typed passphrase.
    pub fn new(text: String) -> Self {
        Self(zeroize::Zeroizing::new(text))
    }

    /// Read a passphrase from a reader (a file descriptor in the CLI): the
    /// first line, without its line ending.
    pub fn read_from(reader: impl std::io::Read) -> std::io::Result<Self> {
        crate::adapters::read_secret_line(reader, "passphrase").map(Self)
    }

    pub(super) fn to_password(&self) -> Password {
        Password::from(self.0.as_bytes())
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// What the coordinator checks before signing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// The certificate's fingerprint (upper-case hex).
    pub fingerprint: String,
    /// Its valid user IDs, primary first.
    pub user_ids: Vec<String>,
    /// When the primary key was made.
    pub created: DateTime<Utc>,
    /// The first expiry among the certificate and the signing key, if any.
    pub expires: Option<DateTime<Utc>>,
    /// The (sub)key that will sign, when one may.
    pub signing_key: Option<String>,
    /// Why the key must not be used, if so.
    pub refusal: Option<Refusal>,
}

/// Why a key is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It is revoked.
    Revoked,
    /// It (or every signing subkey) has expired.
    Expired,
    /// No valid key may sign.
    CannotSign,
}

impl KeyInfo {
    /// A warning to show before signing: the key expires within
    /// [`EXPIRY_WARNING_DAYS`] of `now`.
    pub fn warning(&self, now: DateTime<Utc>) -> Option<String> {
        let expires = self.expires?;
        let left = expires - now;
        (self.refusal.is_none() && left <= chrono::Duration::days(EXPIRY_WARNING_DAYS)).then(|| {
            let when = match left.num_days() {
                ..=0 => "within a day".to_owned(),
                1 => "in 1 day".to_owned(),
                days => format!("in {days} days"),
            };
            format!(
                "the key {} expires on {} ({when}); extend it soon",
                self.fingerprint,
                expires.format("%Y-%m-%d %H:%M UTC"),
            )
        })
    }

    /// `Ok` when the key may sign, else the error saying why not.
    pub fn check(&self) -> Result<(), OpenPgpError> {
        let fingerprint = self.fingerprint.clone();
        match self.refusal {
            None => Ok(()),
            Some(Refusal::Revoked) => Err(OpenPgpError::Revoked { fingerprint }),
            Some(Refusal::CannotSign) => Err(OpenPgpError::CannotSign { fingerprint }),
            Some(Refusal::Expired) => Err(OpenPgpError::Expired {
                fingerprint,
                when: self
                    .expires
                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_else(|| "an earlier date".to_owned()),
            }),
        }
    }

    /// The primary user ID, or the fingerprint when there is none.
    pub fn label(&self) -> String {
        match self.user_ids.first() {
            Some(uid) => format!("{uid} ({})", self.fingerprint),
            None => self.fingerprint.clone(),
        }
    }
}

fn utc(t: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

/// Inspect `cert` as of `now` under sequoia's standard policy.
pub fn inspect(cert: &Cert, now: SystemTime) -> KeyInfo {
    let policy = StandardPolicy::new();
    let fingerprint = cert.fingerprint().to_hex();
    let created = utc(cert.primary_key().key().creation_time());
    let Ok(vc) = cert.with_policy(&policy, now) else {
        // No valid self-signature now: revoked keys still have one, so this
        // is a key that is not yet valid or uses algorithms now rejected.
        return KeyInfo {
            fingerprint,
            user_ids: Vec::new(),
            created,
            expires: None,
            signing_key: None,
            refusal: Some(Refusal::CannotSign),
        };
    };
    let user_ids = {
        let mut uids: Vec<(bool, String)> = vc
            .userids()
            .map(|ua| {
                let primary = ua.binding_signature().primary_userid().unwrap_or(false);
                (
                    !primary,
                    String::from_utf8_lossy(ua.userid().value()).into_owned(),
                )
            })
            .collect();
        uids.sort();
        uids.into_iter().map(|(_, u)| u).collect()
    };
    let primary_expiry = vc.primary_key().key_expiration_time().map(utc);
    let revoked = matches!(vc.revocation_status(), RevocationStatus::Revoked(_));
    let alive_signer = vc
        .keys()
        .for_signing()
        .revoked(false)
        .alive()
        .max_by_key(|ka| ka.key().creation_time());
    let any_signer_expiry = vc
        .keys()
        .for_signing()
        .revoked(false)
        .filter_map(|ka| ka.key_expiration_time())
        .max()
        .map(utc);
    let signer_expiry = alive_signer
        .as_ref()
        .and_then(|ka| ka.key_expiration_time())
        .map(utc);
    let expires = match (primary_expiry, signer_expiry.or(any_signer_expiry)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let refusal = if revoked {
        Some(Refusal::Revoked)
    } else if vc.alive().is_err() {
        Some(Refusal::Expired)
    } else if alive_signer.is_none() {
        if any_signer_expiry.is_some() {
            Some(Refusal::Expired)
        } else {
            Some(Refusal::CannotSign)
        }
    } else {
        None
    };
    KeyInfo {
        fingerprint,
        user_ids,
        created,
        expires,
        signing_key: alive_signer.map(|ka| ka.key().fingerprint().to_hex()),
        refusal,
    }
}

/// Load the certificate of the key `source` names: from the key file, or
/// exported from GnuPG's keyring.
pub fn load_cert(source: &KeySource) -> Result<Cert, OpenPgpError> {
    match source {
        KeySource::File { path } => {
            let bytes = std::fs::read(path).map_err(|e| OpenPgpError::read(path, e))?;
            Cert::from_bytes(&bytes).map_err(|e| OpenPgpError::BadKeyFile {
                path: path.clone(),
                reason: format!("{e}"),
            })
        }
        KeySource::Agent {
            fingerprint,
            homedir,
        } => {
            let out = gpg(homedir.as_deref(), &["--export", fingerprint])?;
            if !out.status.success() || out.stdout.is_empty() {
                return Err(OpenPgpError::MissingKey {
                    fingerprint: fingerprint.clone(),
                    homedir: homedir.clone(),
                });
            }
            let cert = Cert::from_bytes(&out.stdout).map_err(OpenPgpError::crypto)?;
            // `gpg --export` also matches subkey fingerprints and key IDs;
            // insist on the certificate the project names.
            let wanted = normalize_fingerprint(fingerprint);
            if cert.fingerprint().to_hex() != wanted
                && !cert
                    .keys()
                    .any(|k| k.key().fingerprint().to_hex() == wanted)
            {
                return Err(OpenPgpError::MissingKey {
                    fingerprint: fingerprint.clone(),
                    homedir: homedir.clone(),
                });
            }
            Ok(cert)
        }
    }
}

/// The secret keys GnuPG (its agent, smartcards included) holds in
/// `homedir` (`None`: GnuPG's default home), each inspected as of `now`, in
/// GnuPG's order: what the signing key field offers to pick from.
pub fn secret_keys(homedir: Option<&Path>, now: SystemTime) -> Result<Vec<KeyInfo>, OpenPgpError> {
    let listed = gpg(homedir, &["--list-secret-keys", "--with-colons"])?;
    if !listed.status.success() {
        let why = String::from_utf8_lossy(&listed.stderr);
        return Err(OpenPgpError::Gpg(format!(
            "gpg --list-secret-keys failed: {}",
            why.trim()
        )));
    }
    let mut fingerprints: Vec<String> = Vec::new();
    let mut after_sec = false;
    for line in String::from_utf8_lossy(&listed.stdout).lines() {
        let mut fields = line.split(':');
        match fields.next() {
            Some("sec") => after_sec = true,
            Some("fpr") if after_sec => {
                after_sec = false;
                if let Some(fpr) = fields.nth(8).filter(|f| !f.is_empty())
                    && fpr.chars().all(|c| c.is_ascii_hexdigit())
                {
                    fingerprints.push(fpr.to_ascii_uppercase());
                }
            }
            _ => {}
        }
    }
    if fingerprints.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = vec!["--export"];
    args.extend(fingerprints.iter().map(String::as_str));
    let exported = gpg(homedir, &args)?;
    let mut certs: Vec<Cert> = openpgp::cert::CertParser::from_bytes(&exported.stdout)
        .map_err(OpenPgpError::crypto)?
        .filter_map(Result::ok)
        .collect();
    let order = |c: &Cert| {
        let fpr = c.fingerprint().to_hex();
        fingerprints
            .iter()
            .position(|f| *f == fpr)
            .unwrap_or(usize::MAX)
    };
    certs.sort_by_key(order);
    Ok(certs
        .iter()
        .filter(|c| order(c) != usize::MAX)
        .map(|c| inspect(c, now))
        .collect())
}

pub(super) fn gpg(
    homedir: Option<&Path>,
    args: &[&str],
) -> Result<std::process::Output, OpenPgpError> {
    let mut cmd = Command::new("gpg");
    if let Some(h) = homedir {
        cmd.arg("--homedir").arg(h);
    }
    cmd.args(["--batch", "--no-tty"]).args(args);
    cmd.output().map_err(|e| OpenPgpError::Gpg(e.to_string()))
}

/// An unlocked signing key, ready for [`super::sign_files`].
pub struct SigningKey {
    /// What was checked about it.
    pub info: KeyInfo,
    signer: Box<dyn crypto::Signer + Send + Sync>,
    via_agent: bool,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("info", &self.info)
            .field("via_agent", &self.via_agent)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    pub(super) fn signer(&mut self) -> &mut dyn crypto::Signer {
        &mut *self.signer
    }

    pub(super) fn signer_sync(&mut self) -> &mut (dyn crypto::Signer + Send + Sync) {
        &mut *self.signer
    }

    pub(super) fn sign_error(&self, e: impl std::fmt::Display) -> OpenPgpError {
        if self.via_agent {
            agent_error(&self.info.fingerprint, &format!("{e:#}"))
        } else {
            OpenPgpError::crypto(e)
        }
    }
}

/// gpg-agent's answer `reason` (its raw `ERR` text, e.g. `Bad passphrase
/// <GPG Agent>`) for the key `fingerprint`, in the words the key-file path
/// uses for the same thing.
pub(super) fn agent_error(fingerprint: &str, reason: &str) -> OpenPgpError {
    let fingerprint = fingerprint.to_owned();
    let says = |texts: &[&str]| texts.iter().any(|t| reason.contains(t));
    if says(&["Bad passphrase"]) {
        OpenPgpError::WrongPassphrase { fingerprint }
    } else if says(&[
        // No terminal for pinentry-curses or -tty, no pinentry at all, or
        // loopback without a passphrase.
        "Inappropriate ioctl for device",
        "No pinentry",
        "No passphrase given",
        "IPC call has been cancelled",
    ]) {
        OpenPgpError::PassphraseNeeded { fingerprint }
    } else if says(&["Operation cancelled"]) {
        OpenPgpError::Cancelled
    } else {
        OpenPgpError::Agent {
            fingerprint,
            reason: reason.to_owned(),
        }
    }
}

/// Check `cert` as of `now` and unlock its signing key from `source`. A key
/// file's key is decrypted with `passphrase`; an agent key uses the agent's
/// own pinentry unless a passphrase is given (then loopback pinentry).
pub fn unlock(
    source: &KeySource,
    cert: &Cert,
    passphrase: Option<&Passphrase>,
    now: SystemTime,
) -> Result<SigningKey, OpenPgpError> {
    let info = inspect(cert, now);
    info.check()?;
    let wanted = info
        .signing_key
        .clone()
        .ok_or_else(|| OpenPgpError::CannotSign {
            fingerprint: info.fingerprint.clone(),
        })?;
    let key = cert
        .keys()
        .find(|ka| ka.key().fingerprint().to_hex() == wanted)
        .map(|ka| ka.key().clone().role_into_unspecified())
        .ok_or_else(|| OpenPgpError::CannotSign {
            fingerprint: info.fingerprint.clone(),
        })?;
    match source {
        KeySource::File { path } => {
            let keypair = file_keypair(key, path, &info.fingerprint, passphrase)?;
            Ok(SigningKey {
                info,
                signer: Box::new(keypair),
                via_agent: false,
            })
        }
        KeySource::Agent { homedir, .. } => {
            let listed = gpg(
                homedir.as_deref(),
                &["--with-colons", "--list-secret-keys", &info.fingerprint],
            )?;
            if !listed.status.success() {
                return Err(OpenPgpError::NoSecretInAgent {
                    fingerprint: info.fingerprint.clone(),
                    homedir: homedir.clone(),
                });
            }
            let keypair = agent_keypair(homedir.as_deref(), cert, &key, passphrase, now)?;
            Ok(SigningKey {
                info,
                signer: Box::new(keypair),
                via_agent: true,
            })
        }
    }
}

/// The secret of `key` from the key file `path`, decrypted with
/// `passphrase` when protected, as a key pair that signs or decrypts.
/// `fingerprint` names the certificate in the errors.
pub(super) fn file_keypair(
    key: openpgp::packet::Key<
        openpgp::packet::key::PublicParts,
        openpgp::packet::key::UnspecifiedRole,
    >,
    path: &Path,
    fingerprint: &str,
    passphrase: Option<&Passphrase>,
) -> Result<crypto::KeyPair, OpenPgpError> {
    if !key.has_secret() {
        return Err(OpenPgpError::NoSecret {
            path: path.to_owned(),
            fingerprint: fingerprint.to_owned(),
        });
    }
    let secret = key.parts_into_secret().map_err(OpenPgpError::crypto)?;
    let secret = if secret.has_unencrypted_secret() {
        secret
    } else {
        let passphrase = passphrase.ok_or_else(|| OpenPgpError::PassphraseNeeded {
            fingerprint: fingerprint.to_owned(),
        })?;
        secret
            .decrypt_secret(&passphrase.to_password())
            .map_err(|_| OpenPgpError::WrongPassphrase {
                fingerprint: fingerprint.to_owned(),
            })?
    };
    secret.into_keypair().map_err(OpenPgpError::crypto)
}

/// `key` of `cert` held by gpg-agent (started if needed) in GnuPG's home
/// `homedir`, as a key pair that signs or decrypts through the agent. A
/// given passphrase goes to the agent by loopback pinentry; without one
/// the agent's own pinentry asks.
pub(super) fn agent_keypair(
    homedir: Option<&Path>,
    cert: &Cert,
    key: &openpgp::packet::Key<
        openpgp::packet::key::PublicParts,
        openpgp::packet::key::UnspecifiedRole,
    >,
    passphrase: Option<&Passphrase>,
    now: SystemTime,
) -> Result<gpg_agent::KeyPair, OpenPgpError> {
    let ctx = match homedir {
        Some(h) => gpg_agent::gnupg::Context::with_homedir(h),
        None => gpg_agent::gnupg::Context::new(),
    }
    .map_err(|e| OpenPgpError::Gpg(e.to_string()))?;
    ctx.start("gpg-agent")
        .map_err(|e| OpenPgpError::Gpg(format!("cannot start gpg-agent: {e}")))?;
    let policy = StandardPolicy::new();
    let vc = cert
        .with_policy(&policy, now)
        .map_err(OpenPgpError::crypto)?;
    let mut keypair = gpg_agent::KeyPair::new_for_gnupg_context(&ctx, key)
        .map_err(|e| OpenPgpError::Gpg(e.to_string()))?
        .with_cert(&vc);
    if let Some(p) = passphrase {
        keypair = keypair.with_password(p.to_password());
    }
    Ok(keypair)
}
