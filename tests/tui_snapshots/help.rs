//! The help overlay (`?`, F1), generated from the keymap: over a chart (the banner stays in
//! view), over the search screen, and filtered.

use super::*;

#[test]
fn ada_help() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "?");
    snap("ada_help", &mut app);
}

#[test]
fn search_help() {
    // F1: `?` would be typed into the search box.
    let mut app = demo_app();
    assert!(app.search.editing);
    press(&mut app, KeyCode::F(1));
    let t = snap_at("search_help", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(
        buf,
        " Keys (/ filter, Esc close) ",
        app.theme.title,
        "help title",
    );
}

#[test]
fn ada_help_filtered() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "?/lock");
    let t = snap_at("ada_help_filtered", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let text = screen_text(buf);
    assert!(text.contains("filter 'lock'"), "{text}");
    assert!(
        !text.contains("Cover sheet"),
        "the filter leaves other keys out:\n{text}"
    );
    // The allergy flag stays in view over the help.
    assert_text_style(buf, "ALLERGIES (2)", app.theme.banner_allergy, "banner");
}
