//! The results tab (4): the list, the cumulative view, the filter, and the styles of the
//! abnormal and critical flags.

use super::*;

#[test]
fn ada_results_cumulative() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4c");
    snap("ada_results_cumulative", &mut app);
}

#[test]
fn ada_filter_potassium() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4/potassium");
    snap("ada_filter_typing", &mut app);
    press(&mut app, KeyCode::Enter);
    snap("ada_filter_potassium", &mut app);
    let t = draw(&mut app, 120, 40);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Filter: potassium"));
    assert!(!text.contains("Sodium"));
}

#[test]
fn result_flags_use_the_critical_and_abnormal_styles() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let buf = t.backend().buffer();
        let (flag_x, header_y) = find(buf, "FLAG");
        let mut seen = (0, 0);
        // Skip the selected first row: the selection style is laid over it.
        for y in header_y + 2..buf.area.height - 1 {
            let sym = |dx: u16| buf[(flag_x + dx, y)].symbol().to_owned();
            let flag = format!("{}{}", sym(0), sym(1));
            let (slot, len) = match flag.as_str() {
                "HH" | "LL" => (app.theme.critical, 2),
                "H " | "L " => (app.theme.abnormal, 1),
                _ => continue,
            };
            if len == 2 {
                seen.0 += 1;
            } else {
                seen.1 += 1;
            }
            assert_span_style(buf, (flag_x, y), len, slot, &format!("flag {flag:?}"));
        }
        assert!(
            seen.0 >= 1 && seen.1 >= 3,
            "{w}x{h}: saw {seen:?} critical/abnormal flags\n{}",
            screen_text(buf)
        );
    }
    // The detail popup colours the flag line by the result's own flag.
    keys(&mut app, "/potassium");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "HH (sent by the lab)");
    assert_span_style(buf, at, 2, app.theme.critical, "detail HH");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "Sodium");
    let (_, y) = at;
    let (x, _) = find(buf, "FLAG");
    assert_span_style(buf, (x, y), 1, app.theme.abnormal, "Sodium L");
    let (x, _) = find(buf, "VALUE");
    assert_span_style(buf, (x, y), 3, app.theme.abnormal, "Sodium 128");

    // The cumulative view carries the same styles.
    keys(&mut app, "c");
    let t = draw(&mut app, 120, 40);
    let buf = t.backend().buffer();
    let at = find(buf, "0.005 LL");
    assert_span_style(buf, at, 8, app.theme.critical, "cumulative LL");
    let at = find(buf, "128 L");
    assert_span_style(buf, at, 5, app.theme.abnormal, "cumulative L");
}
