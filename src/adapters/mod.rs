//! Blocking implementations of the I/O the core stays out of: project files
//! ([`store`]), playbook files ([`playbooks`]), the list of recent projects
//! ([`recent`]) and OpenPGP keys, signatures and checksums ([`openpgp`]).
//! The UI calls them only from background jobs.

pub mod openpgp;
pub mod playbooks;
pub mod recent;
pub mod store;
