//! User configuration: the config directory (platform conventions via `directories`), the
//! keymap, the theme, the sign-in profiles, and the date rounds takes as today. Writes only `profiles.toml` (atomically,
//! mode 0600); holds no secrets.

mod key;
pub mod keymap;
mod private_file;
pub mod profiles;
pub mod theme;

use std::path::PathBuf;

use crate::files::read_settings;

pub use keymap::{Context, Key, Keymap, KeymapError};
pub use profiles::{AuthKind, DEFAULT_OFFLINE_HOURS, Profile, Profiles, ProfilesError};
pub use theme::{Theme, ThemeError, no_color_requested, unicode_locale};

/// The largest keymap or theme file read: they are a few kilobytes.
const MAX_SETTINGS: u64 = 1024 * 1024;

/// Today's date, for ages and for checking typed birth dates: `ROUNDS_TODAY` (YYYY-MM-DD)
/// when set, for reproducible output; else the local date.
pub fn today() -> chrono::NaiveDate {
    std::env::var("ROUNDS_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The rounds config directory, e.g. `~/.config/rounds` on Linux. `ROUNDS_CONFIG_DIR`
/// overrides it (tests, portable installs).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ROUNDS_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "rounds", "rounds").map(|d| d.config_dir().to_path_buf())
}

/// The rounds cache directory, e.g. `~/.cache/rounds` on Linux, for data that holds no
/// patient information (server capabilities). `ROUNDS_CACHE_DIR` overrides it; an empty
/// value turns the cache off.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("ROUNDS_CACHE_DIR") {
        Some(d) if d.is_empty() => None,
        Some(d) => Some(PathBuf::from(d)),
        None => directories::ProjectDirs::from("org", "rounds", "rounds")
            .map(|d| d.cache_dir().to_path_buf()),
    }
}

/// The rounds state directory, e.g. `~/.local/state/rounds` on Linux (`XDG_STATE_HOME`),
/// for what must survive a restart and may hold patient data, always encrypted (the
/// outbox of unsent writes). `ROUNDS_STATE_DIR` overrides it. Where the platform has no
/// state directory (macOS, Windows), the local data directory.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ROUNDS_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "rounds", "rounds").map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf()
    })
}

/// The keymap: the defaults, with `keymap.toml` from the config directory merged over them.
pub fn load_keymap() -> Result<Keymap, KeymapError> {
    let base = Keymap::default_keymap();
    let Some(path) = config_dir().map(|d| d.join("keymap.toml")) else {
        return Ok(base);
    };
    match read_settings(&path, MAX_SETTINGS) {
        Ok(Some(text)) => Keymap::parse(&path.display().to_string(), &text, Some(&base)),
        _ => Ok(base),
    }
}

/// Every theme the user can pick: the built-in ones, and `themes/*.toml` files in the
/// config directory (a file named like a built-in theme changes it). Each is adjusted for
/// `NO_COLOR` and the locale. Read once at start-up, so `:theme` does no I/O. Files that
/// cannot be used are returned as errors beside the themes that can.
pub fn load_themes() -> (Vec<Theme>, Vec<ThemeError>) {
    let mut themes: Vec<Theme> = Vec::new();
    let mut errors = Vec::new();
    for name in Theme::names() {
        match Theme::built_in(name) {
            Ok(t) => themes.push(t),
            Err(e) => errors.push(e),
        }
    }
    let dir = config_dir().map(|d| d.join("themes"));
    let mut files: Vec<std::path::PathBuf> = dir
        .and_then(|d| std::fs::read_dir(d).ok())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let Some(name) = path.file_stem().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let Ok(Some(text)) = read_settings(&path, MAX_SETTINGS) else {
            continue;
        };
        let base = themes
            .iter()
            .find(|t| t.name == name)
            .or_else(|| themes.iter().find(|t| t.name == "default"))
            .cloned();
        match Theme::from_toml(&name, &text, base.as_ref()) {
            Ok(t) => {
                themes.retain(|x| x.name != t.name);
                themes.push(t);
            }
            Err(e) => errors.push(e),
        }
    }
    let no_color = no_color_requested();
    let unicode = theme::unicode_locale();
    let themes = themes
        .into_iter()
        .map(|t| {
            let mut t = if no_color { t.without_color() } else { t };
            t.unicode = unicode;
            t
        })
        .collect();
    (themes, errors)
}

/// A theme by name from `load_themes`.
pub fn find_theme(themes: &[Theme], name: &str) -> Result<Theme, ThemeError> {
    themes
        .iter()
        .find(|t| t.name == name)
        .cloned()
        .ok_or_else(|| ThemeError::Unknown {
            name: name.to_owned(),
            known: themes
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })
}
