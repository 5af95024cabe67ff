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

fn file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("recent.ron"))
}

/// The recent projects, most recent first. A missing or damaged list is empty.
pub fn load() -> Vec<PathBuf> {
    file()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|t| ron::from_str::<Vec<PathBuf>>(&t).ok())
        .unwrap_or_default()
}

/// Put `path` first in the list and save it; returns the new list.
pub fn remember(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut list = load();
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(MAX_RECENT);
    if let Some(f) = file() {
        if let Some(dir) = f.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = ron::to_string(&list).map_err(std::io::Error::other)?;
        std::fs::write(f, text)?;
    }
    Ok(list)
}
