//! The core stays free of the GUI toolkit and of the crates that do I/O on
//! its behalf: a `use` or path of egui, eframe, git2, lettre, rfd or sequoia
//! anywhere under src/core fails this test. And the two front ends send
//! mail and make download credentials only through `crate::workflows`: a
//! line of src/ui or src/cli naming `adapters::share`, or the mail
//! adapter's sending, composing or `.eml` saving, fails it too.

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

/// What `src/ui` and `src/cli` may name of the mail adapter directly: the
/// typed SMTP password they hand to the notice workflow. Sending, saving
/// `.eml` files and composing go through `crate::workflows::notice`, the
/// download's credentials through `crate::workflows::share`.
const MAIL_TYPES: [&str; 1] = ["SmtpPassword"];

/// How a line of Rust reaches mail sending or the share adapter other than
/// through `crate::workflows`, if it does. Comments are ignored.
fn bypasses_workflows(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    if code.contains("adapters::share") {
        return Some("adapters::share");
    }
    for call in ["save_eml", "compose_for_project", "eml_path"] {
        if code.contains(call) {
            return Some("mail composing or saving");
        }
    }
    for (i, _) in code.match_indices("adapters::mail") {
        let rest = &code[i + "adapters::mail".len()..];
        let allowed = if let Some(list) = rest.strip_prefix("::{") {
            list.split('}').next().unwrap_or("").split(',').all(|item| {
                let item = item.trim();
                item.is_empty() || MAIL_TYPES.contains(&item)
            })
        } else if let Some(name) = rest.strip_prefix("::") {
            let ident: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            MAIL_TYPES.contains(&ident.as_str())
        } else {
            false
        };
        if !allowed {
            return Some("adapters::mail");
        }
    }
    None
}

#[test]
fn the_mail_and_share_detector_finds_what_it_must() {
    assert_eq!(
        bypasses_workflows("use crate::adapters::share as files;"),
        Some("adapters::share")
    );
    assert_eq!(
        bypasses_workflows("use crate::adapters::mail::{self as transport, SmtpPassword};"),
        Some("adapters::mail")
    );
    assert_eq!(
        bypasses_workflows("    crate::adapters::mail::send(&s, &c, &w)?;"),
        Some("adapters::mail")
    );
    assert_eq!(
        bypasses_workflows("let p = transport::save_eml(dir, t, &c)?;"),
        Some("mail composing or saving")
    );
    assert_eq!(
        bypasses_workflows("use crate::adapters::mail;"),
        Some("adapters::mail")
    );
    assert_eq!(
        bypasses_workflows("use crate::adapters::mail::SmtpPassword;"),
        None
    );
    assert_eq!(
        bypasses_workflows("use crate::adapters::mail::{SmtpPassword};"),
        None
    );
    assert_eq!(
        bypasses_workflows("use crate::workflows::share as files;"),
        None
    );
    assert_eq!(
        bypasses_workflows("// adapters::share is reached through workflows"),
        None
    );
}

#[test]
fn ui_and_cli_reach_mail_sending_and_share_only_through_workflows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    rust_files(&root.join("src/cli"), &mut files);
    assert!(files.len() > 10, "src/ui and src/cli were not found");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            if let Some(what) = bypasses_workflows(line) {
                found.push(format!(
                    "{}:{}: {what}: {}",
                    file.display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/ui and src/cli must send mail and make download credentials through crate::workflows:\n{}",
        found.join("\n")
    );
}
