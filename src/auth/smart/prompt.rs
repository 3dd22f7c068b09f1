//! How a login reaches the user: the caller's `LoginPrompt` (the CLI and the TUI each have
//! one) opens a browser or shows the authorization URL, and may read a pasted redirect.
//! This module also knows the environment that decides between the two (an SSH session, a
//! desktop display) and words the `ssh -L` hint. It reads no terminal itself.

use std::process::{Command, Stdio};

/// How the authorization URL gets to a browser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BrowserMode {
    /// Open a browser on a desktop; over SSH or without a display, show the URL instead.
    #[default]
    Auto,
    /// Always open a browser (fall back to showing the URL if that fails).
    Open,
    /// Never open one: show the URL and accept the pasted redirect (`--no-browser`).
    Manual,
}

/// What the login needs to know about where it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// `SSH_CONNECTION` was set: the browser is on another machine.
    pub ssh: Option<SshSession>,
    /// A desktop display is available here (`DISPLAY` or `WAYLAND_DISPLAY`; always on macOS
    /// and Windows).
    pub display: bool,
}

/// The SSH session rounds runs in, for the port-forwarding hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshSession {
    /// The user name on this machine.
    pub user: Option<String>,
    /// This machine's address as the SSH client reached it (from `SSH_CONNECTION`).
    pub host: Option<String>,
}

impl Environment {
    /// Read the process environment.
    pub fn detect() -> Environment {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let ssh = var("SSH_CONNECTION").map(|conn| SshSession {
            user: var("USER").or_else(|| var("LOGNAME")),
            host: conn.split_whitespace().nth(2).map(str::to_owned),
        });
        let display = cfg!(any(target_os = "macos", windows))
            || var("DISPLAY").is_some()
            || var("WAYLAND_DISPLAY").is_some();
        Environment { ssh, display }
    }

    /// Whether a browser can be opened on this machine for the user to see.
    pub fn can_open_browser(&self) -> bool {
        self.ssh.is_none() && self.display
    }
}

/// What to show when the browser is elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualLogin {
    /// Open this in a browser to sign in. It carries no secret (PKCE sends only the hash).
    pub authorization_url: String,
    /// The loopback port waiting for the browser's redirect.
    pub port: u16,
    /// Over SSH: the exact command that forwards the port, so the redirect reaches rounds.
    pub ssh_hint: Option<String>,
}

impl ManualLogin {
    /// The instructions as plain lines, for a caller with nothing better to show.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            "Open this address in a browser to sign in:".to_owned(),
            format!("  {}", self.authorization_url),
        ];
        if let Some(hint) = &self.ssh_hint {
            lines.push(
                "The browser's answer comes back to this machine. Either forward the port first, from the machine with the browser:".to_owned(),
            );
            lines.push(format!("  {hint}"));
            lines.push("or, after signing in, copy the address the browser ends on (it starts with http://127.0.0.1) and paste it here.".to_owned());
        } else {
            lines.push(format!(
                "rounds waits for the browser on 127.0.0.1:{}; or paste here the address the browser ends on.",
                self.port
            ));
        }
        lines
    }
}

/// The `ssh -L` command that forwards `port` to this machine.
pub fn ssh_hint(port: u16, ssh: &SshSession) -> String {
    let user = ssh.user.as_deref().unwrap_or("USER");
    let host = ssh.host.as_deref().unwrap_or("HOST");
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    format!("ssh -L {port}:127.0.0.1:{port} {user}@{host}")
}

/// What a login asks of its caller.
#[async_trait::async_trait]
pub trait LoginPrompt: Send + Sync {
    /// Open `url` in a browser the user can see. `Err` (with a reason) makes the login show
    /// the URL instead. [`open_system_browser`] is a default.
    async fn open_browser(&self, url: &str) -> Result<(), String>;

    /// Show the authorization URL and, over SSH, the port-forwarding hint.
    fn show_manual(&self, login: &ManualLogin);

    /// Read the redirect address the user pastes (hidden input). `None` if nothing can be
    /// read; the loopback listener still counts. The future is dropped if the browser's
    /// redirect arrives first, so a blocking read should run where it may be left behind.
    async fn read_redirect(&self) -> Option<String>;

    /// A short progress or correction message (e.g. "that is not the address…").
    fn status(&self, message: &str) {
        let _ = message;
    }
}

/// Open `url` with the desktop's handler (`xdg-open`, `open`, `start`).
pub fn open_system_browser(url: &str) -> Result<(), String> {
    let mut cmd = if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else if cfg!(windows) {
        let mut c = Command::new("rundll32");
        c.args(["url.dll,FileProtocolHandler", url]);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("no browser could be started ({e})"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the browser could not be opened".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_hint_names_the_port_twice() {
        let s = SshSession {
            user: Some("clin".into()),
            host: Some("10.1.2.3".into()),
        };
        assert_eq!(
            ssh_hint(4711, &s),
            "ssh -L 4711:127.0.0.1:4711 clin@10.1.2.3"
        );
        let v6 = SshSession {
            user: None,
            host: Some("fe80::1".into()),
        };
        assert_eq!(ssh_hint(9, &v6), "ssh -L 9:127.0.0.1:9 USER@[fe80::1]");
    }

    #[test]
    fn over_ssh_no_browser_is_opened() {
        let env = Environment {
            ssh: Some(SshSession {
                user: None,
                host: None,
            }),
            display: true,
        };
        assert!(!env.can_open_browser());
    }
}
