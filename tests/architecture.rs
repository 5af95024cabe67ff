//! The core stays free of the GUI toolkit and of the crates that do I/O on
//! its behalf: a `use` or path of egui, eframe, git2, lettre, rfd or sequoia
//! anywhere under src/core fails this test.

use std::path::Path;

const FORBIDDEN: [&str; 9] = [
    "egui",
    "eframe",
    "egui_extras",
    "egui_kittest",
    "git2",
    "lettre",
    "rfd",
    "sequoia_openpgp",
    "sequoia_gpg_agent",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/core is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The forbidden crate a line of Rust refers to as a path (`name::`,
/// `use name;`, `use name as x;`), if any. Comments are ignored.
fn offending(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    FORBIDDEN.iter().copied().find(|c| {
        code.match_indices(c).any(|(i, _)| {
            let starts_word = code[..i]
                .chars()
                .last()
                .is_none_or(|b| !(b.is_alphanumeric() || b == '_'));
            let rest = &code[i + c.len()..];
            let is_path =
                rest.starts_with("::") || rest.starts_with(';') || rest.starts_with(" as ");
            starts_word && is_path
        })
    })
}

#[test]
fn the_detector_finds_what_it_must() {
    assert_eq!(offending("use egui::Ui;"), Some("egui"));
    assert_eq!(
        offending("    let x = git2::Repository::open(p);"),
        Some("git2")
    );
    assert_eq!(
        offending("use sequoia_openpgp as openpgp;"),
        Some("sequoia_openpgp")
    );
    assert_eq!(offending("use lettre::Message;"), Some("lettre"));
    assert_eq!(offending("rfd::FileDialog::new()"), Some("rfd"));
    assert_eq!(offending("use eframe::App;"), Some("eframe"));
    assert_eq!(offending("// egui:: is not used here"), None);
    assert_eq!(offending("let my_egui_like = 1;"), None);
    assert_eq!(offending("use crate::core::model;"), None);
}

#[test]
fn core_imports_no_gui_git_mail_dialog_or_crypto_crate() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"),
        &mut files,
    );
    assert!(files.len() > 5, "src/core was not found");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            if let Some(c) = offending(line) {
                found.push(format!(
                    "{}:{}: {c}: {}",
                    file.display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/core must not use these crates:\n{}",
        found.join("\n")
    );
}

/// Whether a line of Rust names the playbook module as a path segment
/// (`crate::core::playbook::X`, `super::playbook`, `use crate::core::{model,
/// playbook}`). Comments are ignored.
fn names_playbook(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("playbook").any(|(i, w)| {
        let before = &code[..i];
        let after = &code[i + w.len()..];
        let word = before
            .chars()
            .last()
            .is_none_or(|b| !(b.is_alphanumeric() || b == '_'))
            && after
                .chars()
                .next()
                .is_none_or(|a| !(a.is_alphanumeric() || a == '_'));
        let segment = before.trim_end().ends_with("::")
            || after.trim_start().starts_with("::")
            || (code.trim_start().starts_with("use ") && before.contains('{'));
        word && segment
    })
}

#[test]
fn the_playbook_detector_finds_what_it_must() {
    assert!(names_playbook(
        "use crate::core::playbook::{Playbook, StepKind};"
    ));
    assert!(names_playbook(
        "    let b = crate::core::playbook::builtin(\"exim\");"
    ));
    assert!(names_playbook("use crate::core::{model, playbook};"));
    assert!(names_playbook("use super::super::playbook;"));
    assert!(!names_playbook("// see core::playbook::issue_plan"));
    assert!(!names_playbook("    playbook: &Playbook,"));
    assert!(!names_playbook("let playbook_name = 1;"));
    assert!(!names_playbook(
        "use crate::core::model::{Milestone, StepKind};"
    ));
}

#[test]
fn the_release_time_rules_do_not_import_the_playbooks() {
    // The playbooks build on the rules (a step reports a rule's verdicts);
    // the rules name a step only by its kind, from core::model.
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core/schedule"),
        &mut files,
    );
    assert!(files.len() >= 3, "src/core/schedule was not found");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            if names_playbook(line) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "core::schedule must not import core::playbook:\n{}",
        found.join("\n")
    );
}
