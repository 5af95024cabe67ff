//! Blocking implementations of the I/O the core stays out of: project files
//! ([`store`]), playbook files ([`playbooks`]), the list of recent projects
//! ([`recent`]), OpenPGP keys, signatures, checksums and PGP/MIME ([`openpgp`]), outgoing
//! mail ([`mail`]) and
//! the private repository: guard, tag, tarballs, patch ([`git`]).
//! The UI calls them only from background jobs.

pub mod git;
pub mod mail;
pub mod openpgp;
pub mod playbooks;
pub mod recent;
pub mod share;
pub mod store;
