//! Faults: 500, 502, 503, 429

use super::*;

#[tokio::test]
async fn a_500_is_reported_at_once_with_or_without_an_outcome() {
    let proxy = Proxy::start(on(is_ada_read, status(500)));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 500,
            retry_after: None
        }
    );
    assert_eq!(
        err.to_string(),
        "the server failed while answering (HTTP 500): try again later"
    );
    assert_eq!(client.stats().round_trips, 1, "a 500 is not retried");
    recovers(&proxy, &client).await;

    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::json(500, &outcome("The database is down")))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server refused the request (HTTP 500): The database is down"
    );
    assert!(matches!(err, FhirError::Outcome { status: 500, .. }));
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn a_502_or_503_is_retried_then_reported() {
    for code in [502, 503] {
        let proxy = Proxy::start(on(is_ada_read, status(code)));
        let client = new_client(&proxy);
        let err = client.read("Patient", ADA).await.unwrap_err();
        assert_eq!(
            err,
            FhirError::Server {
                status: code,
                retry_after: None
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the server or a gateway in front of it is unavailable (HTTP {code}): try again later"
            )
        );
        assert_eq!(client.stats().round_trips, 3, "HTTP {code}");
        recovers(&proxy, &client).await;
    }
}

#[tokio::test]
async fn a_502_or_503_on_the_first_two_attempts_only_recovers() {
    for code in [502, 503] {
        let proxy = Proxy::start(move |req: &Request, resp| {
            if req.n < 2 {
                status(code)(resp)
            } else {
                Fault::Pass(resp)
            }
        });
        let client = new_client(&proxy);
        let patient = client.read("Patient", ADA).await.unwrap();
        assert_eq!(patient["id"], ADA);
        assert_eq!(client.stats().round_trips, 3, "HTTP {code}");
    }
}

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_waited_for() {
    let proxy = Proxy::start(|req: &Request, resp| {
        if req.n == 0 {
            Fault::Pass(Answer::raw(429, "text/plain", "slow down").with_header("Retry-After", "1"))
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let started = Instant::now();
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait");
    assert_eq!(client.stats().round_trips, 2);
}

fn too_many_requests(_: Answer) -> Fault {
    Fault::Pass(Answer::raw(429, "text/plain", "slow down").with_header("Retry-After", "120"))
}

#[tokio::test]
async fn a_429_with_a_long_retry_after_is_reported_with_the_wait() {
    let proxy = Proxy::start(on(is_ada_read, too_many_requests));
    let client = new_client(&proxy);
    let started = Instant::now();
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 429,
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert_eq!(
        err.to_string(),
        "the server is busy and asked rounds to slow down (HTTP 429): try again in 120 seconds"
    );
    assert_eq!(client.stats().round_trips, 1);
    assert!(started.elapsed() < Duration::from_secs(1), "it waited");
    recovers(&proxy, &client).await;
}

#[test]
fn the_cli_reports_a_long_retry_after_with_exit_code_5() {
    let proxy = Proxy::start(|_: &Request, resp| too_many_requests(resp));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "rounds: error: the server is busy and asked rounds to slow down (HTTP 429): try again \
         in 120 seconds\n"
    );
    let (code, _, stderr) = rounds(&proxy, &["search", "--name", "testwell"]);
    assert_eq!(code, 5);
    assert!(stderr.contains("try again in 120 seconds"), "{stderr}");
    proxy.heal();
    let (code, stdout, _) = rounds(&proxy, &["chart", ADA, "--section", "banner"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("TESTWELL, Ada"), "{stdout}");
}
