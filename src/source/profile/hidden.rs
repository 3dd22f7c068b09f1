//! A hidden prompt (a password, a token, a pasted sign-in address) that gives the terminal
//! back its echo whatever happens: rpassword turns echo off and on again, but Ctrl-C, a
//! `kill` or a dropped SSH session ends the process in between and leaves the shell typing
//! blind. While the prompt is up, the stopping signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT)
//! are caught by a thread that puts the terminal's saved mode back and exits with 128 + the
//! signal, as the shell would report it.

/// Read a line without echo, the terminal's mode restored even if a signal comes.
pub fn prompt_hidden(prompt: &str) -> std::io::Result<String> {
    let _guard = EchoGuard::arm();
    rpassword::prompt_password(prompt)
}

/// Restores the terminal's mode on a stopping signal until dropped.
struct EchoGuard {
    #[cfg(unix)]
    handle: Option<signal_hook::iterator::Handle>,
}

impl EchoGuard {
    #[cfg(unix)]
    fn arm() -> EchoGuard {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let tty = std::io::stdin();
        let Ok(saved) = rustix::termios::tcgetattr(&tty) else {
            return EchoGuard { handle: None };
        };
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
        else {
            return EchoGuard { handle: None };
        };
        let handle = signals.handle();
        let spawned = std::thread::Builder::new()
            .name("rounds-prompt-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let _ = rustix::termios::tcsetattr(
                        std::io::stdin(),
                        rustix::termios::OptionalActions::Now,
                        &saved,
                    );
                    eprintln!();
                    std::process::exit(128 + signal);
                }
            });
        EchoGuard {
            handle: spawned.ok().map(|_| handle),
        }
    }

    #[cfg(not(unix))]
    fn arm() -> EchoGuard {
        EchoGuard {}
    }
}

impl Drop for EchoGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(h) = &self.handle {
            h.close();
        }
    }
}
