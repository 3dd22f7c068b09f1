//! The selected row in full (Enter): every field of a problem, medication, result, vital,
//! encounter or immunization, one per line, in a box over the list.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::results::flag_style;
use super::spans::safe;
use crate::app::{ChartState, ResultsView, Tab, rows};
use crate::chart::{Chart, Flag};
use crate::config::Theme;
use crate::text::{display_width, truncate_to};

/// Rows a line of `len` columns takes when wrapped at `width` (a slight overestimate
/// when words wrap early is harmless: the box is only a little taller).
fn wrapped_rows(len: usize, width: usize) -> usize {
    len.div_ceil(width).max(1) + usize::from(len > width)
}

type Field = (&'static str, String);

/// The fields of the selected row of the current tab, and the flag of a result or vital;
/// `None` when there is no row.
fn fields(chart: &Chart, state: &ChartState) -> Option<(String, Vec<Field>, Option<Flag>)> {
    let mut flag = None;
    let (title, fields) = fields_of(chart, state, &mut flag)?;
    Some((title, fields, flag))
}

fn fields_of(
    chart: &Chart,
    state: &ChartState,
    flag: &mut Option<Flag>,
) -> Option<(String, Vec<Field>)> {
    let f = state.filter();
    let i = state.selected();
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "Not known".into());
    Some(match state.tab {
        Tab::Problems => {
            let (r, _) = rows::problems(chart, f).get(i).copied()?;
            (
                r.name.clone(),
                vec![
                    ("Status", r.status.clone()),
                    ("Verification", r.verification.clone()),
                    ("Onset", r.onset.clone()),
                    ("Resolved", r.resolved.clone().unwrap_or_else(|| "-".into())),
                    ("Times recorded", r.episodes.to_string()),
                ],
            )
        }
        Tab::Medications => {
            let r = *rows::medications(chart, f).get(i)?;
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
            if r.unresolved_reference {
                v.push((
                    "Note",
                    "The medication record could not be found; the name is as the order gave it."
                        .into(),
                ));
            }
            (r.name.clone(), v)
        }
        Tab::Results if state.results_view == ResultsView::List => {
            let r = *rows::labs(chart, f).get(i)?;
            *flag = r.flag;
            let source = match r.flag_source {
                Some(crate::chart::FlagSource::Interpretation) => "sent by the lab",
                Some(crate::chart::FlagSource::Range) => "computed from the range",
                None => "no flag (no interpretation or range)",
            };
            (
                r.name.clone(),
                vec![
                    ("Value", r.value_text.clone()),
                    (
                        "Flag",
                        if r.flag_symbol.is_empty() {
                            "-".into()
                        } else {
                            format!("{} ({source})", r.flag_symbol)
                        },
                    ),
                    ("Reference range", r.range.clone()),
                    ("Interpretation", opt(&r.interpretation)),
                    ("Date", r.date.clone()),
                    ("Status", r.status.clone()),
                    ("Code", opt(&r.code)),
                ],
            )
        }
        Tab::Results => {
            let grid = rows::cumulative(chart, f);
            let t = grid.tests.get(i)?;
            let mut v: Vec<Field> = vec![
                ("Unit", t.unit.to_owned()),
                ("Reference range", t.range.to_owned()),
            ];
            for (day, cell) in grid.days.iter().zip(&t.cells) {
                if let Some(r) = cell {
                    v.push((
                        "Result",
                        format!("{day}  {} {}", r.value_text, r.flag_symbol),
                    ));
                }
            }
            (t.name.to_owned(), v)
        }
        Tab::Vitals => {
            let r = *rows::vitals(chart, f).get(i)?;
            *flag = r.flag;
            (
                r.name.clone(),
                vec![
                    ("Value", r.value_text.clone()),
                    (
                        "Flag",
                        if r.flag_symbol.is_empty() {
                            "-".into()
                        } else {
                            r.flag_symbol.clone()
                        },
                    ),
                    ("Date", r.date.clone()),
                ],
            )
        }
        Tab::Encounters => {
            let r = *rows::encounters(chart, f).get(i)?;
            (
                format!("{} {}", r.class, r.kind),
                vec![
                    ("Date", r.date.clone()),
                    ("Ended", opt(&r.end)),
                    ("Class", r.class.clone()),
                    ("Type", r.kind.clone()),
                    ("Reason", opt(&r.reason)),
                    ("Clinician", r.clinician.clone()),
                    ("Location", r.location.clone()),
                    ("Status", r.status.clone()),
                ],
            )
        }
        Tab::Immunizations => {
            let r = *rows::immunizations(chart, f).get(i)?;
            (
                r.vaccine.clone(),
                vec![
                    ("Date", r.date.clone()),
                    ("Status", r.status.clone()),
                    ("Dose", opt(&r.dose)),
                    ("Dose number", opt(&r.dose_number)),
                    ("Lot", opt(&r.lot)),
                    ("Site", opt(&r.site)),
                    ("Route", opt(&r.route)),
                ],
            )
        }
        Tab::Cover | Tab::Notes => return None,
    })
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
    let lines: Vec<Line> = fields
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
        .collect();
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
