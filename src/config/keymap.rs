//! The keymap: keys to `Action`s per context, from an embedded default TOML file merged
//! with an optional user file. The help screen is generated from the same table, so what `?`
//! shows is what the keys do.

use std::collections::BTreeMap;

pub use super::key::Key;
use serde::Deserialize;

use crate::common::Action;

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
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn ev(code: KeyCode, m: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, m)).unwrap()
    }

    #[test]
    fn the_default_keymap_parses_and_resolves() {
        let km = Keymap::parse("default", DEFAULT_KEYMAP, None).unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.action(Context::Chart, &ev(KeyCode::Char('3'), none)),
            Some(Action::TabMedications)
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
        assert_eq!(km.action(Context::Chart, &k("3")), Some(Action::TabResults));
        assert_eq!(km.action(Context::Chart, &k("m")), Some(Action::TabResults));
        assert_eq!(
            km.action(Context::Chart, &k("2")),
            Some(Action::TabProblems)
        );
        assert!(
            km.bindings(Context::Chart)
                .iter()
                .all(|b| b.action != Action::TabMedications)
        );
    }

    #[test]
    fn tab_actions_are_read_by_name_and_by_their_old_position_names() {
        // A keymap.toml written before the tab actions had names must keep working.
        let names = [
            ("tab_1", "tab_cover", Action::TabCover),
            ("tab_2", "tab_problems", Action::TabProblems),
            ("tab_3", "tab_medications", Action::TabMedications),
            ("tab_4", "tab_results", Action::TabResults),
            ("tab_5", "tab_vitals", Action::TabVitals),
            ("tab_6", "tab_encounters", Action::TabEncounters),
            ("tab_7", "tab_immunizations", Action::TabImmunizations),
            ("tab_8", "tab_notes", Action::TabNotes),
            ("tab_9", "tab_procedures", Action::TabProcedures),
        ];
        let k = |s| Key::parse(s).unwrap();
        for (old, new, action) in names {
            for name in [old, new] {
                let user = format!("[[chart]]\non = [\"x\"]\nrun = \"{name}\"\ndesc = \"Tab\"\n");
                let km = Keymap::parse("user", &user, None).unwrap();
                assert_eq!(km.action(Context::Chart, &k("x")), Some(action), "{name}");
            }
        }
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
}
