//! SMART and backend-services sign-in through the real `rounds` binary, against the real
//! oidc-provider test server (tools/oidc-server, one per test) and a real secret store (a
//! gnome-keyring in a private D-Bus session, or a fresh kernel keyutils session keyring):
//! the browser step scripted through `ROUNDS_BROWSER`, the pasted redirect over SSH with
//! `--no-browser`, backend services with the test RS384 key, a data command and
//! `auth status` on the stored tokens, a revoked refresh token (exit 4, sign in again),
//! and no token, code or key in any output or in the config directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "smart_auth/harness.rs"]
mod harness;
#[path = "smart_cli/shell.rs"]
mod shell;

use std::time::Duration;

use common::keyring::{expect, rc};
use harness::{CLIENT_ID, Consent, OidcServer, ScriptedBrowser, deliver};
use shell::{Session, Store};

/// The scopes the CLI tests ask for (launch/patient: the server then names a patient).
const SCOPES: &str = "openid fhirUser offline_access user/*.rs launch/patient";

/// Log in with `ROUNDS_BROWSER` pointing at a script that hands the URL to the test, which
/// signs in with the scripted browser and lets the redirect reach the loopback listener.
/// Then the script's `after` steps run against the stored sign-in.
async fn browser_login(server: &OidcServer, store: Store, after: &str) -> (Session, String) {
    let mut session = Session::new(server);
    let login = format!(
        "$ROUNDS login --profile p --server \"$FHIR\" --auth smart --client-id {CLIENT_ID} \
         --scopes '{SCOPES}' --store {}; echo \"login rc=$?\"\n{after}",
        store.name()
    );
    let child = session.spawn(store, &login, &[]);
    let url = session.wait_for_url().await;
    let callback = ScriptedBrowser::new(Consent::Allow).sign_in(&url).await;
    session.codes.push(shell::query_param(&callback, "code"));
    let (status, page) = deliver(&callback).await;
    assert_eq!(status, 200, "{page}");
    let text = session.finish(child).await;
    (session, text)
}

#[tokio::test]
async fn smart_login_with_a_scripted_browser_lives_in_the_keyring_and_reads_a_chart() {
    let server = OidcServer::start(300);
    let after = "$ROUNDS --profile p auth status; echo \"status rc=$?\"\n\
        $ROUNDS --profile p auth status --json; echo \"json rc=$?\"\n\
        $ROUNDS --profile p chart rounds-test-patient-1 --section banner; echo \"chart rc=$?\"\n\
        secret-tool lookup service rounds username profile:p:smart-tokens > \"$WORK/blob\"\n\
        $ROUNDS --profile p logout; echo \"logout rc=$?\"\n\
        $ROUNDS --profile p auth status; echo \"gone rc=$?\"";
    let (session, text) = browser_login(&server, Store::Keyring, after).await;
    expect(
        &text,
        &[
            ("login", 0),
            ("status", 0),
            ("json", 0),
            ("chart", 0),
            ("logout", 0),
            ("gone", 4),
        ],
        &[
            "Opening a browser to sign in",
            "Signed in to",
            "Signed in as: http://127.0.0.1:",
            "/fhir/Practitioner/dr-test\n",
            "Granted scopes: ",
            "user/*.rs",
            "(renewed with the refresh token when needed)",
            "The sign-in tokens are kept in the OS keyring (Secret Service)",
            "signed in as    http://127.0.0.1:",
            "refresh token   held",
            "/fhir/Practitioner/dr-test\",",
            "\"refresh_token\": true",
            "entry 'profile:p:smart-tokens'",
            "SYNTHETIC, Test",
            "The server revoked the sign-in.",
            "Removed the smart-tokens of profile 'p'",
        ],
    );
    let blob = session.read_work("blob");
    let tokens: serde_json::Value = serde_json::from_str(&blob).unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(tokens["kind"], "user");
    // Logout revoked the grant at the server.
    assert!(!server.accepts(&access).await);
    assert_eq!(
        server.try_refresh(&refresh).await.as_deref(),
        Some("invalid_grant")
    );
    session.assert_no_secrets(&[&access, &refresh, &blob]);
}

#[tokio::test]
async fn over_ssh_the_printed_address_and_a_pasted_redirect_sign_in() {
    let server = OidcServer::start(300);
    let mut session = Session::new(&server);
    let port = shell::free_port();
    let script = format!(
        "$ROUNDS login --profile p --server \"$FHIR\" --auth smart --client-id {CLIENT_ID} \
         --scopes '{SCOPES}' --store keyutils --no-browser --port {port}; echo \"login rc=$?\"\n\
         $ROUNDS --profile p auth status </dev/null; echo \"status rc=$?\""
    );
    let ssh = [
        ("SSH_CONNECTION", "10.0.0.9 50022 10.0.0.5 22"),
        ("USER", "clin"),
    ];
    let mut child = session.spawn(Store::Keyutils, &script, &ssh);
    let url = session.wait_for_url().await;
    let stderr = session.stderr_so_far();
    assert!(
        stderr.contains(&format!("ssh -L {port}:127.0.0.1:{port} clin@10.0.0.5")),
        "{stderr}"
    );
    assert!(stderr.contains("paste it here"), "{stderr}");
    let callback = ScriptedBrowser::new(Consent::Allow).sign_in(&url).await;
    assert!(callback.starts_with(&format!("http://127.0.0.1:{port}/callback?")));
    session.codes.push(shell::query_param(&callback, "code"));
    // The redirect is not followed: its address is pasted, after a line of junk.
    session.paste(&mut child, &format!("not an address\n{callback}\n"));
    let text = session.finish(child).await;
    expect(
        &text,
        &[("login", 0), ("status", 0)],
        &[
            "Open this address in a browser to sign in:",
            "code_challenge_method=S256",
            "Signed in as: http://127.0.0.1:",
            "kernel keyutils session keyring",
            "refresh token   held",
        ],
    );
    assert!(
        !text.contains("Opening a browser"),
        "over SSH no browser is opened:\n{text}"
    );
    session.assert_no_secrets(&[]);
}

#[tokio::test]
async fn backend_services_sign_in_with_the_rs384_key_and_say_they_are_not_a_user() {
    let server = OidcServer::start(300);
    let mut session = Session::new(&server);
    let key = server.backend_key("rs384");
    let open_key = session.work.path().join("open-key.pem");
    std::fs::copy(&key, &open_key).unwrap();
    std::fs::set_permissions(
        &open_key,
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let script = format!(
        "$ROUNDS login --profile open --server \"$FHIR\" --auth backend \
         --client-id rounds-backend-rs384 --key '{open}' --store keyutils; echo \"open rc=$?\"\n\
         $ROUNDS login --profile b --server \"$FHIR\" --auth backend \
         --client-id rounds-backend-rs384 --key '{key}' --store keyutils; echo \"login rc=$?\"\n\
         $ROUNDS --profile b auth status; echo \"status rc=$?\"\n\
         $ROUNDS --profile b chart rounds-test-patient-1 --section banner; echo \"chart rc=$?\"\n\
         keyctl pipe $(keyctl search @s user rounds:profile:b:smart-tokens) > \"$WORK/blob\"",
        open = open_key.display(),
        key = key.display()
    );
    let child = session.spawn(Store::Keyutils, &script, &[]);
    let text = session.finish(child).await;
    expect(
        &text,
        &[("open", 2), ("login", 0), ("status", 0), ("chart", 0)],
        &[
            "may be read by other users (mode 644): run chmod 600",
            "Signed in as: backend services: not tied to one user (no per-user audit)",
            "Granted scopes: system/*.rs",
            "signed in as    backend services: not tied to one user (no per-user audit)",
            "sign-in         backend",
            "SYNTHETIC, Test",
        ],
    );
    let profiles = std::fs::read_to_string(session.config_dir().join("profiles.toml")).unwrap();
    assert!(profiles.contains("key = "), "{profiles}");
    assert!(!profiles.contains("[profile.open]"), "{profiles}");
    let pem = std::fs::read_to_string(&key).unwrap();
    let body = pem.lines().nth(1).unwrap().to_owned();
    let blob = session.read_work("blob");
    let tokens: serde_json::Value = serde_json::from_str(&blob).unwrap();
    assert_eq!(tokens["kind"], "backend");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    session.assert_no_secrets(&[&body, &access, &blob]);
}

#[tokio::test]
async fn a_revoked_refresh_token_and_an_expired_access_token_ask_to_sign_in_again() {
    // Access tokens live 3 seconds: the second chart runs with an expired one.
    let server = OidcServer::start(3);
    let after = "secret-tool lookup service rounds username profile:p:smart-tokens > \"$WORK/blob\"\n\
        touch \"$WORK/logged-in\"\n\
        while [ ! -f \"$WORK/go\" ]; do sleep 0.1; done\n\
        $ROUNDS --profile p chart rounds-test-patient-1 --section banner; echo \"revoked rc=$?\"\n\
        $ROUNDS --profile p chart rounds-test-patient-1 --section banner; echo \"again rc=$?\"\n\
        $ROUNDS --profile p auth status; echo \"status rc=$?\"";
    let mut session = Session::new(&server);
    let login = format!(
        "$ROUNDS login --profile p --server \"$FHIR\" --auth smart --client-id {CLIENT_ID} \
         --scopes '{SCOPES}' --store keyring; echo \"login rc=$?\"\n{after}"
    );
    let child = session.spawn(Store::Keyring, &login, &[]);
    let url = session.wait_for_url().await;
    let callback = ScriptedBrowser::new(Consent::Allow).sign_in(&url).await;
    session.codes.push(shell::query_param(&callback, "code"));
    deliver(&callback).await;
    session.wait_for_file("logged-in").await;
    let blob = session.read_work("blob");
    let tokens: serde_json::Value = serde_json::from_str(&blob).unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    server.revoke(&refresh, "refresh_token").await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    std::fs::write(session.work.path().join("go"), "").unwrap();
    let text = session.finish(child).await;
    expect(
        &text,
        &[("login", 0), ("revoked", 4), ("again", 4), ("status", 0)],
        &[
            "sign in again: rounds login --profile p",
            "the sign-in has expired and cannot be renewed (no refresh token): sign in again: \
             rounds login --profile p",
            "refresh token   none: sign in again when the access expires",
            "(expired)",
        ],
    );
    assert_eq!(rc(&text, "revoked"), 4);
    session.assert_no_secrets(&[&access, &refresh, &blob]);
}
