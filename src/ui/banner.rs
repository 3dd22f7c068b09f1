//! The patient banner: two lines on every patient screen (NHS CUI patient banner). Line one
//! is who: name, born date with age, sex, MRN. Line two is what must not be missed: the
//! allergy flag, deceased, look-alike. On a narrow terminal it compacts (labels dropped,
//! sex abbreviated, MRN moved to line two) rather than clipping; the name is cut only as a
//! last resort.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::spans::{fit_line, safe};
use crate::chart::format::NOT_KNOWN;
use crate::chart::{AllergyFlag, Banner, PatientSummary};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};

/// What the banner shows: a loaded banner, or the search row while the chart loads (or
/// after it `failed` to load).
pub enum BannerData<'a> {
    Loaded(&'a Banner),
    Loading {
        hint: Option<&'a PatientSummary>,
        patient_id: &'a str,
        failed: bool,
    },
}

/// How much a banner line says: everything, or the compact form for a narrow terminal
/// (labels dropped, sex abbreviated, substance names left out).
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
            BannerData::Loaded(b) => Who {
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
    // Line two, fullest form first; then shorter forms until it fits.
    let line2 = [Form::Full, Form::Compact]
        .into_iter()
        .map(|form| {
            second_line(
                data,
                lookalike,
                (!mrn_fits).then_some(who.mrn.as_str()),
                form,
                theme,
            )
        })
        .find(|l| l.iter().map(|s| display_width(&s.content)).sum::<usize>() <= width)
        .unwrap_or_else(|| {
            second_line(
                data,
                lookalike,
                (!mrn_fits).then_some(who.mrn.as_str()),
                Form::Compact,
                theme,
            )
        });
    // Whatever still does not fit is cut with "…", never silently (an MRN cut short must
    // not pass for a whole one).
    Paragraph::new(vec![
        fit_line(Line::from(line1), width),
        fit_line(Line::from(line2), width),
    ])
    .style(theme.banner)
    .render(area, buf);
}

fn second_line<'a>(
    data: &BannerData<'_>,
    lookalike: bool,
    mrn: Option<&str>,
    form: Form,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let compact = form == Form::Compact;
    let mut line2: Vec<Span> = vec![Span::styled(" ", theme.banner)];
    match data {
        BannerData::Loaded(b) => {
            let (flag, style) = allergy(&b.allergies, form, theme);
            line2.push(Span::styled(flag, style));
            if let Some(d) = b.deceased_label() {
                line2.push(Span::styled("  ", theme.banner));
                line2.push(Span::styled(
                    format!(" {} ", d.to_uppercase()),
                    theme.banner_deceased,
                ));
            }
        }
        BannerData::Loading { failed: false, .. } => {
            line2.push(Span::styled("Loading the chart…", theme.banner_label));
        }
        BannerData::Loading { failed: true, .. } => {
            let text = if compact {
                " CHART NOT LOADED "
            } else {
                " CHART NOT LOADED: allergies not known "
            };
            line2.push(Span::styled(text, theme.banner_unknown));
        }
    }
    if lookalike {
        line2.push(Span::styled("  ", theme.banner));
        let text = if compact {
            " LOOK-ALIKE "
        } else {
            " LOOK-ALIKE: check MRN and born date "
        };
        line2.push(Span::styled(text, theme.lookalike));
    }
    if let Some(mrn) = mrn {
        line2.push(Span::styled("  MRN ", theme.banner_label));
        line2.push(Span::styled(mrn.to_owned(), theme.banner));
    }
    line2
}

/// The allergy flag text and its style; the compact form leaves out the substance names.
fn allergy(flag: &AllergyFlag, form: Form, theme: &Theme) -> (String, Style) {
    match flag {
        AllergyFlag::Allergies {
            count,
            highest_criticality,
            substances,
        } => {
            let crit = match highest_criticality.as_deref() {
                Some("high") => " HIGH RISK",
                _ => "",
            };
            let names: Vec<String> = substances.iter().map(|s| safe(s)).collect();
            let text = if form == Form::Compact {
                format!(" ALLERGIES ({count}){crit} ")
            } else {
                format!(" ALLERGIES ({count}){crit}: {} ", names.join(", "))
            };
            (text, theme.banner_allergy)
        }
        AllergyFlag::NoKnownAllergies { label } => {
            (format!(" {} (recorded) ", safe(label)), theme.banner_nka)
        }
        AllergyFlag::NoInformation => (" ALLERGIES NOT KNOWN ".into(), theme.banner_unknown),
        AllergyFlag::NotLoaded { .. } => (" ALLERGIES NOT LOADED ".into(), theme.banner_unknown),
    }
}
