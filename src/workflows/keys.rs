//! Unlocking the project's signing key, written once: load the certificate
//! (from the key file or exported from GnuPG's keyring), check it as of
//! now (expired, revoked, no signing subkey: refused), unlock its signing
//! key with the passphrase given or, when a protected key needs one and
//! none was given, the one the front end asks for, and say which key it is.
//! Signing files, building the release artifacts and signing a notice all
//! start here; the passphrase is moved in and zeroized as soon as the key
//! is unlocked.

use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::adapters::openpgp::{
    self, Cert, KeyInfo, KeySource, OpenPgpError, Passphrase, SigningKey,
};
use crate::core::ports::Watch;

/// Asks the user for the passphrase of the key described by the
/// [`KeyInfo`] (the CLI on a terminal); called only when the key is
/// protected and no passphrase was given.
pub type Ask<'a> = &'a (dyn Fn(&KeyInfo) -> Result<Passphrase, OpenPgpError> + Sync);

/// Which key to unlock and how.
pub struct KeyRequest<'a> {
    /// Where the key is.
    pub source: KeySource,
    /// The passphrase given beforehand (typed in the app, read from a file
    /// descriptor in the CLI), if any. Zeroized once the key is unlocked.
    pub passphrase: Option<Passphrase>,
    /// How to ask for a passphrase the key needs and was not given; `None`
    /// (the app, a CLI run without a terminal) lets
    /// [`OpenPgpError::PassphraseNeeded`] through.
    pub ask: Option<Ask<'a>>,
}

impl std::fmt::Debug for KeyRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRequest")
            .field("source", &self.source)
            .field("passphrase", &self.passphrase)
            .field("ask", &self.ask.is_some())
            .finish()
    }
}

impl KeyRequest<'static> {
    /// The key at `source`, with the passphrase given (if any) and nobody
    /// to ask.
    pub fn new(source: KeySource, passphrase: Option<Passphrase>) -> Self {
        Self {
            source,
            passphrase,
            ask: None,
        }
    }
}

/// An unlocked signing key with its public certificate (to verify what it
/// signs) and what the user is told about it.
#[derive(Debug)]
pub struct Unlocked {
    /// The key, ready to sign.
    pub key: SigningKey,
    /// Its certificate, to verify signatures against.
    pub cert: Cert,
    /// A warning to show (the key expires soon), if any.
    pub warning: Option<String>,
}

impl Unlocked {
    /// The key in a few words: primary user ID and fingerprint.
    pub fn label(&self) -> String {
        self.key.info.label()
    }

    /// The certificate's fingerprint (upper-case hex).
    pub fn fingerprint(&self) -> &str {
        &self.key.info.fingerprint
    }
}

/// Load, check and unlock the key `request` names, judged as of `now`:
/// the front end's clock (the app's; the CLI's, which `EMBARGO_NOW` sets),
/// the same instant its mail and rules are judged at. Says
/// "loading the key" and "unlocking LABEL" through `watch`. A protected key
/// file without a passphrase is unlocked with the one `request.ask`
/// returns, when there is someone to ask.
pub fn unlock(
    request: KeyRequest<'_>,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<Unlocked, OpenPgpError> {
    let KeyRequest {
        source,
        mut passphrase,
        ask,
    } = request;
    let clock = SystemTime::from(now);
    watch.say("loading the key");
    let cert = openpgp::load_cert(&source)?;
    let info = openpgp::inspect(&cert, clock);
    watch.say(&format!("unlocking {}", info.label()));
    let key = match (
        openpgp::unlock(&source, &cert, passphrase.as_ref(), clock),
        ask,
    ) {
        (Err(OpenPgpError::PassphraseNeeded { .. }), Some(ask)) if passphrase.is_none() => {
            passphrase = Some(ask(&info)?);
            openpgp::unlock(&source, &cert, passphrase.as_ref(), clock)
        }
        (other, _) => other,
    };
    drop(passphrase);
    let key = key?;
    let warning = key.info.warning(now);
    Ok(Unlocked {
        cert: cert.strip_secret_key_material(),
        warning,
        key,
    })
}

/// The key at `source` as the coordinator sees it before using it
/// (fingerprint, user IDs, expiry, refusal, as of `now`), without
/// unlocking it.
pub fn inspect(source: &KeySource, now: DateTime<Utc>) -> Result<KeyInfo, OpenPgpError> {
    let cert = openpgp::load_cert(source)?;
    Ok(openpgp::inspect(&cert, SystemTime::from(now)))
}

/// The secret keys gpg-agent holds for the GnuPG home `homedir` (`None`:
/// GnuPG's default), each inspected as of `now` (expiry, refusal): what the
/// app's signing key field lists to pick from.
pub fn agent_keys(
    homedir: Option<&std::path::Path>,
    now: DateTime<Utc>,
) -> Result<Vec<KeyInfo>, OpenPgpError> {
    openpgp::secret_keys(homedir, SystemTime::from(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Unwatched;
    use sequoia_openpgp::cert::CertBuilder;
    use sequoia_openpgp::serialize::SerializeInto;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key_file(dir: &std::path::Path, passphrase: Option<&str>) -> KeySource {
        let mut builder = CertBuilder::general_purpose(Some("Rel Eng <releng@example.org>"))
            .set_creation_time(SystemTime::now() - std::time::Duration::from_secs(3600));
        if let Some(p) = passphrase {
            builder = builder.set_password(Some(p.into()));
        }
        let (cert, _) = builder.generate().expect("key");
        let path = dir.join("key.asc");
        std::fs::write(&path, cert.as_tsk().armored().to_vec().expect("armored")).expect("key");
        KeySource::File { path }
    }

    #[test]
    fn a_protected_key_is_unlocked_with_the_passphrase_asked_for_only_when_needed() {
        let dir = tempfile::tempdir().expect("dir");
        let source = key_file(dir.path(), Some("hunter2"));
        let asked = AtomicUsize::new(0);
        let ask = |info: &KeyInfo| {
            asked.fetch_add(1, Ordering::SeqCst);
            assert!(info.label().contains("Rel Eng"), "{}", info.label());
            Ok(Passphrase::new("hunter2".into()))
        };
        let request = KeyRequest {
            source: source.clone(),
            passphrase: None,
            ask: Some(&ask),
        };
        let unlocked = unlock(request, Utc::now(), &Unwatched).expect("unlocked");
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert!(unlocked.label().contains("Rel Eng"));
        assert!(!unlocked.cert.is_tsk(), "the certificate kept is public");

        // Given beforehand: nobody is asked.
        let request = KeyRequest {
            source: source.clone(),
            passphrase: Some(Passphrase::new("hunter2".into())),
            ask: Some(&ask),
        };
        unlock(request, Utc::now(), &Unwatched).expect("unlocked");
        assert_eq!(asked.load(Ordering::SeqCst), 1);

        // Nobody to ask: the error says a passphrase is needed.
        let err = unlock(
            KeyRequest::new(source.clone(), None),
            Utc::now(),
            &Unwatched,
        )
        .expect_err("needs a passphrase");
        assert!(
            matches!(err, OpenPgpError::PassphraseNeeded { .. }),
            "{err}"
        );
        // A wrong one given is not retried by asking.
        let request = KeyRequest {
            source,
            passphrase: Some(Passphrase::new("wrong".into())),
            ask: Some(&ask),
        };
        let err = unlock(request, Utc::now(), &Unwatched).expect_err("wrong");
        assert!(matches!(err, OpenPgpError::WrongPassphrase { .. }), "{err}");
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn an_unprotected_key_unlocks_and_inspects_without_asking() {
        let dir = tempfile::tempdir().expect("dir");
        let source = key_file(dir.path(), None);
        let ask = |_: &KeyInfo| -> Result<Passphrase, OpenPgpError> {
            panic!("an unprotected key needs no passphrase")
        };
        let request = KeyRequest {
            source: source.clone(),
            passphrase: None,
            ask: Some(&ask),
        };
        let unlocked = unlock(request, Utc::now(), &Unwatched).expect("unlocked");
        let info = inspect(&source, Utc::now()).expect("inspected");
        assert_eq!(info.fingerprint, unlocked.fingerprint());
        assert_eq!(unlocked.warning, None);
    }
}
