//! Banner line two: what must not be missed. The allergy flag with the substances, the
//! postings (CPRS: flags, directives), deceased, an inactive or replaced record with the
//! way to the live one, the look-alike warning, and the MRN when line one had no room.
//!
//! When the line is too long it gives way in steps, never by dropping a piece whole: the
//! look-alike and record warnings take their short forms, then the postings and the
//! substance names are cut with "…" (down to a few letters each, so the first substance
//! is still there to read), and only then is the line's end cut with "…".

use ratatui::style::Style;
use ratatui::text::Span;

use super::BannerData;
use crate::chart::postings::{Posting, PostingKind};
use crate::chart::{AllergyFlag, Banner};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};
use crate::ui::spans::safe;

/// The fewest columns an elastic text (substance names, postings) is cut to before the
/// line's end is cut instead.
const FLOOR: usize = 10;

/// One piece of the line: its full and short text, an elastic part that may be cut, and
/// its style. Pieces are separated by two blanks.
struct Piece {
    /// Text before the elastic part (`" ALLERGIES (2) HIGH RISK: "`).
    head: String,
    /// What may be cut with "…" (`"Penicillin, Latex"`), or "".
    body: String,
    /// Text after it (`" "`).
    tail: String,
    /// The short form of the whole piece, when it has one (`" LOOK-ALIKE "`).
    short: Option<String>,
    style: Style,
    /// A style of its own for the head (a label such as `MRN `).
    head_style: Option<Style>,
    /// Columns the body may take (`usize::MAX` for all of it).
    room: usize,
    use_short: bool,
}

impl Piece {
    fn fixed(text: String, style: Style) -> Piece {
        Piece::elastic(text, String::new(), String::new(), style)
    }

    fn elastic(head: String, body: String, tail: String, style: Style) -> Piece {
        Piece {
            head,
            body,
            tail,
            short: None,
            style,
            head_style: None,
            room: usize::MAX,
            use_short: false,
        }
    }

    fn with_short(mut self, short: &str) -> Piece {
        self.short = Some(short.to_owned());
        self
    }

    fn text(&self) -> String {
        match (&self.short, self.use_short) {
            (Some(s), true) => s.clone(),
            _ => format!(
                "{}{}{}",
                self.head,
                truncate_to(&self.body, self.room),
                self.tail
            ),
        }
    }
}

/// Line two for `width` columns, in its fullest form that fits.
pub fn line_two<'a>(
    data: &BannerData<'_>,
    lookalike: bool,
    mrn: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let mut pieces = pieces(data, lookalike, mrn, theme);
    let len = |p: &[Piece]| -> usize {
        1 + p.iter().map(|x| display_width(&x.text())).sum::<usize>()
            + 2 * p.len().saturating_sub(1)
    };
    // 1. Short forms of the warnings that have one.
    if len(&pieces) > width {
        for p in pieces.iter_mut().filter(|p| p.short.is_some()) {
            p.use_short = true;
        }
    }
    // 2. Cut the elastic parts, the later ones first, down to the floor.
    for i in (0..pieces.len()).rev() {
        let over = len(&pieces).saturating_sub(width);
        if over == 0 {
            break;
        }
        let body = display_width(&pieces[i].body);
        if body > FLOOR {
            pieces[i].room = body.saturating_sub(over).max(FLOOR);
        }
    }
    let mut line: Vec<Span> = vec![Span::styled(" ", theme.banner)];
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            line.push(Span::styled("  ", theme.banner));
        }
        match (p.head_style, p.use_short) {
            (Some(head), false) => {
                line.push(Span::styled(p.head.clone(), head));
                line.push(Span::styled(p.text()[p.head.len()..].to_owned(), p.style));
            }
            _ => line.push(Span::styled(p.text(), p.style)),
        }
    }
    line
}

/// The pieces of line two, in order.
fn pieces(data: &BannerData<'_>, lookalike: bool, mrn: Option<&str>, theme: &Theme) -> Vec<Piece> {
    let mut out = Vec::new();
    match data {
        BannerData::Loaded(b, postings) => {
            out.push(allergy(&b.allergies, theme));
            if !postings.is_empty() {
                out.push(posting_piece(postings, theme));
            }
            if let Some(d) = b.deceased_label() {
                out.push(Piece::fixed(
                    format!(" {} ", d.to_uppercase()),
                    theme.banner_deceased,
                ));
            }
            out.extend(record(b, theme));
        }
        BannerData::Loading {
            failed: false,
            hint,
            ..
        } => {
            out.push(Piece::fixed(
                "Loading the chart…".into(),
                theme.banner_label,
            ));
            if let Some(s) = hint.and_then(|h| h.standing()) {
                out.push(Piece::fixed(
                    format!(" {} ", safe(&s)),
                    theme.banner_unknown,
                ));
            }
        }
        BannerData::Loading { failed: true, .. } => {
            out.push(
                Piece::fixed(
                    " CHART NOT LOADED: allergies not known ".into(),
                    theme.banner_unknown,
                )
                .with_short(" CHART NOT LOADED "),
            );
        }
    }
    if lookalike {
        out.push(
            Piece::fixed(
                " LOOK-ALIKE: check MRN and born date ".into(),
                theme.lookalike,
            )
            .with_short(" LOOK-ALIKE "),
        );
    }
    if let Some(mrn) = mrn {
        let mut p = Piece::elastic("MRN ".into(), String::new(), mrn.to_owned(), theme.banner);
        p.head_style = Some(theme.banner_label);
        out.push(p);
    }
    out
}

/// The allergy flag: count, HIGH RISK, and the substances (cut, never left out).
fn allergy(flag: &AllergyFlag, theme: &Theme) -> Piece {
    match flag {
        AllergyFlag::Allergies {
            count,
            highest_criticality,
            substances,
            ..
        } => {
            let crit = match highest_criticality.as_deref() {
                Some("high") => " HIGH RISK",
                _ => "",
            };
            let names: Vec<String> = substances.iter().map(|s| safe(s)).collect();
            Piece::elastic(
                format!(" ALLERGIES ({count}){crit}: "),
                names.join(", "),
                " ".into(),
                theme.banner_allergy,
            )
        }
        AllergyFlag::NoKnownAllergies { label, .. } => {
            Piece::fixed(format!(" {} (recorded) ", safe(label)), theme.banner_nka)
        }
        AllergyFlag::NoInformation { .. } => {
            Piece::fixed(" ALLERGIES NOT KNOWN ".into(), theme.banner_unknown)
        }
        AllergyFlag::NotLoaded { .. } => {
            Piece::fixed(" ALLERGIES NOT LOADED ".into(), theme.banner_unknown)
        }
    }
}

/// The postings (CPRS): `FLAG Immunocompromised  DNR`, in the allergy style when any is
/// a high-priority flag or a directive.
fn posting_piece(postings: &[Posting], theme: &Theme) -> Piece {
    let texts: Vec<String> = postings
        .iter()
        .map(|p| match p.kind {
            PostingKind::Flag { .. } => format!("FLAG {}", safe(&p.text)),
            PostingKind::Directive => safe(&p.text),
        })
        .collect();
    let urgent = postings.iter().any(|p| {
        matches!(
            p.kind,
            PostingKind::Flag {
                high_priority: true
            } | PostingKind::Directive
        )
    });
    let style = if urgent {
        theme.banner_allergy
    } else {
        theme.banner_unknown
    };
    Piece::elastic(" ".into(), texts.join("  "), " ".into(), style)
}

/// An inactive or replaced record, with the command that opens the live one.
fn record(b: &Banner, theme: &Theme) -> Option<Piece> {
    let warning = b.record_warning()?;
    let full = match &b.replaced_by {
        Some(id) => format!(" {} (:patient {}) ", safe(&warning), safe(id)),
        None => format!(" {} ", safe(&warning)),
    };
    let short = match (b.inactive, &b.replaced_by) {
        (true, Some(id)) => format!(" INACTIVE → {} ", safe(id)),
        (false, Some(id)) => format!(" REPLACED → {} ", safe(id)),
        (_, None) => " INACTIVE RECORD ".to_owned(),
    };
    Some(Piece::fixed(full, theme.banner_unknown).with_short(&short))
}
