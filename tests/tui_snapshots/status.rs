//! The status line: where the data comes from (and the sign-in profile).

use super::*;

#[test]
fn the_status_line_names_the_sign_in_profile() {
    let info = server_info();
    let mut app = new_app(info.clone(), default_theme());
    let t = draw(&mut app, 80, 24);
    assert!(row_text(t.backend().buffer(), 23).starts_with(" https://ehr.example/fhir "));
    let mut app = new_app(info, default_theme());
    app.profile = Some("clinic".into());
    let t = draw(&mut app, 80, 24);
    let status = row_text(t.backend().buffer(), 23);
    assert!(
        status.starts_with(" [clinic] https://ehr.example/fhir "),
        "{status}"
    );
}
