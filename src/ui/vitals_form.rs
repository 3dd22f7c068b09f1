//! The vital-signs form on screen, under the banner: one line per sign with what is typed,
//! its unit (switchable ones marked), the H or L flag once checked, and the last value on
//! the chart beside it; then what checking found: refusals, values to confirm (Enter
//! again), and the keys.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::spans::safe;
use super::writing::under_banner;
use crate::app::App;
use crate::app::vitals_form::{FIELDS, VitalsForm};

pub fn render_vitals_form(frame: &mut Frame, body: Rect, app: &App, form: &VitalsForm) {
    let area = under_banner(app, body);
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let flag_of = |label: &str| form.findings.as_ref().and_then(|f| f.flag(label));
    for (i, (label, _)) in FIELDS.iter().enumerate() {
        let focused = i == form.focus;
        let unit = form.unit(i);
        let unit = if VitalsForm::switchable(i) {
            format!("{unit} (F2)")
        } else {
            unit.to_owned()
        };
        let flag = flag_of(label)
            .map(|f| f.symbol().to_owned())
            .unwrap_or_default();
        let flag_style = theme.flag(false, !flag.is_empty());
        let last = form.last[i]
            .as_deref()
            .map(|l| format!("last {}", safe(l)))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!("{label:>8} "),
                if focused { theme.key_hint } else { theme.base },
            ),
            Span::styled(
                format!("[{:<9}]", form.fields[i].text()),
                if focused {
                    theme.input_focused
                } else {
                    theme.input
                },
            ),
            Span::styled(format!(" {unit:<12}"), theme.muted),
            Span::styled(format!("{flag:<3}"), flag_style),
            Span::styled(last, theme.muted),
        ]));
    }
    lines.push(Line::raw(""));
    if let Some(p) = &form.problem {
        lines.push(Line::styled(safe(p), theme.status_error));
    }
    if let Some(f) = &form.findings {
        for r in &f.impossible {
            lines.push(Line::styled(
                format!("Refused: {}", safe(r)),
                theme.status_error,
            ));
        }
        for r in &f.implausible {
            lines.push(Line::styled(format!("Check: {}", safe(r)), theme.warning));
        }
        if f.impossible.is_empty() && !f.implausible.is_empty() && form.armed {
            lines.push(Line::styled(
                "Enter again records these values as they are",
                theme.warning,
            ));
        }
    }
    lines.push(Line::styled(
        "Tab next field   F2 unit   Enter check and record   Esc close",
        theme.key_hint,
    ));
    let title = format!(" Vital signs for {} ", safe(&form.subject.label));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(title, theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
    let y = area.y + 1 + form.focus as u16;
    let x = area.x + 1 + 10 + form.fields[form.focus].cursor() as u16;
    if y < area.bottom() && x < area.right() {
        frame.set_cursor_position(Position::new(x, y));
    }
}
