//! Blocking implementations of the I/O the core stays out of: project files
//! ([`store`]), playbook files ([`playbooks`]) and the list of recent projects
//! ([`recent`]). The UI calls them only from background jobs.

pub mod playbooks;
pub mod recent;
pub mod store;
