//! Signing release files and verifying every signature made, written once
//! for the app's "Sign all" and `embargo sign` (and the release artifacts,
//! which sign through here too). The files are signed in one read each
//! (detached armored `FILE.asc`, optionally `SHA256SUMS` and `SHA512SUMS`
//! beside them), all or nothing; then every signature is read back from
//! disk and verified against the signer's certificate. A signature that
//! does not verify is an error ([`SignError::Unverified`]) naming each
//! file, so that nothing unverified is recorded in the project or
//! published. Recording the files in the release is
//! [`crate::core::ops::record_artifacts`], which journals each one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::adapters::git::GitError;
use crate::adapters::openpgp::{self, OpenPgpError, SignOutput, Verified};
use crate::core::model::Artifact;
use crate::core::ports::Watch;
use crate::workflows::keys::{self, KeyRequest, Unlocked};

/// One signature checked after signing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The signed file.
    pub file: PathBuf,
    /// Its signature.
    pub signature: PathBuf,
    /// The good signature, or why it does not verify.
    pub result: Result<Verified, String>,
}

/// Files signed, and each signature verified.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The signer's fingerprint.
    pub signer: String,
    /// The signer in a few words (user ID and fingerprint).
    pub label: String,
    /// What was written: signatures and checksum lists.
    pub output: SignOutput,
    /// The release artifacts to record: each file with its signature, then
    /// the checksum lists.
    pub artifacts: Vec<Artifact>,
    /// Every signature, verified (all good).
    pub verified: Vec<Verification>,
}

/// Why signing, verifying or building the release files failed. Each
/// message says what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The key, a file to sign or a signature.
    #[error(transparent)]
    OpenPgp(#[from] OpenPgpError),
    /// The repository, the tag, a tarball or the patch.
    #[error(transparent)]
    Git(#[from] GitError),
    /// Signatures were written but do not verify.
    #[error("{}", unverified(.0))]
    Unverified(Vec<Verification>),
    /// The project is not ready for this (no release, no fix commit...).
    #[error("{0}")]
    NotReady(String),
}

impl SignError {
    /// Whether the user cancelled (nothing was left behind).
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            Self::OpenPgp(OpenPgpError::Cancelled)
                | Self::Git(GitError::Cancelled | GitError::Sign(OpenPgpError::Cancelled))
        )
    }
}

fn unverified(checks: &[Verification]) -> String {
    let bad: Vec<String> = checks
        .iter()
        .filter_map(|c| c.result.as_ref().err())
        .cloned()
        .collect();
    format!(
        "{} of {} signature(s) did NOT verify after signing: {}; nothing was recorded: do not \
         publish these files, find out why (a file changed after signing?) and sign again",
        bad.len(),
        checks.len(),
        bad.join("; ")
    )
}

/// Sign `files` with `key` (and write the checksum lists beside them when
/// `sums`), then verify every signature against the key's certificate.
/// Progress and cancelling go through `watch` ("signing", each file's
/// bytes, "verifying the signatures"); a cancel while signing leaves no
/// signature or list behind. A signature that does not verify is
/// [`SignError::Unverified`].
pub fn sign(
    key: &mut Unlocked,
    files: &[PathBuf],
    sums: bool,
    watch: &dyn Watch,
) -> Result<Signed, SignError> {
    watch.say("signing");
    let output = openpgp::sign_files(&mut key.key, files, sums, watch)?;
    watch.say("verifying the signatures");
    let verified = verify_output(&key.cert, &output);
    if verified.iter().any(|v| v.result.is_err()) {
        return Err(SignError::Unverified(verified));
    }
    Ok(Signed {
        signer: output.signer.clone(),
        label: key.label(),
        artifacts: output.artifacts()?,
        output,
        verified,
    })
}

/// Unlock the key `request` names (judged as of `now`) and [`sign`]
/// `files` with it: the
/// app's "Sign all" in one call (the CLI unlocks first, to show the key
/// before the long work).
pub fn unlock_and_sign(
    request: KeyRequest<'_>,
    files: &[PathBuf],
    sums: bool,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<Signed, SignError> {
    let mut key = keys::unlock(request, now, watch)?;
    sign(&mut key, files, sums, watch)
}

/// Unlock the key `request` names (judged as of `now`) and clear-sign each
/// of `texts` in place (an advisory or announcement as posted to a list).
pub fn unlock_and_clearsign(
    request: KeyRequest<'_>,
    texts: &mut [&mut String],
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<(), OpenPgpError> {
    let mut key = keys::unlock(request, now, watch)?.key;
    let total = texts.len() as u64;
    for (done, text) in (0u64..).zip(texts.iter_mut()) {
        if watch.is_cancelled() {
            return Err(OpenPgpError::Cancelled);
        }
        watch.set(done, total);
        **text = openpgp::clearsign(&mut key, text)?;
    }
    watch.set(total, total);
    Ok(())
}

/// Verify every signature `output` lists against `cert`, reading each file
/// and its signature from disk again.
fn verify_output(cert: &openpgp::Cert, output: &SignOutput) -> Vec<Verification> {
    output
        .files
        .iter()
        .map(|f| Verification {
            file: f.path.clone(),
            signature: f.signature.clone(),
            result: openpgp::verify_detached(cert, &f.signature, &f.path)
                .map_err(|e| e.to_string()),
        })
        .collect()
}

/// Verify the detached `signature` over `file` with the certificate in the
/// file `cert` (`embargo verify`).
pub fn verify_file(cert: &Path, signature: &Path, file: &Path) -> Result<Verified, OpenPgpError> {
    let cert = openpgp::load_cert_file(cert)?;
    openpgp::verify_detached(&cert, signature, file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::openpgp::KeySource;
    use crate::core::ports::Unwatched;
    use sequoia_openpgp::cert::CertBuilder;
    use sequoia_openpgp::serialize::SerializeInto;
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn unlocked(dir: &Path) -> Unlocked {
        let (cert, _) = CertBuilder::general_purpose(Some("Rel Eng <releng@example.org>"))
            .set_creation_time(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
            .generate()
            .expect("key");
        let path = dir.join("key.asc");
        std::fs::write(&path, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
        keys::unlock(
            KeyRequest::new(KeySource::File { path }, None),
            Utc::now(),
            &Unwatched,
        )
        .expect("unlocked")
    }

    /// Rewrites the first file once the signatures are being verified, as a
    /// process writing into the release directory would.
    struct Tamper(PathBuf);

    impl Watch for Tamper {
        fn say(&self, what: &str) {
            if what == "verifying the signatures" {
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&self.0)
                    .expect("open");
                f.write_all(b"tampered").expect("appended");
            }
        }
    }

    #[test]
    fn every_signature_is_verified_and_one_that_fails_is_an_error() {
        let dir = tempfile::tempdir().expect("dir");
        let mut key = unlocked(dir.path());
        let a = dir.path().join("a.tar.gz");
        let b = dir.path().join("a.patch");
        std::fs::write(&a, b"tarball").expect("a");
        std::fs::write(&b, b"patch").expect("b");
        let files = vec![a.clone(), b.clone()];

        let signed = sign(&mut key, &files, true, &Unwatched).expect("signed");
        assert_eq!(signed.verified.len(), 2);
        for v in &signed.verified {
            let good = v.result.as_ref().expect("good");
            assert_eq!(good.signer, key.fingerprint());
        }
        assert_eq!(signed.artifacts.len(), 4, "2 files and 2 sums");
        assert!(signed.label.contains("Rel Eng"));

        let err = sign(&mut key, &files, true, &Tamper(a.clone())).expect_err("a changed");
        let SignError::Unverified(checks) = &err else {
            panic!("{err}");
        };
        assert_eq!(checks.len(), 2);
        assert!(checks[0].result.is_err(), "{checks:?}");
        assert!(checks[1].result.is_ok(), "{checks:?}");
        let message = err.to_string();
        assert!(
            message.contains("1 of 2 signature(s) did NOT verify")
                && message.contains("a.tar.gz")
                && message.contains("do not publish"),
            "{message}"
        );
    }

    /// Cancels once the first chunk of a file is read.
    #[derive(Default)]
    struct Canceller(AtomicBool);

    impl Watch for Canceller {
        fn item(&self, _index: usize, done: u64, _total: u64) {
            if done > 0 {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        fn is_cancelled(&self) -> bool {
            self.0.load(Ordering::SeqCst)
        }
    }

    #[test]
    fn a_cancelled_run_leaves_no_signature_and_no_list() {
        let dir = tempfile::tempdir().expect("dir");
        let mut key = unlocked(dir.path());
        let big = dir.path().join("big.tar.xz");
        std::fs::write(&big, vec![1u8; 3 << 20]).expect("big");
        let err = sign(&mut key, &[big], true, &Canceller::default()).expect_err("cancelled");
        assert!(err.is_cancelled(), "{err}");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["big.tar.xz", "key.asc"]);
    }
}
