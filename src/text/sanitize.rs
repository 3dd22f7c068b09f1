//! The sanitizer: removes everything from untrusted text that a terminal would act on
//! rather than print.
//!
//! Removed: ESC and whole escape sequences (CSI, OSC including OSC 52 clipboard writes and
//! OSC 8 links, DCS, APC, PM, SOS, and two-byte ESC sequences), the other C0 and all C1
//! control characters (including their 8-bit CSI/OSC/DCS forms and the strings they start),
//! DEL, bidirectional embedding/override/isolate controls (which can make text read
//! backwards: "Trojan Source"), and invisible zero-width characters except the joiner used
//! inside emoji. Ordinary Unicode (accents, CJK, emoji) is kept.

/// Clean text for one line: every kind of line break and tab becomes a space, runs of
/// spaces collapse, and the ends are trimmed.
pub fn clean_line(s: &str) -> String {
    let cleaned = strip(s, false);
    let mut out = String::with_capacity(cleaned.len());
    let mut space = false;
    for c in cleaned.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
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

/// Remove control characters and escape sequences. With `keep_breaks`, `\n`, `\r` and
/// `\t` survive (CR and CRLF become LF); otherwise they become spaces.
fn strip(s: &str, keep_breaks: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // 8-bit introducers of string sequences: DCS, SOS, OSC, PM, APC.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            // 8-bit CSI.
            '\u{9b}' => skip_csi(&mut chars),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if keep_breaks { '\n' } else { ' ' });
            }
            '\n' => out.push(if keep_breaks { '\n' } else { ' ' }),
            '\t' => out.push(if keep_breaks { '\t' } else { ' ' }),
            // Line and paragraph separators act as breaks in some terminals.
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(if keep_breaks { '\n' } else { ' ' }),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    out
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

/// After ESC: skip the rest of the sequence.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF sequences: intermediates 0x20-0x2F then one final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&n) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&n) {
                    break;
                }
            }
        }
        // Two-byte sequences (ESC 7, ESC c, ...): the one character is consumed.
        _ => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in 0x40-0x7E. A stray control
/// character also ends it (and is dropped).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || !('\u{20}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/SOS/PM/APC: everything up to ST (ESC \ or 0x9C) or BEL.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
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
    fn an_unterminated_sequence_eats_only_itself() {
        assert_eq!(clean_line("ok\u{1b}]0;title"), "ok");
        assert_eq!(clean_line("ok\u{1b}["), "ok");
        assert_eq!(clean_line("\u{1b}"), "");
    }
}
