//! `embargo merge-driver %O %A %B [%P]`: a git merge driver for project
//! files, so that a plain `git merge` or `git pull` merges two versions of a
//! project field by field (see `core::merge`) instead of line by line.
//!
//! git's contract (gitattributes(5), "Defining a custom merge driver"): the
//! driver gets the common ancestor's version (%O), ours (%A) and theirs (%B)
//! in temporary files, leaves the result in %A by overwriting it, and exits
//! 0 when it merged cleanly, non-zero when there are conflicts. Here a
//! conflict leaves %A as ours, untouched, lists every conflict on stderr and
//! exits 1; an input that is not a project is refused with exit 2, %A
//! untouched too, and git then reports the file as conflicted. The
//! repository's `.gitattributes` names the driver for project files
//! (`*.embargo.ron merge=embargo`) and the git configuration defines it
//! (`git config merge.embargo.driver 'embargo merge-driver %O %A %B %P'`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::adapters::{outfile, store};
use crate::core::merge::{self, Merged};
use crate::core::model::Project;

/// `embargo merge-driver`.
#[derive(Debug, clap::Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version (git's %A); the merged project is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), for the messages.
    pub path: Option<String>,
}

/// Run the merge driver.
pub fn merge_driver(args: &MergeDriverArgs) -> Result<Outcome> {
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    let mut projects = Vec::with_capacity(3);
    for (what, path) in [
        ("common ancestor's", &args.base),
        ("our", &args.ours),
        ("their", &args.theirs),
    ] {
        match read(path, &name) {
            Ok(p) => projects.push(p),
            Err(Refusal(message)) => {
                eprintln!("embargo merge-driver: {name}: {what} version {message}");
                return Ok(Outcome::Exit(2));
            }
        }
    }
    let [base, ours, theirs]: [Project; 3] = projects
        .try_into()
        .expect("three versions were read, or the driver returned");
    let merged = merge::merge(&base, &ours, &theirs);
    if !merged.is_clean() {
        eprint!("{}", conflict_report(&name, &merged));
        return Ok(Outcome::Exit(1));
    }
    if let Err(e) = store::check_valid(Path::new(&name), &merged.project) {
        eprintln!(
            "embargo merge-driver: both versions merge, but the result does not hold together, \
             so the file is left as ours: {e}"
        );
        return Ok(Outcome::Exit(1));
    }
    outfile::write_private(&args.ours, store::project_to_string(&merged.project)).with_context(
        || {
            format!(
                "could not write the merged project to {}",
                args.ours.display()
            )
        },
    )?;
    Ok(Outcome::Exit(0))
}

/// Why an input cannot be merged, as the end of a sentence.
struct Refusal(String);

fn read(path: &Path, name: &str) -> Result<Project, Refusal> {
    let bytes = store::read_bytes(path).map_err(|e| Refusal(format!("cannot be read: {e}")))?;
    if name.ends_with(store::SEALED_SUFFIX) || looks_encrypted(&bytes) {
        return Err(Refusal(
            "is encrypted (OpenPGP): the merge driver merges plain `.embargo.ron` files; \
             merge an encrypted project with `embargo sync`"
                .to_owned(),
        ));
    }
    store::parse_bytes(bytes, Path::new(name))
        .map_err(|e| Refusal(format!("is not a project Embargo can read: {e}")))
}

/// Whether `bytes` are an OpenPGP message rather than RON text: armored, or
/// binary (not UTF-8).
fn looks_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(b"-----BEGIN PGP") || std::str::from_utf8(bytes).is_err()
}

/// The list of conflicts on stderr, with what to do.
pub fn conflict_report(name: &str, merged: &Merged) -> String {
    let n = merged.conflicts.len();
    let mut out = format!(
        "embargo merge-driver: {name}: {n} field{} changed differently on both sides; \
         the file is left as ours:\n",
        if n == 1 { "" } else { "s" }
    );
    for c in &merged.conflicts {
        out.push_str(&format!("  {c}\n"));
    }
    out.push_str(
        "Pick a side for each (in the app's conflict window, or `embargo sync --take ours|theirs FIELD…`), \
         or edit the file by hand, then `git add` it and commit.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_inputs_are_recognised() {
        assert!(looks_encrypted(b"-----BEGIN PGP MESSAGE-----\n"));
        assert!(looks_encrypted(&[0xc1, 0x0c, 0x03, 0xff]));
        assert!(!looks_encrypted(b"EmbargoProject(\n    schema: 2,"));
        assert!(!looks_encrypted("\u{feff}EmbargoProject(".as_bytes()));
    }
}
