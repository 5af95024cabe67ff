//! The desktop app as a coordinator carries a release in it (issue #22):
//! one test binary, one module per topic, each driving the app through its
//! accessibility tree with egui_kittest (clicks and typing by label) and
//! checking the app's state and what reached the disk, the mail server or
//! the repository.

#[path = "../support/mod.rs"]
mod support;

mod clocks;
mod common;
mod csaf;
mod issue_list;
mod leak;
mod mail;
mod repo;
mod settings;
mod steps;
mod team;
mod typing;
