//! The help overlay (`?`, F1), generated from the keymap.

use super::*;

#[test]
fn ada_help() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "?");
    snap("ada_help", &mut app);
}
