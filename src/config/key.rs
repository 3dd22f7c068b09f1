//! A key as rounds names it: parsed from keymap files (`ctrl-d`, `shift-tab`, `G`), built
//! from terminal key events, and written back for the help screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_labels() {
        assert_eq!(Key::parse("ctrl-d").unwrap().label(), "Ctrl-d");
        assert_eq!(Key::parse("shift-tab").unwrap().label(), "Shift-Tab");
        assert_eq!(Key::parse("G").unwrap(), Key::parse("shift-g").unwrap());
        assert_eq!(Key::parse("f1").unwrap().label(), "F1");
        assert_eq!(Key::parse("f13"), None);
    }
}
