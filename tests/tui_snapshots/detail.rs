//! The detail popup (Enter on a row): every field of the selected row.

use super::*;

#[test]
fn ada_medication_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(app.chart.as_ref().unwrap().detail);
    snap("ada_medication_detail", &mut app);
}

#[test]
fn ada_results_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    snap("ada_results_detail", &mut app);
}

#[test]
fn ada_cumulative_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4c");
    press(&mut app, KeyCode::Enter);
    snap("ada_cumulative_detail", &mut app);
}
