//! The user's display preferences: the colour theme (follow the system,
//! light or dark) and the UI scale, kept beside the recent-projects list in
//! the configuration directory (`prefs.ron`). Loading falls back to the
//! defaults on a missing or damaged file; saving is atomic.
//!
//! Beside them, in `identity` (one line), the user's own mail address: the
//! project member new journal entries are credited to
//! (`Project::author_for`, with git's `user.email` as the fallback the
//! front ends try next).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the desktop's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The smallest and largest UI scale offered.
pub const SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.75..=2.0;

/// Display preferences.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The colour theme.
    pub theme: Theme,
    /// The UI scale (1.0: the system's).
    pub scale: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            scale: 1.0,
        }
    }
}

impl Prefs {
    /// The same preferences with the scale brought into [`SCALE_RANGE`].
    pub fn clamped(self) -> Self {
        let scale = if self.scale.is_finite() {
            self.scale.clamp(*SCALE_RANGE.start(), *SCALE_RANGE.end())
        } else {
            1.0
        };
        Self { scale, ..self }
    }
}

/// The preferences kept in `dir`; the defaults when there are none or the
/// file is damaged.
pub fn load(dir: &Path) -> Prefs {
    std::fs::read_to_string(dir.join("prefs.ron"))
        .ok()
        .and_then(|t| ron::from_str::<Prefs>(&t).ok())
        .unwrap_or_default()
        .clamped()
}

/// Keep `prefs` in `dir` (written to a temporary file, then renamed).
pub fn save(dir: &Path, prefs: &Prefs) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let text = ron::ser::to_string_pretty(prefs, ron::ser::PrettyConfig::default())
        .map_err(std::io::Error::other)?;
    let tmp = dir.join(".prefs.ron.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join("prefs.ron"))
}

/// The user's own mail address kept in `dir`, if one is set.
pub fn identity(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("identity")).ok()?;
    let address = text.lines().next()?.trim();
    (!address.is_empty() && !address.chars().any(char::is_control)).then(|| address.to_owned())
}

/// Keep `address` as the user's own mail address in `dir` (atomically,
/// private); an empty one removes it.
pub fn save_identity(dir: &Path, address: &str) -> std::io::Result<()> {
    let address = address.trim();
    if address.is_empty() {
        return match std::fs::remove_file(dir.join("identity")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    if address.chars().any(char::is_control) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "a mail address is one line without control characters",
        ));
    }
    std::fs::create_dir_all(dir)?;
    super::outfile::write_private(&dir.join("identity"), format!("{address}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_and_read_back_with_damaged_files_falling_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(load(dir.path()), Prefs::default());
        let p = Prefs {
            theme: Theme::Dark,
            scale: 1.5,
        };
        save(dir.path(), &p).expect("saved");
        assert_eq!(load(dir.path()), p);
        std::fs::write(dir.path().join("prefs.ron"), "(theme: Purple)").expect("written");
        assert_eq!(load(dir.path()), Prefs::default());
        std::fs::write(dir.path().join("prefs.ron"), "(scale: 40.0)").expect("written");
        assert_eq!(load(dir.path()).scale, *SCALE_RANGE.end());
    }

    #[test]
    fn the_identity_is_kept_apart_from_the_display_preferences() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(identity(dir.path()), None);
        save_identity(dir.path(), " ada@example.org ").expect("saved");
        save(dir.path(), &Prefs::default()).expect("saved");
        assert_eq!(identity(dir.path()).as_deref(), Some("ada@example.org"));
        assert!(save_identity(dir.path(), "a\nb").is_err());
        save_identity(dir.path(), "").expect("removed");
        assert_eq!(identity(dir.path()), None);
    }
}
