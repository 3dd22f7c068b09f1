//! Themes: `themes/*.toml` files with semantic style slots (`banner_allergy`, `abnormal`,
//! `status_error`), embedded in the binary; a user theme in the config directory may
//! override some slots of a built-in one (`inherits = "default"`). With `NO_COLOR` set,
//! every colour is dropped and only bold, underline and reverse remain. Panes ask the theme
//! for a meaning; they never name a colour.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes: (name, TOML).
pub const BUILT_IN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("monochrome", include_str!("../../themes/monochrome.toml")),
];

macro_rules! slots {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// A theme: one style per meaning.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            pub name: String,
            /// Whether block and line characters may be drawn (a UTF-8 locale); ASCII
            /// stand-ins otherwise. Set from the environment by `config::load_themes`.
            pub unicode: bool,
            $($(#[$doc])* pub $name: Style,)*
        }

        /// The slot names, for validation and the help screen.
        pub const SLOTS: &[&str] = &[$(stringify!($name)),*];

        impl Theme {
            fn set(&mut self, slot: &str, style: Style) -> bool {
                match slot {
                    $(stringify!($name) => { self.$name = style; true })*
                    _ => false,
                }
            }

            fn map_styles(&mut self, f: impl Fn(Style) -> Style) {
                $(self.$name = f(self.$name);)*
            }

            fn blank(name: &str) -> Theme {
                Theme { name: name.to_owned(), unicode: true, $($name: Style::default(),)* }
            }
        }
    };
}

slots! {
    /// Ordinary text.
    base,
    /// Secondary text: labels, hints, "Not known".
    muted,
    border,
    border_focused,
    title,
    /// Table column headers.
    header,
    /// The selected row.
    selected,
    /// The patient banner background.
    banner,
    banner_name,
    banner_label,
    /// The allergy flag when allergies are recorded.
    banner_allergy,
    /// The allergy flag when "no known allergies" is recorded.
    banner_nka,
    /// The allergy flag when nothing is known: a warning.
    banner_unknown,
    banner_deceased,
    tab,
    tab_active,
    /// An abnormal (H, L, !) value.
    abnormal,
    /// A critical (HH, LL, !!) value.
    critical,
    normal_value,
    /// A look-alike patient in search results.
    lookalike,
    warning,
    status,
    status_error,
    status_loading,
    key_hint,
    input,
    input_focused,
    sparkline,
}

/// Why a theme could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("no theme called '{name}' (themes: {known})")]
    Unknown { name: String, known: String },
    #[error("theme '{name}': {problem}")]
    Invalid { name: String, problem: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    inherits: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

/// Parse a colour: a name, `0`-`255`, or `#rrggbb`.
pub fn parse_color(s: &str) -> Option<Color> {
    let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match s.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark_gray" | "dark_grey" => Color::DarkGray,
        "light_red" => Color::LightRed,
        "light_green" => Color::LightGreen,
        "light_yellow" => Color::LightYellow,
        "light_blue" => Color::LightBlue,
        "light_magenta" => Color::LightMagenta,
        "light_cyan" => Color::LightCyan,
        "white" => Color::White,
        hex if hex.starts_with('#') && hex.len() == 7 => {
            let n = u32::from_str_radix(&hex[1..], 16).ok()?;
            Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8)
        }
        num => Color::Indexed(num.parse().ok()?),
    })
}

impl StyleSpec {
    fn style(&self, theme: &str, slot: &str) -> Result<Style, ThemeError> {
        let color = |c: &Option<String>| -> Result<Option<Color>, ThemeError> {
            match c {
                None => Ok(None),
                Some(c) => parse_color(c).map(Some).ok_or_else(|| ThemeError::Invalid {
                    name: theme.to_owned(),
                    problem: format!("'{slot}' has an unknown colour '{c}'"),
                }),
            }
        };
        let mut style = Style::default();
        if let Some(fg) = color(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = color(&self.bg)? {
            style = style.bg(bg);
        }
        let mut m = Modifier::empty();
        for (on, flag) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                m |= flag;
            }
        }
        Ok(style.add_modifier(m))
    }
}

impl Theme {
    /// A built-in theme by name.
    pub fn built_in(name: &str) -> Result<Theme, ThemeError> {
        let (_, text) =
            BUILT_IN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| ThemeError::Unknown {
                    name: name.to_owned(),
                    known: Theme::names().join(", "),
                })?;
        Theme::from_toml(name, text, None)
    }

    /// The names of the built-in themes.
    pub fn names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    }

    /// Parse a theme file. A file that `inherits` starts from that built-in theme (or from
    /// `base` when given), so a user theme may set only the slots it changes.
    pub fn from_toml(name: &str, text: &str, base: Option<&Theme>) -> Result<Theme, ThemeError> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| ThemeError::Invalid {
            name: name.to_owned(),
            problem: e.message().to_owned(),
        })?;
        let name = file.name.clone().unwrap_or_else(|| name.to_owned());
        let mut theme = match (&file.inherits, base) {
            (Some(parent), _) if parent != &name => {
                let mut t = Theme::built_in(parent)?;
                t.name = name.clone();
                t
            }
            (_, Some(b)) => {
                let mut t = b.clone();
                t.name = name.clone();
                t
            }
            _ => Theme::blank(&name),
        };
        for (slot, spec) in &file.styles {
            let style = spec.style(&name, slot)?;
            if !theme.set(slot, style) {
                return Err(ThemeError::Invalid {
                    name,
                    problem: format!("unknown slot '{slot}'"),
                });
            }
        }
        Ok(theme)
    }

    /// Drop every colour, keeping bold, underline and reverse (for `NO_COLOR`).
    pub fn without_color(mut self) -> Theme {
        self.map_styles(|s| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        });
        self
    }

    /// The style for a lab or vital flag symbol.
    pub fn flag(&self, critical: bool, abnormal: bool) -> Style {
        if critical {
            self.critical
        } else if abnormal {
            self.abnormal
        } else {
            self.normal_value
        }
    }

    /// The border for a pane, brighter when it has the focus.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.border_focused
        } else {
            self.border
        }
    }
}

/// Whether the locale is UTF-8 (or says nothing), so block characters can be drawn.
pub fn unicode_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .is_none_or(|v| {
            let v = v.to_uppercase();
            v.contains("UTF-8") || v.contains("UTF8")
        })
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, per no-color.org).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_sets_every_slot() {
        for (name, text) in BUILT_IN {
            let file: ThemeFile = toml::from_str(text).unwrap();
            for slot in SLOTS {
                assert!(
                    file.styles.contains_key(*slot),
                    "theme {name} lacks slot {slot}"
                );
            }
            Theme::built_in(name).unwrap();
        }
    }

    #[test]
    fn user_theme_overrides_some_slots_of_a_built_in_one() {
        let t = Theme::from_toml(
            "mine",
            "inherits = \"default\"\n[styles]\nabnormal = { fg = \"#ff8800\", bold = true }\n",
            None,
        )
        .unwrap();
        assert_eq!(t.abnormal.fg, Some(Color::Rgb(255, 136, 0)));
        assert_eq!(t.critical, Theme::built_in("default").unwrap().critical);
        assert_eq!(t.name, "mine");
    }

    #[test]
    fn bad_themes_are_explained() {
        let e = Theme::from_toml("x", "[styles]\nabnormal = { fg = \"purplish\" }\n", None)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "theme 'x': 'abnormal' has an unknown colour 'purplish'"
        );
        let e = Theme::from_toml("x", "[styles]\nnope = {}\n", None).unwrap_err();
        assert_eq!(e.to_string(), "theme 'x': unknown slot 'nope'");
        assert!(Theme::built_in("neon").is_err());
    }

    #[test]
    fn no_color_keeps_modifiers_only() {
        let t = Theme::built_in("default").unwrap().without_color();
        assert_eq!(t.banner_allergy.bg, None);
        assert!(t.banner_allergy.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn the_sixteen_colour_themes_use_only_ansi_colours() {
        for name in ["default", "light", "high-contrast"] {
            let t = Theme::built_in(name).unwrap();
            let mut styles = vec![
                t.base, t.abnormal, t.critical, t.banner, t.selected, t.status,
            ];
            styles.extend([
                t.banner_allergy,
                t.banner_unknown,
                t.tab_active,
                t.status_error,
            ]);
            for s in styles {
                for c in [s.fg, s.bg].into_iter().flatten() {
                    assert!(
                        !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                        "{name}: {c:?}"
                    );
                }
            }
        }
    }
}
