//! The selected row in full (Enter): every field of a problem, medication, result, vital,
//! encounter, immunization, procedure or implanted device, one per line, in a box over the
//! list.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::results::flag_style;
use super::spans::safe;
use crate::app::rows::{CumulativeRow, ProblemGroup, SurgeryRow};
use crate::app::{ChartState, ResultsView, Tab, rows};
use crate::chart::columns::medications;
use crate::chart::{
    Chart, DeviceRow, EncounterRow, Flag, FlagSource, ImmunizationRow, LabResult, MedRow, Place,
    ProblemRow, ProcedureRow, VitalReading,
};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};

/// Rows a line of `len` columns takes when wrapped at `width` (a slight overestimate
/// when words wrap early is harmless: the box is only a little taller).
fn wrapped_rows(len: usize, width: usize) -> usize {
    len.div_ceil(width).max(1) + usize::from(len > width)
}

type Field = (&'static str, String);

/// The box's title, its fields, and the flag of a result or vital (for the Flag line).
type Fields = (String, Vec<Field>, Option<Flag>);

/// The fields of the selected row of the current tab; `None` when there is no row.
fn fields(chart: &Chart, state: &ChartState) -> Option<Fields> {
    let f = state.filter();
    let i = state.selected();
    match state.tab {
        Tab::Problems => {
            let (row, group) = *rows::problems(chart, f).get(i)?;
            problem(row, group)
        }
        Tab::Medications => medication(rows::medications(chart, f).get(i)?),
        Tab::Results if state.results_view == ResultsView::List => {
            lab(rows::labs(chart, f).get(i)?)
        }
        Tab::Results => {
            let grid = rows::cumulative(chart, f);
            cumulative(&grid.days, grid.tests.get(i)?)
        }
        Tab::Vitals => vital(rows::vitals(chart, f).get(i)?),
        Tab::Encounters => encounter(rows::encounters(chart, f).get(i)?),
        Tab::Immunizations => immunization(rows::immunizations(chart, f).get(i)?),
        Tab::Procedures => match rows::procedures(chart, f).get(i)? {
            SurgeryRow::Procedure(p) => procedure(p),
            SurgeryRow::Device(d) => device(d),
        },
        Tab::Cover | Tab::Notes => None,
    }
}

/// An optional field's text, or "Not known".
fn opt(o: &Option<String>) -> String {
    o.clone().unwrap_or_else(|| "Not known".into())
}

fn problem(r: &ProblemRow, group: ProblemGroup) -> Option<Fields> {
    let mut fields = vec![
        ("Status", r.status.clone()),
        ("Verification", r.verification.clone()),
        ("Onset", r.onset.clone()),
        ("Resolved", r.resolved.clone().unwrap_or_else(|| "-".into())),
        ("Times recorded", r.episodes.to_string()),
    ];
    if group == ProblemGroup::Encounter {
        fields.push((
            "Recorded as",
            "A visit diagnosis (not on the problem list)".into(),
        ));
    }
    Some((r.name.clone(), fields, None))
}

fn medication(r: &MedRow) -> Option<Fields> {
    let mut v = vec![
        ("Sig", r.sig.clone()),
        ("Status", r.status.clone()),
        ("Started", r.start.clone()),
        ("Prescriber", r.prescriber.clone()),
        ("Reason", opt(&r.reason)),
        ("Quantity", opt(&r.quantity)),
        (
            "Refills",
            r.refills
                .map(|n| n.to_string())
                .unwrap_or_else(|| "Not known".into()),
        ),
        ("Intent", opt(&r.intent)),
    ];
    if medications::source_mark(r).is_some() {
        v.push(("Source", r.source().to_owned()));
    }
    if r.unresolved_reference {
        v.push(("Note", medications::UNRESOLVED_NOTE.into()));
    }
    Some((r.name.clone(), v, None))
}

/// A result with where its flag came from (the lab, or the reference range).
fn lab(r: &LabResult) -> Option<Fields> {
    let source = match r.flag_source {
        Some(FlagSource::Interpretation) => "sent by the lab",
        Some(FlagSource::Range) => "computed from the range",
        None => "no flag (no interpretation or range)",
    };
    let flag = if r.flag_symbol.is_empty() {
        "-".into()
    } else {
        format!("{} ({source})", r.flag_symbol)
    };
    let mut fields = vec![
        ("Value", r.value_text.clone()),
        ("Flag", flag),
        ("Reference range", r.range.clone()),
        ("Interpretation", opt(&r.interpretation)),
        ("Date", r.date.clone()),
        ("Status", r.status.clone()),
        (
            "Code",
            r.code
                .clone()
                .unwrap_or_else(|| "Not coded (text only)".into()),
        ),
    ];
    if r.place == Place::Other {
        fields.push((
            "Listed under",
            format!(
                "Other results ({})",
                r.category.as_deref().unwrap_or("no usable category")
            ),
        ));
    }
    fields.extend(r.note.clone().map(|n| ("Note", n)));
    Some((r.name.clone(), fields, r.flag))
}

/// A test of the cumulative view: its unit and range, then its result on each day.
fn cumulative(days: &[String], t: &CumulativeRow<'_>) -> Option<Fields> {
    let mut v: Vec<Field> = vec![
        ("Unit", t.unit.to_owned()),
        ("Reference range", t.range.to_owned()),
    ];
    for (day, cell) in days.iter().zip(&t.cells) {
        if let Some(r) = cell {
            v.push((
                "Result",
                format!("{day}  {} {}", r.value_text, r.flag_symbol),
            ));
        }
    }
    Some((t.name.to_owned(), v, None))
}

fn vital(r: &VitalReading) -> Option<Fields> {
    let flag = if r.flag_symbol.is_empty() {
        "-".into()
    } else {
        r.flag_symbol.clone()
    };
    let mut fields = vec![
        ("Value", r.value_text.clone()),
        ("Flag", flag),
        ("Date", r.date.clone()),
    ];
    fields.extend(r.oxygen.clone().map(|o| ("Oxygen", o)));
    fields.extend(r.note.clone().map(|n| ("Note", n)));
    Some((r.name.clone(), fields, r.flag))
}

fn encounter(r: &EncounterRow) -> Option<Fields> {
    let fields = vec![
        ("Date", r.date.clone()),
        ("Ended", opt(&r.end)),
        ("Class", r.class.clone()),
        ("Type", r.kind.clone()),
        ("Reason", opt(&r.reason)),
        ("Clinician", r.clinician.clone()),
        ("Location", r.location.clone()),
        ("Status", r.status.clone()),
    ];
    Some((format!("{} {}", r.class, r.kind), fields, None))
}

fn immunization(r: &ImmunizationRow) -> Option<Fields> {
    let fields = vec![
        ("Date", r.date.clone()),
        ("Status", r.status.clone()),
        ("Dose", opt(&r.dose)),
        ("Dose number", opt(&r.dose_number)),
        ("Lot", opt(&r.lot)),
        ("Site", opt(&r.site)),
        ("Route", opt(&r.route)),
    ];
    Some((r.vaccine.clone(), fields, None))
}

fn procedure(p: &ProcedureRow) -> Option<Fields> {
    let mut v = vec![
        ("Date", p.date.clone()),
        ("Ended", opt(&p.end)),
        ("Status", p.status.clone()),
    ];
    if let Some(why) = &p.status_reason {
        v.push(("Why", why.clone()));
    }
    v.extend([
        ("Category", opt(&p.category)),
        ("Body site", opt(&p.body_site)),
        ("Outcome", opt(&p.outcome)),
        ("Reason", opt(&p.reason)),
        ("Performer", opt(&p.performer)),
        ("Complications", opt(&p.complications)),
    ]);
    if !p.devices.is_empty() {
        v.push(("Devices", p.devices.join(", ")));
    }
    Some((p.name.clone(), v, None))
}

fn device(d: &DeviceRow) -> Option<Fields> {
    let fields = vec![
        ("Name", opt(&d.device_name)),
        ("UDI", opt(&d.udi)),
        ("Status", d.status.clone()),
        ("Implanted", opt(&d.implanted)),
        ("Manufacturer", opt(&d.manufacturer)),
        ("Model", opt(&d.model)),
        ("Lot", opt(&d.lot)),
        ("Serial", opt(&d.serial)),
        ("Expires", opt(&d.expires)),
    ];
    Some((d.name.clone(), fields, None))
}

/// Draw the detail box for the selected row.
pub fn render_detail(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let Some((title, fields, flag)) = fields(chart, state) else {
        return;
    };
    let w = area.width.saturating_sub(4).min(84);
    let label_w = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    // As tall as the fields once long values wrap (a long sig), up to the whole area.
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let rows: usize = fields
        .iter()
        .map(|(_, v)| wrapped_rows(label_w + display_width(&safe(v)), inner_w))
        .sum();
    let h = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h,
    );
    let lines = field_lines(fields, label_w, flag, theme);
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focused)
                .title(Span::styled(
                    format!(
                        " {} ",
                        truncate_to(&safe(&title), usize::from(w.saturating_sub(4)))
                    ),
                    theme.title,
                ))
                .title_bottom(Span::styled(" Esc close ", theme.key_hint)),
        )
        .style(theme.base)
        .wrap(Wrap { trim: false })
        .scroll((state.scroll, 0))
        .render(popup, buf);
}

/// One line a field, labels in a column `label_w` wide; a flag in its flag's style.
fn field_lines<'a>(
    fields: Vec<Field>,
    label_w: usize,
    flag: Option<Flag>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    fields
        .into_iter()
        .map(|(k, v)| {
            let style = if k == "Flag" && v != "-" {
                flag_style(flag.or(Some(Flag::Abnormal)), theme)
            } else {
                theme.base
            };
            Line::from(vec![
                Span::styled(format!("{k:<label_w$}"), theme.muted),
                Span::styled(safe(&v), style),
            ])
        })
        .collect()
}
