//! Signing in again through the worker and a remote source, without a browser: a source
//! whose server accepts only the new token, a `SignIn` that asks the prompt and reads the
//! pasted redirect, and the worker relaying the instructions to the app and the paste back.
//! Also: a cancelled sign-in stops the login.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rounds::app::{Command, RequestId, Response, ResponseResult};
use rounds::auth::smart::{LoginPrompt, ManualLogin};
use rounds::fhir::{ClientConfig, Credentials, FhirClient, PatientQuery, Secret};
use rounds::source::{DataSource, RemoteSource, SignIn};
use rounds::worker::Worker;
use tokio::sync::mpsc;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASTED: &str = "http://127.0.0.1:5555/callback?code=c&state=s";

/// Shows instructions, then waits for the pasted address; the new token if it is right.
struct PasteSignIn {
    dropped: Arc<AtomicBool>,
}

struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl SignIn for PasteSignIn {
    async fn sign_in_again(&self, prompt: &dyn LoginPrompt) -> Result<Credentials, String> {
        let _flag = DropFlag(self.dropped.clone());
        prompt.show_manual(&ManualLogin {
            authorization_url: "https://ehr.example/authorize?x=1".into(),
            port: 5555,
            ssh_hint: Some("ssh -L 5555:127.0.0.1:5555 user@host".into()),
        });
        loop {
            match prompt.read_redirect().await {
                Some(text) if text == PASTED => {
                    return Ok(Credentials::Bearer(Secret::new("new-token")));
                }
                Some(_) => prompt.status("That is not the address rounds waits for"),
                None => return Err("no address was pasted".into()),
            }
        }
    }

    fn interactive(&self) -> bool {
        true
    }
}

async fn server() -> MockServer {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(header("authorization", "Bearer new-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/fhir+json")
                .set_body_string(r#"{"resourceType":"Bundle","type":"searchset","entry":[]}"#),
        )
        .mount(&mock)
        .await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&mock)
        .await;
    mock
}

fn source(mock: &MockServer, dropped: Arc<AtomicBool>) -> Arc<dyn DataSource> {
    let mut config = ClientConfig::new(mock.uri());
    config.credentials = Credentials::Bearer(Secret::new("old-token"));
    config.capability_cache = None;
    let client = FhirClient::new(config).unwrap();
    Arc::new(RemoteSource::new(client).with_sign_in(Arc::new(PasteSignIn { dropped })))
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Response>) -> Response {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("no answer from the worker")
        .expect("the worker's channel closed")
}

fn query() -> PatientQuery {
    PatientQuery {
        family: Some("testwell".into()),
        ..PatientQuery::default()
    }
}

#[tokio::test]
async fn the_worker_relays_the_instructions_and_the_paste_and_the_new_token_is_used() {
    let mock = server().await;
    let dropped = Arc::new(AtomicBool::new(false));
    let source = source(&mock, dropped);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = Worker::new(source, tx);

    // The old token is refused: the search fails, and the app is told the session ended.
    worker.run(Command::Search {
        req: RequestId(1),
        query: query(),
        limit: 5,
    });
    let failed = next(&mut rx).await;
    assert!(
        matches!(&failed.result, ResponseResult::Search(Err(e))
            if e.needs_sign_in() && e.message.contains("log in again")),
        "{failed:?}"
    );

    worker.run(Command::SignIn { req: RequestId(2) });
    let prompt = next(&mut rx).await;
    assert_eq!(prompt.req, RequestId(2));
    let ResponseResult::SignInPrompt(lines) = &prompt.result else {
        panic!("expected instructions, got {prompt:?}");
    };
    assert!(
        lines
            .iter()
            .any(|l| l.contains("https://ehr.example/authorize?x=1"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ssh -L 5555:127.0.0.1:5555"))
    );

    worker.run(Command::PasteRedirect {
        text: "not it".into(),
    });
    let note = next(&mut rx).await;
    assert!(
        matches!(note.result, ResponseResult::SignInNote(_)),
        "{note:?}"
    );
    worker.run(Command::PasteRedirect {
        text: PASTED.into(),
    });
    let done = next(&mut rx).await;
    assert_eq!(done.req, RequestId(2));
    assert_eq!(done.result, ResponseResult::SignedIn(Ok(())));

    worker.run(Command::Search {
        req: RequestId(3),
        query: query(),
        limit: 5,
    });
    let ok = next(&mut rx).await;
    assert!(matches!(ok.result, ResponseResult::Search(Ok(_))), "{ok:?}");
}

#[tokio::test]
async fn a_cancelled_sign_in_stops_the_login_and_answers_nothing() {
    let mock = server().await;
    let dropped = Arc::new(AtomicBool::new(false));
    let source = source(&mock, dropped.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = Worker::new(source, tx);
    worker.run(Command::Unlock { req: RequestId(7) });
    let prompt = next(&mut rx).await;
    assert!(matches!(prompt.result, ResponseResult::SignInPrompt(_)));
    worker.run(Command::CancelSignIn);
    // The login's future is dropped (its guard says so); nothing more is sent.
    for _ in 0..200 {
        if dropped.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(dropped.load(Ordering::SeqCst), "the login was not stopped");
    worker.run(Command::PasteRedirect {
        text: PASTED.into(),
    });
    assert!(rx.try_recv().is_err(), "a cancelled sign-in answered");
}

#[tokio::test]
async fn sources_without_a_sign_in_succeed_at_once() {
    let demo = rounds::source::demo_source().unwrap();
    assert!(demo.reauthenticate(&rounds::source::NoPrompt).await.is_ok());
    let mock = MockServer::start().await;
    let open = RemoteSource::new(FhirClient::new(ClientConfig::new(mock.uri())).unwrap());
    assert!(open.reauthenticate(&rounds::source::NoPrompt).await.is_ok());
}
