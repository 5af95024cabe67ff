//! Finding a project's playbook: a built-in one by name, or a user's RON file
//! (relative paths are taken from the project file's directory).

use std::path::{Path, PathBuf};

use crate::core::model::PlaybookRef;
use crate::core::playbook::{self, Playbook, PlaybookError};

/// Why a playbook could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadPlaybookError {
    /// The playbook file could not be read.
    #[error(
        "cannot read the playbook file {path}: {source} (fix the path in the project's `playbook` field)"
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The playbook is malformed or invalid.
    #[error(transparent)]
    Invalid(#[from] PlaybookError),
    /// The playbook file's path cannot be written into a project file.
    #[error(
        "the playbook file's path {} is not UTF-8, and a project file names it as text: rename it or move it",
        .0.display()
    )]
    NotUtf8(PathBuf),
}

/// Load the playbook `reference` names; `project_path` anchors relative paths.
pub fn load(
    reference: &PlaybookRef,
    project_path: Option<&Path>,
) -> Result<Playbook, LoadPlaybookError> {
    match reference {
        PlaybookRef::Builtin(name) => Ok(playbook::builtin(name)?),
        PlaybookRef::File(file) => {
            let path = Path::new(file);
            let path = match project_path.and_then(Path::parent) {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path.to_owned(),
            };
            load_file(&path)
        }
    }
}

/// How a project file at `project` names the playbook file at `playbook`,
/// the inverse of [`load`]: relative to the project file's directory when
/// the playbook lies within it (the two travel together), else by its
/// absolute path.
pub fn reference_from(playbook: &Path, project: &Path) -> Result<String, LoadPlaybookError> {
    let absolute = std::fs::canonicalize(playbook).map_err(|source| LoadPlaybookError::Io {
        path: playbook.to_owned(),
        source,
    })?;
    let dir = project
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let named = std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| absolute.strip_prefix(d).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| absolute.clone());
    named
        .to_str()
        .map(str::to_owned)
        .ok_or(LoadPlaybookError::NotUtf8(absolute))
}

/// Load a playbook file.
pub fn load_file(path: &Path) -> Result<Playbook, LoadPlaybookError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadPlaybookError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(playbook::parse(&text, &path.display().to_string())?)
}
