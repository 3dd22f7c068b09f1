//! The plain list tabs: problems (2), medications (3), encounters (6), immunizations (7).
//! Each is the list-pane skeleton (`list_pane`) over the section's TUI columns
//! (`chart::columns`), with the look of each cell; Enter shows a row in full (`detail`).
//! Results, vitals and notes add more around their list in their own modules.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, StatefulWidget};

use super::list_pane::{ListPane, ListRows};
use super::spans::{fit_line, safe, text};
use super::table::{CellSpec, Dates, measured};
use crate::app::rows::ProblemGroup;
use crate::app::{ChartState, rows};
use crate::chart::columns::CellText;
use crate::chart::columns::encounters::{self, EncounterColumn};
use crate::chart::columns::immunizations::{self, ImmunizationColumn};
use crate::chart::columns::medications::{self, MedicationColumn};
use crate::chart::columns::problems::{self, ProblemColumn};
use crate::chart::{Chart, EncounterRow, ImmunizationRow, MedRow, MedicationsStated, ProblemRow};
use crate::config::Theme;
use crate::text::display_width;

/// Tab 2: active problems, then resolved ones (dimmed), then encounter diagnoses (marked);
/// "Problems not known" when the record says so.
pub fn render_problems(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::problems(chart, state.filter());
    let statement = chart
        .problems
        .data()
        .and_then(|p| p.statement.as_ref())
        .map(|s| safe(&s.text));
    let pane = ListPane {
        part: &chart.problems,
        what: "Problems",
        none: statement.as_deref().unwrap_or("No problems recorded."),
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let style = |&(_, group): &(&ProblemRow, ProblemGroup)| match group {
        ProblemGroup::Active => theme.base,
        _ => theme.muted,
    };
    let cell = |c: ProblemColumn, row: &(&ProblemRow, ProblemGroup)| -> CellSpec<'static> {
        let (r, style) = (row.0, style(row));
        match c {
            ProblemColumn::Problem => {
                let mut name = Vec::new();
                if row.1 == ProblemGroup::Encounter {
                    name.push(Span::styled("Visit dx: ", theme.muted));
                }
                name.push(text(&r.name, style));
                name.extend(problems::repeats(r).map(|x| Span::styled(x, theme.muted)));
                name
            }
            ProblemColumn::Status if r.unconfirmed => vec![text(&c.cell(r), theme.warning)],
            _ => vec![text(&c.cell(r), style)],
        }
    };
    let rows = ListRows {
        columns: &problems::TUI,
        rows: &list,
        selected: state.selected(),
    };
    rows.draw(buf, area, cell, style, theme);
}

/// Tab 3: medications, current first, with the sig. Below 120 columns each medication
/// takes two lines (name, status and start; then the sig in full width), so the sig is
/// not squeezed into a narrow column.
pub fn render_medications(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::medications(chart, state.filter());
    let pane = ListPane {
        part: &chart.medications,
        what: "Medications",
        none: no_medications(chart),
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let look = MedLook { theme };
    if area.width < 120 {
        return render_medication_lines(buf, area, &list, state.selected(), &look);
    }
    let cell = |c: MedicationColumn, r: &&MedRow| -> CellSpec<'static> {
        match c {
            MedicationColumn::MedicationMarked => look.name(r),
            MedicationColumn::Status => vec![text(&r.status, look.status(r))],
            _ => vec![text(&c.cell(r), look.row(r))],
        }
    };
    let rows = ListRows {
        columns: &medications::TUI,
        rows: &list,
        selected: state.selected(),
    };
    rows.draw(buf, area, cell, |r| look.row(r), theme);
}

/// How a medication looks: orders no longer current are dimmed, and a status other than
/// active stands out.
struct MedLook<'t> {
    theme: &'t Theme,
}

impl MedLook<'_> {
    fn row(&self, r: &MedRow) -> Style {
        if r.current {
            self.theme.base
        } else {
            self.theme.muted
        }
    }

    /// The name, where it comes from when not a plain order (` (statement)`), and ` ?`
    /// when its Medication record could not be found.
    fn name(&self, r: &MedRow) -> Vec<Span<'static>> {
        let mut name = vec![text(&r.name, self.row(r))];
        name.extend(medications::source_mark(r).map(|m| Span::styled(m, self.theme.muted)));
        name.extend(medications::unresolved_mark(r).map(|m| Span::styled(m, self.theme.warning)));
        name
    }

    fn status(&self, r: &MedRow) -> Style {
        if r.status == "Active" {
            self.row(r)
        } else {
            self.theme.warning
        }
    }
}

/// The medications below 120 columns: two lines each, the name with status and start, then
/// the sig in full width (and the prescriber after it when both fit).
fn render_medication_lines(
    buf: &mut Buffer,
    area: Rect,
    list: &[&MedRow],
    selected: usize,
    look: &MedLook<'_>,
) {
    let theme = look.theme;
    let width = usize::from(area.width);
    let items: Vec<ListItem> = list
        .iter()
        .map(|r| {
            let style = look.row(r);
            let head = look.name(r);
            let tail = vec![
                Span::raw("  "),
                text(&r.status, look.status(r)),
                Span::raw("  "),
                text(&r.start, theme.muted),
            ];
            let tail_w: usize = tail.iter().map(|s| display_width(&s.content)).sum();
            let head = fit_line(Line::from(head), width.saturating_sub(tail_w));
            let mut first = head.spans;
            first.extend(tail);
            ListItem::new(vec![Line::from(first), sig_line(r, style, width, theme)])
        })
        .collect();
    let mut ls = ListState::default().with_selected(Some(selected));
    StatefulWidget::render(
        List::new(items).highlight_style(theme.selected),
        area,
        buf,
        &mut ls,
    );
}

/// The sig in full; the prescriber after it when both fit (else Enter shows it).
fn sig_line(r: &MedRow, style: Style, width: usize, theme: &Theme) -> Line<'static> {
    let sig_text = safe(&r.sig);
    let by = format!("  {}", safe(&r.prescriber));
    let mut second = vec![Span::raw("    "), Span::styled(sig_text.clone(), style)];
    let sig_w = 4 + display_width(&sig_text);
    if sig_w + display_width(&by) <= width {
        let pad = width - sig_w - display_width(&by);
        second.push(Span::raw(" ".repeat(pad)));
        second.push(Span::styled(by, theme.muted));
    }
    fit_line(Line::from(second), width)
}

/// What the medications tab says with no rows: what the record says (medications not
/// known, or none known), else that none are recorded.
fn no_medications(chart: &Chart) -> &'static str {
    match chart.no_medications.as_ref().map(|n| n.stated) {
        Some(MedicationsStated::NotKnown) => "Medications not known.",
        Some(MedicationsStated::NoneKnown) => "No known medications.",
        None => "No medications recorded.",
    }
}

/// Tab 6: encounters, newest first.
pub fn render_encounters(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::encounters(chart, state.filter());
    let pane = ListPane {
        part: &chart.encounters,
        what: "Encounters",
        none: "No encounters recorded.",
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let cell = |c: EncounterColumn, r: &&EncounterRow| -> CellSpec<'static> {
        let style = match c {
            EncounterColumn::Location => theme.muted,
            _ => theme.base,
        };
        vec![text(&c.cell(r), style)]
    };
    let rows = ListRows {
        columns: &encounters::TUI,
        rows: &list,
        selected: state.selected(),
    };
    let measure = measured(state, Dates::WithTime);
    rows.draw_measured(buf, area, &measure, cell, |_| theme.base, theme);
}

/// Tab 7: immunizations, newest first; not-given ones marked.
pub fn render_immunizations(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::immunizations(chart, state.filter());
    let pane = ListPane {
        part: &chart.immunizations,
        what: "Immunizations",
        none: "No immunizations recorded.",
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let cell = |c: ImmunizationColumn, r: &&ImmunizationRow| -> CellSpec<'static> {
        let style = match c {
            ImmunizationColumn::Status if !r.given => theme.warning,
            ImmunizationColumn::Lot => theme.muted,
            _ => theme.base,
        };
        vec![text(&c.cell(r), style)]
    };
    let rows = ListRows {
        columns: &immunizations::TUI,
        rows: &list,
        selected: state.selected(),
    };
    rows.draw(buf, area, cell, |_| theme.base, theme);
}
