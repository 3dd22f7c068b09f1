//! Faults: a connection cut in the middle of the body

use super::*;

#[tokio::test]
async fn a_connection_cut_mid_body_is_retried_then_reported() {
    for reset in [false, true] {
        let proxy = Proxy::start(on(is_ada_read, move |resp| Fault::CutBody { resp, reset }));
        let client = new_client(&proxy);
        let err = client.read("Patient", ADA).await.unwrap_err();
        let detail = format!(
            "the connection to 127.0.0.1:{} dropped before the answer was complete",
            proxy.port()
        );
        assert_eq!(err, FhirError::Connection { detail }, "reset: {reset}");
        assert_eq!(
            err.to_string(),
            format!(
                "could not reach the server: the connection to 127.0.0.1:{} dropped before the \
                 answer was complete",
                proxy.port()
            )
        );
        // The first try and two retries.
        assert_eq!(client.stats().round_trips, 3, "reset: {reset}");
        assert_eq!(proxy.requests(), 3);
        recovers(&proxy, &client).await;
    }
}

#[tokio::test]
async fn a_connection_cut_only_once_succeeds_on_the_retry() {
    let proxy = Proxy::start(|req: &Request, resp| {
        if req.n == 0 {
            Fault::CutBody { resp, reset: true }
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert_eq!(client.stats().round_trips, 2);
}

#[test]
fn the_cli_reports_a_dropped_connection_with_exit_code_5() {
    let proxy = Proxy::start(on(Request::is_batch, |resp| Fault::CutBody {
        resp,
        reset: false,
    }));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "rounds: error: could not reach the server: the connection to 127.0.0.1:{} \
             dropped before the answer was complete\n",
            proxy.port()
        )
    );
    assert_eq!(proxy.count("POST /"), 3, "{:?}", proxy.log());
}
