//! The status line: where the data comes from, the outbox's counts (writes waiting,
//! failed, drafts), what is loading, the last error, and the keys that matter now. The `:` command line takes its place while open.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App, Layer, LayerKind, LineInput, Remote, Screen};
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
    if let Some(Layer::CommandLine(input)) = app.layers.get(LayerKind::CommandLine) {
        return render_command_line(frame, area, app, input);
    }
    let theme = &app.theme;
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    let mut used = 0;
    // A kept copy is said first, on every screen, where nothing can push it out of view.
    if let Some(line) = offline_line(app) {
        let line = format!(" {line} ");
        used += display_width(&line);
        spans.push(Span::styled(line, theme.status_error));
    }
    let left = format!(" {} ", source_label(app));
    spans.push(Span::styled(left.clone(), theme.status));
    used += display_width(&left);
    if app.offline_keeping {
        // When the background sync last ran and how many it kept, once it has.
        let text = match app.offline_sync.status_text() {
            Some(sync) => format!(" offline copies kept · {sync} "),
            None => " offline copies kept ".to_owned(),
        };
        used += display_width(&text);
        spans.push(Span::styled(text, theme.status_loading));
    }
    if app.source.tls_unverified {
        // Kept on screen for as long as it is true: nothing on this link is protected.
        let warn = " TLS NOT VERIFIED ";
        spans.push(Span::styled(warn, theme.status_error));
        used += display_width(warn);
    }
    // Writes not sent yet stay in view: the clinician must know a note has not gone.
    if let Some(text) = crate::app::writing::counts_text(&app.writing.counts) {
        let style = if app.writing.counts.failed > 0 {
            theme.status_error
        } else {
            theme.status_loading
        };
        let text = format!(" {text} ");
        used += display_width(&text);
        spans.push(Span::styled(text, style));
    }
    if let Some((text, error)) = message(app) {
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
        let hints = truncate_to(&hints(app).join("  "), room);
        let pad = width.saturating_sub(used + display_width(&hints) + 1);
        spans.push(Span::styled(" ".repeat(pad), theme.status));
        spans.push(Span::styled(hints, theme.status));
        spans.push(Span::styled(" ", theme.status));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}

/// The `:` command line in the status line's place, with the cursor in it.
fn render_command_line(frame: &mut Frame, area: Rect, app: &App, input: &LineInput) {
    let theme = &app.theme;
    let line = Line::from(vec![
        Span::styled(":", theme.key_hint),
        Span::styled(super::spans::typed(input.text()), theme.base),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.base), area);
    let before: String = input.text().chars().take(input.cursor()).collect();
    let x = area.x + 1 + display_width(&before) as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}

/// `OFFLINE COPY — as of …` when the open chart is a copy kept on this device.
fn offline_line(app: &App) -> Option<String> {
    let chart = app.chart.as_ref()?;
    let Remote::Loaded(chart) = &chart.data else {
        return None;
    };
    let as_of = chart.offline_as_of?;
    Some(crate::chart::offline::offline_line(
        as_of,
        chrono::Utc::now(),
    ))
}

/// Where the data comes from: the demo, a file, or a server (with the profile's name).
fn source_label(app: &App) -> String {
    match app.source.kind {
        SourceKind::Demo => "DEMO (synthetic)".to_owned(),
        SourceKind::Files => format!("FILE {}", app.source.label),
        SourceKind::Server => match &app.profile {
            Some(profile) => format!("[{profile}] {}", app.source.label),
            None => app.source.label.clone(),
        },
    }
}

/// The message to show, and whether it is an error: the last status, else what is
/// loading, else why the chart failed.
fn message(app: &App) -> Option<(String, bool)> {
    if let Some(s) = &app.status {
        return Some((s.text.clone(), s.error));
    }
    let on_chart = app.chart.as_ref().filter(|_| app.screen == Screen::Chart);
    let loading = match app.screen {
        Screen::Search => app.search.results.is_loading(),
        Screen::Chart => app.chart.as_ref().is_some_and(|c| c.data.is_loading()),
    };
    if loading {
        return Some(("Loading…".into(), false));
    }
    if on_chart.is_some_and(|c| c.loading_rest()) {
        return Some(("Loading the rest of the chart…".into(), false));
    }
    match on_chart.map(|c| &c.data) {
        Some(Remote::Failed(e)) => Some((e.clone(), true)),
        _ => None,
    }
}

/// The keys that matter now.
fn hints(app: &App) -> Vec<String> {
    let ctx = match app.screen {
        Screen::Search => Context::Search,
        Screen::Chart => Context::Chart,
    };
    let keys = |list: &[(Action, &str)]| -> Vec<String> {
        list.iter()
            .filter_map(|(action, words)| hint(app, ctx, *action, words))
            .collect()
    };
    match app.screen {
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
        Screen::Search => keys(&[
            (Action::Open, "open"),
            (Action::Search, "search"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ]),
        Screen::Chart => {
            let mut out = vec!["1-9 tabs".to_owned()];
            out.extend(keys(&[
                (Action::Filter, "filter"),
                (Action::Back, "back"),
                (Action::Help, "help"),
                (Action::Quit, "quit"),
            ]));
            out
        }
    }
}
