//! Spans of text for the panes: server text made safe (every server string becomes a
//! `Span` through `safe`/`text`/`padded`), typed text cleaned without moving the cursor,
//! lines cut to a width with "…", and text sparklines. No layout and no colours of its own:
//! styles come from the caller, who asks the theme.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{clean_line, display_width, truncate_to};

/// Server text cleaned for the terminal: every string from the server goes through here
/// (or through `clean_block` for notes) before it becomes a `Span`.
pub fn safe(s: &str) -> String {
    clean_line(s)
}

/// Typed or pasted text (search box, filter, command line): input already drops control
/// characters, but bidi and zero-width ones get through; they are removed here without
/// collapsing spaces, so the cursor stays where the user put it.
pub fn typed(s: &str) -> String {
    crate::text::clean_block(s)
}

/// A span of server text.
pub fn text<'a>(s: &str, style: Style) -> Span<'a> {
    Span::styled(safe(s), style)
}

/// Server text after a fixed prefix (spacing that the sanitizer must not collapse).
pub fn padded<'a>(prefix: &str, s: &str, style: Style) -> Span<'a> {
    Span::styled(format!("{prefix}{}", safe(s)), style)
}

/// A line cut to `width` columns, ending in `…` when cut (spans keep their styles).
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let mut used = 0;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let total: usize = line.spans.iter().map(|s| display_width(&s.content)).sum();
    for s in line.spans {
        let w = display_width(&s.content);
        if total <= width || used + w < width {
            used += w;
            spans.push(Span::styled(s.content.into_owned(), s.style));
            continue;
        }
        let room = width.saturating_sub(used);
        if room > 0 {
            // A span that fills the room exactly is still cut: what follows it is lost,
            // and the "…" must say so.
            let cut = if w == room {
                truncate_to(&format!("{} ", s.content), room)
            } else {
                truncate_to(&s.content, room)
            };
            spans.push(Span::styled(cut, s.style));
        }
        break;
    }
    Line::from(spans).style(line.style)
}

/// A one-line sparkline of `values` (oldest first), at most `width` characters: Unicode
/// eighth blocks, or ASCII `_.-=^` when Unicode is not available.
pub fn sparkline(values: &[f64], width: usize, unicode: bool) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    const ASCII: [char; 5] = ['_', '.', '-', '=', '^'];
    let values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let values = &values[values.len().saturating_sub(width)..];
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let levels: &[char] = if unicode { &BLOCKS } else { &ASCII };
    values
        .iter()
        .map(|v| {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let i = (t * (levels.len() - 1) as f64).round() as usize;
            levels[i.min(levels.len() - 1)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_between_min_and_max() {
        assert_eq!(sparkline(&[1.0, 2.0, 3.0], 10, true), "▁▅█");
        assert_eq!(sparkline(&[1.0, 2.0, 3.0], 2, true), "▁█");
        assert_eq!(sparkline(&[5.0, 5.0], 10, false), "--");
        assert_eq!(sparkline(&[], 10, true), "");
        assert_eq!(sparkline(&[0.0, f64::NAN, 10.0], 10, false), "_^");
    }

    #[test]
    fn a_cut_line_always_ends_in_an_ellipsis() {
        let line = Line::from(vec![Span::raw("abc"), Span::raw("de"), Span::raw("fg")]);
        let text = |l: Line<'_>| {
            l.spans
                .iter()
                .map(|s| s.content.to_string())
                .collect::<String>()
        };
        assert_eq!(text(fit_line(line.clone(), 5)), "abcd…");
        assert_eq!(text(fit_line(line.clone(), 4)), "abc…");
        assert_eq!(text(fit_line(line, 7)), "abcdefg");
    }
}
