//! `rounds login --auth smart` and `--auth backend`: discovery, then the SMART authorization
//! code login through the command line's `LoginPrompt` (a browser, or the printed address
//! and a pasted redirect over SSH), or a backend-services token from the profile's key.
//! The token set becomes one `SmartTokens` secret for `login.rs` to keep.
//!
//! Instructions go to stderr, never a token, code or key. It does not store anything
//! itself, and it reads the pasted address on a thread of its own that may be left behind
//! when the browser's redirect reaches the loopback listener first.

use std::ffi::OsString;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::CliError;
use super::args::Cli;
use super::auth_args::LoginArgs;
use super::exit::{AUTH, auth_error};
use super::login::SignedIn;
use crate::auth::backend::{BackendClient, BackendConfig};
use crate::auth::smart::{
    self, AuthHttp, BrowserMode, LoginPrompt, LoginRequest, ManualLogin, TokenSet,
    open_system_browser,
};
use crate::auth::store::SecretKind;
use crate::auth::stored_tokens::{describe_user, split_scopes, token_secret};
use crate::config::{AuthKind, Profile};
use crate::source::profile::profile_client_config;

/// The environment variable naming a program to open the sign-in address with (advanced:
/// a browser other than the desktop's, or a test's scripted browser).
pub const BROWSER_VAR: &str = "ROUNDS_BROWSER";

/// Sign in with SMART (as the user) or backend services; the token set to keep.
pub async fn smart_login(
    cli: &Cli,
    args: &LoginArgs,
    profile: &Profile,
) -> Result<SignedIn, CliError> {
    let client_id = profile
        .client_id
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| {
            CliError::usage(format!(
                "--auth {} needs --client-id ID: the client id registered with the EHR for rounds",
                profile.auth.name()
            ))
        })?;
    let http = auth_http(cli, profile)?;
    let tokens = if profile.auth == AuthKind::Backend {
        let key = profile.key.clone().ok_or_else(|| {
            CliError::usage("--auth backend needs --key PEM: the client's private key file")
        })?;
        check_key_file(&key)?;
        let server = smart::discover(&http, &profile.server)
            .await
            .map_err(auth_error)?;
        let mut config = BackendConfig::new(&server, client_id, key);
        if let Some(scopes) = &profile.scopes {
            config.scopes = split_scopes(scopes);
        }
        let client = BackendClient::load(config).map_err(auth_error)?;
        client.request_token(&http).await.map_err(auth_error)?
    } else {
        let server = smart::discover(&http, &profile.server)
            .await
            .map_err(auth_error)?;
        let mut request = LoginRequest::new(client_id);
        if let Some(scopes) = &profile.scopes {
            request.scopes = split_scopes(scopes);
        }
        request.port = args.port.unwrap_or(0);
        let browser = std::env::var_os(BROWSER_VAR).filter(|b| !b.is_empty());
        request.browser = match (args.no_browser, &browser) {
            (true, _) => BrowserMode::Manual,
            (false, Some(_)) => BrowserMode::Open,
            (false, None) => BrowserMode::Auto,
        };
        let prompt = CliPrompt {
            browser,
            reader: Mutex::new(None),
            done: Arc::new(AtomicBool::new(false)),
        };
        let result = smart::login(&http, &server, &request, &prompt).await;
        prompt.finish_reading();
        result.map_err(auth_error)?
    };
    let secret = token_secret(&tokens).map_err(|message| CliError::new(AUTH, message))?;
    Ok(SignedIn {
        secrets: vec![(SecretKind::SmartTokens, secret)],
        details: details(&tokens),
    })
}

/// What to tell the user after signing in: who, which scopes, until when. No token.
fn details(tokens: &TokenSet) -> Vec<String> {
    let mut lines = vec![format!("Signed in as: {}", describe_user(tokens))];
    lines.push(format!("Granted scopes: {}", tokens.scopes.join(" ")));
    let renew = if tokens.kind == smart::TokenKind::Backend {
        " (renewed with the key when needed)"
    } else if tokens.refresh_token.is_some() {
        " (renewed with the refresh token when needed)"
    } else {
        " (no refresh token: sign in again after that)"
    };
    match tokens.expires_at {
        Some(at) => lines.push(format!(
            "Access expires: {}{renew}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )),
        None => lines.push("Access expires: not said by the server".to_owned()),
    }
    lines
}

/// HTTP for the authorization server with the profile's TLS settings.
pub fn auth_http(cli: &Cli, profile: &Profile) -> Result<AuthHttp, CliError> {
    AuthHttp::new(&profile_client_config(profile, &cli.net.options())).map_err(auth_error)
}

/// Refuse a private key file other users may read, as ssh does: it signs in as the client.
fn check_key_file(path: &Path) -> Result<(), CliError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        CliError::usage(format!(
            "the private key '{}' cannot be read ({e})",
            path.display()
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CliError::usage(format!(
                "the private key '{shown}' may be read by other users (mode {mode:o}): run \
                 chmod 600 '{shown}'",
                shown = path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    Ok(())
}

/// The command line's side of a login: instructions on stderr, a browser (the desktop's
/// or `ROUNDS_BROWSER`), and the pasted redirect from a hidden prompt or a line of stdin.
struct CliPrompt {
    browser: Option<OsString>,
    /// The thread reading the paste, if one is still waiting.
    reader: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Set when the login is over: a paste read after that is dropped.
    done: Arc<AtomicBool>,
}

impl CliPrompt {
    /// When the loopback won while a hidden terminal prompt still waits, wait for its Enter
    /// so the terminal gets its echo back; a read of piped stdin is simply left behind.
    fn finish_reading(&self) {
        self.done.store(true, Ordering::SeqCst);
        let handle = self.reader.lock().ok().and_then(|mut r| r.take());
        if let Some(handle) = handle {
            if !handle.is_finished() && std::io::stdin().is_terminal() {
                eprintln!("Signed in by the browser: press Enter to finish.");
                let _ = handle.join();
            }
        }
    }
}

#[async_trait::async_trait]
impl LoginPrompt for CliPrompt {
    async fn open_browser(&self, url: &str) -> Result<(), String> {
        let url = url.to_owned();
        let program = self.browser.clone();
        eprintln!("Opening a browser to sign in; rounds waits for it to come back.");
        tokio::task::spawn_blocking(move || match program {
            Some(p) => run_browser(&p, &url),
            None => open_system_browser(&url),
        })
        .await
        .map_err(|_| "the browser could not be started".to_owned())?
    }

    fn show_manual(&self, login: &ManualLogin) {
        for line in login.lines() {
            eprintln!("{line}");
        }
        eprintln!(
            "(If the browser's answer reaches rounds by itself, you may just press Enter here.)"
        );
    }

    async fn read_redirect(&self) -> Option<String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        // A plain thread, not the runtime's blocking pool: the runtime would wait for it
        // at exit, and the read may never end.
        let done = self.done.clone();
        let handle = std::thread::spawn(move || {
            let _ = tx.send(read_paste(&done));
        });
        if let Ok(mut r) = self.reader.lock() {
            *r = Some(handle);
        }
        rx.await.ok().flatten()
    }

    fn status(&self, message: &str) {
        eprintln!("rounds: {message}");
    }
}

/// Run `program URL` and wait for it (a browser opener returns once the page is handed on).
fn run_browser(program: &OsString, url: &str) -> Result<(), String> {
    let status = Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{BROWSER_VAR} could not be started ({e})"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{BROWSER_VAR} failed ({status})"))
    }
}

/// One pasted line: hidden on a terminal (it holds the authorization code), else read from
/// stdin. Empty lines are skipped; `None` at the end of input or once the login is over.
fn read_paste(done: &AtomicBool) -> Option<String> {
    loop {
        let line = if std::io::stdin().is_terminal() {
            crate::source::profile::prompt_hidden("Paste the address (hidden): ").ok()?
        } else {
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line).ok()? == 0 {
                return None;
            }
            line
        };
        if done.load(Ordering::SeqCst) {
            return None;
        }
        let line = line.trim();
        if !line.is_empty() {
            return Some(line.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_key_others_may_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k.pem");
        std::fs::write(&key, "x").unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = check_key_file(&key).unwrap_err();
        assert!(err.message.contains("chmod 600"), "{}", err.message);
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(check_key_file(&key).is_ok());
        assert!(check_key_file(&dir.path().join("missing.pem")).is_err());
    }
}
