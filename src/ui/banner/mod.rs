//! The patient banner: two lines on every patient screen (NHS CUI patient banner). Line one
//! is who: name, born date with age, sex, MRN. Line two is what must not be missed: the
//! allergy flag, postings (flags, directives), deceased, an inactive record, look-alike
//! (`second`). On a narrow terminal it compacts (labels dropped, sex abbreviated, MRN moved
//! to line two, long names cut with "…") rather than clipping; nothing on line two is
//! dropped whole, and the name is cut only as a last resort.

mod second;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::spans::{fit_line, safe};
use crate::chart::format::NOT_KNOWN;
use crate::chart::postings::Posting;
use crate::chart::{Banner, PatientSummary};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};

/// What the banner shows: a loaded banner, or the search row while the chart loads (or
/// after it `failed` to load).
pub enum BannerData<'a> {
    /// A loaded chart's banner and its postings (flags, directives).
    Loaded(&'a Banner, &'a [Posting]),
    Loading {
        hint: Option<&'a PatientSummary>,
        patient_id: &'a str,
        failed: bool,
    },
}

/// How much banner line one says: everything, or the compact form for a narrow terminal
/// (labels dropped, sex abbreviated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Full,
    Compact,
}

struct Who {
    name: String,
    born: String,
    sex: String,
    mrn: String,
}

impl Who {
    /// Who the banner names: the loaded patient, the search row while the chart loads, or
    /// just the id when there is no row.
    fn of(data: &BannerData<'_>) -> Who {
        match data {
            BannerData::Loaded(b, _) => Who {
                name: safe(&b.name),
                born: safe(&b.born_with_age()),
                sex: safe(&b.sex),
                mrn: safe(&b.mrn),
            },
            BannerData::Loading { hint: Some(h), .. } => Who {
                name: safe(&h.name),
                born: safe(&h.born_with_age()),
                sex: safe(&h.sex),
                mrn: safe(&h.mrn),
            },
            BannerData::Loading {
                hint: None,
                patient_id,
                ..
            } => Who {
                name: format!("Patient {}", safe(patient_id)),
                born: "…".into(),
                sex: "…".into(),
                mrn: "…".into(),
            },
        }
    }
}

fn first_line(who: &Who, width: usize, form: Form) -> (Vec<(String, bool)>, bool) {
    // (text, is_label) pieces; returns whether the MRN fitted on this line.
    let sex = match (who.sex.as_str(), form) {
        ("Male", Form::Compact) => "M".to_owned(),
        ("Female", Form::Compact) => "F".to_owned(),
        // Said as what it is, not a bare "Not known" next to the born date.
        (NOT_KNOWN, _) => "Sex not known".to_owned(),
        (s, _) => s.to_owned(),
    };
    let mut parts = vec![(format!(" {}", who.name), false)];
    if form == Form::Compact {
        parts.push((format!("  {}", who.born), false));
    } else {
        parts.push(("  Born ".into(), true));
        parts.push((who.born.clone(), false));
    }
    parts.push((format!("  {sex}"), false));
    let with_mrn = {
        let mut p = parts.clone();
        p.push(("  MRN ".into(), true));
        p.push((who.mrn.clone(), false));
        p
    };
    let len = |p: &[(String, bool)]| p.iter().map(|(t, _)| display_width(t)).sum::<usize>();
    if len(&with_mrn) < width {
        (with_mrn, true)
    } else {
        (parts, false)
    }
}

/// Line one in its fullest form that fits, and whether the MRN is on it (else it moves to
/// line two). As a last resort the name is cut so born date and sex stay visible.
fn line_one<'a>(who: &Who, width: usize, theme: &Theme) -> (Vec<Span<'a>>, bool) {
    let (mut parts, mut mrn_fits) = first_line(who, width, Form::Full);
    if !mrn_fits {
        (parts, mrn_fits) = first_line(who, width, Form::Compact);
    }
    let used: usize = parts.iter().skip(1).map(|(t, _)| display_width(t)).sum();
    if display_width(&parts[0].0) + used > width {
        parts[0].0 = truncate_to(&parts[0].0, width.saturating_sub(used).max(4));
    }
    let mut line1: Vec<Span> = Vec::new();
    for (i, (t, label)) in parts.into_iter().enumerate() {
        let style = if i == 0 {
            theme.banner_name
        } else if label {
            theme.banner_label
        } else {
            theme.banner
        };
        line1.push(Span::styled(t, style));
    }
    (line1, mrn_fits)
}

/// Draw the banner into a 2-line area.
pub fn render_banner(
    buf: &mut Buffer,
    area: Rect,
    data: &BannerData<'_>,
    lookalike: bool,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let who = Who::of(data);
    let (line1, mrn_fits) = line_one(&who, width, theme);
    let line2 = second::line_two(
        data,
        lookalike,
        (!mrn_fits).then_some(who.mrn.as_str()),
        width,
        theme,
    );
    // Whatever still does not fit is cut with "…", never silently (an MRN cut short must
    // not pass for a whole one).
    Paragraph::new(vec![
        fit_line(Line::from(line1), width),
        fit_line(Line::from(line2), width),
    ])
    .style(theme.banner)
    .render(area, buf);
}
