//! Signing in again from the interactive screen, end to end: the real `rounds` binary in a
//! private tmux server, logged in first with `rounds login --auth smart --store keyutils`
//! against the real oidc-provider test server (tools/oidc-server, one per test), then the
//! TUI started in the same kernel session keyring "over SSH" (`SSH_CONNECTION` set), so its
//! sign-in shows the authorization address and the `ssh -L` hint on screen. The test reads
//! the address off the screen, signs in with the scripted browser up to the redirect (not
//! followed), and types the redirect into the TUI, as a user pastes it.
//!
//! Covered: the lock (Ctrl-L) and Enter on the lock screen; a 401 that the refresh token
//! cannot fix (the grant revoked) and the "Signed out" notice; Esc during the sign-in; and
//! that the authorization code never shows on screen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "smart_auth/harness.rs"]
mod harness;
#[path = "smart_cli/shell.rs"]
mod shell;

use std::ops::Deref;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::tmux::{TmuxPane, sh_quote};

use harness::{CLIENT_ID, Consent, OidcServer, ScriptedBrowser, deliver};

/// The scopes of the first login (as tests/smart_cli.rs): the profile keeps them, and the
/// TUI's sign-in asks for them again.
const SCOPES: &str = "openid fhirUser offline_access user/*.rs launch/patient";
/// The Patient the oidc server's FHIR side serves (any id answers; this is the one its
/// token response names).
const PATIENT: &str = "rounds-test-patient-1";
/// The banner of that Patient (it has a name and nothing else).
const BANNER: &str = "SYNTHETIC, Test";
/// The SSH session the TUI believes it runs in.
const SSH_CONNECTION: &str = "10.0.0.9 50022 10.0.0.5 22";
const WIDTH: usize = 80;
/// How long to wait for the screen (a login round trip included).
const TIMEOUT: Duration = Duration::from_secs(20);

/// Fail (never skip) without the tools.
fn require_tools() {
    for (tool, arg) in [("tmux", "-V"), ("keyctl", "--version")] {
        let ok = Command::new(tool)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "'{tool}' was not found: these tests need tmux and keyutils (Debian/Ubuntu: \
             apt-get install -y --no-install-recommends tmux keyutils); scripts/test installs them"
        );
    }
}

/// One test's tmux server, whose only pane runs, in a fresh kernel session keyring,
/// `rounds login` (SMART, keyutils) and then the TUI. Killed when dropped.
struct Pane {
    pane: TmuxPane,
    work: tempfile::TempDir,
}

impl Deref for Pane {
    type Target = TmuxPane;
    fn deref(&self) -> &TmuxPane {
        &self.pane
    }
}

impl Pane {
    fn start(name: &str, server: &OidcServer) -> Pane {
        require_tools();
        let work = shell::browser_folder();
        let browser = work.path().join("browser.sh");
        let vars = [
            ("ROUNDS", env!("CARGO_BIN_EXE_rounds").to_owned()),
            ("ROUNDS_TODAY", "2026-11-22".to_owned()),
            (
                "ROUNDS_CONFIG_DIR",
                work.path().join("config").display().to_string(),
            ),
            ("ROUNDS_CACHE_DIR", String::new()),
            ("ROUNDS_BROWSER", browser.display().to_string()),
            ("FHIR", server.fhir_base()),
            ("WORK", work.path().display().to_string()),
            ("XDG_RUNTIME_DIR", work.path().display().to_string()),
        ];
        let mut script = String::from(
            "unset ROUNDS_SERVER ROUNDS_PROFILE ROUNDS_TOKEN NO_COLOR SSH_CONNECTION DISPLAY \
             WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS\n",
        );
        for (k, v) in &vars {
            script.push_str(&format!("export {k}={}\n", sh_quote(v)));
        }
        // In the session keyring: log in with the CLI (the browser scripted), keep a copy of
        // the stored tokens for the test, then the TUI "over SSH", its browser unset.
        let inner = format!(
            "\"$ROUNDS\" login --profile p --server \"$FHIR\" --auth smart --client-id {CLIENT_ID} \
             --scopes '{SCOPES}' --store keyutils; echo \"login rc=$?\"\n\
             keyctl pipe $(keyctl search @s user rounds:profile:p:smart-tokens) > \"$WORK/blob.tmp\" \
             && mv \"$WORK/blob.tmp\" \"$WORK/blob\"\n\
             clear\n\
             env -u ROUNDS_BROWSER SSH_CONNECTION='{SSH_CONNECTION}' USER=clin \
             \"$ROUNDS\" --profile p --patient {PATIENT}; echo \"EXITED:$?\"\n"
        );
        script.push_str(&format!(
            "keyctl session - sh -c {}; sleep 60\n",
            sh_quote(&inner)
        ));
        let size = (u16::try_from(WIDTH).unwrap(), 24);
        Pane {
            pane: TmuxPane::start("rounds-signin", name, size, &script, TIMEOUT),
            work,
        }
    }

    fn wait_file(&self, name: &str) -> String {
        let path = self.work.path().join(name);
        self.wait_until(&format!("the file '{name}'"), |_| path.exists());
        std::fs::read_to_string(path).unwrap()
    }

    /// The first login, with the CLI: the scripted browser signs in and its redirect
    /// reaches the loopback listener. Returns the stored tokens once the TUI shows the chart.
    async fn log_in_then_chart(&self) -> serde_json::Value {
        let url = self.wait_file("url").trim().to_owned();
        let callback = ScriptedBrowser::new(Consent::Allow).sign_in(&url).await;
        let (status, page) = deliver(&callback).await;
        assert_eq!(status, 200, "{page}");
        let blob = self.wait_file("blob");
        self.wait_for(&[BANNER]);
        serde_json::from_str(&blob).unwrap()
    }

    /// Finish a sign-in the TUI shows: read the address and the hint off the screen, sign
    /// in with the scripted browser up to the redirect, and type the redirect in. Returns
    /// the authorization code.
    async fn sign_in_by_paste(&self) -> String {
        let screen = self.wait_for(&["Paste the address here:", "ssh -L "]);
        let url = authorization_url(&screen);
        assert!(
            url.contains("code_challenge_method=S256"),
            "{url}\n{screen}"
        );
        let port = url::Url::parse(&shell::query_param(&url, "redirect_uri"))
            .unwrap()
            .port()
            .unwrap();
        assert!(
            screen.contains(&format!("ssh -L {port}:127.0.0.1:{port} clin@10.0.0.5")),
            "no ssh -L hint for port {port}:\n{screen}"
        );
        let callback = ScriptedBrowser::new(Consent::Allow).sign_in(&url).await;
        assert!(
            callback.starts_with(&format!("http://127.0.0.1:{port}/callback?")),
            "{callback}"
        );
        let code = shell::query_param(&callback, "code");
        self.type_text(&callback);
        let dots = "•".repeat(40);
        self.wait_for(&[&format!("Paste the address here: {dots}")]);
        self.keys(&["Enter"]);
        code
    }

    /// Nothing read off the screen ever held `secret`.
    fn assert_never_shown(&self, secret: &str) {
        assert!(secret.len() >= 8, "{secret}");
        for s in self.seen().iter() {
            assert!(!s.contains(secret), "the screen showed a secret:\n{s}");
        }
    }
}

/// The authorization address on screen: its first line starts with the address, and it
/// goes on over whole-width lines (the sign-in box has no side borders, so the lines hold
/// nothing but the address).
fn authorization_url(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address on the screen:\n{screen}"));
    let mut url = String::new();
    for (i, line) in lines[start..].iter().enumerate() {
        if i > 0 && line.contains(' ') {
            break;
        }
        url.push_str(line.trim());
        if line.chars().count() < WIDTH {
            break;
        }
    }
    assert!(url.contains("/auth?"), "{url}\n{screen}");
    url
}

#[tokio::test]
async fn locked_then_signed_in_again_over_ssh_with_the_redirect_typed_in() {
    let server = OidcServer::start(300);
    let pane = Pane::start("lock", &server);
    let tokens = pane.log_in_then_chart().await;
    assert_eq!(tokens["kind"], "user");

    pane.keys(&["C-l"]);
    let locked = pane.wait_for(&["LOCKED", "Enter: sign in again and resume"]);
    assert!(
        !locked.contains(BANNER),
        "the patient is still shown:\n{locked}"
    );
    assert!(!locked.contains("Synthetic"), "{locked}");

    pane.keys(&["Enter"]);
    let code = pane.sign_in_by_paste().await;
    let back = pane.wait_for(&[BANNER, "Unlocked"]);
    assert!(!back.contains("LOCKED"), "{back}");
    pane.assert_never_shown(&code);
    pane.assert_never_shown(tokens["access_token"].as_str().unwrap());
    // The new sign-in was stored (the old grant's tokens replaced).
    assert_eq!(server.stats().await["authorization_code"], 2);
}

#[tokio::test]
async fn signed_out_by_the_server_then_signed_in_again_and_what_failed_reloads() {
    let server = OidcServer::start(300);
    let pane = Pane::start("signed-out", &server);
    let tokens = pane.log_in_then_chart().await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    // The server forgets the access token, and the refresh token is revoked (with its
    // grant): the silent refresh cannot help.
    server.forget_access_token(access).await;
    server.revoke(refresh, "refresh_token").await;
    assert_eq!(
        server.try_refresh(refresh).await.as_deref(),
        Some("invalid_grant")
    );

    // Open the chart again: its requests get 401.
    pane.keys(&[":"]);
    pane.type_text(&format!("patient {PATIENT}"));
    pane.keys(&["Enter"]);
    let notice = pane.wait_for(&["Signed out", "Enter: sign in again"]);
    assert!(!notice.contains("LOCKED"), "{notice}");

    pane.keys(&["Enter"]);
    let code = pane.sign_in_by_paste().await;
    let back = pane.wait_for(&[BANNER, "Signed in again"]);
    assert!(!back.contains("Signed out"), "{back}");
    pane.assert_never_shown(&code);
    pane.assert_never_shown(access);
    pane.assert_never_shown(refresh);
    let stats = server.stats().await;
    assert_eq!(stats["authorization_code"], 2, "{stats}");
}

#[tokio::test]
async fn esc_during_the_sign_in_goes_back_to_the_lock_screen() {
    let server = OidcServer::start(300);
    let pane = Pane::start("esc", &server);
    pane.log_in_then_chart().await;
    pane.keys(&[":"]);
    pane.type_text("lock");
    pane.keys(&["Enter"]);
    pane.wait_for(&["LOCKED", "Enter: sign in again and resume"]);
    pane.keys(&["Enter"]);
    pane.wait_for(&["Paste the address here:", "Esc: cancel"]);
    pane.keys(&["Escape"]);
    let cancelled = pane.wait_for(&["LOCKED", "Sign-in cancelled"]);
    assert!(!cancelled.contains("Paste the address"), "{cancelled}");
    assert!(!cancelled.contains(BANNER), "{cancelled}");
    // Enter asks again, and a new sign-in (a new address) works.
    pane.keys(&["Enter"]);
    let code = pane.sign_in_by_paste().await;
    pane.wait_for(&[BANNER, "Unlocked"]);
    pane.assert_never_shown(&code);
}
