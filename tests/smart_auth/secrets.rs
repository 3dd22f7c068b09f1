//! No secret in anything rounds shows: every access token, refresh token, authorization
//! code, client assertion and private key used in a full session is searched for in every
//! Debug and Display string the library produces along the way.

use std::sync::Arc;

use super::{fhir_client, http, login, recorder};
use crate::harness::{Behaviour, OidcServer, TestPrompt};
use rounds::auth::backend::{BackendClient, BackendConfig};
use rounds::auth::session::SmartSession;
use rounds::auth::smart::{self, BrowserMode};

#[tokio::test]
async fn no_secret_reaches_any_output() {
    let server = OidcServer::start(300);
    let mut secrets: Vec<String> = Vec::new();
    let mut shown: Vec<String> = Vec::new();

    // A login, a refresh, a FHIR read, a lost refresh token.
    let prompt = TestPrompt::new(Behaviour::Browser);
    let (config, tokens) = login(&server, &prompt).await;
    shown.push(format!("{config:?} {tokens:?}"));
    let (persist, saved) = recorder();
    let session = Arc::new(SmartSession::new(http(), tokens, Some(persist)));
    session.renew_now().await.unwrap();
    let client = fhir_client(&server, &session);
    client.read("Patient", "example").await.unwrap();
    shown.push(format!(
        "{session:?} {client:?} {:?}",
        session.credentials()
    ));
    server
        .revoke(
            session.tokens().await.refresh_token.unwrap().expose(),
            "refresh_token",
        )
        .await;
    let err = session.renew_now().await.unwrap_err();
    shown.push(format!(
        "{err} {err:?} {}",
        rounds::fhir::FhirError::from(err.clone())
    ));
    for t in saved.lock().unwrap().iter() {
        shown.push(format!("{t:?}"));
        secrets.push(t.access_token.expose().to_owned());
        secrets.extend(t.refresh_token.iter().map(|r| r.expose().to_owned()));
    }
    for cb in prompt.callbacks.lock().unwrap().iter() {
        let url = url::Url::parse(cb).unwrap();
        secrets.extend(
            url.query_pairs()
                .filter(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned()),
        );
    }
    for (_, page) in prompt.pages(1).await.iter() {
        shown.push(page.clone());
    }

    // A pasted login over SSH: the instructions and the corrections.
    let paste = TestPrompt::new(Behaviour::Paste);
    let mut req = super::request(BrowserMode::Manual);
    req.environment.ssh = None;
    let pasted = smart::login(&http(), &config, &req, &paste).await.unwrap();
    shown.push(format!("{pasted:?} {req:?}"));
    secrets.push(pasted.access_token.expose().to_owned());
    secrets.extend(pasted.refresh_token.iter().map(|r| r.expose().to_owned()));
    for m in paste.shown.lock().unwrap().iter() {
        shown.push(format!("{m:?}"));
        shown.extend(m.lines());
    }
    shown.extend(paste.statuses.lock().unwrap().iter().cloned());

    // Backend services: the assertion and the key.
    let bc = BackendConfig::new(&config, "rounds-backend-rs384", server.backend_key("rs384"));
    let backend = BackendClient::load(bc).unwrap();
    let assertion = backend.assertion().unwrap();
    let btokens = backend.request_token(&http()).await.unwrap();
    shown.push(format!("{backend:?} {assertion:?} {btokens:?}"));
    secrets.push(assertion.expose().to_owned());
    secrets.push(btokens.access_token.expose().to_owned());
    let pem = std::fs::read_to_string(server.backend_key("rs384")).unwrap();
    secrets.extend(
        pem.lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 20)
            .map(str::to_owned),
    );

    let output = shown.join("\n");
    assert!(secrets.len() >= 10, "{}", secrets.len());
    for s in &secrets {
        assert!(s.len() >= 16, "a secret this short would match by chance");
        assert!(
            !output.contains(s.as_str()),
            "a secret leaked into the output"
        );
    }
}
