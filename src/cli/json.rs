//! JSON output that is safe to print on a terminal: serde_json escapes only the C0
//! controls, so DEL, the C1 controls (which some terminals act on even as UTF-8), bidi
//! controls and the Unicode line separators are escaped here as `\uXXXX` too. The data is
//! escaped, never altered: any JSON parser reads back exactly what the server sent.

use std::io::{self, Write};

use serde_json::ser::{Formatter, PrettyFormatter};

/// Pretty-printing that also escapes terminal-active characters.
pub struct TerminalSafe(PrettyFormatter<'static>);

impl TerminalSafe {
    pub fn new() -> TerminalSafe {
        TerminalSafe(PrettyFormatter::new())
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        | '\u{2028}' | '\u{2029}')
}

impl Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !fragment.chars().any(needs_escape) {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if needs_escape(c) {
                write!(w, "\\u{:04x}", u32::from(c))?;
            } else {
                let mut buf = [0u8; 4];
                w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            }
        }
        Ok(())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Write `value` as pretty JSON with terminal-active characters escaped.
pub fn to_writer(out: &mut dyn Write, value: &impl serde::Serialize) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, TerminalSafe::new());
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_serde_json_leaves_and_round_trips() {
        let v = serde_json::json!({"name": "A\u{1b}[2J\u{9b}31m\u{202e}B\u{7f}\u{2028}é张", "n": [1, 2]});
        let mut out = Vec::new();
        to_writer(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\\u001b"), "{text}");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e") && text.contains("\\u007f"),
            "{text}"
        );
        assert!(text.contains("é张"));
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        assert!(
            text.contains("\n  \"n\": [\n    1,"),
            "still pretty: {text}"
        );
    }
}
