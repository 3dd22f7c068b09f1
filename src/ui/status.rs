//! The status line: where the data comes from, what is loading, the last error, and the
//! keys that matter now. The `:` command line takes its place while open.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App, Layer, LayerKind, Remote, Screen};
use crate::common::SourceKind;
use crate::config::Context;
use crate::text::{display_width, truncate_to};

fn hint(app: &App, ctx: Context, action: Action, words: &str) -> Option<String> {
    app.keymap
        .key_for(ctx, action)
        .map(|k| format!("{k} {words}"))
}

/// Draw the status line (or the command line).
pub fn render_status(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    if let Some(Layer::CommandLine(input)) = app.layers.get(LayerKind::CommandLine) {
        let line = Line::from(vec![
            Span::styled(":", theme.key_hint),
            Span::styled(super::spans::typed(input.text()), theme.base),
        ]);
        frame.render_widget(Paragraph::new(line).style(theme.base), area);
        let x = area.x
            + 1
            + display_width(
                &input
                    .text()
                    .chars()
                    .take(input.cursor())
                    .collect::<String>(),
            ) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let source = match app.source.kind {
        SourceKind::Demo => "DEMO (synthetic)".to_owned(),
        SourceKind::Files => format!("FILE {}", app.source.label),
        SourceKind::Server => match &app.profile {
            Some(profile) => format!("[{profile}] {}", app.source.label),
            None => app.source.label.clone(),
        },
    };
    let (ctx, loading) = match app.screen {
        Screen::Search => (Context::Search, app.search.results.is_loading()),
        Screen::Chart => (
            Context::Chart,
            app.chart.as_ref().is_some_and(|c| c.data.is_loading()),
        ),
    };
    let mut message: Option<(String, bool)> =
        app.status.as_ref().map(|s| (s.text.clone(), s.error));
    if message.is_none() && loading {
        message = Some(("Loading…".into(), false));
    }
    let rest = app.screen == Screen::Chart && app.chart.as_ref().is_some_and(|c| c.loading_rest());
    if message.is_none() && rest {
        message = Some(("Loading the rest of the chart…".into(), false));
    }
    if message.is_none() {
        if let Some(Remote::Failed(e)) = app
            .chart
            .as_ref()
            .filter(|_| app.screen == Screen::Chart)
            .map(|c| &c.data)
        {
            message = Some((e.clone(), true));
        }
    }
    let hints: Vec<String> = match app.screen {
        _ if app.layers.sign_in().is_some() => {
            vec!["Enter use address".into(), "Esc cancel".into()]
        }
        _ if app.lock.is_locked() => vec!["Enter unlock".into(), "q quit".into()],
        Screen::Search if app.search.editing => vec![
            "Enter search".into(),
            "↓ results".into(),
            "F1 help".into(),
            "Ctrl-C quit".into(),
        ],
        Screen::Search => [
            hint(app, ctx, Action::Open, "open"),
            hint(app, ctx, Action::Search, "search"),
            hint(app, ctx, Action::Help, "help"),
            hint(app, ctx, Action::Quit, "quit"),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Screen::Chart => [
            Some("1-8 tabs".to_owned()),
            hint(app, ctx, Action::Filter, "filter"),
            hint(app, ctx, Action::Back, "back"),
            hint(app, ctx, Action::Help, "help"),
            hint(app, ctx, Action::Quit, "quit"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    let hints = hints.join("  ");
    let width = usize::from(area.width);
    let left = format!(" {source} ");
    let mut spans = vec![Span::styled(left.clone(), theme.status)];
    let mut used = display_width(&left);
    if app.source.tls_unverified {
        // Kept on screen for as long as it is true: nothing on this link is protected.
        let warn = " TLS NOT VERIFIED ";
        spans.push(Span::styled(warn, theme.status_error));
        used += display_width(warn);
    }
    if let Some((text, error)) = message {
        let room = width.saturating_sub(used + 2);
        let text = truncate_to(&crate::text::clean_line(&text), room);
        used += display_width(&text) + 2;
        let style = if error {
            theme.status_error
        } else {
            theme.status_loading
        };
        spans.push(Span::styled(format!(" {text} "), style));
    }
    let room = width.saturating_sub(used + 1);
    if room > 8 {
        let hints = truncate_to(&hints, room);
        let pad = width.saturating_sub(used + display_width(&hints) + 1);
        spans.push(Span::styled(" ".repeat(pad), theme.status));
        spans.push(Span::styled(hints, theme.status));
        spans.push(Span::styled(" ", theme.status));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}
