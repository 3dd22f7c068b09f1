//! Keystroke to frame: the real `update` and `ui::render`, drawn as `tui::run` draws them
//! (ratatui's crossterm backend behind rounds' `ScrollingBackend`) into a writer that
//! counts the bytes a terminal would receive.
//!
//! The App is built as the TUI builds it: the chart is opened with `Msg::OpenPatient`, the
//! worker's answer (the whole record, from the Bundle files) is fed back through `update`,
//! and `4` opens the Results tab. Then each cursor move is one `update(Msg::Key(..))`
//! followed by one `terminal.draw(ui::render)`, as one turn of the event loop in `tui::run`.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::NaiveDate;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use rounds::app::{App, Command, Msg, Response, ResponseResult, Tab, update};
use rounds::config::{Keymap, Theme};
use rounds::source::{DataSource, LocalSource};
use rounds::tui::ScrollingBackend;

use crate::stats::{KeySize, KeysResult, Res, fail, schedstat, write_json};

/// A terminal that only counts what it is sent.
#[derive(Clone, Default)]
struct CountingWriter(Arc<AtomicU64>);

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub async fn run(bundles: &Path, patient: &str, moves: usize, out: &Path) -> Res<()> {
    let source = LocalSource::open(bundles)?;
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let theme = Theme::built_in("default")?;
    let mut sizes = Vec::new();
    let mut load_ms = 0.0;
    let mut observations = 0;
    let mut result_rows = 0;
    for (cols, rows) in [(80u16, 24u16), (120, 40)] {
        let mut app = App::new(
            source.info(),
            today,
            theme.clone(),
            Keymap::default_keymap(),
        );
        app.size = (cols, rows);
        let t = Instant::now();
        for command in update(&mut app, Msg::OpenPatient(patient.to_owned())) {
            let Command::LoadChart { req, patient_id } = command else {
                continue;
            };
            let (record, _) = source.first_screen(&patient_id).await?;
            observations = record.observations.len();
            let msg = Msg::Response(Response {
                req,
                result: ResponseResult::Chart(Ok(Box::new(record))),
            });
            let _ = update(&mut app, msg);
        }
        load_ms = t.elapsed().as_secs_f64() * 1000.0;
        let _ = update(&mut app, key(KeyCode::Char('4')));
        let Some(chart) = app.chart.as_ref().filter(|c| c.tab == Tab::Results) else {
            return fail("the Results tab did not open");
        };
        result_rows = chart.row_count();
        if chart.data.loaded().is_none() || result_rows < 2 {
            return fail(format!(
                "the chart of {patient} has no results to move through"
            ));
        }
        sizes.push(measure(&mut app, cols, rows, moves)?);
        eprintln!(
            "slow_link: keys {cols}x{rows}: median {:.3} ms, p99 {:.3} ms, median {:.0} bytes per move",
            crate::stats::median(&sizes[sizes.len() - 1].ms),
            crate::stats::percentile(&sizes[sizes.len() - 1].ms, 99.0),
            crate::stats::median(&sizes[sizes.len() - 1].bytes),
        );
    }
    write_json(
        out,
        &KeysResult {
            patient_id: patient.to_owned(),
            observations,
            result_rows,
            load_ms,
            sizes,
        },
    )
}

fn measure(app: &mut App, cols: u16, rows: u16, moves: usize) -> Res<KeySize> {
    let counter = CountingWriter::default();
    let bytes = counter.0.clone();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
    };
    let backend = ScrollingBackend::new(CrosstermBackend::new(counter));
    let mut terminal = Terminal::with_options(backend, options)?;
    let sent = || bytes.load(Ordering::Relaxed);
    terminal.draw(|f| rounds::ui::render(f, app))?;
    let full_frame_bytes = sent();

    // Nothing changed: what a redraw of an idle screen would cost (the event loop does not
    // do this; it draws only after a message).
    let before = sent();
    terminal.draw(|f| rounds::ui::render(f, app))?;
    let idle_redraw_bytes = sent() - before;

    let mut ms = Vec::with_capacity(moves);
    let mut update_ms = Vec::with_capacity(moves);
    let mut wait_ms = Vec::with_capacity(moves);
    let mut per_move = Vec::with_capacity(moves);
    for i in 0..moves {
        let code = if i % 2 == 0 {
            KeyCode::Char('j')
        } else {
            KeyCode::Down
        };
        let before = sent();
        let (_, waited) = schedstat();
        let t = Instant::now();
        let _ = update(app, key(code));
        let updated = t.elapsed();
        terminal.draw(|f| rounds::ui::render(f, app))?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        update_ms.push(updated.as_secs_f64() * 1000.0);
        wait_ms.push((schedstat().1.saturating_sub(waited)) as f64 / 1e6);
        per_move.push((sent() - before) as f64);
    }

    let mut switch = Vec::new();
    for c in ['1', '4'] {
        let before = sent();
        let _ = update(app, key(KeyCode::Char(c)));
        terminal.draw(|f| rounds::ui::render(f, app))?;
        switch.push((sent() - before) as f64);
    }
    Ok(KeySize {
        cols,
        rows,
        moves,
        ms,
        update_ms,
        wait_ms,
        bytes: per_move,
        full_frame_bytes,
        idle_redraw_bytes,
        tab_switch_bytes: switch.iter().sum::<f64>() / switch.len() as f64,
    })
}
