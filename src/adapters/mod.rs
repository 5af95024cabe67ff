//! Blocking implementations of the I/O the core stays out of: project files
//! ([`store`]), playbook files ([`playbooks`]), the list of recent projects
//! ([`recent`]), OpenPGP keys, signatures, checksums and PGP/MIME ([`openpgp`]), outgoing
//! mail ([`mail`]) and
//! the private repository: guard, tag, tarballs, patch ([`git`]), private
//! output files for the release ([`outfile`]), and
//! projects kept encrypted at rest ([`vault`]).
//! The UI calls them only from background jobs. Two small helpers every
//! adapter shares live here: [`hex`] and [`expand_home`].

pub mod git;

/// `bytes` as lower-case hexadecimal digits, two per byte: how digests,
/// hashes and random passwords are written.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A path as people type it: a leading `~/` is the home directory
/// (`$HOME`); anything else is taken as it is.
pub fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// The first line of `reader`, without its line ending, as a string that is
/// zeroized when dropped: how passphrases and passwords arrive on a file
/// descriptor. `what` names the secret in the error.
pub(crate) fn read_secret_line(
    mut reader: impl std::io::Read,
    what: &str,
) -> std::io::Result<zeroize::Zeroizing<String>> {
    let mut all = zeroize::Zeroizing::new(Vec::new());
    reader.read_to_end(&mut all)?;
    let line = all.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line)
        .map_err(|_| std::io::Error::other(format!("the {what} is not UTF-8")))?;
    Ok(zeroize::Zeroizing::new(text.to_owned()))
}
pub mod mail;
pub mod openpgp;
pub mod outfile;
pub mod playbooks;
pub mod prefs;
pub mod recent;
pub mod share;
pub mod store;
pub mod vault;

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_two_lower_case_digits_per_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(super::hex(&[]), "");
    }

    #[test]
    fn only_a_leading_tilde_slash_is_the_home_directory() {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        if let Some(home) = home {
            assert_eq!(super::expand_home("~/x/y"), home.join("x/y"));
        }
        assert_eq!(super::expand_home("a/~/b"), std::path::Path::new("a/~/b"));
        assert_eq!(
            super::expand_home("~user/b"),
            std::path::Path::new("~user/b")
        );
    }
}
