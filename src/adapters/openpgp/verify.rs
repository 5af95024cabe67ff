//! Verification of a detached signature over a file against one
//! certificate, streamed like signing. A signature that does not verify —
//! another key, altered content, a malformed file — is an
//! [`OpenPgpError::BadSignature`] naming why.

use std::path::Path;

use chrono::{DateTime, Utc};
use sequoia_openpgp as openpgp;

use openpgp::Cert;
use openpgp::parse::Parse;
use openpgp::parse::stream::{
    DetachedVerifierBuilder, MessageLayer, MessageStructure, VerificationHelper,
};
use openpgp::policy::StandardPolicy;

use super::OpenPgpError;

/// A good signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The certificate's fingerprint.
    pub signer: String,
    /// The fingerprint of the (sub)key that made it.
    pub key: String,
    /// When it was made, as the signature says.
    pub created: Option<DateTime<Utc>>,
}

/// Load a certificate (armored or binary) to verify with.
pub fn load_cert_file(path: &Path) -> Result<Cert, OpenPgpError> {
    let bytes = std::fs::read(path).map_err(|e| OpenPgpError::read(path, e))?;
    Cert::from_bytes(&bytes).map_err(|e| OpenPgpError::BadKeyFile {
        path: path.to_owned(),
        reason: format!("{e}"),
    })
}

struct Helper<'a> {
    cert: &'a Cert,
    good: Option<Verified>,
    bad: Vec<String>,
}

impl VerificationHelper for Helper<'_> {
    fn get_certs(&mut self, _ids: &[openpgp::KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(vec![self.cert.clone()])
    }

    fn check(&mut self, structure: MessageStructure<'_>) -> openpgp::Result<()> {
        for layer in structure {
            if let MessageLayer::SignatureGroup { results } = layer {
                for result in results {
                    match result {
                        Ok(good) => {
                            self.good.get_or_insert(Verified {
                                signer: good.ka.cert().fingerprint().to_hex(),
                                key: good.ka.key().fingerprint().to_hex(),
                                created: good.sig.signature_creation_time().map(DateTime::from),
                            });
                        }
                        Err(e) => self.bad.push(e.to_string()),
                    }
                }
            }
        }
        match self.good {
            Some(_) => Ok(()),
            None => Err(anyhow::anyhow!("no good signature")),
        }
    }
}

/// Verify the detached `signature` over `file` with `cert`.
pub fn verify_detached(
    cert: &Cert,
    signature: &Path,
    file: &Path,
) -> Result<Verified, OpenPgpError> {
    let data = std::fs::File::open(file).map_err(|e| OpenPgpError::read(file, e))?;
    let sig_bytes = std::fs::read(signature).map_err(|e| OpenPgpError::read(signature, e))?;
    let bad = |reason: String| OpenPgpError::BadSignature {
        signature: signature.to_owned(),
        file: file.to_owned(),
        reason,
    };
    let policy = StandardPolicy::new();
    let helper = Helper {
        cert,
        good: None,
        bad: Vec::new(),
    };
    let mut verifier = DetachedVerifierBuilder::from_bytes(&sig_bytes)
        .and_then(|b| b.with_policy(&policy, None, helper))
        .map_err(|e| bad(format!("not a usable signature: {e}")))?;
    let outcome = verifier.verify_reader(std::io::BufReader::with_capacity(1 << 20, data));
    let helper = verifier.into_helper();
    match (outcome, helper.good) {
        (Ok(()), Some(good)) => Ok(good),
        (_, _) if !helper.bad.is_empty() => Err(bad(helper.bad.join("; "))),
        (Err(e), _) => Err(bad(e.to_string())),
        (Ok(()), None) => Err(bad("the file holds no signature".into())),
    }
}
