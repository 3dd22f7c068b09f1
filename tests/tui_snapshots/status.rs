//! The status line: where the data comes from (and the sign-in profile), a link whose
//! certificate is not checked, and the last message.

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

#[test]
fn an_unverified_tls_link_is_flagged_on_every_screen() {
    let info = SourceInfo {
        tls_unverified: true,
        ..server_info()
    };
    let mut app = new_app(info, default_theme());
    app.profile = Some("clinic".into());
    let t = snap_at("status_tls_not_verified", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "TLS NOT VERIFIED");
    assert_eq!(y, 23);
    assert_text_style(buf, " TLS NOT VERIFIED ", app.theme.status_error, "TLS");
    // Still there on a chart.
    open(&mut app, &demo_source().unwrap(), ADA);
    let t = draw(&mut app, 80, 24);
    assert_eq!(find(t.backend().buffer(), "TLS NOT VERIFIED").1, 23);
}

#[test]
fn the_last_message_shows_on_the_status_line() {
    let mut app = demo_chart(ADA);
    keys(&mut app, ":theme nosuchtheme");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "nosuchtheme");
    assert_eq!(y, 23);
    assert_span_style(buf, (x, y), 11, app.theme.status_error, "error message");
    keys(&mut app, ":theme light");
    press(&mut app, KeyCode::Enter);
    let t = snap_at("status_message", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(buf, "Theme 'light'", app.theme.status_loading, "message");
}

#[test]
fn an_offline_copy_is_said_on_the_status_line_of_every_screen() {
    let mut app = demo_chart(ADA);
    app.offline_keeping = true;
    let t = draw(&mut app, 80, 24);
    assert!(
        row_text(t.backend().buffer(), 23).contains("offline copies kept"),
        "{}",
        row_text(t.backend().buffer(), 23)
    );
    let as_of = chrono::Utc::now() - chrono::Duration::minutes(190);
    if let Some(rounds::app::Remote::Loaded(chart)) = app.chart.as_mut().map(|c| &mut c.data) {
        chart.offline_as_of = Some(as_of);
    }
    for tab in ['1', '3', '5'] {
        keys(&mut app, &tab.to_string());
        let t = draw(&mut app, 80, 24);
        let buf = t.backend().buffer();
        let status = row_text(buf, 23);
        assert!(
            status.starts_with(" OFFLINE COPY — as of ") && status.contains("(3 h ago)"),
            "{status}"
        );
        assert_text_style(
            buf,
            " OFFLINE COPY — as of ",
            app.theme.status_error,
            "offline",
        );
    }
}

#[test]
fn when_the_link_is_back_the_servers_chart_replaces_the_copy_and_the_line_goes() {
    let source = demo_source().unwrap();
    let mut app = demo_chart(ADA);
    if let Some(rounds::app::Remote::Loaded(chart)) = app.chart.as_mut().map(|c| &mut c.data) {
        chart.offline_as_of = Some(chrono::Utc::now());
    }
    let cmds = rounds::app::update(&mut app, rounds::app::Msg::Clock(std::time::Instant::now()));
    assert!(
        matches!(
            cmds.as_slice(),
            [rounds::app::Command::RefreshOffline { .. }]
        ),
        "{cmds:?}"
    );
    // Not again at once.
    let again = rounds::app::update(&mut app, rounds::app::Msg::Clock(std::time::Instant::now()));
    assert!(again.is_empty(), "{again:?}");
    super::common::tui::FakeWorker::new(&source).run(&mut app, cmds);
    let t = draw(&mut app, 80, 24);
    let status = row_text(t.backend().buffer(), 23);
    assert!(!status.contains("OFFLINE COPY"), "{status}");
    find(t.backend().buffer(), "TESTWELL");
}

#[test]
fn a_chart_loaded_whole_is_handed_over_to_be_kept_once() {
    let source = demo_source().unwrap();
    let mut app = new_app(source.info(), default_theme());
    app.offline_keeping = true;
    let cmds = rounds::app::update(&mut app, rounds::app::Msg::OpenPatient(ADA.into()));
    let worker = super::common::tui::FakeWorker::new(&source);
    let more = worker.run(&mut app, cmds);
    let kept = more
        .iter()
        .filter(|c| matches!(c, rounds::app::Command::KeepOffline { .. }))
        .count();
    assert_eq!(kept, 1, "{more:?}");
    // Not with offline keeping off.
    let mut app = new_app(source.info(), default_theme());
    let cmds = rounds::app::update(&mut app, rounds::app::Msg::OpenPatient(ADA.into()));
    let more = worker.run(&mut app, cmds);
    assert!(more.is_empty(), "{more:?}");
}
