//! The OpenPGP half of PGP/MIME (RFC 3156): a detached SHA-512 signature
//! over a canonical (CRLF) MIME part for `multipart/signed`, and a signed
//! then encrypted, armored message for `multipart/encrypted` (the combined
//! method of RFC 3156 section 6.2). Also the recipients' certificates:
//! imported from a file, kept armored in the project, and checked for a key
//! that can be encrypted to. The MIME structure around these pieces is made
//! by [`crate::adapters::mail`].

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use sequoia_openpgp as openpgp;

use openpgp::Cert;
use openpgp::Packet;
use openpgp::armor;
use openpgp::cert::Preferences as _;
use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::{Literal, OnePassSig};
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::Serialize as _;
use openpgp::serialize::SerializeInto as _;
use openpgp::serialize::stream::{Armorer, Encryptor, Message, Recipient};
use openpgp::types::{DataFormat, HashAlgorithm, SignatureType};

use super::{OpenPgpError, SigningKey};

/// The `micalg` parameter matching the signatures made here.
pub const MICALG: &str = "pgp-sha512";

/// A detached, armored SHA-512 signature over `part`, the exact bytes of
/// the signed MIME part (headers and body, CRLF line ends, without the CRLF
/// that precedes the next boundary).
pub fn sign_part(key: &mut SigningKey, part: &[u8]) -> Result<String, OpenPgpError> {
    let sig = SignatureBuilder::new(SignatureType::Binary)
        .set_hash_algo(HashAlgorithm::SHA512)
        .sign_message(key.signer(), part)
        .map_err(|e| key.sign_error(e))?;
    armored(armor::Kind::Signature, |w| Packet::from(sig).serialize(w))
}

fn armored(
    kind: armor::Kind,
    write: impl FnOnce(&mut dyn Write) -> openpgp::Result<()>,
) -> Result<String, OpenPgpError> {
    let mut out = Vec::new();
    let mut w = armor::Writer::new(&mut out, kind).map_err(OpenPgpError::crypto)?;
    write(&mut w).map_err(OpenPgpError::crypto)?;
    w.finalize().map_err(OpenPgpError::crypto)?;
    String::from_utf8(out).map_err(OpenPgpError::crypto)
}

/// A certificate to encrypt to.
#[derive(Clone, Debug)]
pub struct EncryptTo {
    /// The certificate.
    pub cert: Cert,
    /// Hide which key the message is encrypted to (an anonymous recipient,
    /// key ID zero), so that Bcc recipients stay unknown to the others;
    /// their software tries each of its secret keys.
    pub hidden: bool,
}

/// `part` signed with `key`, then encrypted to every certificate in `to`,
/// as an armored OpenPGP message. Each certificate needs a valid
/// encryption-capable key as of `now` (see [`encryption_key`]).
pub fn sign_and_encrypt(
    key: &mut SigningKey,
    to: &[EncryptTo],
    part: &[u8],
    now: SystemTime,
) -> Result<String, OpenPgpError> {
    let policy = StandardPolicy::new();
    // The one-pass signed message: OPS, literal data, signature.
    let sig = SignatureBuilder::new(SignatureType::Binary)
        .set_hash_algo(HashAlgorithm::SHA512)
        .set_signature_creation_time(now)
        .map_err(OpenPgpError::crypto)?
        .sign_message(key.signer(), part)
        .map_err(|e| key.sign_error(e))?;
    let mut ops = OnePassSig::try_from(&sig).map_err(OpenPgpError::crypto)?;
    if let OnePassSig::V3(o) = &mut ops {
        o.set_last(true);
    }
    let mut literal = Literal::new(DataFormat::Binary);
    literal.set_body(part.to_vec());
    let mut plain = Vec::new();
    for p in [Packet::from(ops), Packet::from(literal), Packet::from(sig)] {
        p.serialize(&mut plain).map_err(OpenPgpError::crypto)?;
    }
    let mut recipients: Vec<Recipient<'_>> = Vec::new();
    for EncryptTo { cert, hidden } in to {
        let vc = cert
            .with_policy(&policy, now)
            .map_err(|e| OpenPgpError::Crypto(format!("{}: {e}", cert.fingerprint())))?;
        let before = recipients.len();
        recipients.extend(
            vc.keys()
                .supported()
                .alive()
                .revoked(false)
                .for_transport_encryption()
                .for_storage_encryption()
                .map(|ka| {
                    if *hidden {
                        Recipient::new(vc.features(), None, ka.key())
                    } else {
                        Recipient::from(ka)
                    }
                }),
        );
        if recipients.len() == before {
            return Err(OpenPgpError::Crypto(format!(
                "the certificate {} has no valid encryption key; ask its owner for a current one",
                cert.fingerprint()
            )));
        }
    }
    let mut out = Vec::new();
    {
        let message = Message::new(&mut out);
        let message = Armorer::new(message)
            .kind(armor::Kind::Message)
            .build()
            .map_err(OpenPgpError::crypto)?;
        let mut message = Encryptor::for_recipients(message, recipients)
            .build()
            .map_err(OpenPgpError::crypto)?;
        message.write_all(&plain).map_err(OpenPgpError::crypto)?;
        message.finalize().map_err(OpenPgpError::crypto)?;
    }
    String::from_utf8(out).map_err(OpenPgpError::crypto)
}

/// A certificate from armored or binary text (as kept in the project).
pub fn parse_cert(text: &[u8]) -> Result<Cert, OpenPgpError> {
    Cert::from_bytes(text)
        .map_err(|e| OpenPgpError::Crypto(format!("not an OpenPGP certificate ({e})")))
}

/// The fingerprint of a certificate's key that mail can be encrypted to as
/// of `now`, or why there is none.
pub fn encryption_key(cert: &Cert, now: SystemTime) -> Result<String, String> {
    let policy = StandardPolicy::new();
    let vc = cert
        .with_policy(&policy, now)
        .map_err(|e| format!("the certificate {} is not valid ({e})", cert.fingerprint()))?;
    if let openpgp::types::RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Err(format!("the certificate {} is revoked", cert.fingerprint()));
    }
    vc.keys()
        .supported()
        .alive()
        .revoked(false)
        .for_transport_encryption()
        .for_storage_encryption()
        .next()
        .map(|ka| ka.key().fingerprint().to_hex())
        .ok_or_else(|| {
            format!(
                "the certificate {} has no valid encryption key (expired or missing)",
                cert.fingerprint()
            )
        })
}

/// Whether armored certificate text (as kept on a recipient) can be
/// encrypted to as of `now`; `Err` says why not, for people.
pub fn usable_for_mail(cert: Option<&str>, now: SystemTime) -> Result<(), String> {
    let text = cert.ok_or_else(|| "no certificate is imported".to_owned())?;
    let cert = parse_cert(text.as_bytes()).map_err(|e| e.to_string())?;
    encryption_key(&cert, now).map(|_| ())
}

/// Import a certificate from a file: its fingerprint and its armored text
/// (public parts only, so a secret key file given by mistake leaks nothing).
pub fn import_cert_file(path: &Path) -> Result<(String, String), OpenPgpError> {
    let bytes = std::fs::read(path).map_err(|e| OpenPgpError::read(path, e))?;
    let cert = Cert::from_bytes(&bytes).map_err(|e| OpenPgpError::BadKeyFile {
        path: path.to_owned(),
        reason: format!("{e}"),
    })?;
    let text = cert
        .armored()
        .to_vec()
        .map_err(OpenPgpError::crypto)
        .and_then(|v| String::from_utf8(v).map_err(OpenPgpError::crypto))?;
    Ok((cert.fingerprint().to_hex(), text))
}

/// The mail addresses the user IDs of armored certificate `text` name (a
/// user ID that is a bare address counts), in the certificate's order.
pub fn cert_addresses(text: &str) -> Result<Vec<String>, OpenPgpError> {
    let cert = parse_cert(text.as_bytes())?;
    let mut out: Vec<String> = Vec::new();
    for ua in cert.userids() {
        let uid = ua.userid();
        let address = match uid.email() {
            Ok(Some(a)) => a.to_owned(),
            _ => String::from_utf8_lossy(uid.value()).trim().to_owned(),
        };
        if address.contains('@') && !out.iter().any(|o| o.eq_ignore_ascii_case(&address)) {
            out.push(address);
        }
    }
    Ok(out)
}

/// Why the certificate of `recipient` may be somebody else's: its user IDs
/// do not name the recipient's address ([`crate::core::notice::cert_mismatch`]);
/// `None` when they do or no certificate is imported. A certificate that
/// does not parse is the encryption check's to report.
pub fn cert_mismatch(recipient: &crate::core::model::Recipient) -> Option<String> {
    let text = recipient.cert.as_deref()?;
    let addresses = cert_addresses(text).ok()?;
    crate::core::notice::cert_mismatch(&recipient.address, &addresses)
}
