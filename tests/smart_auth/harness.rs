//! The test side of the login tests: a private instance of the oidc-provider test server
//! (scripts/oidc-server) per test, a scripted "browser" (reqwest with a cookie store) that
//! signs in through its HTML forms, and a `LoginPrompt` that drives that browser.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use rounds::auth::smart::{LoginPrompt, ManualLogin};
use serde_json::Value;
use tokio::sync::mpsc;

pub const USER: &str = "dr-test";
pub const PASSWORD: &str = "synthetic-password-1";
pub const CLIENT_ID: &str = "rounds-test";

/// One oidc-provider test server, stopped when dropped (and by itself if this test process
/// dies: it watches our pid).
pub struct OidcServer {
    state: tempfile::TempDir,
    pub issuer: String,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn require(tool: &str) {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        panic!(
            "'{tool}' was not found: the SMART login tests need node (20 or later) and npm for \
             their authorization server; install them (Debian/Ubuntu: apt-get install nodejs npm), \
             then run scripts/oidc-server install"
        );
    }
}

impl OidcServer {
    /// A server whose access tokens live `access_ttl` seconds.
    pub fn start(access_ttl: u64) -> OidcServer {
        require("node");
        require("npm");
        let state = tempfile::Builder::new()
            .prefix("rounds-oidc-")
            .tempdir()
            .unwrap();
        let out = Command::new(repo().join("scripts/oidc-server"))
            .arg("start")
            .env("OIDC_PORT", "0")
            .env("OIDC_STATE_DIR", state.path())
            .env("OIDC_ACCESS_TTL", access_ttl.to_string())
            .env("OIDC_WATCH_PID", std::process::id().to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/oidc-server start failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let issuer = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
        OidcServer { state, issuer }
    }

    pub fn fhir_base(&self) -> String {
        format!("{}/fhir", self.issuer)
    }

    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.issuer)
    }

    /// The test-only private key the server registered for a backend client.
    pub fn backend_key(&self, alg: &str) -> PathBuf {
        self.state.path().join(format!("backend-{alg}.pem"))
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// Grants counted by the server: `authorization_code`, `refresh_token`, ...
    pub async fn stats(&self) -> Value {
        let body = reqwest::get(format!("{}/test/stats", self.issuer))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Revoke a token at the server (RFC 7009), as the public client. oidc-provider then
    /// revokes every token of the grant.
    pub async fn revoke(&self, token: &str, hint: &str) {
        let resp = reqwest::Client::new()
            .post(format!("{}/token/revocation", self.issuer))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("token", token),
                ("token_type_hint", hint),
                ("client_id", CLIENT_ID),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
    }

    /// Make the server forget one access token, keeping the rest of the grant.
    pub async fn forget_access_token(&self, token: &str) {
        let resp = reqwest::Client::new()
            .post(format!("{}/test/forget-access-token", self.issuer))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("token", token)]))
            .send()
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(body["forgotten"], true);
    }

    /// Use a refresh token directly at the token endpoint: the OAuth error code, or `None`
    /// when the server accepted it.
    pub async fn try_refresh(&self, refresh_token: &str) -> Option<String> {
        let resp = reqwest::Client::new()
            .post(self.token_endpoint())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
                ("client_id", CLIENT_ID),
            ]))
            .send()
            .await
            .unwrap();
        let ok = resp.status().is_success();
        let body: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        if ok {
            None
        } else {
            Some(body["error"].as_str().unwrap_or("?").to_owned())
        }
    }

    /// Whether the FHIR side accepts `access_token`.
    pub async fn accepts(&self, access_token: &str) -> bool {
        reqwest::Client::new()
            .get(format!("{}/Patient/example", self.fhir_base()))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    }
}

impl Drop for OidcServer {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/oidc-server"))
            .arg("stop")
            .env("OIDC_STATE_DIR", self.state.path())
            .output();
    }
}

/// What the scripted browser does at the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Allow,
    Deny,
}

/// A "browser": follows redirects by hand, fills the login form, answers the consent form,
/// and stops at the redirect to the loopback callback.
pub struct ScriptedBrowser {
    http: reqwest::Client,
    pub consent: Consent,
}

/// An urlencoded form body (the test reqwest has no `form` feature).
fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn form_action(html: &str) -> Option<String> {
    let start = html.find("<form method=\"post\" action=\"")? + 28;
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

impl ScriptedBrowser {
    pub fn new(consent: Consent) -> ScriptedBrowser {
        ScriptedBrowser {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            consent,
        }
    }

    /// Sign in from the authorization URL; returns the redirect URL to the loopback
    /// listener without following it.
    pub async fn sign_in(&self, authorization_url: &str) -> String {
        let mut url = url::Url::parse(authorization_url).unwrap();
        let mut resp = self.http.get(url.clone()).send().await.unwrap();
        for _ in 0..20 {
            if resp.status().is_redirection() {
                let location = resp.headers()["location"].to_str().unwrap().to_owned();
                url = url.join(&location).unwrap();
                if url.path() == "/callback" {
                    return url.to_string();
                }
                resp = self.http.get(url.clone()).send().await.unwrap();
                continue;
            }
            let status = resp.status();
            let html = resp.text().await.unwrap();
            assert!(status.is_success(), "HTTP {status} at {url}: {html}");
            let action = form_action(&html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
            let post = if html.contains("name=\"password\"") {
                url = url.join(&action).unwrap();
                self.http
                    .post(url.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form(&[("username", USER), ("password", PASSWORD)]))
            } else {
                let target = match self.consent {
                    Consent::Allow => action,
                    Consent::Deny => action.replace("/confirm", "/abort"),
                };
                url = url.join(&target).unwrap();
                self.http
                    .post(url.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form(&[("x", "")]))
            };
            resp = post.send().await.unwrap();
        }
        panic!("the sign-in did not reach the callback");
    }
}

/// GET the loopback callback as the browser would; returns the status and page.
pub async fn deliver(callback: &str) -> (u16, String) {
    let resp = reqwest::get(callback).await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// How the test prompt behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// The browser signs in and its redirect reaches the loopback listener.
    Browser,
    /// The browser signs in, then its redirect is tampered with (another state).
    TamperedState,
    /// The user copies the final address and pastes it.
    Paste,
    /// Nobody ever answers.
    Silent,
}

/// A `LoginPrompt` that runs the scripted browser, and records what it was shown.
pub struct TestPrompt {
    pub behaviour: Behaviour,
    pub consent: Consent,
    pub shown: Mutex<Vec<ManualLogin>>,
    pub statuses: Mutex<Vec<String>>,
    /// Callback URLs (they hold the authorization code), to check they leak nowhere.
    pub callbacks: Arc<Mutex<Vec<String>>>,
    /// Loopback pages the browser got.
    pub pages: Arc<Mutex<Vec<(u16, String)>>>,
    paste_tx: mpsc::UnboundedSender<String>,
    paste_rx: tokio::sync::Mutex<mpsc::UnboundedReceiver<String>>,
}

impl TestPrompt {
    /// The loopback pages the browser got, once it has got `n` (the login may end just
    /// before the browser has read its page).
    pub async fn pages(&self, n: usize) -> Vec<(u16, String)> {
        for _ in 0..100 {
            let pages = self.pages.lock().unwrap().clone();
            if pages.len() >= n {
                return pages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the browser never got its page");
    }

    pub fn new(behaviour: Behaviour) -> TestPrompt {
        let (paste_tx, paste_rx) = mpsc::unbounded_channel();
        TestPrompt {
            behaviour,
            consent: Consent::Allow,
            shown: Mutex::new(Vec::new()),
            statuses: Mutex::new(Vec::new()),
            callbacks: Arc::new(Mutex::new(Vec::new())),
            pages: Arc::new(Mutex::new(Vec::new())),
            paste_tx,
            paste_rx: tokio::sync::Mutex::new(paste_rx),
        }
    }

    fn run_browser(&self, url: String) {
        let behaviour = self.behaviour;
        let browser = ScriptedBrowser::new(self.consent);
        let callbacks = self.callbacks.clone();
        let pages = self.pages.clone();
        let paste = self.paste_tx.clone();
        tokio::spawn(async move {
            let mut callback = browser.sign_in(&url).await;
            callbacks.lock().unwrap().push(callback.clone());
            match behaviour {
                Behaviour::Browser => {
                    let page = deliver(&callback).await;
                    pages.lock().unwrap().push(page);
                }
                Behaviour::TamperedState => {
                    let mut u = url::Url::parse(&callback).unwrap();
                    let pairs: Vec<(String, String)> = u
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if k == "state" {
                                format!("{v}x")
                            } else {
                                v.into_owned()
                            };
                            (k.into_owned(), v)
                        })
                        .collect();
                    u.query_pairs_mut().clear().extend_pairs(pairs);
                    callback = u.to_string();
                    let page = deliver(&callback).await;
                    pages.lock().unwrap().push(page);
                }
                Behaviour::Paste => {
                    // A wrong paste first: the login asks again instead of failing.
                    paste.send("not a url".into()).unwrap();
                    paste.send(callback).unwrap();
                }
                Behaviour::Silent => {}
            }
        });
    }
}

#[async_trait::async_trait]
impl LoginPrompt for TestPrompt {
    async fn open_browser(&self, url: &str) -> Result<(), String> {
        if self.behaviour != Behaviour::Silent {
            self.run_browser(url.to_owned());
        }
        Ok(())
    }

    fn show_manual(&self, login: &ManualLogin) {
        self.shown.lock().unwrap().push(login.clone());
        if self.behaviour != Behaviour::Silent {
            self.run_browser(login.authorization_url.clone());
        }
    }

    async fn read_redirect(&self) -> Option<String> {
        self.paste_rx.lock().await.recv().await
    }

    fn status(&self, message: &str) {
        self.statuses.lock().unwrap().push(message.to_owned());
    }
}
