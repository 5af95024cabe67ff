//! The list of recently opened projects, kept in the user's configuration
//! directory (`$XDG_CONFIG_HOME/embargo/recent.ron`). It holds paths only.

use std::path::{Path, PathBuf};

/// How many recent projects are remembered.
pub const MAX_RECENT: usize = 10;

/// Where the list lives: `$EMBARGO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/embargo`,
/// else `~/.config/embargo`.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("EMBARGO_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("embargo"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config").join("embargo"))
}

/// The recent projects listed in `dir`, most recent first. A missing or
/// damaged list is empty.
pub fn load(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(dir.join("recent.ron"))
        .ok()
        .and_then(|t| ron::from_str::<Vec<PathBuf>>(&t).ok())
        .unwrap_or_default()
}

/// Put `path` first in the list kept in `dir` and save it; returns the new list.
pub fn remember(dir: &Path, path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut list = load(dir);
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(MAX_RECENT);
    std::fs::create_dir_all(dir)?;
    let text = ron::to_string(&list).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("recent.ron"), text)?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_without_duplicates() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(load(dir.path()).is_empty());
        let a = dir.path().join("a.embargo.ron");
        let b = dir.path().join("b.embargo.ron");
        remember(dir.path(), &a).expect("saved");
        remember(dir.path(), &b).expect("saved");
        let list = remember(dir.path(), &a).expect("saved");
        assert_eq!(list, vec![a.clone(), b]);
        assert_eq!(load(dir.path()), list);
        std::fs::write(dir.path().join("recent.ron"), "garbage(").expect("written");
        assert!(
            load(dir.path()).is_empty(),
            "a damaged list is treated as empty"
        );
    }
}
