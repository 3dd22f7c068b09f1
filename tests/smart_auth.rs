//! SMART login against a real authorization server (oidc-provider, tools/oidc-server, one
//! private instance per test): discovery, the PKCE login through the loopback redirect and
//! through a pasted redirect, a wrong state, a denied login, refresh with rotation, refresh
//! ahead of expiry, single-flight refresh, a revoked refresh token, the FHIR client's renew
//! after a 401, backend services with RS384 and ES384, and no secret in any output.
//! Needs node 20+ and npm (`scripts/oidc-server install`); fails, never skips, without them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "smart_auth/harness.rs"]
mod harness;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use harness::{Behaviour, CLIENT_ID, Consent, OidcServer, TestPrompt};
use rounds::auth::backend::{BackendClient, BackendConfig, SigningAlg};
use rounds::auth::session::{PersistFn, SmartSession};
use rounds::auth::smart::{
    self, AuthError, AuthHttp, BrowserMode, DiscoverySource, Environment, LoginRequest,
    SmartConfiguration, SshSession, TokenKind, TokenSet,
};
use rounds::fhir::{ClientConfig, FhirClient, FhirError};

fn http() -> AuthHttp {
    AuthHttp::new(&ClientConfig::new("http://127.0.0.1")).unwrap()
}

/// A login request as on a desktop, with launch/patient so the server picks a patient.
fn request(browser: BrowserMode) -> LoginRequest {
    let mut r = LoginRequest::new(CLIENT_ID);
    r.scopes.push("launch/patient".into());
    r.browser = browser;
    r.timeout = Duration::from_secs(30);
    r.environment = Environment {
        ssh: None,
        display: true,
    };
    r
}

async fn login(server: &OidcServer, prompt: &TestPrompt) -> (SmartConfiguration, TokenSet) {
    let config = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    let tokens = smart::login(&http(), &config, &request(BrowserMode::Auto), prompt)
        .await
        .unwrap();
    (config, tokens)
}

/// A persist callback that keeps every TokenSet it was given.
fn recorder() -> (PersistFn, Arc<Mutex<Vec<TokenSet>>>) {
    let saved = Arc::new(Mutex::new(Vec::new()));
    let s = saved.clone();
    let f: PersistFn = Arc::new(move |t: &TokenSet| {
        s.lock().unwrap().push(t.clone());
        Ok(())
    });
    (f, saved)
}

fn fhir_client(server: &OidcServer, session: &Arc<SmartSession>) -> FhirClient {
    let mut config = ClientConfig::new(server.fhir_base());
    config.credentials = session.credentials();
    config.retries = 0;
    FhirClient::new(config).unwrap()
}

#[tokio::test]
async fn discovery_reads_the_smart_configuration() {
    let server = OidcServer::start(300);
    let c = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    assert_eq!(c.source, DiscoverySource::WellKnown);
    assert_eq!(c.token_endpoint, server.token_endpoint());
    assert_eq!(c.issuer.as_deref(), Some(server.issuer.as_str()));
    assert!(
        c.code_challenge_methods_supported
            .contains(&"S256".to_owned())
    );
    assert!(c.has_capability("permission-offline"));
    assert!(c.login_endpoint().unwrap().ends_with("/auth"));
}

#[tokio::test]
async fn pkce_login_through_the_loopback_redirect() {
    let server = OidcServer::start(300);
    let prompt = TestPrompt::new(Behaviour::Browser);
    let (_, tokens) = login(&server, &prompt).await;
    assert_eq!(tokens.kind, TokenKind::User);
    assert!(
        tokens.refresh_token.is_some(),
        "offline_access gives a refresh token"
    );
    assert!(
        tokens.scopes.iter().any(|s| s == "user/*.rs"),
        "{:?}",
        tokens.scopes
    );
    assert_eq!(tokens.patient.as_deref(), Some("rounds-test-patient-1"));
    assert_eq!(tokens.fhir_base, server.fhir_base());
    let who = tokens.identity.clone().unwrap();
    assert!(
        who.verified,
        "the id_token is checked against the server's keys"
    );
    assert_eq!(who.sub.as_deref(), Some("dr-test"));
    assert_eq!(
        who.fhir_user,
        Some(format!("{}/Practitioner/dr-test", server.fhir_base()))
    );
    let remaining = tokens.expires_at.unwrap() - tokens.issued_at;
    assert!((290..=300).contains(&remaining.num_seconds()));
    // The browser was told it may close the tab; no manual instructions were needed.
    let pages = prompt.pages(1).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].0, 200);
    assert!(pages[0].1.contains("close this tab"), "{}", pages[0].1);
    assert!(prompt.shown.lock().unwrap().is_empty());
    assert!(server.accepts(tokens.access_token.expose()).await);
}

#[tokio::test]
async fn over_ssh_the_pasted_redirect_signs_in() {
    let server = OidcServer::start(300);
    let prompt = TestPrompt::new(Behaviour::Paste);
    let config = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    let mut req = request(BrowserMode::Auto);
    req.environment.ssh = Some(SshSession {
        user: Some("clin".into()),
        host: Some("10.0.0.5".into()),
    });
    let tokens = smart::login(&http(), &config, &req, &prompt).await.unwrap();
    assert!(tokens.refresh_token.is_some());
    let shown = prompt.shown.lock().unwrap().clone();
    assert_eq!(
        shown.len(),
        1,
        "over SSH the URL is shown, no browser opened"
    );
    let port = shown[0].port;
    assert_eq!(
        shown[0].ssh_hint.as_deref(),
        Some(format!("ssh -L {port}:127.0.0.1:{port} clin@10.0.0.5").as_str())
    );
    assert!(
        shown[0]
            .authorization_url
            .contains("code_challenge_method=S256")
    );
    assert!(shown[0].lines().join("\n").contains("ssh -L"));
    // The wrong paste before the right one was answered, not fatal.
    let statuses = prompt.statuses.lock().unwrap().clone();
    assert!(
        statuses.iter().any(|s| s.contains("address bar")),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_redirect_with_another_state_is_rejected() {
    let server = OidcServer::start(300);
    let prompt = TestPrompt::new(Behaviour::TamperedState);
    let config = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    let err = smart::login(&http(), &config, &request(BrowserMode::Open), &prompt)
        .await
        .unwrap_err();
    assert_eq!(err, AuthError::StateMismatch);
    assert!(err.to_string().contains("start the login again"));
    let pages = prompt.pages(1).await;
    assert_eq!(pages[0].0, 400);
    assert!(pages[0].1.contains("could not sign in"), "{}", pages[0].1);
}

#[tokio::test]
async fn a_denied_login_says_so_and_silence_times_out() {
    let server = OidcServer::start(300);
    let config = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    let mut prompt = TestPrompt::new(Behaviour::Browser);
    prompt.consent = Consent::Deny;
    let err = smart::login(&http(), &config, &request(BrowserMode::Open), &prompt)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuthError::Denied { error, .. } if error == "access_denied"),
        "{err:?}"
    );
    let silent = TestPrompt::new(Behaviour::Silent);
    let mut req = request(BrowserMode::Manual);
    req.timeout = Duration::from_millis(300);
    let err = smart::login(&http(), &config, &req, &silent)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::TimedOut(_)), "{err:?}");
    assert!(err.needs_login());
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token_and_persists_it_first() {
    let server = OidcServer::start(300);
    let (_, tokens) = login(&server, &TestPrompt::new(Behaviour::Browser)).await;
    let old_rt = tokens.refresh_token.clone().unwrap();
    let old_at = tokens.access_token.clone();
    let (persist, saved) = recorder();
    let session = SmartSession::new(http(), tokens, Some(persist));
    session.renew_now().await.unwrap();
    let now = session.tokens().await;
    let new_rt = now.refresh_token.clone().unwrap();
    assert_ne!(new_rt, old_rt, "the server rotated the refresh token");
    assert_ne!(now.access_token, old_at);
    assert!(now.identity.is_some(), "who signed in survives a refresh");
    let saved = saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].refresh_token.as_ref(), Some(&new_rt));
    assert_eq!(session.renewals(), 1);
    // The new one works; the old one is refused (and using it is reuse the server punishes,
    // which is why the session never sends it again).
    assert_eq!(
        server.try_refresh(old_rt.expose()).await.as_deref(),
        Some("invalid_grant")
    );
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_ahead_once_for_many_requests() {
    let server = OidcServer::start(4);
    let (_, tokens) = login(&server, &TestPrompt::new(Behaviour::Browser)).await;
    let (persist, saved) = recorder();
    let session = Arc::new(SmartSession::new(http(), tokens, Some(persist)));
    let first = session.access_token().await.unwrap();
    assert_eq!(session.renewals(), 0);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    // Half of the 4 s lifetime has passed: eight concurrent requests, one refresh.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = session.clone();
            tokio::spawn(async move { s.access_token().await.unwrap() })
        })
        .collect();
    let mut seen = Vec::new();
    for t in tasks {
        seen.push(t.await.unwrap());
    }
    assert!(seen.iter().all(|t| *t == seen[0]));
    assert_ne!(seen[0], first, "refreshed ahead of expiry");
    assert!(
        server.accepts(first.expose()).await,
        "the old access token had not expired yet"
    );
    assert_eq!(session.renewals(), 1);
    assert_eq!(saved.lock().unwrap().len(), 1);
    assert_eq!(server.stats().await["refresh_token"], 1, "single flight");
    assert_eq!(server.stats().await["grant_errors"], 0);
}

#[tokio::test]
async fn a_revoked_refresh_token_means_sign_in_again() {
    let server = OidcServer::start(2);
    let (_, tokens) = login(&server, &TestPrompt::new(Behaviour::Browser)).await;
    server
        .revoke(
            tokens.refresh_token.as_ref().unwrap().expose(),
            "refresh_token",
        )
        .await;
    let (persist, saved) = recorder();
    let session = Arc::new(SmartSession::new(http(), tokens, Some(persist)));
    let err = session.renew_now().await.unwrap_err();
    assert_eq!(err, AuthError::SignInAgain);
    assert_eq!(
        err.to_string(),
        "the login has expired or was revoked: sign in again"
    );
    assert!(
        session.tokens().await.refresh_token.is_none(),
        "never sent again"
    );
    assert!(
        saved.lock().unwrap()[0].refresh_token.is_none(),
        "the store forgets it"
    );
    // Once the access token has expired too, the FHIR client gets "log in again".
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let client = fhir_client(&server, &session);
    let err = client.read("Patient", "example").await.unwrap_err();
    assert_eq!(err, FhirError::Unauthorized);
    assert!(err.needs_login());
}

#[tokio::test]
async fn the_fhir_client_renews_once_after_a_401() {
    let server = OidcServer::start(300);
    let (_, tokens) = login(&server, &TestPrompt::new(Behaviour::Browser)).await;
    let session = Arc::new(SmartSession::new(http(), tokens, None));
    let client = fhir_client(&server, &session);
    let patient = client.read("Patient", "example").await.unwrap();
    assert_eq!(patient["id"], "example");
    // The server forgets the access token (a resource server's cache lost): 401, one
    // refresh, the same request again with the new token.
    let at = session.tokens().await.access_token;
    server.forget_access_token(at.expose()).await;
    let before = client.stats().round_trips;
    let patient = client.read("Patient", "example").await.unwrap();
    assert_eq!(patient["id"], "example");
    assert_eq!(session.renewals(), 1);
    assert_eq!(client.stats().round_trips - before, 2);
    assert_ne!(session.tokens().await.access_token, at);
}

async fn backend(alg: SigningAlg, key: &str, client_id: &str) {
    let server = OidcServer::start(300);
    let config = smart::discover(&http(), &server.fhir_base()).await.unwrap();
    let mut bc = BackendConfig::new(&config, client_id, server.backend_key(key));
    bc.kid = Some(format!("rounds-test-{key}"));
    let client = BackendClient::load(bc.clone()).unwrap();
    assert_eq!(client.alg(), alg);
    let tokens = client.request_token(&http()).await.unwrap();
    assert_eq!(tokens.kind, TokenKind::Backend);
    assert!(tokens.refresh_token.is_none());
    assert!(tokens.identity.is_none(), "not tied to one user");
    assert_eq!(tokens.scopes, vec!["system/*.rs".to_owned()]);
    let session = Arc::new(SmartSession::backend(http(), client, tokens, None));
    assert_eq!(session.kind(), TokenKind::Backend);
    let fhir = fhir_client(&server, &session);
    assert_eq!(
        fhir.read("Patient", "example").await.unwrap()["id"],
        "example"
    );
    // A renewal is a new grant with a new assertion (a new jti), not a refresh.
    session.renew_now().await.unwrap();
    assert_eq!(server.stats().await["client_credentials"], 2);
    // The other algorithm's key is not this client's: refused as the client's identity.
    let other = if key == "rs384" { "es384" } else { "rs384" };
    let mut wrong = bc;
    wrong.key_path = server.backend_key(other);
    wrong.alg = None;
    let err = BackendClient::load(wrong)
        .unwrap()
        .request_token(&http())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::ClientRejected { .. }), "{err:?}");
}

#[tokio::test]
async fn backend_services_with_an_rs384_key() {
    backend(SigningAlg::RS384, "rs384", "rounds-backend-rs384").await;
}

#[tokio::test]
async fn backend_services_with_an_es384_key() {
    backend(SigningAlg::ES384, "es384", "rounds-backend-es384").await;
}

#[path = "smart_auth/offline.rs"]
mod offline;
#[path = "smart_auth/secrets.rs"]
mod secrets;
