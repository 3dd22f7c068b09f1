//! Banner line two: what must not be missed. The allergy flag with the substances, the
//! postings (CPRS: flags, directives), deceased, an inactive or replaced record with the
//! way to the live one, the look-alike warning, and the MRN when line one had no room.
//!
//! When the line is too long it gives way in steps, never by dropping a piece whole: the
//! look-alike and record warnings take their shorter forms, then the longest of the
//! substance names and postings is cut with "…", one column at a time, down to a few
//! letters each (so every substance still has its first letters on screen), and only then
//! is the line's end cut with "…".

use ratatui::style::Style;
use ratatui::text::Span;

use super::BannerData;
use crate::chart::postings::Posting;
use crate::chart::{AllergyFlag, Banner, posting_words};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};
use crate::ui::spans::safe;

/// The fewest columns a substance name or posting is cut to before the line's end is cut
/// instead.
const FLOOR: usize = 7;

/// One piece of the line: its text, items that may be cut with "…" (substances,
/// postings), its shorter forms, and its style. Pieces are separated by two blanks.
struct Piece {
    /// Text before the items (`" ALLERGIES (2) HIGH RISK: "`).
    head: String,
    /// What may be cut with "…", each item on its own (`["Penicillin", "Latex"]`).
    items: Vec<String>,
    /// Between the items (`", "`).
    sep: &'static str,
    /// Text after them (`" "`).
    tail: String,
    /// Shorter forms of the whole piece, longest first (`" LOOK-ALIKE "`).
    shorter: Vec<String>,
    style: Style,
    /// A style of its own for the head (a label such as `MRN `).
    head_style: Option<Style>,
    /// Columns each item may take.
    room: Vec<usize>,
    /// How many shorter forms are in use (0: the full one).
    shortened: usize,
}

impl Piece {
    fn fixed(text: String, style: Style) -> Piece {
        Piece::elastic(text, Vec::new(), "", String::new(), style)
    }

    fn elastic(
        head: String,
        items: Vec<String>,
        sep: &'static str,
        tail: String,
        style: Style,
    ) -> Piece {
        Piece {
            head,
            room: items.iter().map(|i| display_width(i)).collect(),
            items,
            sep,
            tail,
            shorter: Vec::new(),
            style,
            head_style: None,
            shortened: 0,
        }
    }

    fn with_shorter(mut self, forms: &[String]) -> Piece {
        self.shorter = forms.to_vec();
        self
    }

    fn text(&self) -> String {
        if self.shortened > 0 {
            return self.shorter[self.shortened - 1].clone();
        }
        let items: Vec<String> = self
            .items
            .iter()
            .zip(&self.room)
            .map(|(i, room)| truncate_to(i, *room))
            .collect();
        format!("{}{}{}", self.head, items.join(self.sep), self.tail)
    }

    /// Take the next shorter form; whether there was one.
    fn shorten(&mut self) -> bool {
        let more = self.shortened < self.shorter.len();
        if more {
            self.shortened += 1;
        }
        more
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
    // 1. Shorter forms of the warnings that have them, one step at a time.
    while len(&pieces) > width {
        // The last pieces first: the look-alike's advice before the record's warning.
        if !pieces.iter_mut().rev().any(Piece::shorten) {
            break;
        }
    }
    // 2. Cut the longest substance or posting by a column, until the line fits or every
    //    one is down to the floor.
    while len(&pieces) > width {
        let longest = pieces
            .iter_mut()
            .flat_map(|p| p.room.iter_mut())
            .filter(|r| **r > FLOOR)
            .max_by_key(|r| **r);
        match longest {
            Some(r) => *r -= 1,
            None => break,
        }
    }
    let mut line: Vec<Span> = vec![Span::styled(" ", theme.banner)];
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            line.push(Span::styled("  ", theme.banner));
        }
        match (p.head_style, p.shortened) {
            (Some(head), 0) => {
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
                .with_shorter(&[" CHART NOT LOADED ".into()]),
            );
        }
    }
    if lookalike {
        out.push(
            Piece::fixed(
                " LOOK-ALIKE: check MRN and born date ".into(),
                theme.lookalike,
            )
            .with_shorter(&[" LOOK-ALIKE ".into()]),
        );
    }
    if let Some(mrn) = mrn {
        let mut p = Piece::elastic("MRN ".into(), Vec::new(), "", mrn.to_owned(), theme.banner);
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
            Piece::elastic(
                format!(" ALLERGIES ({count}){crit}: "),
                substances.iter().map(|s| safe(s)).collect(),
                ", ",
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
    let words: Vec<(String, bool)> = postings.iter().map(posting_words).collect();
    let style = if words.iter().any(|(_, urgent)| *urgent) {
        theme.banner_allergy
    } else {
        theme.banner_unknown
    };
    let texts = words.into_iter().map(|(w, _)| safe(&w)).collect();
    Piece::elastic(" ".into(), texts, "  ", " ".into(), style)
}

/// An inactive or replaced record, with the command that opens the live one (left out
/// first when there is no room: the status line says it as the chart opens).
fn record(b: &Banner, theme: &Theme) -> Option<Piece> {
    let warning = safe(&b.record_warning()?);
    let Some(id) = b.replaced_by.as_deref().map(safe) else {
        return Some(Piece::fixed(format!(" {warning} "), theme.banner_unknown));
    };
    let short = if b.inactive { "INACTIVE" } else { "REPLACED" };
    Some(
        Piece::fixed(format!(" {warning} (:patient {id}) "), theme.banner_unknown)
            .with_shorter(&[format!(" {warning} "), format!(" {short} → {id} ")]),
    )
}
