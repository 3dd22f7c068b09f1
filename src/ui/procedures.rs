//! Tab 9, procedures (CPRS "Surgery"): the procedures, newest first, then the implanted
//! devices in a table of their own below them, with their UDI. One selection runs through
//! both (Enter shows the row in full). A procedure not done is dimmed and says so.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;

use super::list_pane::ListPane;
use super::spans::text;
use super::table::{CellSpec, Column, draw_table};
use crate::app::ChartState;
use crate::app::rows::{self, SurgeryRow};
use crate::chart::columns::procedures::{DEVICE_TUI, PROCEDURE_TUI, ProcedureColumn};
use crate::chart::columns::{CellText, ColumnDef};
use crate::chart::{Chart, DeviceRow, ProcedureRow};
use crate::config::Theme;

/// Draw the procedures tab.
pub fn render_procedures(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::procedures(chart, state.filter());
    let pane = ListPane {
        part: &chart.procedures,
        what: "Procedures",
        none: "No procedures or implanted devices recorded.",
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let (mut procedures, mut devices): (Vec<&ProcedureRow>, Vec<&DeviceRow>) = (vec![], vec![]);
    for row in &list {
        match row {
            SurgeryRow::Procedure(p) => procedures.push(p),
            SurgeryRow::Device(d) => devices.push(d),
        }
    }
    let selected = state.selected();
    let in_devices = selected.checked_sub(procedures.len());
    // The devices (few) right under the procedures, a blank line and their header above
    // them; when both do not fit, the devices take at most half the pane.
    let rows = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let procedure_rows = if procedures.is_empty() {
        0
    } else {
        rows(procedures.len() + 1)
    };
    let device_rows = match (procedures.is_empty(), devices.is_empty()) {
        (_, true) => 0,
        (true, false) => area.height,
        (false, false) => rows(devices.len() + 2).min(
            area.height
                .saturating_sub(procedure_rows)
                .max(area.height / 2),
        ),
    };
    let [top, bottom, _] = Layout::vertical([
        Constraint::Length(area.height.saturating_sub(device_rows).min(procedure_rows)),
        Constraint::Length(device_rows),
        Constraint::Min(0),
    ])
    .areas(area);
    if !procedures.is_empty() {
        let rows = procedures
            .iter()
            .map(|p| procedure_cells(p, theme))
            .collect();
        let sel = in_devices.is_none().then_some(selected);
        draw_table(buf, top, &columns(&PROCEDURE_TUI), rows, sel, theme);
    }
    if !devices.is_empty() {
        let gap = u16::from(!procedures.is_empty());
        let [_, table] =
            Layout::vertical([Constraint::Length(gap), Constraint::Min(1)]).areas(bottom);
        let rows = devices
            .iter()
            .map(|d| {
                let style = if d.active { theme.base } else { theme.muted };
                let cells = DEVICE_TUI
                    .iter()
                    .map(|c| vec![text(&c.cell(*d), style)])
                    .collect();
                (cells, style)
            })
            .collect();
        draw_table(buf, table, &columns(&DEVICE_TUI), rows, in_devices, theme);
    }
}

fn columns<C: ColumnDef>(defs: &[C]) -> Vec<Column> {
    defs.iter().map(|c| Column::of(*c)).collect()
}

/// A procedure's cells: dimmed when it was not done, its status then in the warning style.
fn procedure_cells(p: &ProcedureRow, theme: &Theme) -> (Vec<CellSpec<'static>>, Style) {
    let style = if p.done { theme.base } else { theme.muted };
    let cells = PROCEDURE_TUI
        .iter()
        .map(|c| {
            let look = match c {
                ProcedureColumn::Status if !p.done => theme.warning,
                ProcedureColumn::Date | ProcedureColumn::Outcome => theme.muted,
                _ => style,
            };
            vec![text(&c.cell(p), look)]
        })
        .collect();
    (cells, style)
}
