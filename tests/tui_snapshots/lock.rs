//! The idle lock: the countdown over the chart, the lock screen with no patient data, and
//! signing in again there or after the server ended the session (a 401).

use super::*;

#[test]
fn idle_lock_countdown_then_lock_screen() {
    use std::time::{Duration, Instant};
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    let t0 = Instant::now();
    app.lock = rounds::app::IdleLock::new(Some(Duration::from_secs(300)), t0);
    update(&mut app, Msg::Clock(t0 + Duration::from_millis(255_500)));
    snap("idle_lock_countdown", &mut app);
    let t = draw(&mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Locking in 45 s"), "{text}");
    assert!(text.contains("TESTWELL"), "the banner stays until the lock");

    update(&mut app, Msg::Clock(t0 + Duration::from_secs(300)));
    snap("idle_lock_locked", &mut app);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("LOCKED") && text.contains("after 5 min without input"));
        for phi in ["TESTWELL", "Ada", "RND100101", "04-Mar-1958", "Potassium"] {
            assert!(!text.contains(phi), "'{phi}' on the lock screen:\n{text}");
        }
    }
    // A failed sign-in says why, on the lock screen.
    let cmds = press(&mut app, KeyCode::Enter);
    let [Command::Unlock { req }] = cmds.as_slice() else {
        panic!("expected an unlock, got {cmds:?}");
    };
    snap("idle_lock_unlocking", &mut app);
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Unlocked(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::AuthExpired,
                "sign-in \u{1b}[31mrefused",
            ))),
        }),
    );
    snap("idle_lock_unlock_failed", &mut app);
}

#[test]
fn signing_in_again_on_the_lock_screen_and_after_a_401() {
    let mut app = demo_chart(ADA);
    press(&mut app, KeyCode::Char('4'));
    let cmds = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    );
    assert!(cmds.contains(&Command::Forget));
    let cmds = press(&mut app, KeyCode::Enter);
    let [Command::Unlock { req }] = cmds.as_slice() else {
        panic!("expected an unlock, got {cmds:?}");
    };
    let req = *req;
    let url = "https://ehr.example/oauth2/authorize?response_type=code&client_id=rounds&state=Xq3&code_challenge=E9Mel&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&aud=https%3A%2F%2Fehr.example%2Ffhir";
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::SignInPrompt(vec![
                "Open this address in a browser to sign in:".into(),
                format!("  {url}"),
                "Or forward the port first: ssh -L 5555:127.0.0.1:5555 clinician@clinic-server"
                    .into(),
            ]),
        }),
    );
    update(
        &mut app,
        Msg::Paste("http://127.0.0.1:5555/callback?code=SECRETCODE".into()),
    );
    snap("sign_in_on_the_lock_screen", &mut app);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let text = screen_text(t.backend().buffer());
        assert!(!text.contains("SECRETCODE"), "the pasted address is hidden");
        assert!(!text.contains("TESTWELL"), "{text}");
        // The address is shown whole, however it wraps.
        let joined: String = text.lines().map(str::trim).collect();
        assert!(
            joined.contains("aud=https%3A%2F%2Fehr.example%2Ffhir"),
            "{text}"
        );
    }

    // After a 401 on a server: the notice over the lower screen; the banner stays.
    let info = server_info();
    let mut app = new_app(info, default_theme());
    open(&mut app, &demo_source().unwrap(), ADA);
    update(
        &mut app,
        Msg::Response(Response {
            req: rounds::app::RequestId(99),
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::AuthExpired,
                "the server did not accept the login (HTTP 401): log in again",
            ))),
        }),
    );
    snap("session_ended_notice", &mut app);
    let t = draw(&mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(
        text.contains("TESTWELL") && text.contains("Enter: sign in again"),
        "{text}"
    );
}

#[test]
fn locked_by_hand() {
    let mut app = demo_chart(ADA);
    let cmds = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    );
    assert!(cmds.contains(&Command::Forget));
    let t = snap_at("lock_asked", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let text = screen_text(buf);
    assert!(text.contains("rounds is locked."), "{text}");
    for phi in ["TESTWELL", "Ada", "RND100101", "04-Mar-1958", "Penicillin"] {
        assert!(!text.contains(phi), "'{phi}' on the lock screen:\n{text}");
    }
    assert_text_style(buf, "LOCKED", app.theme.title, "heading");
}

/// Ada's chart on a server source, the session ended by the server (a 401), then Enter:
/// the sign-in starts over the chart.
fn signing_in_over_the_chart() -> (App, rounds::app::RequestId) {
    let mut app = new_app(server_info(), default_theme());
    open(&mut app, &demo_source().unwrap(), ADA);
    update(
        &mut app,
        Msg::Response(Response {
            req: rounds::app::RequestId(99),
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::AuthExpired,
                "the server did not accept the login (HTTP 401): log in again",
            ))),
        }),
    );
    let cmds = press(&mut app, KeyCode::Enter);
    let [Command::SignIn { req }] = cmds.as_slice() else {
        panic!("expected a sign-in, got {cmds:?}");
    };
    (app, *req)
}

#[test]
fn signing_in_again_over_the_chart_after_a_401() {
    let (mut app, req) = signing_in_over_the_chart();
    // Before the login says what it needs.
    let t = snap_at("session_signing_in", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(
        text.contains("Signing in…") && text.contains("TESTWELL"),
        "{text}"
    );

    // A SMART login over SSH: the address, the forward, the hidden paste box, a note.
    let url = "https://ehr.example/oauth2/authorize?response_type=code&client_id=rounds&state=Xq3&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback";
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::SignInPrompt(vec![
                "Open this address in a browser to sign in:".into(),
                format!("  {url}"),
                "Or forward the port first: ssh -L 5555:127.0.0.1:5555 clinician@clinic-server"
                    .into(),
            ]),
        }),
    );
    update(
        &mut app,
        Msg::Paste("http://127.0.0.1:5555/callback?code=SECRETCODE".into()),
    );
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::SignInNote("That is not the address rounds waits for".into()),
        }),
    );
    let t = snap_at("session_sign_in_prompt", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let text = screen_text(buf);
    assert!(!text.contains("SECRETCODE"), "the pasted address is hidden");
    assert!(text.contains("TESTWELL"), "the banner stays:\n{text}");
    let joined: String = text.lines().map(str::trim).collect();
    assert!(
        joined.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback"),
        "{text}"
    );
    assert_text_style(buf, "That is not the address", app.theme.warning, "note");
    assert_text_style(buf, "ALLERGIES (2)", app.theme.banner_allergy, "banner");
}
