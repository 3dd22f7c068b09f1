//! The sanitizer: removes everything from untrusted text that a terminal would act on
//! rather than print.
//!
//! Removed: ESC and whole escape sequences (CSI, OSC including OSC 52 clipboard writes and
//! OSC 8 links, DCS, APC, PM, SOS, and two-byte ESC sequences), the other C0 and all C1
//! control characters (including their 8-bit CSI/OSC/DCS forms and the strings they start),
//! DEL, bidirectional embedding/override/isolate controls (which can make text read
//! backwards: "Trojan Source"), and invisible zero-width characters except the joiner used
//! inside emoji. Ordinary Unicode (accents, CJK, emoji) is kept; floods of combining marks
//! are cut to a few per character.

use unicode_width::UnicodeWidthChar;

/// Clean text for one line: every kind of line break and tab becomes a space, runs of
/// spaces collapse, and the ends are trimmed.
pub fn clean_line(s: &str) -> String {
    strip(s, false)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Clean multi-line text (notes): keeps line breaks (CR LF and CR become LF), turns tabs
/// into four spaces, trims trailing spaces on each line, keeps at most one blank line in a row.
pub fn clean_block(s: &str) -> String {
    let cleaned = strip(s, true);
    let mut lines: Vec<String> = Vec::new();
    for line in cleaned.split('\n') {
        let line = line.replace('\t', "    ").trim_end().to_owned();
        if line.is_empty() && lines.last().is_some_and(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Most zero-width characters (combining marks, joiners, variation selectors) kept in a
/// row: plenty for any script and emoji sequence, but a "Zalgo" flood of thousands of marks
/// stacked on one letter is cut.
const MAX_ZERO_WIDTH_RUN: usize = 8;

/// Remove control characters and escape sequences. With `keep_breaks`, `\n`, `\r` and
/// `\t` survive (CR and CRLF become LF); otherwise they become spaces.
///
/// Server text is often joined before it is cleaned (a name from its parts, a note from
/// several attachments), so a broken sequence must not swallow what follows it: a control
/// string (OSC, DCS, SOS, PM, APC) with nothing after it that could end it loses only its
/// introducer, and every sequence ends at a line break, at a character that cannot be part
/// of it, or at the next ESC (which starts a sequence of its own).
fn strip(s: &str, keep_breaks: bool) -> String {
    // Fast path: plain printable ASCII (and line breaks where they are kept) has nothing to
    // remove. A megabyte name then costs one pass over its bytes, on every frame.
    let plain = |b: &u8| matches!(b, 0x20..=0x7e) || (keep_breaks && matches!(b, b'\n' | b'\t'));
    if s.as_bytes().iter().all(plain) {
        return s.to_owned();
    }
    let last_end = s.rfind(ends_string);
    let terminated = |rest: &str| last_end.is_some_and(|e| e >= s.len() - rest.len());
    let brk = |c: char| if keep_breaks { c } else { ' ' };
    let mut out = String::with_capacity(s.len());
    let mut zero_width_run = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        let keep = match c {
            '\u{1b}' => {
                match peek(&chars) {
                    Some('[') => {
                        chars.next();
                        skip_csi(&mut chars);
                    }
                    Some(']' | 'P' | 'X' | '^' | '_') => {
                        chars.next();
                        if terminated(chars.as_str()) {
                            skip_string(&mut chars);
                        }
                    }
                    // nF sequences: intermediates 0x20-0x2F then one final byte.
                    Some('\u{20}'..='\u{2f}') => {
                        while peek(&chars).is_some_and(|n| ('\u{20}'..='\u{2f}').contains(&n)) {
                            chars.next();
                        }
                        if peek(&chars).is_some_and(|n| ('\u{30}'..='\u{7e}').contains(&n)) {
                            chars.next();
                        }
                    }
                    // Two-byte sequences (ESC 7, ESC c, ...).
                    Some('\u{30}'..='\u{7e}') => {
                        chars.next();
                    }
                    // A lone ESC: what follows is not part of it.
                    _ => {}
                }
                None
            }
            // 8-bit introducers of control strings: DCS, SOS, OSC, PM, APC.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => {
                if terminated(chars.as_str()) {
                    skip_string(&mut chars);
                }
                None
            }
            // 8-bit CSI.
            '\u{9b}' => {
                skip_csi(&mut chars);
                None
            }
            '\r' => {
                if peek(&chars) == Some('\n') {
                    chars.next();
                }
                Some(brk('\n'))
            }
            '\n' => Some(brk('\n')),
            '\t' => Some(brk('\t')),
            // Line and paragraph separators act as breaks in some terminals.
            '\u{2028}' | '\u{2029}' | '\u{85}' => Some(brk('\n')),
            c if is_removed(c) => None,
            c => Some(c),
        };
        let Some(c) = keep else { continue };
        if UnicodeWidthChar::width(c) == Some(0) {
            if zero_width_run >= MAX_ZERO_WIDTH_RUN {
                continue;
            }
            zero_width_run += 1;
        } else {
            zero_width_run = 0;
        }
        out.push(c);
    }
    out
}

fn peek(chars: &std::str::Chars<'_>) -> Option<char> {
    chars.as_str().chars().next()
}

/// Characters that end a control string: BEL, ST, ESC (ST's first half, or a new
/// sequence), CAN and SUB (which cancel it), and line breaks.
fn ends_string(c: char) -> bool {
    matches!(
        c,
        '\u{7}' | '\u{9c}' | '\u{1b}' | '\u{18}' | '\u{1a}' | '\n' | '\r'
    )
}

fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidi embeddings, overrides, isolates and marks.
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        // Zero-width and invisible formatting (the joiner U+200D stays for emoji).
        | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}'
        // Interlinear annotation controls and the object replacement specials.
        | '\u{fff9}'..='\u{fffb}'
        // Tag characters (invisible, used to smuggle text).
        | '\u{e0000}'..='\u{e007f}')
}

/// CSI: parameters and intermediates (0x20-0x3F) up to a final byte (0x40-0x7E), which is
/// consumed. Any other character ends it and is left to the caller (a control is then
/// removed, a line break or ordinary text kept, an ESC starts a new sequence).
fn skip_csi(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = peek(chars) {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// OSC/DCS/SOS/PM/APC: everything up to ST (ESC \ or 0x9C), BEL, CAN or SUB (consumed),
/// or up to a line break or another ESC (left to the caller).
fn skip_string(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = peek(chars) {
        match c {
            '\u{7}' | '\u{9c}' | '\u{18}' | '\u{1a}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                let mut after = chars.clone();
                after.next();
                if peek(&after) == Some('\\') {
                    *chars = after;
                    chars.next();
                }
                return;
            }
            '\n' | '\r' => return,
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_every_escape_sequence_kind() {
        let hostile = "A\u{1b}[2J\u{1b}[31mB\u{1b}]52;c;ZXZpbA==\u{7}C\u{1b}]8;;http://x\u{1b}\\D\
                       \u{1b}Pq#0\u{1b}\\E\u{1b}_apc\u{1b}\\F\u{1b}^pm\u{7}G\u{1b}Xsos\u{9c}H\u{9b}1mI\u{1b}7J";
        assert_eq!(clean_line(hostile), "ABCDEFGHIJ");
    }

    #[test]
    fn removes_controls_bidi_and_zero_width_but_keeps_unicode() {
        let s = "Hern\u{e1}n\u{202e}evil\u{202c} \u{200b}O'Keefe \u{5f20}\u{4f1f} \u{1f469}\u{200d}\u{2695}\u{fe0f}\u{7}\u{0}\u{85}x";
        assert_eq!(
            clean_line(s),
            "Hern\u{e1}nevil O'Keefe \u{5f20}\u{4f1f} \u{1f469}\u{200d}\u{2695}\u{fe0f} x"
        );
    }

    #[test]
    fn line_breaks_become_spaces_in_a_line_and_stay_in_a_block() {
        assert_eq!(
            clean_line("  two\r\nlines\tand\u{2028}more  "),
            "two lines and more"
        );
        assert_eq!(
            clean_block("a\r\nb\rc\n\n\n\nd\t!  \n"),
            "a\nb\nc\n\nd    !"
        );
    }

    #[test]
    fn a_broken_sequence_never_swallows_what_follows() {
        // Nothing could end this OSC: only its introducer goes, the rest is shown.
        assert_eq!(clean_line("ok\u{1b}]0;title"), "ok0;title");
        assert_eq!(clean_line("ok\u{9d}0;title"), "ok0;title");
        assert_eq!(clean_line("ok\u{1b}["), "ok");
        assert_eq!(clean_line("\u{1b}"), "");
        // A name joined from a hostile family and a given name: the given name survives.
        assert_eq!(clean_line("SMITH\u{1b}]0;x, John"), "SMITH0;x, John");
        // A string sequence ends at a line break, and at the next ESC, which starts its own.
        assert_eq!(clean_block("a\u{1b}]52;c;eA==\nnext\u{7}"), "a\nnext");
        assert_eq!(clean_line("a\u{1b}]0;t\u{1b}[31mred\u{7}"), "ared");
        assert_eq!(clean_line("a\u{1b}]0;t\u{1b}P+q\u{1b}\\b"), "ab");
        // A CSI ends at a character that cannot be part of it, which is kept.
        assert_eq!(clean_line("\u{1b}[\u{5f20}\u{4f1f}"), "\u{5f20}\u{4f1f}");
        assert_eq!(clean_block("x\u{1b}[1\ny"), "x\ny");
        assert_eq!(clean_line("x\u{1b}[12\u{1b}[31my"), "xy");
        // So does the character after a lone ESC.
        assert_eq!(clean_line("\u{1b}\u{5f20}"), "\u{5f20}");
        assert_eq!(clean_block("a\u{1b}\nb"), "a\nb");
    }

    #[test]
    fn combining_floods_are_cut_but_real_sequences_kept() {
        let zalgo: String = std::iter::once('Z')
            .chain(std::iter::repeat_n('\u{301}', 1000))
            .collect();
        assert_eq!(clean_line(&zalgo).chars().count(), 1 + MAX_ZERO_WIDTH_RUN);
        for s in [
            "Vi\u{1ec7}t Nam",
            "e\u{301}\u{302}",
            "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}",
            "1\u{fe0f}\u{20e3}",
        ] {
            assert_eq!(clean_line(s), s);
        }
    }
}
