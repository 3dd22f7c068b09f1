//! Styles that carry meaning across panes: the selected row, and a colourless theme that
//! still shows the allergy flag.

use super::*;

#[test]
fn the_selected_row_uses_the_selected_style() {
    let mut app = demo_chart(ADA);
    for tab in ["2", "4", "6", "7", "8"] {
        keys(&mut app, tab);
        press(&mut app, KeyCode::Down);
        for (w, h) in SIZES {
            let t = draw(&mut app, w, h);
            let buf = t.backend().buffer();
            // The header row is the first row below the tab bar that has the header style;
            // the selected row is the second data row.
            let header_y = (3..buf.area.height)
                .find(|y| has_style(&buf[(0, *y)], app.theme.header))
                .unwrap_or_else(|| panic!("tab {tab}: no header\n{}", screen_text(buf)));
            let y = header_y + 2;
            for x in 0..buf.area.width {
                assert!(
                    has_style(&buf[(x, y)], app.theme.selected),
                    "tab {tab} {w}x{h}: cell ({x},{y}) {:?}\n{}",
                    buf[(x, y)].style(),
                    screen_text(buf)
                );
            }
            assert!(!has_style(&buf[(0, y - 1)], app.theme.selected));
        }
    }
    // Medications below 120 columns: two lines per item, both highlighted.
    keys(&mut app, "3");
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "Oxycodone");
    for yy in [y, y + 1] {
        assert!(has_style(&buf[(0, yy)], app.theme.selected));
        assert!(has_style(&buf[(79, yy)], app.theme.selected));
    }
}

#[test]
fn no_color_theme_leaves_every_colour_reset() {
    let theme = default_theme().without_color();
    let source = demo_source().unwrap();
    let mut app = new_app(source.info(), theme);
    let mut screens: Vec<Buffer> = Vec::new();
    let mut grab = |app: &mut App| {
        for (w, h) in SIZES {
            screens.push(draw(app, w, h).backend().buffer().clone());
        }
    };
    grab(&mut app);
    let cmds = start_search(&mut app, "Testwell");
    grab(&mut app);
    answer_search(&mut app, &source, cmds);
    press(&mut app, KeyCode::Down);
    grab(&mut app);
    for id in [ADA, CORA, BEN] {
        open(&mut app, &source, id);
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            grab(&mut app);
            press(&mut app, KeyCode::Enter);
            grab(&mut app);
            if app.layers.has(rounds::app::LayerKind::Detail) {
                press(&mut app, KeyCode::Esc);
            }
        }
        keys(&mut app, "4c");
        grab(&mut app);
        keys(&mut app, "?");
        grab(&mut app);
        press(&mut app, KeyCode::Esc);
    }
    for (i, buf) in screens.iter().enumerate() {
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let s = buf[(x, y)].style();
                for c in [s.fg, s.bg].into_iter().flatten() {
                    assert_eq!(c, Color::Reset, "screen {i} cell ({x},{y}) has {c:?}");
                }
            }
        }
    }
    // Meaning still shows without colour: the allergy flag is bold or reversed.
    open(&mut app, &source, ADA);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "ALLERGIES (2)");
    assert!(!buf[at].style().add_modifier.is_empty());
}
