//! User configuration: the config directory (platform conventions via `directories`), the
//! keymap and the theme. Reads files; writes nothing; holds no secrets.

pub mod keymap;
pub mod theme;

use std::path::PathBuf;

pub use keymap::{Context, Key, Keymap, KeymapError};
pub use theme::{Theme, ThemeError, no_color_requested};

/// The rounds config directory, e.g. `~/.config/rounds` on Linux. `ROUNDS_CONFIG_DIR`
/// overrides it (tests, portable installs).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ROUNDS_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "rounds", "rounds").map(|d| d.config_dir().to_path_buf())
}

/// The keymap: the defaults, with `keymap.toml` from the config directory merged over them.
pub fn load_keymap() -> Result<Keymap, KeymapError> {
    let base = Keymap::default_keymap();
    let Some(path) = config_dir().map(|d| d.join("keymap.toml")) else {
        return Ok(base);
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Keymap::parse(&path.display().to_string(), &text, Some(&base)),
        Err(_) => Ok(base),
    }
}

/// A theme by name: a user file `themes/NAME.toml` in the config directory, else a built-in
/// one. `NO_COLOR` turns any theme monochrome.
pub fn load_theme(name: &str) -> Result<Theme, ThemeError> {
    let user = config_dir()
        .map(|d| d.join("themes").join(format!("{name}.toml")))
        .and_then(|p| std::fs::read_to_string(p).ok());
    let theme = match user {
        Some(text) => {
            let base = Theme::built_in(name).ok();
            Theme::from_toml(
                name,
                &text,
                base.as_ref().or(Theme::built_in("default").ok().as_ref()),
            )?
        }
        None => Theme::built_in(name)?,
    };
    Ok(if no_color_requested() {
        theme.without_color()
    } else {
        theme
    })
}
