//! `rounds auth status` and `rounds profiles`: what each profile signs in to, how, and
//! where its secret really is (looked up in the store, with a timeout), as text or JSON.
//! It reads; it changes nothing, and it never prints a secret.

use std::io::Write;

use serde::Serialize;

use super::args::Cli;
use super::auth_args::JsonArgs;
use super::exit::AUTH;
use super::exit::profiles_error;
use super::table::Table;
use super::{CliError, io_error, write_json};
use crate::auth::store::{SecretStore, StoreKind, account, describe_kind};
use crate::config::{AuthKind, Profile, Profiles};
use crate::fhir::Secret;
use crate::source::profile::secret_kind;

/// A profile's sign-in state (schema `rounds.auth-status/1`).
#[derive(Debug, Serialize)]
pub struct AuthStatus {
    pub schema: &'static str,
    pub profile: String,
    pub default: bool,
    pub server: String,
    pub auth: &'static str,
    pub user: Option<String>,
    pub client_id: Option<String>,
    pub scopes_requested: Option<String>,
    /// Granted scopes and expiry, from a stored SMART token set, when known.
    pub scopes_granted: Option<String>,
    pub expires_at: Option<String>,
    /// SMART and backend: who the stored tokens act for (a name and FHIR identity, or
    /// "backend services: not tied to one user").
    pub signed_in_as: Option<String>,
    /// SMART: whether a refresh token is held (never its value).
    pub refresh_token: Option<bool>,
    pub store: StoreKind,
    pub secret: SecretState,
    pub idle_lock_minutes: u32,
}

/// Where the secret is, checked in the store itself.
#[derive(Debug, Serialize)]
pub struct SecretState {
    /// `stored`, `missing`, `session-only`, `not-needed` or `unavailable`.
    pub state: &'static str,
    /// In words.
    pub detail: String,
}

/// `rounds auth status`.
pub fn status(cli: &Cli, args: &JsonArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let profiles = Profiles::load().map_err(profiles_error)?;
    let Some(name) = cli.profile.clone().or_else(|| profiles.default.clone()) else {
        return Err(CliError::new(
            AUTH,
            "not signed in: there are no profiles; create one with rounds login \
                      --profile NAME --server URL",
        ));
    };
    let profile = profiles.get(&name).map_err(profiles_error)?;
    let (secret, stored) = secret_state(&name, profile);
    let details = stored
        .as_ref()
        .filter(|_| matches!(profile.auth, AuthKind::Smart | AuthKind::Backend))
        .and_then(crate::auth::stored_tokens::details);
    let status = AuthStatus {
        schema: "rounds.auth-status/1",
        default: profiles.default.as_deref() == Some(name.as_str()),
        profile: name,
        server: profile.server.clone(),
        auth: profile.auth.name(),
        user: profile.user.clone(),
        client_id: profile.client_id.clone(),
        scopes_requested: profile.scopes.clone(),
        scopes_granted: details.as_ref().map(|d| d.scopes_granted.clone()),
        expires_at: details.as_ref().and_then(|d| {
            d.expires_at.as_ref().map(|at| {
                if d.expired {
                    format!("{at} (expired)")
                } else {
                    at.clone()
                }
            })
        }),
        signed_in_as: details.as_ref().map(|d| d.user.clone()),
        refresh_token: details
            .as_ref()
            .filter(|_| profile.auth == AuthKind::Smart)
            .map(|d| d.refresh_token),
        store: profile.store,
        secret,
        idle_lock_minutes: profile.idle_lock_minutes,
    };
    if args.json {
        write_json(out, &status)?;
    } else {
        write_text(&status, out).map_err(io_error)?;
    }
    match status.secret.state {
        "missing" | "unavailable" => Err(CliError::new(
            AUTH,
            format!(
                "profile '{}' cannot sign in as it is: {}",
                status.profile, status.secret.detail
            ),
        )),
        _ => Ok(()),
    }
}

/// The secret's state, and the secret itself when stored (for SMART details only).
fn secret_state(name: &str, profile: &Profile) -> (SecretState, Option<Secret>) {
    let state = |state, detail: String| SecretState { state, detail };
    let Some(kind) = secret_kind(profile.auth) else {
        return (state("not-needed", "none needed (no sign-in)".into()), None);
    };
    if profile.store == StoreKind::Memory {
        let words = "not stored: session only (asked again next time)";
        return (state("session-only", words.into()), None);
    }
    let store = match SecretStore::open(profile.store) {
        Ok(s) => s,
        Err(e) => return (state("unavailable", e.to_string()), None),
    };
    match store.get(name, kind) {
        Ok(Some(secret)) => (
            state(
                "stored",
                format!(
                    "{} in {}, entry '{}'",
                    kind.name(),
                    store.describe(),
                    account(name, kind)
                ),
            ),
            Some(secret),
        ),
        Ok(None) => (
            state(
                "missing",
                format!(
                    "missing: no {} in {}; run rounds login --profile {name}",
                    kind.name(),
                    describe_kind(profile.store)
                ),
            ),
            None,
        ),
        Err(e) => (state("unavailable", e.to_string()), None),
    }
}

fn write_text(s: &AuthStatus, out: &mut dyn Write) -> std::io::Result<()> {
    let name = if s.default {
        format!("{} (default)", s.profile)
    } else {
        s.profile.clone()
    };
    let sign_in = match &s.user {
        Some(u) if s.auth == "basic" => format!("{} as '{u}'", s.auth),
        _ => s.auth.to_owned(),
    };
    let rows = [
        ("profile", Some(name)),
        ("server", Some(s.server.clone())),
        ("sign-in", Some(sign_in)),
        ("client id", s.client_id.clone()),
        ("scopes asked", s.scopes_requested.clone()),
        ("signed in as", s.signed_in_as.clone()),
        ("scopes granted", s.scopes_granted.clone()),
        ("expires", s.expires_at.clone()),
        (
            "refresh token",
            s.refresh_token.map(|held| {
                if held {
                    "held (renews the access without signing in)".to_owned()
                } else {
                    "none: sign in again when the access expires".to_owned()
                }
            }),
        ),
        ("secret", Some(s.secret.detail.clone())),
        ("idle lock", Some(format!("{} min", s.idle_lock_minutes))),
    ];
    for (label, value) in rows {
        if let Some(v) = value {
            writeln!(out, "{label:<15} {}", crate::text::clean_line(&v))?;
        }
    }
    Ok(())
}

/// One profile in `rounds profiles --json` (schema `rounds.profiles/1`).
#[derive(Debug, Serialize)]
struct ProfileRow<'a> {
    name: &'a str,
    default: bool,
    server: &'a str,
    auth: &'static str,
    user: Option<&'a str>,
    store: StoreKind,
}

/// `rounds profiles`.
pub fn list(args: &JsonArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let profiles = Profiles::load().map_err(profiles_error)?;
    let rows: Vec<ProfileRow<'_>> = profiles
        .profiles
        .iter()
        .map(|(name, p)| ProfileRow {
            name,
            default: profiles.default.as_deref() == Some(name.as_str()),
            server: &p.server,
            auth: p.auth.name(),
            user: p.user.as_deref(),
            store: p.store,
        })
        .collect();
    if args.json {
        let value = serde_json::json!({"schema": "rounds.profiles/1", "profiles": rows});
        return write_json(out, &value);
    }
    if rows.is_empty() {
        return writeln!(
            out,
            "No profiles yet: rounds login --profile NAME --server URL creates one."
        )
        .map_err(io_error);
    }
    let mut table = Table::new(&["", "PROFILE", "SERVER", "AUTH", "USER", "STORE"]);
    for r in &rows {
        table.row(&[
            if r.default { "*" } else { "" },
            r.name,
            r.server,
            r.auth,
            r.user.unwrap_or(""),
            r.store.name(),
        ]);
    }
    table.write(out).map_err(io_error)
}
