//! The domain: model, playbooks and step status, release-time rules and
//! rendered texts. Pure code: no GUI toolkit, no file, network, git or crypto
//! I/O (a test enforces the imports); the adapters do the I/O behind the
//! traits in [`ports`].

pub mod age;
pub mod checks;
pub mod due;
pub mod duties;
pub mod figures;
pub mod guard;
pub mod import;
pub mod merge;
pub mod model;
pub mod notice;
pub mod ops;
pub mod playbook;
pub mod ports;
pub mod render;
pub mod schedule;
pub mod settings;
pub mod share;
pub mod team;
pub mod told;
