//! The contents of the help screen, derived from the keymap: one definition for the pane
//! that draws it and for `update`, which keeps its scrolling inside it.

use super::rows::matches;
use super::state::Screen;
use crate::config::{Context, Keymap};

/// One line of the help screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// Words about typing in a box.
    Note(&'static str),
    Blank,
    /// A context heading ("Chart").
    Heading(&'static str),
    /// Keys and what they do.
    Binding {
        keys: String,
        desc: String,
    },
}

/// The help lines for `screen` (its own keys first), keeping bindings that match `filter`.
pub fn help_lines(keymap: &Keymap, screen: Screen, filter: &str) -> Vec<HelpLine> {
    let mut lines = vec![
        HelpLine::Note("In a text box: Enter runs it, Esc clears or leaves it,"),
        HelpLine::Note("Ctrl-U clears it, Ctrl-W deletes a word, F1 shows this help."),
    ];
    let order = match screen {
        Screen::Chart => [
            Context::Chart,
            Context::Global,
            Context::Search,
            Context::Help,
        ],
        Screen::Search => [
            Context::Search,
            Context::Global,
            Context::Chart,
            Context::Help,
        ],
    };
    for ctx in order {
        let bindings: Vec<HelpLine> = keymap
            .bindings(ctx)
            .iter()
            .filter_map(|b| {
                let keys = b
                    .keys
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(" ");
                matches(filter, &[&b.desc, &keys]).then(|| HelpLine::Binding {
                    keys,
                    desc: b.desc.clone(),
                })
            })
            .collect();
        if bindings.is_empty() {
            continue;
        }
        lines.push(HelpLine::Blank);
        lines.push(HelpLine::Heading(ctx.title()));
        lines.extend(bindings);
    }
    // The list screens' commands and keys (not in the keymap: the lists take their keys
    // directly, like the other modal screens).
    let lists: Vec<HelpLine> = LISTS
        .iter()
        .filter(|(keys, desc)| matches(filter, &[desc, keys]))
        .map(|(keys, desc)| HelpLine::Binding {
            keys: (*keys).to_owned(),
            desc: (*desc).to_owned(),
        })
        .collect();
    if !lists.is_empty() {
        lines.push(HelpLine::Blank);
        lines.push(HelpLine::Heading("Lists (schedule, ward, mine)"));
        lines.extend(lists);
    }
    lines
}

/// The list screens' commands and keys, for the help screen.
const LISTS: [(&str, &str); 8] = [
    (
        ":today",
        "today's schedule (:schedule YYYY-MM-DD for another day)",
    ),
    (
        ":ward LOCATION",
        "the census: visits in progress at a location",
    ),
    (
        ":mine",
        "today's appointments of the signed-in practitioner",
    ),
    ("j k", "move in a list"),
    ("Enter", "open the selected patient's chart"),
    ("i", "check the selected appointment in (schedule)"),
    ("r", "refresh the list (also every 60 s in the background)"),
    ("Esc", "close the list"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_screens_keys_come_first_and_filter_narrows() {
        let km = Keymap::default_keymap();
        let all = help_lines(&km, Screen::Chart, "");
        assert_eq!(all[3], HelpLine::Heading("Chart"));
        let quit = help_lines(&km, Screen::Search, "quit rounds");
        let bindings: Vec<&HelpLine> = quit
            .iter()
            .filter(|l| matches!(l, HelpLine::Binding { .. }))
            .collect();
        assert_eq!(bindings.len(), 1, "{quit:?}");
    }
}
