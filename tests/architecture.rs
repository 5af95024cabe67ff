//! The core stays free of the GUI toolkit and of the crates that do I/O on
//! its behalf: a `use` or path of egui, eframe, git2, lettre, rfd or sequoia
//! anywhere under src/core fails this test. And the two front ends (src/ui
//! and src/cli) reach signing, verifying, key unlocking, git, mail sending
//! and download credentials only through `crate::workflows`, so the app and
//! the CLI run one rule: a line of src/ui or src/cli naming `adapters::git`,
//! `adapters::share`, the signing functions or the mail adapter's sending,
//! composing or `.eml` saving fails it. The modules of src/ui import each
//! other in layers, without a cycle, with the messages (src/ui/command.rs)
//! below them all; and the release-time rules do not import the playbooks.

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
    for entry in std::fs::read_dir(dir).expect("the source directory is readable") {
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

/// Every Rust file of the two front ends (src/ui and src/cli) with its text.
fn front_end_sources() -> Vec<(std::path::PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    rust_files(&root.join("src/cli"), &mut files);
    assert!(files.len() > 10, "src/ui and src/cli were not found");
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable");
            (f, text)
        })
        .collect()
}

#[test]
fn ui_and_cli_reach_mail_sending_and_share_only_through_workflows() {
    let mut found = Vec::new();
    for (file, text) in front_end_sources() {
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

/// What the front ends (src/ui and src/cli) must not call themselves: the
/// release operations are reached only through `crate::workflows`, so the
/// app and the CLI cannot drift apart again. Forbidden in their code
/// (comments ignored, `use` lists spanning lines included):
/// - any path into `adapters::git` (the guard, the hook, the tag, the
///   tarballs, the patch): `adapters::git::…`, `adapters::git;`, the
///   grouped `adapters::{…, git, …}`, `adapters::*` and `adapters::git as`;
/// - these of `adapters::openpgp`, by any path (`openpgp::NAME`,
///   `openpgp::sign::NAME`, `openpgp::{…, NAME, …}`): signing files
///   (`sign_files`, the `sign` module), signing bytes (`sign_bytes`, a git
///   tag's signature), clear-signing a text (`clearsign`), verifying
///   signatures (`verify_detached`) and unlocking a key (`unlock`); and
///   renaming `adapters::openpgp` (`as`),
///   which would hide them.
const OPENPGP_FORBIDDEN: [&str; 6] = [
    "sign_files",
    "sign_bytes",
    "verify_detached",
    "unlock",
    "sign",
    "clearsign",
];

/// The source with `//` comments removed, line by line.
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The text of the `{…}` group that `rest` starts with (without the outer
/// braces), or `None` when `rest` does not start with one.
fn group(rest: &str) -> Option<&str> {
    let rest = rest.strip_prefix('{')?;
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[..i]);
                }
            }
            _ => {}
        }
    }
    Some(rest)
}

/// The identifiers in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word(c)).filter(|w| !w.is_empty())
}

/// Every way `source` reaches a release operation without the workflows,
/// as `what: where` lines (empty: none).
fn bypasses(source: &str) -> Vec<String> {
    let code = code_of(source);
    let mut found = Vec::new();
    let line_of = |i: usize| code[..i].matches('\n').count() + 1;
    // Paths into adapters::git, grouped or not.
    for (i, _) in code.match_indices("adapters::") {
        if code[..i].chars().last().is_some_and(is_word) {
            continue;
        }
        let rest = code[i + "adapters::".len()..].trim_start();
        let direct = rest
            .strip_prefix("git")
            .is_some_and(|after| !after.starts_with(is_word));
        let grouped = group(rest).is_some_and(|g| words(g).any(|w| w == "git"));
        if direct || grouped || rest.starts_with('*') {
            found.push(format!("adapters::git: line {}", line_of(i)));
        }
    }
    // The signing, verifying and unlocking functions of adapters::openpgp.
    for (i, _) in code.match_indices("openpgp") {
        let before = code[..i].chars().last();
        let rest = &code[i + "openpgp".len()..];
        if before.is_some_and(|c| is_word(c) && c != ':') || rest.starts_with(is_word) {
            continue;
        }
        if rest.trim_start().starts_with("as ") && code[..i].ends_with("adapters::") {
            found.push(format!("adapters::openpgp renamed: line {}", line_of(i)));
            continue;
        }
        let Some(path) = rest.strip_prefix("::") else {
            continue;
        };
        let path = path.trim_start();
        let names: Vec<&str> = match group(path) {
            Some(g) => words(g).collect(),
            // `openpgp::sign::sign_files`, `openpgp::keys::unlock(…)`.
            None => {
                let end = path
                    .find(|c: char| !(is_word(c) || c == ':' || c == '{'))
                    .unwrap_or(path.len());
                let head = &path[..end];
                match head.find('{') {
                    Some(b) => words(&head[..b])
                        .chain(group(&path[b..]).map(words).into_iter().flatten())
                        .collect(),
                    None => words(head).collect(),
                }
            }
        };
        if let Some(name) = names.iter().find(|n| OPENPGP_FORBIDDEN.contains(n)) {
            found.push(format!("adapters::openpgp::{name}: line {}", line_of(i)));
        }
    }
    found
}

#[test]
fn the_workflows_detector_finds_what_it_must() {
    for bad in [
        "use crate::adapters::git::{self, Leak};",
        "    let repo = crate::adapters::git::open(&p)?;",
        "use crate::adapters::{git, store};",
        "use crate::adapters::{\n    playbooks,\n    git::archive,\n};",
        "use crate::adapters::*;",
        "use crate::adapters::git as g;",
        "use crate::adapters::openpgp::{\n    self, KeySource,\n    sign_files,\n};",
        "    let out = openpgp::sign_files(&mut key, &files, true, &watch)?;",
        "    let key = openpgp::unlock(&source, &cert, None, now)?;",
        "use crate::adapters::openpgp::keys::unlock;",
        "    openpgp::verify_detached(&cert, &sig, &file)",
        "    let s = openpgp::sign_bytes(key, text)?;",
        "        o.text = openpgp::clearsign(&mut key, &o.text)?;",
        "use crate::adapters::openpgp::sign::{SignOutput, Watch};",
        "use crate::adapters::openpgp as pgp;",
    ] {
        assert!(!bypasses(bad).is_empty(), "not found: {bad}");
    }
    for good in [
        "let signed = workflows::sign::sign(&mut key, &files, true, &watch)?;",
        "let key = workflows::keys::unlock(request, &watch)?;",
        "use crate::workflows::{self, artifacts::{Choices, Plan}, guard::Leak};",
        "let f = openpgp::normalize_fingerprint(&typed);",
        "use crate::adapters::openpgp::{self, KeyInfo, KeySource, Passphrase};",
        "// openpgp::sign_files is called by the workflow, not here",
        "let _ = self.file.unlock();",
        "vault::set_unlock(cli.unlock);",
        "use crate::adapters::{playbooks, recent, store};",
        "Some(Command::Guard(args)) => git::guard(args),",
        "let g = crate::adapters::gitlike::x();",
    ] {
        assert_eq!(bypasses(good), Vec::<String>::new(), "{good}");
    }
}

#[test]
fn the_front_ends_reach_signing_git_and_keys_only_through_the_workflows() {
    let mut found = Vec::new();
    for (file, text) in front_end_sources() {
        for b in bypasses(&text) {
            found.push(format!("{}: {b}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "src/ui and src/cli must call crate::workflows for these:\n{}",
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

/// A module of src/ui by its path below `ui` (`[]` is src/ui/mod.rs,
/// `["handlers", "file"]` is src/ui/handlers/file.rs).
type Module = Vec<String>;

/// Every .rs file under `dir`, by the module it is.
fn ui_modules(dir: &Path) -> Vec<(Module, std::path::PathBuf)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(dir).expect("below src/ui");
            let mut m: Module = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if m.last().is_some_and(|l| l == "mod") {
                m.pop();
            }
            (m, f)
        })
        .collect()
}

/// The modules of `known` that the code of module `me` names through
/// `super::…` or `crate::ui::…` (in `use` items and in paths), and, in a
/// mod.rs, through `use child::…` of its own children. `use super::{a,
/// b::C}` names `a` and `b`. Comments and the test module at the end of a
/// file (from its `#[cfg(test)]` line on) are not read.
fn imports(me: &Module, is_mod_rs: bool, code: &str, known: &[Module]) -> Vec<Module> {
    let code: String = code
        .lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    // `super` of a.rs is the parent module; of x/mod.rs, the parent of x.
    let mut parent = me.clone();
    parent.pop();
    let mut found: Vec<Module> = Vec::new();
    let mut resolve = |base: &Module, path: &str| {
        // The longest known module the path names, from `base` down.
        let mut best = base.clone();
        let mut at = base.clone();
        for s in path.split("::").map(str::trim) {
            if s.is_empty() || s == "*" {
                break;
            }
            at.push(s.to_owned());
            if !known.contains(&at) {
                break;
            }
            best = at.clone();
        }
        if &best != me && !found.contains(&best) {
            found.push(best);
        }
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut prefixes: Vec<(String, Module)> = vec![
        ("super::".into(), parent.clone()),
        ("crate::ui::".into(), Vec::new()),
    ];
    if is_mod_rs {
        for k in known {
            if k.len() == me.len() + 1 && k.starts_with(me) {
                let child = k.last().expect("a child").clone();
                prefixes.push((format!("use {child}::"), me.clone()));
                prefixes.push((format!("use {child};"), me.clone()));
            }
        }
    }
    for (prefix, base) in &prefixes {
        for (i, _) in code.match_indices(prefix.as_str()) {
            if code[..i]
                .chars()
                .last()
                .is_some_and(|b| word(b) || b == ':')
            {
                continue;
            }
            // For `use child::…`, the child is part of the path.
            let (start, base_path) = match prefix.strip_prefix("use ") {
                Some(child) => (i + prefix.len(), child.trim_end_matches([':', ';'])),
                None => (i + prefix.len(), ""),
            };
            let rest = &code[start..];
            let lead = if base_path.is_empty() {
                String::new()
            } else {
                format!("{base_path}::")
            };
            if let Some(group) = rest.strip_prefix('{') {
                // Entries of the group at depth 0, up to its closing brace.
                let mut depth = 0;
                let mut entry = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            resolve(base, &format!("{lead}{entry}"));
                            entry.clear();
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        entry.push(c);
                    }
                }
                resolve(base, &format!("{lead}{entry}"));
            } else {
                let path: String = rest.chars().take_while(|&c| word(c) || c == ':').collect();
                resolve(base, &format!("{lead}{path}"));
            }
        }
    }
    found
}

/// A cycle in `edges` (module → modules it imports), if any, as the
/// modules along it, first repeated at the end.
fn find_cycle(edges: &[(Module, Vec<Module>)]) -> Option<Vec<Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        at: usize,
        edges: &[(Module, Vec<Module>)],
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<Vec<Module>> {
        marks[at] = Mark::Open;
        path.push(at);
        for to in &edges[at].1 {
            let Some(next) = edges.iter().position(|(m, _)| m == to) else {
                continue;
            };
            match marks[next] {
                Mark::Open => {
                    let from = path.iter().position(|&p| p == next).expect("on the path");
                    let mut cycle: Vec<Module> =
                        path[from..].iter().map(|&p| edges[p].0.clone()).collect();
                    cycle.push(edges[next].0.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(next, edges, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks[at] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; edges.len()];
    (0..edges.len()).find_map(|i| {
        if marks[i] == Mark::New {
            visit(i, edges, &mut marks, &mut Vec::new())
        } else {
            None
        }
    })
}

fn m(path: &str) -> Module {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_import_reader_and_the_cycle_detector_find_what_they_must() {
    let known = [
        m(""),
        m("app"),
        m("command"),
        m("state"),
        m("menu"),
        m("handlers"),
        m("handlers/file"),
    ];
    // Paths, groups over lines and the crate-absolute form; comments,
    // look-alikes and the test module are not imports.
    let code = "use super::command::{Command, Queue};\n\
                use super::{\n    state,\n    app::{X, Y},\n};\n\
                let x = super::not_a_module::f();\n\
                // use super::handlers::Y;\n\
                let y = my_super::handlers::Z;\n\
                #[cfg(test)]\n\
                mod tests { use super::*; use crate::ui::handlers::T; }";
    let sorted = |mut v: Vec<Module>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(imports(&m("menu"), false, code, &known)),
        sorted(vec![m("command"), m("state"), m("app"), m("")])
    );
    assert_eq!(
        sorted(imports(
            &m("handlers/file"),
            false,
            "use crate::ui::state::EmbargoApp;\nuse super::x;",
            &known
        )),
        sorted(vec![m("state"), m("handlers")])
    );
    // A mod.rs names its children through `use child::…`.
    assert_eq!(
        sorted(imports(
            &m(""),
            true,
            "pub use state::{EmbargoApp};\nmod menu;\nuse app;",
            &known
        )),
        sorted(vec![m("state"), m("app")])
    );
    // A synthetic graph: a → b → c → a is found; a DAG is not a cycle.
    let edges = vec![
        (m("a"), vec![m("b")]),
        (m("b"), vec![m("c"), m("d")]),
        (m("c"), vec![m("a")]),
        (m("d"), vec![]),
    ];
    assert_eq!(
        find_cycle(&edges),
        Some(vec![m("a"), m("b"), m("c"), m("a")])
    );
    let dag = vec![
        (m("a"), vec![m("b"), m("c")]),
        (m("b"), vec![m("c")]),
        (m("c"), vec![]),
    ];
    assert_eq!(find_cycle(&dag), None);
    assert_eq!(
        find_cycle(&[(m("x"), vec![m("x")])]),
        Some(vec![m("x"), m("x")]),
        "a module naming itself is a cycle too"
    );
}

#[test]
fn the_modules_of_src_ui_import_each_other_without_a_cycle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let modules = ui_modules(&dir);
    assert!(modules.len() > 10, "src/ui was not found");
    let known: Vec<Module> = modules.iter().map(|(m, _)| m.clone()).collect();
    let edges: Vec<(Module, Vec<Module>)> = modules
        .iter()
        .map(|(me, file)| {
            let code = std::fs::read_to_string(file).expect("readable");
            let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
            (me.clone(), imports(me, is_mod, &code, &known))
        })
        .collect();
    let command = edges
        .iter()
        .find(|(me, _)| *me == m("command"))
        .expect("src/ui/command.rs holds every message");
    assert!(
        command.1.is_empty(),
        "src/ui/command.rs must import nothing from the rest of ui: {:?}",
        command.1
    );
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle
            .iter()
            .map(|m| {
                if m.is_empty() {
                    "mod".into()
                } else {
                    m.join("/")
                }
            })
            .collect();
        panic!("src/ui imports in a circle: {}", names.join(" → "));
    }
}
