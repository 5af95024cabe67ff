//! What the subcommands that stand in for the wizard's actions (`issue`,
//! `plan`, `recipients`, `notice-state`, `settings`) share: one way to
//! change a project file — its lock, the refusal of an invalid project
//! before anything is done, one operation of `core::ops`, the save that
//! checks again — and one way to say that a value given on the command line
//! cannot be used (exit 2, as clap's own usage errors).

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Outcome;
use crate::core::model::Project;
use crate::core::playbook::Playbook;

/// A value on the command line that cannot be used: the command exits 2
/// with this message, and nothing is changed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct Usage(pub String);

/// Change the project `file` with `change`, under its lock, journaled at
/// the present instant ([`super::now`]), and save it. Refused before
/// `change` runs when the project does not validate; the save validates
/// again, so a change that breaks it leaves the file as it was.
pub(super) fn change<T>(
    file: &Path,
    program: &str,
    change: impl FnOnce(&mut Project, &Playbook, DateTime<Utc>) -> Result<T>,
) -> Result<T> {
    let _lock = super::lock(file, program)?;
    let (mut project, playbook) = super::load_to_write(file)?;
    let now = super::now()?;
    let value = change(&mut project, &playbook, now)?;
    super::vault::save(file, &project)?;
    Ok(value)
}

/// Exit 2 with the message of a [`Usage`] error; every other outcome as it is.
pub(super) fn exit_code(result: Result<()>) -> Result<Outcome> {
    match result {
        Ok(()) => Ok(Outcome::Exit(0)),
        Err(e) => match e.downcast_ref::<Usage>() {
            Some(Usage(message)) => {
                eprintln!("error: {message}");
                Ok(Outcome::Exit(2))
            }
            None => Err(e),
        },
    }
}

/// Print `value` as pretty JSON on standard output.
pub(super) fn print_json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `yes`/`no`/`not-asked` (and the like) as an answer that may be unknown.
pub(super) fn parse_answer(value: &str, what: &str) -> Result<Option<bool>, Usage> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(Some(true)),
        "no" | "false" => Ok(Some(false)),
        "not-asked" | "none" | "" => Ok(None),
        _ => Err(Usage(format!(
            "{what}: `{value}` is not an answer; give yes, no or not-asked"
        ))),
    }
}

/// An RFC 3339 instant given as the value of `what`.
pub(super) fn parse_instant(value: &str, what: &str) -> Result<DateTime<Utc>, Usage> {
    super::parse_instant(value.trim()).map_err(|e| Usage(format!("{what}: {e}")))
}

/// `value` when it is one of `names`, else a [`Usage`] error listing them
/// (with the nearest as "did you mean").
pub(super) fn one_of<'a>(value: &str, names: &[&'a str], what: &str) -> Result<&'a str, Usage> {
    let v = value.trim().to_ascii_lowercase();
    if let Some(n) = names.iter().find(|n| **n == v) {
        return Ok(n);
    }
    Err(Usage(unknown(value, names, what)))
}

/// "`x` is not a WHAT; did you mean `y`? The WHATs are: ..." for a name not
/// among `names`.
pub(super) fn unknown(value: &str, names: &[&str], what: &str) -> String {
    let hint = match crate::adapters::store::nearest_name(value.trim(), names) {
        Some(n) => format!(" (did you mean `{n}`?)"),
        None => String::new(),
    };
    format!(
        "`{value}` is not {what}{hint}; give one of: {}",
        names.join(", ")
    )
}
