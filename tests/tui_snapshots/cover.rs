//! The cover sheet (tab 1).

use super::*;

#[test]
fn ada_cover_sheet_at_80x24_shows_what_matters() {
    let mut app = demo_chart(ADA);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let text = screen_text(buf);
    assert!(row_text(buf, 0).contains("TESTWELL, Ada Quinn"), "{text}");
    assert!(row_text(buf, 1).contains("ALLERGIES (2)"), "{text}");
    assert!(text.contains("Oxycodone 5 mg tablet"), "{text}");
    assert!(text.contains("Penicillin"), "{text}");
}
