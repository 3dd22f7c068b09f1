//! Faults: 401 in the middle of a session

use super::*;

/// A proxy that answers 401 to everything once `expired` is set.
fn session_proxy() -> (Proxy, Arc<AtomicBool>) {
    let expired = Arc::new(AtomicBool::new(false));
    let flag = expired.clone();
    let proxy = Proxy::start(move |_: &Request, resp| {
        if flag.load(Ordering::SeqCst) {
            Fault::Pass(
                Answer::json(401, &outcome("The access token expired"))
                    .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
            )
        } else {
            Fault::Pass(resp)
        }
    });
    (proxy, expired)
}

#[tokio::test]
async fn a_401_mid_session_asks_for_a_new_login_and_the_open_chart_stays() {
    let (proxy, expired) = session_proxy();
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    first_screen_loaded(shown_chart(&app), None);
    assert_eq!(shown_chart(&app).notes, Part::Loading);

    // The token expires while the rest of the chart loads.
    expired.store(true, Ordering::SeqCst);
    let before = proxy.requests();
    load_rest(
        &mut app,
        &source,
        req,
        rest.expect("the rest is left to load"),
    )
    .await;
    assert_eq!(proxy.requests(), before + 1, "a 401 is not retried");
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    let login = "the server did not accept the login (HTTP 401): log in again";
    assert_eq!(part_failed(&chart.notes), login);
    assert_eq!(part_failed(&chart.immunizations), login);
    assert_eq!(
        app.status,
        Some(Status {
            // After a refused login, retrying cannot help: no "r retries" hint.
            text: format!("Part of the chart could not be loaded: {login}"),
            error: true,
        })
    );

    // Every other request says the same, as a typed error.
    assert_eq!(
        source.client().read("Patient", ADA).await.unwrap_err(),
        FhirError::Unauthorized
    );
    assert_eq!(
        source.search(&by_name(), 10).await.unwrap_err(),
        SourceError::Fhir(FhirError::Unauthorized)
    );
    // Opening another chart shows the error in its place.
    let (_, rest) = open_chart(&mut app, &source, ADA).await;
    assert!(rest.is_none());
    assert_eq!(
        app.chart.as_ref().unwrap().data,
        Remote::Failed(login.to_owned())
    );

    // After a new login (here: the token works again) the chart loads.
    expired.store(false, Ordering::SeqCst);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    assert!(part_loaded(&shown_chart(&app).notes).len() >= 3);
}

#[test]
fn the_cli_says_log_in_again_with_exit_code_4_after_a_401() {
    let (proxy, expired) = session_proxy();
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("TESTWELL, Ada"));
    expired.store(true, Ordering::SeqCst);
    for args in [
        &["chart", ADA][..],
        &["search", "--name", "testwell"],
        &["capabilities"],
    ] {
        let (code, stdout, stderr) = rounds(&proxy, args);
        assert_eq!(code, 4, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert_eq!(
            stderr, "rounds: error: the server did not accept the login (HTTP 401): log in again\n",
            "{args:?}"
        );
    }
}
