//! Faults: slow answers and timeouts

use super::*;

#[tokio::test]
async fn a_slow_answer_within_the_timeout_arrives() {
    let proxy = Proxy::start(on(is_ada_read, |r| Fault::Delay(ms(600), r)));
    let client = client_with(&proxy, |c| c.request_timeout = ms(1500));
    let started = Instant::now();
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert!(started.elapsed() >= ms(600));
    assert_eq!(client.stats().round_trips, 1);
}

#[tokio::test]
async fn an_answer_later_than_the_timeout_is_retried_once_then_reported() {
    let proxy = Proxy::start(on(is_ada_read, |r| Fault::Delay(ms(1400), r)));
    let client = client_with(&proxy, |c| c.request_timeout = Duration::from_secs(1));
    let started = Instant::now();
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Timeout {
            after: Duration::from_secs(1)
        }
    );
    assert_eq!(
        err.to_string(),
        "the server did not answer within 1 second: try again, or check the network"
    );
    // One retry, not more: two round trips, about two timeouts long.
    assert_eq!(client.stats().round_trips, 2);
    assert_eq!(proxy.requests(), 2);
    assert!(started.elapsed() < ms(2900), "{:?}", started.elapsed());
    recovers(&proxy, &client).await;
}
