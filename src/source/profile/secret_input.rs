//! Reading a password or token from the user: a hidden prompt when stdin is a terminal,
//! stdin when it is piped (or asked for), or an environment variable. Never from a
//! command-line value (it would sit in shell history and `ps`), never echoed, never logged.
//!
//! Used by `rounds login`, and when a profile that keeps its secret for the session only is
//! opened (before any screen is drawn: the interactive screen has not taken the terminal).

use std::io::{IsTerminal, Read};

use crate::fhir::Secret;

/// Why a secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The terminal or stdin could not be read, or nothing was given.
    #[error("{0}")]
    Unreadable(String),
    /// A session-only secret is needed again and there is no terminal to ask on.
    #[error("{0}")]
    NoTerminal(String),
}

/// What is being asked for, for prompts and messages.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// "password" or "token".
    pub what: &'a str,
    /// The environment variable that may hold it.
    pub env_var: &'a str,
    /// The prompt shown on the terminal.
    pub prompt: &'a str,
    /// Whether the secret goes into an HTTP header as it is (a bearer token): a line break
    /// or other control character cannot, and would silently send no credentials at all.
    pub header_value: bool,
}

/// The most a piped secret may be: a token is a few kilobytes at most, and a stdin that
/// never ends (`< /dev/zero`) must not fill the memory.
const MAX_PIPED: u64 = 64 * 1024;

/// Read a secret for `rounds login`: from stdin when `from_stdin`, else the environment
/// variable, else a hidden prompt on a terminal, else piped stdin.
pub fn read_for_login(wanted: Wanted<'_>, from_stdin: bool) -> Result<Secret, InputError> {
    if from_stdin {
        return read_stdin(wanted);
    }
    if let Some(secret) = from_env(wanted)? {
        return Ok(secret);
    }
    if std::io::stdin().is_terminal() {
        return prompt(wanted);
    }
    read_stdin(wanted)
}

/// Ask for a secret that is not stored (a session-only profile): the environment variable,
/// else a hidden prompt when there is a terminal. Stdin is left alone: it is not ours.
pub fn ask_again(wanted: Wanted<'_>) -> Result<Secret, InputError> {
    if let Some(secret) = from_env(wanted)? {
        return Ok(secret);
    }
    if std::io::stdin().is_terminal() {
        return prompt(wanted);
    }
    Err(InputError::NoTerminal(format!(
        "this profile keeps its {what} for the session only and there is no terminal to \
             ask for it: set {env}, or sign in again with a store (rounds login --store keyring)",
        what = wanted.what,
        env = wanted.env_var
    )))
}

fn from_env(wanted: Wanted<'_>) -> Result<Option<Secret>, InputError> {
    match std::env::var(wanted.env_var) {
        Ok(v) if !v.is_empty() => checked(wanted, v).map(Some),
        _ => Ok(None),
    }
}

fn prompt(wanted: Wanted<'_>) -> Result<Secret, InputError> {
    let value = super::prompt_hidden(wanted.prompt).map_err(|e| {
        InputError::Unreadable(format!(
            "could not read the {} from the terminal ({e})",
            wanted.what
        ))
    })?;
    non_empty(wanted, value)
}

fn read_stdin(wanted: Wanted<'_>) -> Result<Secret, InputError> {
    let mut value = String::new();
    std::io::stdin()
        .take(MAX_PIPED + 1)
        .read_to_string(&mut value)
        .map_err(|e| {
            InputError::Unreadable(format!(
                "could not read the {} from stdin ({e})",
                wanted.what
            ))
        })?;
    if value.len() as u64 > MAX_PIPED {
        return Err(InputError::Unreadable(format!(
            "more than {} KB came on stdin: pipe only the {}",
            MAX_PIPED / 1024,
            wanted.what
        )));
    }
    // `echo`, `printf '%s\n'` and here-strings add a line end; it is not part of the secret.
    let trimmed = value.trim_end_matches(['\n', '\r']).to_owned();
    non_empty(wanted, trimmed)
}

fn non_empty(wanted: Wanted<'_>, value: String) -> Result<Secret, InputError> {
    if value.is_empty() {
        return Err(InputError::Unreadable(format!(
            "no {what} was given: type it at the prompt, pipe it to stdin, or set {env}",
            what = wanted.what,
            env = wanted.env_var
        )));
    }
    checked(wanted, value)
}

/// The secret, unless it is a header value with a control character in it (a line break
/// from a copy and paste, say): said plainly, with where it is, never the secret itself.
fn checked(wanted: Wanted<'_>, value: String) -> Result<Secret, InputError> {
    if wanted.header_value {
        if let Some(at) = value.chars().position(char::is_control) {
            return Err(InputError::Unreadable(format!(
                "the {what} has a line break or another control character in it (character \
                 {n}); give it again on one line, without them",
                what = wanted.what,
                n = at + 1
            )));
        }
    }
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_with_a_line_break_is_refused_without_showing_it() {
        let token = Wanted {
            what: "token",
            env_var: "ROUNDS_TOKEN",
            prompt: "",
            header_value: true,
        };
        for bad in [
            "s3cr3t\r\nX-Injected: 1",
            "s3cr\n3t",
            "s3\u{7f}cr3t",
            "s3cr3t\u{85}",
        ] {
            let e = checked(token, bad.into()).unwrap_err().to_string();
            assert!(e.contains("line break or another control character"), "{e}");
            assert!(!e.contains("s3cr") && !e.contains("3t"), "{e}");
        }
        assert!(checked(token, "eyJhbGciOi.x-y_z~+/=".into()).is_ok());
        let password = Wanted {
            header_value: false,
            ..token
        };
        assert!(checked(password, "pass\tword".into()).is_ok());
    }
}
