//! Display width (terminal columns) of cleaned text, and padding/truncating to a width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes in a terminal.
pub fn display_width(s: &str) -> usize {
    // Printable ASCII takes one column a byte: a megabyte name is measured on every frame.
    if s.is_ascii() && !s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return s.len();
    }
    UnicodeWidthStr::width(s)
}

/// Columns `s` takes once cleaned for display (`clean_line`), without cleaning it when it
/// is plain ASCII: a table measures every cell of a long list with this.
pub fn clean_width(s: &str) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        // Cleaning only joins the words with single spaces.
        let (words, len) = s
            .split_ascii_whitespace()
            .fold((0usize, 0usize), |(n, len), w| (n + 1, len + w.len()));
        return len + words.saturating_sub(1);
    }
    display_width(&super::clean_line(s))
}

/// `s` cut to at most `width` columns, ending in `…` when cut.
pub fn truncate_to(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` padded with spaces on the right to `width` columns (never cut).
pub fn pad_to(s: &str, width: usize) -> String {
    let w = display_width(s);
    if w >= width {
        return s.to_owned();
    }
    format!("{s}{}", " ".repeat(width - w))
}

/// `s` cut or padded to exactly `width` columns.
pub fn fit(s: &str, width: usize) -> String {
    pad_to(&truncate_to(s, width), width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(display_width("\u{5f20}\u{4f1f}"), 4);
        assert_eq!(fit("\u{5f20}\u{4f1f}ab", 4), "\u{5f20}\u{2026} ");
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(truncate_to("abcdef", 4), "abc\u{2026}");
        assert_eq!(truncate_to("abc", 0), "");
        for s in ["plain ascii", "", "tab\there", "\u{7f}", "caf\u{e9}"] {
            assert_eq!(display_width(s), UnicodeWidthStr::width(s), "{s:?}");
        }
        for s in [
            "plain ascii",
            "",
            "  two   spaces ",
            "tab\there",
            "\u{1b}[31mred",
            "caf\u{e9}",
            "\u{5f20}\u{4f1f}",
        ] {
            let clean = super::super::clean_line(s);
            assert_eq!(clean_width(s), display_width(&clean), "{s:?}");
        }
    }
}
