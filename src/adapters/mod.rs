//! Blocking implementations of the I/O the core stays out of: project files
//! ([`store`]), playbook files ([`playbooks`]), the list of recent projects
//! ([`recent`]), OpenPGP keys, signatures, checksums and PGP/MIME ([`openpgp`]), outgoing
//! mail ([`mail`]) and
//! the private repository: guard, tag, tarballs, patch ([`git`]), private
//! output files for the release ([`outfile`]), and
//! projects kept encrypted at rest ([`vault`]).
//! The UI calls them only from background jobs.

pub mod git;

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
