//! Encryption at rest: a project kept on disk as an OpenPGP message
//! (`NAME.embargo.ron.pgp`) encrypted to the coordinator's own certificate.
//! [`Sealer`] encrypts the project text for every save (only the public
//! certificate is needed, so saving never asks for a key); [`unseal`]
//! decrypts a file once, when it is opened, with the secret key in
//! gpg-agent or in a key file, and tells which certificate it was for, so
//! that the next save is encrypted to the same one.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::SystemTime;

use sequoia_openpgp as openpgp;

use openpgp::crypto::SessionKey;
use openpgp::packet::{PKESK, SKESK};
use openpgp::parse::Parse;
use openpgp::parse::stream::{
    DecryptionHelper, DecryptorBuilder, MessageStructure, VerificationHelper,
};
use openpgp::policy::StandardPolicy;
use openpgp::serialize::stream::{Armorer, Encryptor, LiteralWriter, Message, Recipient};
use openpgp::types::SymmetricAlgorithm;
use openpgp::{Cert, KeyHandle, armor};
use zeroize::Zeroizing;

use super::keys::{agent_keypair, file_keypair, gpg};
use super::{KeySource, OpenPgpError, Passphrase, load_cert};

static POLICY: StandardPolicy<'static> = StandardPolicy::new();

/// Encrypts project text to one certificate, for every save of a project
/// kept encrypted at rest.
#[derive(Clone, Debug)]
pub struct Sealer {
    cert: Cert,
    label: String,
}

impl Sealer {
    /// A sealer for `cert`, which must have a valid encryption key as of
    /// `now`.
    pub fn new(cert: Cert, now: SystemTime) -> Result<Self, OpenPgpError> {
        let label = describe(&cert);
        let sealer = Self { cert, label };
        sealer.recipients(now)?;
        Ok(sealer)
    }

    /// The certificate's fingerprint and primary user ID, for the UI.
    pub fn describe(&self) -> &str {
        &self.label
    }

    /// The certificate the project is encrypted to.
    pub fn cert(&self) -> &Cert {
        &self.cert
    }

    fn recipients(&self, now: SystemTime) -> Result<Vec<Recipient<'_>>, OpenPgpError> {
        storage_keys(&self.cert, now)
    }

    /// `text` as an armored OpenPGP message to the certificate.
    pub fn seal(&self, text: &[u8]) -> Result<Vec<u8>, OpenPgpError> {
        self.seal_also_to(text, &[])
    }

    /// `text` as an armored OpenPGP message to the certificate and to each
    /// of `others` (a team's members), each of which must have a valid
    /// encryption key; a certificate given twice is encrypted to once.
    pub fn seal_also_to(&self, text: &[u8], others: &[Cert]) -> Result<Vec<u8>, OpenPgpError> {
        let now = SystemTime::now();
        let mut recipients = self.recipients(now)?;
        let mut seen = vec![self.cert.fingerprint()];
        for cert in others {
            if seen.contains(&cert.fingerprint()) {
                continue;
            }
            seen.push(cert.fingerprint());
            recipients.extend(storage_keys(cert, now)?);
        }
        let mut out = Vec::with_capacity(text.len() / 2 + 1024);
        let message = Message::new(&mut out);
        let message = Armorer::new(message)
            .kind(armor::Kind::Message)
            .build()
            .map_err(OpenPgpError::crypto)?;
        let message = Encryptor::for_recipients(message, recipients)
            .build()
            .map_err(OpenPgpError::crypto)?;
        let mut literal = LiteralWriter::new(message)
            .build()
            .map_err(OpenPgpError::crypto)?;
        literal.write_all(text).map_err(OpenPgpError::crypto)?;
        literal.finalize().map_err(OpenPgpError::crypto)?;
        Ok(out)
    }
}

/// The keys of `cert` a project may be encrypted to, as of `now`.
fn storage_keys(cert: &Cert, now: SystemTime) -> Result<Vec<Recipient<'_>>, OpenPgpError> {
    let vc = cert
        .with_policy(&POLICY, now)
        .map_err(|e| OpenPgpError::Crypto(format!("{}: {e}", cert.fingerprint())))?;
    let recipients: Vec<Recipient<'_>> = vc
        .keys()
        .supported()
        .alive()
        .revoked(false)
        .for_storage_encryption()
        .map(Recipient::from)
        .collect();
    if recipients.is_empty() {
        return Err(OpenPgpError::CannotEncrypt {
            fingerprint: cert.fingerprint().to_hex(),
        });
    }
    Ok(recipients)
}

/// The key IDs (hex) an encrypted project's `bytes` are encrypted to, as
/// the file names them, without decrypting anything: to check who can read
/// a file.
pub fn encrypted_to(bytes: &[u8]) -> Result<Vec<String>, OpenPgpError> {
    use openpgp::Packet;
    use openpgp::parse::{PacketParser, PacketParserResult};
    let mut out = Vec::new();
    let mut ppr =
        PacketParser::from_bytes(bytes).map_err(|e| OpenPgpError::NotEncrypted(e.to_string()))?;
    while let PacketParserResult::Some(pp) = ppr {
        if let Packet::PKESK(pkesk) = &pp.packet
            && let Some(handle) = pkesk.recipient()
        {
            out.push(handle.to_hex());
        }
        // The encrypted data itself is not opened: next(), not recurse().
        ppr = pp.next().map_err(OpenPgpError::crypto)?.1;
    }
    Ok(out)
}

fn describe(cert: &Cert) -> String {
    let uid = cert
        .userids()
        .next()
        .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned());
    match uid {
        Some(uid) => format!("{} ({uid})", cert.fingerprint().to_hex()),
        None => cert.fingerprint().to_hex(),
    }
}

/// Where the secret key that opens an encrypted project is.
#[derive(Debug)]
pub enum Opener {
    /// In gpg-agent; its own pinentry asks for the passphrase unless one is
    /// given (then loopback pinentry).
    Agent {
        /// GnuPG's home directory; `None` for GnuPG's default.
        homedir: Option<PathBuf>,
        /// The passphrase, when the caller has it.
        passphrase: Option<Passphrase>,
    },
    /// In a secret key file (`gpg --export-secret-keys`).
    File {
        /// The key file.
        path: PathBuf,
        /// Its passphrase, if the key is protected.
        passphrase: Option<Passphrase>,
    },
}

/// Whether `bytes` look like an OpenPGP message (armored or binary) rather
/// than project text.
pub fn looks_sealed(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    start.starts_with(b"-----BEGIN PGP MESSAGE-----")
        || start.first().is_some_and(|b| b & 0x80 != 0)
}

/// Decrypt an encrypted project file's `bytes` with the key `opener` names.
/// Returns the project text and the certificate it was encrypted to.
pub fn unseal(bytes: &[u8], opener: &Opener) -> Result<(Zeroizing<Vec<u8>>, Cert), OpenPgpError> {
    let failure = RefCell::new(None);
    let helper = Helper {
        opener,
        cert: None,
        error: &failure,
        recipients: Vec::new(),
    };
    let built = DecryptorBuilder::from_bytes(bytes)
        .map_err(|e| OpenPgpError::NotEncrypted(e.to_string()))
        .and_then(|b| {
            b.with_policy(&POLICY, None, helper).map_err(|e| {
                // The helper's own error says it in the user's terms.
                failure
                    .borrow_mut()
                    .take()
                    .unwrap_or_else(|| OpenPgpError::Crypto(format!("{e:#}")))
            })
        });
    let mut decryptor = built?;
    let mut text = Zeroizing::new(Vec::new());
    let read = decryptor.read_to_end(&mut text);
    let helper = decryptor.into_helper();
    read.map_err(|e| OpenPgpError::Crypto(format!("the encrypted project is damaged: {e}")))?;
    let cert = helper.cert.ok_or_else(|| {
        OpenPgpError::Crypto("the file was not encrypted to a certificate".into())
    })?;
    Ok((text, cert))
}

struct Helper<'a> {
    opener: &'a Opener,
    /// The certificate whose key decrypted the message.
    cert: Option<Cert>,
    /// Why no key did, in the words the user needs.
    error: &'a RefCell<Option<OpenPgpError>>,
    /// The key IDs the file is encrypted to.
    recipients: Vec<String>,
}

impl VerificationHelper for Helper<'_> {
    fn get_certs(&mut self, _ids: &[KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(Vec::new())
    }

    fn check(&mut self, _structure: MessageStructure<'_>) -> openpgp::Result<()> {
        // Project files are encrypted, not signed.
        Ok(())
    }
}

impl DecryptionHelper for Helper<'_> {
    fn decrypt(
        &mut self,
        pkesks: &[PKESK],
        _skesks: &[SKESK],
        sym_algo: Option<SymmetricAlgorithm>,
        decrypt: &mut dyn FnMut(Option<SymmetricAlgorithm>, &SessionKey) -> bool,
    ) -> openpgp::Result<Option<Cert>> {
        for pkesk in pkesks {
            let Some(handle) = pkesk.recipient() else {
                continue;
            };
            self.recipients.push(handle.to_hex());
            match self.try_one(pkesk, &handle, sym_algo, decrypt) {
                Ok(Some(cert)) => {
                    self.cert = Some(cert.clone());
                    return Ok(Some(cert));
                }
                Ok(None) => {}
                Err(e) => {
                    // A wrong passphrase is the answer; another key will not
                    // change it.
                    let stop = matches!(e, OpenPgpError::WrongPassphrase { .. });
                    *self.error.borrow_mut() = Some(e);
                    if stop {
                        break;
                    }
                }
            }
        }
        let mut error = self.error.borrow_mut();
        let message = error
            .get_or_insert_with(|| OpenPgpError::NoKeyFor {
                recipients: self.recipients.join(", "),
                opener: opener_name(self.opener),
            })
            .to_string();
        Err(anyhow::anyhow!(message))
    }
}

fn opener_name(opener: &Opener) -> String {
    match opener {
        Opener::Agent { homedir: None, .. } => "gpg-agent".into(),
        Opener::Agent {
            homedir: Some(h), ..
        } => format!("gpg-agent ({})", h.display()),
        Opener::File { path, .. } => format!("the key file {}", path.display()),
    }
}

/// The (sub)key of `cert` a message names by `handle`.
fn key_for(
    cert: &Cert,
    handle: &KeyHandle,
) -> Option<
    openpgp::packet::Key<openpgp::packet::key::PublicParts, openpgp::packet::key::UnspecifiedRole>,
> {
    cert.keys()
        .find(|ka| ka.key().key_handle().aliases(handle))
        .map(|ka| ka.key().clone().role_into_unspecified())
}

impl Helper<'_> {
    /// Try the key for one recipient. `Ok(None)`: not a key we hold.
    fn try_one(
        &self,
        pkesk: &PKESK,
        handle: &KeyHandle,
        sym_algo: Option<SymmetricAlgorithm>,
        decrypt: &mut dyn FnMut(Option<SymmetricAlgorithm>, &SessionKey) -> bool,
    ) -> Result<Option<Cert>, OpenPgpError> {
        match self.opener {
            Opener::File { path, passphrase } => {
                let cert = load_cert(&KeySource::File { path: path.clone() })?;
                let Some(key) = key_for(&cert, handle) else {
                    return Ok(None);
                };
                let fingerprint = cert.fingerprint().to_hex();
                // The project key's passphrase has its own flag in the CLI.
                let mut keypair = file_keypair(key, path, &fingerprint, passphrase.as_ref())
                    .map_err(|e| match e {
                        OpenPgpError::PassphraseNeeded { fingerprint } => {
                            OpenPgpError::ProjectPassphraseNeeded { fingerprint }
                        }
                        other => other,
                    })?;
                match pkesk.decrypt(&mut keypair, sym_algo) {
                    Some((algo, sk)) if decrypt(algo, &sk) => {
                        Ok(Some(cert.strip_secret_key_material()))
                    }
                    _ => Ok(None),
                }
            }
            Opener::Agent {
                homedir,
                passphrase,
            } => {
                let out = gpg(homedir.as_deref(), &["--export", &handle.to_hex()])?;
                if !out.status.success() || out.stdout.is_empty() {
                    return Ok(None);
                }
                let cert = Cert::from_bytes(&out.stdout).map_err(OpenPgpError::crypto)?;
                let Some(key) = key_for(&cert, handle) else {
                    return Ok(None);
                };
                let mut keypair = agent_keypair(
                    homedir.as_deref(),
                    &cert,
                    &key,
                    passphrase.as_ref(),
                    SystemTime::now(),
                )?;
                match pkesk.decrypt(&mut keypair, sym_algo) {
                    Some((algo, sk)) if decrypt(algo, &sk) => Ok(Some(cert)),
                    _ => Err(OpenPgpError::AgentCannotDecrypt {
                        fingerprint: cert.fingerprint().to_hex(),
                    }),
                }
            }
        }
    }
}
