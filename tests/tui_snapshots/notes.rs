//! The notes tab (8): the list and the note read full screen.

use super::*;

#[test]
fn ada_note_read_full_screen() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    snap("ada_note_full", &mut app);
}
