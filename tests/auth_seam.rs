//! The FHIR client's side of the auth seam, against a mock server and a fake provider: a
//! header per request, one renew after a 401 and one repeat, never a loop, and the provider's
//! errors passed through.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use rounds::fhir::{AuthProvider, ClientConfig, Credentials, FhirClient, FhirError, Secret};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Hands out `Bearer t<generation>`; `renew` moves to the next generation while allowed.
#[derive(Debug)]
struct FakeProvider {
    generation: AtomicU32,
    renewals: AtomicU32,
    can_renew: bool,
    fail: Option<FhirError>,
}

impl FakeProvider {
    fn new(can_renew: bool) -> FakeProvider {
        FakeProvider {
            generation: AtomicU32::new(1),
            renewals: AtomicU32::new(0),
            can_renew,
            fail: None,
        }
    }
}

#[async_trait::async_trait]
impl AuthProvider for FakeProvider {
    async fn authorization(&self) -> Result<Secret, FhirError> {
        if let Some(e) = &self.fail {
            return Err(e.clone());
        }
        Ok(Secret::new(format!(
            "Bearer t{}",
            self.generation.load(Ordering::SeqCst)
        )))
    }

    async fn renew(&self, rejected: &Secret) -> Result<bool, FhirError> {
        self.renewals.fetch_add(1, Ordering::SeqCst);
        let current = format!("Bearer t{}", self.generation.load(Ordering::SeqCst));
        assert_eq!(
            rejected.expose(),
            current,
            "renew names the header that was sent"
        );
        if self.can_renew {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        Ok(self.can_renew)
    }
}

async fn client(mock: &MockServer, provider: &Arc<FakeProvider>) -> FhirClient {
    let mut config = ClientConfig::new(format!("{}/fhir", mock.uri()));
    config.credentials = Credentials::Provider(provider.clone());
    config.retries = 0;
    FhirClient::new(config).unwrap()
}

async fn mount_patient(mock: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/fhir/Patient/p1"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"resourceType": "Patient", "id": "p1"})),
        )
        .mount(mock)
        .await;
    Mock::given(method("GET"))
        .and(path("/fhir/Patient/p1"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(mock)
        .await;
}

#[tokio::test]
async fn a_401_renews_once_and_repeats_the_request_once() {
    let mock = MockServer::start().await;
    mount_patient(&mock, "t2").await;
    let provider = Arc::new(FakeProvider::new(true));
    let c = client(&mock, &provider).await;
    let p = c.read("Patient", "p1").await.unwrap();
    assert_eq!(p["id"], "p1");
    assert_eq!(provider.renewals.load(Ordering::SeqCst), 1);
    assert_eq!(c.stats().round_trips, 2);
    // The next request uses the renewed header straight away.
    c.read("Patient", "p1").await.unwrap();
    assert_eq!(provider.renewals.load(Ordering::SeqCst), 1);
    assert_eq!(c.stats().round_trips, 3);
}

#[tokio::test]
async fn a_provider_that_cannot_renew_gives_unauthorized() {
    let mock = MockServer::start().await;
    mount_patient(&mock, "never").await;
    let provider = Arc::new(FakeProvider::new(false));
    let c = client(&mock, &provider).await;
    assert_eq!(
        c.read("Patient", "p1").await.unwrap_err(),
        FhirError::Unauthorized
    );
    assert_eq!(provider.renewals.load(Ordering::SeqCst), 1);
    assert_eq!(c.stats().round_trips, 1);
}

#[tokio::test]
async fn a_second_401_after_renewing_is_not_retried_again() {
    let mock = MockServer::start().await;
    mount_patient(&mock, "never").await;
    let provider = Arc::new(FakeProvider::new(true));
    let c = client(&mock, &provider).await;
    assert_eq!(
        c.read("Patient", "p1").await.unwrap_err(),
        FhirError::Unauthorized
    );
    assert_eq!(provider.renewals.load(Ordering::SeqCst), 1);
    assert_eq!(c.stats().round_trips, 2);
}

#[tokio::test]
async fn the_providers_error_is_the_requests_error() {
    let mock = MockServer::start().await;
    mount_patient(&mock, "t1").await;
    let mut fake = FakeProvider::new(true);
    fake.fail = Some(FhirError::Unauthorized);
    let provider = Arc::new(fake);
    let c = client(&mock, &provider).await;
    assert_eq!(
        c.read("Patient", "p1").await.unwrap_err(),
        FhirError::Unauthorized
    );
    assert_eq!(c.stats().round_trips, 0, "nothing is sent without a header");
}
