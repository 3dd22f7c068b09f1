//! Hostile data: the TUI, into a TestBackend

use super::*;

/// Everything drawn, for looking for text that must survive.
#[derive(Default)]
struct Screens {
    text: String,
    frames: usize,
}

impl Screens {
    /// Draw at every size; check each frame.
    fn draw(&mut self, app: &mut App, what: &str) {
        for (w, h) in SIZES {
            let t = draw(app, w, h);
            let buf = t.backend().buffer();
            assert_buffer_inert(&format!("{what} at {w}x{h}"), buf);
            self.text.push_str(&screen_text(buf));
            self.text.push('\n');
            self.frames += 1;
        }
    }
}

/// Answer the worker's commands the way `rounds::worker` does (the Patient for the
/// banner, the first screen, then the rest), drawing what each answer shows.
fn answer(
    app: &mut App,
    worker: &FakeWorker<'_>,
    cmds: Vec<Command>,
    screens: &mut Screens,
    what: &str,
) {
    for cmd in cmds {
        for response in worker.responses(&cmd) {
            let shown = match &response.result {
                ResponseResult::Patient(_) => Some("banner"),
                ResponseResult::Chart(_) => Some("first screen"),
                _ => None,
            };
            update(app, Msg::Response(response));
            if let Some(shown) = shown {
                screens.draw(app, &format!("{what}: {shown}"));
            }
        }
    }
}

/// How many rows a tab lists (to walk its detail popups).
fn rows(app: &App) -> usize {
    let Some(chart) = app.chart.as_ref() else {
        return 0;
    };
    chart.row_count()
}

/// Esc out of a row's detail, if one is open (Esc on a bare chart goes back to the search).
fn close_detail(app: &mut App) {
    if app.layers.has(rounds::app::LayerKind::Detail) {
        press(app, KeyCode::Esc);
    }
}

/// Search, then open every patient and walk every tab, row detail, view and overlay.
fn walk_tui(source: &dyn DataSource, rt: &tokio::runtime::Runtime, server: bool) -> Screens {
    let worker = FakeWorker::on(rt, source);
    let mut screens = Screens::default();
    let mut app = app_for(source);
    screens.draw(&mut app, "search idle");
    keys(&mut app, "hostile");
    let cmds = press(&mut app, KeyCode::Enter);
    screens.draw(&mut app, "search loading");
    answer(&mut app, &worker, cmds, &mut screens, "search");
    let found = app.search.results.loaded().map_or(0, Vec::len);
    assert!(found >= PATIENTS.len(), "{found} hostile patients found");
    for i in 0..found {
        // Every frame of this list sanitizes the 1 MB name: the first rows, and the last.
        if i < 3 || i + 1 == found {
            screens.draw(&mut app, &format!("search row {i}"));
        }
        press(&mut app, KeyCode::Down);
    }

    for id in PATIENTS {
        let what = format!("{id} ({})", if server { "server" } else { "files" });
        let cmds = update(&mut app, Msg::OpenPatient(id.into()));
        screens.draw(&mut app, &format!("{what}: loading"));
        answer(&mut app, &worker, cmds, &mut screens, &what);
        assert_eq!(app.screen, Screen::Chart);
        let loaded = app.chart.as_ref().unwrap().data.loaded().is_some();
        if !loaded {
            // Only the deep patient may fail, and only from the server (see
            // `deep_nesting_the_server_accepts`); the failure is drawn and checked.
            assert!(server && id == DEEP, "{what} did not load");
            screens.draw(&mut app, &format!("{what}: failed"));
            continue;
        }
        for tab in '1'..='8' {
            keys(&mut app, &tab.to_string());
            screens.draw(&mut app, &format!("{what}: tab {tab}"));
            let n = rows(&app);
            // Every row's detail (the first 12 of a long list, and the last); with the
            // 1 MB name in the banner each frame is slow (in a debug build), so there only
            // the tabs and the note.
            let huge = id == HUGE;
            let walk = if huge { usize::from(tab == '8') } else { 12 };
            for row in 0..n {
                if row < walk || (!huge && row + 1 == n) {
                    press(&mut app, KeyCode::Enter);
                    screens.draw(&mut app, &format!("{what}: tab {tab} row {row} detail"));
                    if tab == '8' {
                        for _ in 0..3 {
                            press(&mut app, KeyCode::PageDown);
                        }
                        screens.draw(&mut app, &format!("{what}: note {row} paged"));
                    }
                    close_detail(&mut app);
                    assert_eq!(app.screen, Screen::Chart, "{what}: Esc left the chart");
                }
                press(&mut app, KeyCode::Down);
            }
            if tab == '4' && !huge {
                keys(&mut app, "c");
                screens.draw(&mut app, &format!("{what}: cumulative"));
                press(&mut app, KeyCode::Enter);
                screens.draw(&mut app, &format!("{what}: cumulative detail"));
                close_detail(&mut app);
                keys(&mut app, "c");
            }
            // A filter that matches some of the hostile text (tabs with rows have one).
            keys(&mut app, "/e");
            if app.chart.as_ref().is_some_and(|c| c.filter_input.is_some()) {
                if !huge {
                    screens.draw(&mut app, &format!("{what}: tab {tab} filter"));
                }
                press(&mut app, KeyCode::Esc);
            }
            assert_eq!(app.screen, Screen::Chart, "{what}: Esc left the chart");
        }
        keys(&mut app, "1?");
        screens.draw(&mut app, &format!("{what}: help"));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.screen, Screen::Chart);
    }
    screens
}

fn check_tui(screens: &Screens, server: bool) {
    for s in UNICODE_SURVIVES {
        assert!(
            screens.text.contains(s),
            "{s:?} never reached the screen ({} frames)",
            screens.frames
        );
    }
    for s in [
        "Mallory",
        "POSITIVE NEGATIVE",
        "Asthma HEALTHY",
        "Line two: vitals OK",
        "Line two: CRITICAL",
        "Penicillin",
        "unreadable",
        "K <3.5",
    ] {
        assert!(screens.text.contains(s), "{s:?} never reached the screen");
    }
    // A resource naming two patients is filed by the element its type is searched by, the
    // same way from files as from the server: the neighbour's vaccine shows on the
    // neighbour's chart only (checked per chart in `check_charts`).
    let _ = server;
}

#[test]
fn tui_from_files() {
    let rt = runtime();
    let screens = walk_tui(&local(), &rt, false);
    check_tui(&screens, false);
}

#[test]
fn tui_from_the_server() {
    let rt = runtime();
    let screens = walk_tui(&remote(&rt), &rt, true);
    check_tui(&screens, true);
}
