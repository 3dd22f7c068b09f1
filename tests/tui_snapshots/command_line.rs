//! The `:` command line, on the last row, and what an unknown command says.

use super::*;

#[test]
fn ada_command_line() {
    let mut app = demo_chart(ADA);
    keys(&mut app, ":patient rnd-ben");
    snap("ada_command_line", &mut app);
}

#[test]
fn ada_unknown_command_error() {
    let mut app = demo_chart(ADA);
    keys(&mut app, ":frobnicate");
    press(&mut app, KeyCode::Enter);
    snap("ada_command_error", &mut app);
}
