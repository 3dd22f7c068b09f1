//! The keymap: keys to `Action`s per context, from an embedded default TOML file merged
//! with an optional user file. The help screen is generated from the same table, so what `?`
//! shows is what the keys do.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::app::Action;

/// The embedded default bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap-default.toml");

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    Search,
    Chart,
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Search => "Patient search",
            Context::Chart => "Chart",
            Context::Help => "Help",
        }
    }
}

/// A key with its modifiers, normalised (`G` not `shift-g`, `shift-tab` for back-tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    code: KeyName,
    ctrl: bool,
    alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum KeyName {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
    F(u8),
}

impl Key {
    /// Parse `j`, `ctrl-d`, `shift-tab`, `pagedown`, `f1`, `?`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").map(|_| &rest[5..]) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = lower.strip_prefix("alt-").map(|_| &rest[4..]) {
                alt = true;
                rest = r;
            } else if let Some(r) = lower.strip_prefix("shift-").map(|_| &rest[6..]) {
                shift = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyName::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyName::Enter,
                "esc" | "escape" => KeyName::Esc,
                "tab" if shift => KeyName::BackTab,
                "tab" => KeyName::Tab,
                "backtab" => KeyName::BackTab,
                "up" => KeyName::Up,
                "down" => KeyName::Down,
                "left" => KeyName::Left,
                "right" => KeyName::Right,
                "pageup" | "pgup" => KeyName::PageUp,
                "pagedown" | "pgdn" => KeyName::PageDown,
                "home" => KeyName::Home,
                "end" => KeyName::End,
                "backspace" => KeyName::Backspace,
                "delete" | "del" => KeyName::Delete,
                "space" => KeyName::Char(' '),
                f if f.starts_with('f') => {
                    KeyName::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
                }
                _ => return None,
            },
        };
        let code = match (code, shift) {
            (KeyName::Char(c), true) => KeyName::Char(c.to_ascii_uppercase()),
            (c, _) => c,
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key of a terminal key event, if rounds can bind it.
    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let alt = e.modifiers.contains(KeyModifiers::ALT);
        let code = match e.code {
            KeyCode::Char(c) => KeyName::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::Enter => KeyName::Enter,
            KeyCode::Esc => KeyName::Esc,
            KeyCode::Tab if e.modifiers.contains(KeyModifiers::SHIFT) => KeyName::BackTab,
            KeyCode::Tab => KeyName::Tab,
            KeyCode::BackTab => KeyName::BackTab,
            KeyCode::Up => KeyName::Up,
            KeyCode::Down => KeyName::Down,
            KeyCode::Left => KeyName::Left,
            KeyCode::Right => KeyName::Right,
            KeyCode::PageUp => KeyName::PageUp,
            KeyCode::PageDown => KeyName::PageDown,
            KeyCode::Home => KeyName::Home,
            KeyCode::End => KeyName::End,
            KeyCode::Backspace => KeyName::Backspace,
            KeyCode::Delete => KeyName::Delete,
            KeyCode::F(n) => KeyName::F(n),
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key as the help screen writes it: `j`, `Ctrl-d`, `Shift-Tab`, `PgDn`.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyName::Char(' ') => "Space".to_owned(),
            KeyName::Char(c) => c.to_string(),
            KeyName::Enter => "Enter".into(),
            KeyName::Esc => "Esc".into(),
            KeyName::Tab => "Tab".into(),
            KeyName::BackTab => "Shift-Tab".into(),
            KeyName::Up => "↑".into(),
            KeyName::Down => "↓".into(),
            KeyName::Left => "←".into(),
            KeyName::Right => "→".into(),
            KeyName::PageUp => "PgUp".into(),
            KeyName::PageDown => "PgDn".into(),
            KeyName::Home => "Home".into(),
            KeyName::End => "End".into(),
            KeyName::Backspace => "Backspace".into(),
            KeyName::Delete => "Delete".into(),
            KeyName::F(n) => format!("F{n}"),
        };
        let mut out = String::new();
        if self.ctrl {
            out.push_str("Ctrl-");
        }
        if self.alt {
            out.push_str("Alt-");
        }
        out.push_str(&name);
        out
    }
}

/// One binding: keys, the action, and the words the help screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// Key bindings by context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<Binding>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    global: Vec<BindingSpec>,
    #[serde(default)]
    search: Vec<BindingSpec>,
    #[serde(default)]
    chart: Vec<BindingSpec>,
    #[serde(default)]
    help: Vec<BindingSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BindingSpec {
    on: Vec<String>,
    run: Action,
    #[serde(default)]
    desc: Option<String>,
}

/// Why a keymap file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("keymap {source_name}: {problem}")]
pub struct KeymapError {
    pub source_name: String,
    pub problem: String,
}

impl Keymap {
    /// The built-in bindings.
    pub fn default_keymap() -> Keymap {
        // The embedded file is tested; should it ever fail, an empty map still lets
        // Ctrl-C and the text boxes work.
        Keymap::parse("default keymap", DEFAULT_KEYMAP, None).unwrap_or(Keymap {
            bindings: BTreeMap::new(),
        })
    }

    /// Parse a keymap file; with `base`, its bindings are merged over `base`.
    pub fn parse(
        source_name: &str,
        text: &str,
        base: Option<&Keymap>,
    ) -> Result<Keymap, KeymapError> {
        let err = |problem: String| KeymapError {
            source_name: source_name.to_owned(),
            problem,
        };
        let file: KeymapFile = toml::from_str(text).map_err(|e| err(e.message().to_owned()))?;
        let mut map = base.cloned().unwrap_or(Keymap {
            bindings: BTreeMap::new(),
        });
        for (ctx, specs) in [
            (Context::Global, file.global),
            (Context::Search, file.search),
            (Context::Chart, file.chart),
            (Context::Help, file.help),
        ] {
            for spec in specs {
                let mut keys = Vec::new();
                for k in &spec.on {
                    keys.push(Key::parse(k).ok_or_else(|| err(format!("'{k}' is not a key")))?);
                }
                if keys.is_empty() {
                    return Err(err(format!("a binding for '{:?}' has no keys", spec.run)));
                }
                let list = map.bindings.entry(ctx).or_default();
                // A key bound again in the same context moves to the new binding.
                for b in list.iter_mut() {
                    b.keys.retain(|k| !keys.contains(k));
                }
                list.retain(|b| !b.keys.is_empty());
                list.push(Binding {
                    keys,
                    action: spec.run,
                    desc: spec.desc.unwrap_or_else(|| format!("{:?}", spec.run)),
                });
            }
        }
        Ok(map)
    }

    /// The action for a key in a context, falling back to the global bindings.
    pub fn action(&self, context: Context, key: &Key) -> Option<Action> {
        let find = |ctx: Context| {
            self.bindings
                .get(&ctx)?
                .iter()
                .find(|b| b.keys.contains(key))
                .map(|b| b.action)
        };
        find(context).or_else(|| {
            (context != Context::Global)
                .then(|| find(Context::Global))
                .flatten()
        })
    }

    /// The bindings of a context, in file order (for the help screen).
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.bindings
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key bound to `action` in `context` (or globally), for key hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        [context, Context::Global].iter().find_map(|ctx| {
            self.bindings
                .get(ctx)?
                .iter()
                .find(|b| b.action == action)
                .and_then(|b| b.keys.first())
                .map(Key::label)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, m)).unwrap()
    }

    #[test]
    fn the_default_keymap_parses_and_resolves() {
        let km = Keymap::parse("default", DEFAULT_KEYMAP, None).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.action(Context::Chart, &ev(KeyCode::Char('3'), none)),
            Some(Action::Tab3)
        );
        assert_eq!(
            km.action(Context::Chart, &ev(KeyCode::Char('j'), none)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(Context::Chart, &ev(KeyCode::Down, none)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(Context::Chart, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            km.action(
                Context::Search,
                &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(
                Context::Search,
                &ev(KeyCode::Char('d'), KeyModifiers::CONTROL)
            ),
            Some(Action::PageDown)
        );
        assert_eq!(
            km.action(Context::Search, &ev(KeyCode::Char('3'), none)),
            None
        );
        assert_eq!(
            km.key_for(Context::Chart, Action::Help).as_deref(),
            Some("?")
        );
    }

    #[test]
    fn user_bindings_override_the_same_key() {
        let base = Keymap::default_keymap();
        let user = "[[chart]]\non = [\"3\", \"m\"]\nrun = \"tab_4\"\ndesc = \"Results\"\n";
        let km = Keymap::parse("user", user, Some(&base)).unwrap();
        let k = |s| Key::parse(s).unwrap();
        assert_eq!(km.action(Context::Chart, &k("3")), Some(Action::Tab4));
        assert_eq!(km.action(Context::Chart, &k("m")), Some(Action::Tab4));
        assert_eq!(km.action(Context::Chart, &k("2")), Some(Action::Tab2));
        assert!(
            km.bindings(Context::Chart)
                .iter()
                .all(|b| b.action != Action::Tab3)
        );
    }

    #[test]
    fn bad_keymaps_are_explained() {
        let e = Keymap::parse(
            "user",
            "[[chart]]\non = [\"hyper-x\"]\nrun = \"quit\"\n",
            None,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "keymap user: 'hyper-x' is not a key");
        let e = Keymap::parse("user", "[[chart]]\non = [\"x\"]\nrun = \"explode\"\n", None)
            .unwrap_err();
        assert!(e.to_string().contains("unknown variant"), "{e}");
    }

    #[test]
    fn key_labels() {
        assert_eq!(Key::parse("ctrl-d").unwrap().label(), "Ctrl-d");
        assert_eq!(Key::parse("shift-tab").unwrap().label(), "Shift-Tab");
        assert_eq!(Key::parse("G").unwrap(), Key::parse("shift-g").unwrap());
        assert_eq!(Key::parse("f1").unwrap().label(), "F1");
        assert_eq!(Key::parse("f13"), None);
    }
}
