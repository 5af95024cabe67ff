//! OpenPGP with sequoia: the signing key's identity and health ([`keys`]),
//! detached ASCII-armored signatures and checksum lists made in one read of
//! each file ([`sign`]), and verification of detached signatures
//! ([`verify`]). The secret key comes either from GnuPG's agent (smartcards
//! included), which signs a digest and never lets the key out, or from an
//! armored key file unlocked with a passphrase that is held only while the
//! key is unlocked and zeroized afterwards.

pub mod atrest;
pub mod keys;
pub mod mime;
pub mod sign;
pub mod verify;

use std::path::{Path, PathBuf};

pub use keys::{
    KeyInfo, KeySource, Passphrase, Refusal, SigningKey, inspect, load_cert, secret_keys, unlock,
};
pub use sign::{SignOutput, SignedFile, clearsign, sign_bytes, sign_files, signature_path};
pub use verify::{Verified, load_cert_file, verify_detached};

/// An OpenPGP certificate (a public key with its user IDs and subkeys).
pub use sequoia_openpgp::Cert;

/// What went wrong with a key, a signature or a file to sign. Each message
/// says what failed and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum OpenPgpError {
    /// A file could not be read.
    #[error("cannot read {}: {source}; check that it exists and is readable", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}; check the directory's permissions and free space", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file.
    #[error("{} is not a regular file; pick the tarball or patch itself", .0.display())]
    NotAFile(PathBuf),
    /// A file name cannot be listed in a checksum file.
    #[error("{} has a name that checksum files cannot hold (a newline or backslash); rename it", .0.display())]
    BadName(PathBuf),
    /// A key file holds no usable certificate.
    #[error("{} holds no OpenPGP key ({reason}); export it with `gpg --export-secret-keys --armor FINGERPRINT`", .path.display())]
    BadKeyFile {
        /// The key file.
        path: PathBuf,
        /// The parser's reason.
        reason: String,
    },
    /// The key file has no secret for the signing key.
    #[error("{} holds only the public part of {fingerprint}; export the secret key instead", .path.display())]
    NoSecret {
        /// The key file.
        path: PathBuf,
        /// The key.
        fingerprint: String,
    },
    /// The key is protected and no passphrase was given.
    #[error(
        "the key {fingerprint} is protected by a passphrase; enter it (in the CLI: --passphrase-fd N)"
    )]
    PassphraseNeeded {
        /// The key.
        fingerprint: String,
    },
    /// The key that opens an encrypted project is protected and no
    /// passphrase was given.
    #[error(
        "the key {fingerprint} is protected by a passphrase; enter it (in the CLI: --project-passphrase-fd N)"
    )]
    ProjectPassphraseNeeded {
        /// The key.
        fingerprint: String,
    },
    /// The passphrase could not be asked for (the terminal failed).
    #[error("cannot read the passphrase from the terminal: {0}; pass it with --passphrase-fd N")]
    Prompt(String),
    /// The passphrase did not unlock the key.
    #[error("wrong passphrase for the key {fingerprint}; type it again")]
    WrongPassphrase {
        /// The key.
        fingerprint: String,
    },
    /// GnuPG does not know the key.
    #[error("GnuPG's keyring{} has no key {fingerprint}; check the fingerprint with `gpg --list-secret-keys`", home_suffix(.homedir))]
    MissingKey {
        /// The key asked for.
        fingerprint: String,
        /// The GnuPG home directory, when not the default.
        homedir: Option<PathBuf>,
    },
    /// GnuPG knows the public key but holds no secret for it.
    #[error("GnuPG{} has no secret key for {fingerprint}; import it or insert its smartcard", home_suffix(.homedir))]
    NoSecretInAgent {
        /// The key.
        fingerprint: String,
        /// The GnuPG home directory, when not the default.
        homedir: Option<PathBuf>,
    },
    /// The key (or every signing subkey) has expired.
    #[error(
        "the key {fingerprint} expired on {when}; extend it (`gpg --quick-set-expire`) or use another key"
    )]
    Expired {
        /// The key.
        fingerprint: String,
        /// When it expired (UTC).
        when: String,
    },
    /// The key is revoked.
    #[error("the key {fingerprint} is revoked; use another key")]
    Revoked {
        /// The key.
        fingerprint: String,
    },
    /// No valid key of the certificate may sign.
    #[error("the key {fingerprint} has no valid signing (sub)key; add one or use another key")]
    CannotSign {
        /// The key.
        fingerprint: String,
    },
    /// An existing checksum list is a link or not a regular file.
    #[error(
        "{} is not a plain file ({reason}); checksum lists are never read or written through a link: remove it, or put the real list there",
        .path.display()
    )]
    SumsNotPlain {
        /// The checksum list.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// The file changed between the start and the end of its signing.
    #[error("{} changed while it was being signed; sign it again once it is final", .0.display())]
    Changed(PathBuf),
    /// The user cancelled.
    #[error("signing was cancelled; no signature was written")]
    Cancelled,
    /// The certificate has no key that may encrypt data at rest.
    #[error(
        "the key {fingerprint} has no valid encryption subkey; add one (`gpg --quick-add-key {fingerprint} cv25519 encr`) or choose another key"
    )]
    CannotEncrypt {
        /// The certificate.
        fingerprint: String,
    },
    /// The file is not an OpenPGP message.
    #[error(
        "the file is not an encrypted project (not an OpenPGP message: {0}); restore it from its .bak"
    )]
    NotEncrypted(String),
    /// None of the keys at hand is one the file is encrypted to.
    #[error(
        "the project is encrypted to the key {recipients}, which {opener} does not hold; open it with that key (import it into GnuPG, or use its key file)"
    )]
    NoKeyFor {
        /// The key IDs the file is encrypted to.
        recipients: String,
        /// Where the key was looked for.
        opener: String,
    },
    /// The agent holds the key but did not decrypt.
    #[error(
        "gpg-agent could not decrypt with the key {fingerprint}: the passphrase was wrong or not given, or GnuPG has only its public part; type the passphrase again or choose the key file"
    )]
    AgentCannotDecrypt {
        /// The certificate.
        fingerprint: String,
    },
    /// Running `gpg` failed.
    #[error("cannot run gpg: {0}; install GnuPG or use a key file")]
    Gpg(String),
    /// The agent refused to sign or could not be reached.
    #[error("gpg-agent could not sign with {fingerprint}: {reason}")]
    Agent {
        /// The key.
        fingerprint: String,
        /// The agent's reason.
        reason: String,
    },
    /// Any other OpenPGP failure.
    #[error("OpenPGP: {0}")]
    Crypto(String),
    /// A signature does not verify.
    #[error("BAD signature: {} does not verify {}: {reason}", .signature.display(), .file.display())]
    BadSignature {
        /// The signature file.
        signature: PathBuf,
        /// The signed file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
}

fn home_suffix(homedir: &Option<PathBuf>) -> String {
    homedir
        .as_ref()
        .map(|h| format!(" in {}", h.display()))
        .unwrap_or_default()
}

impl OpenPgpError {
    fn crypto(e: impl std::fmt::Display) -> Self {
        Self::Crypto(format!("{e:#}"))
    }

    fn read(path: &Path, source: std::io::Error) -> Self {
        Self::Read {
            path: path.to_owned(),
            source,
        }
    }

    fn write(path: &Path, source: std::io::Error) -> Self {
        Self::Write {
            path: path.to_owned(),
            source,
        }
    }
}

/// Format a fingerprint as GnuPG prints it: upper-case hex without spaces.
pub fn normalize_fingerprint(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches("0x")
        .to_ascii_uppercase()
}

/// The fingerprint of a key in gpg-agent as typed (the app's key form,
/// `embargo settings --signing-key`), normalized; `None` unless it is hex
/// of at least 16 digits (a long key ID at least, a full fingerprint
/// preferred). The one rule both front ends apply.
pub fn agent_fingerprint(typed: &str) -> Option<String> {
    crate::core::settings::agent_fingerprint(typed)
}
