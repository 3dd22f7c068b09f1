//! Which data source the command line names (a demo, files, a server, or a sign-in
//! profile), and how a profile becomes a `FhirClient`: its server and CA bundle, with
//! credentials loaded from the profile's secret store.
//!
//! A profile feeds the same `ClientConfig` path as `--server`; `--server` alone still means
//! no sign-in. It reads profiles and secrets; it never writes either (that is `login.rs`).

use std::path::PathBuf;
use std::time::Duration;

use super::args::{Cli, NetArgs};
use super::exit::{AUTH, NOT_FOUND};
use super::secret_input::{Wanted, ask_again};
use super::{BatchArg, CliError};
use crate::auth::store::{SecretKind, SecretStore, StoreError, StoreKind};
use crate::config::{AuthKind, Profile, Profiles, ProfilesError};
use crate::fhir::{BatchMode, ClientConfig, Credentials, Secret};

/// The data source the arguments name.
#[derive(Debug, Clone)]
pub enum Selected {
    Demo,
    Open(PathBuf),
    /// `--server URL`: no sign-in.
    Server(String),
    /// A sign-in profile.
    Profile {
        name: String,
        profile: Profile,
    },
}

/// Pick the data source: `--demo` / `--open`; then a profile or server typed on the command
/// line; then `ROUNDS_PROFILE`, `ROUNDS_SERVER`; then the default profile.
pub fn select(cli: &Cli) -> Result<Selected, CliError> {
    let source = &cli.source;
    if cli.given.profile && (source.demo || source.open.is_some()) {
        return Err(CliError::usage(
            "--profile names a server; it cannot be used with --demo or --open",
        ));
    }
    if source.demo {
        return Ok(Selected::Demo);
    }
    if let Some(path) = &source.open {
        return Ok(Selected::Open(path.clone()));
    }
    let server = source.server.clone().filter(|s| !s.trim().is_empty());
    if cli.given.profile && cli.given.server {
        return Err(CliError::usage(
            "give --profile NAME or --server URL, not both (a profile has its own server)",
        ));
    }
    if let (true, Some(url)) = (cli.given.server, &server) {
        return Ok(Selected::Server(url.clone()));
    }
    // Typed on the command line, or else from ROUNDS_PROFILE: a profile beats ROUNDS_SERVER.
    if let Some(name) = &cli.profile {
        return load(name);
    }
    if let Some(url) = server {
        return Ok(Selected::Server(url));
    }
    let profiles = Profiles::load().map_err(profiles_error)?;
    match profiles.default {
        Some(name) => load(&name),
        None => Err(CliError::usage(
            "no data source: give --server URL (or set ROUNDS_SERVER), --profile NAME \
             (create one with rounds login), --demo, or --open PATH",
        )),
    }
}

/// The name of the active sign-in profile, if the data source is one: for the status line.
pub fn active_profile_name(selected: &Selected) -> Option<&str> {
    match selected {
        Selected::Profile { name, .. } => Some(name),
        _ => None,
    }
}

fn load(name: &str) -> Result<Selected, CliError> {
    let profiles = Profiles::load().map_err(profiles_error)?;
    let profile = profiles.get(name).map_err(profiles_error)?.clone();
    Ok(Selected::Profile {
        name: name.to_owned(),
        profile,
    })
}

/// A profiles-file error with its exit code (an unknown profile is "not found").
pub fn profiles_error(e: ProfilesError) -> CliError {
    let code = match e {
        ProfilesError::Unknown { .. } => NOT_FOUND,
        _ => super::exit::USAGE,
    };
    CliError {
        code,
        message: e.to_string(),
    }
}

/// A store error as a `CliError`: an authentication failure (exit 4).
pub fn store_error(e: StoreError) -> CliError {
    CliError {
        code: AUTH,
        message: e.to_string(),
    }
}

/// The client settings for `server`, from the network arguments (and a CA bundle).
pub fn client_config(server: &str, ca_bundle: Option<PathBuf>, net: &NetArgs) -> ClientConfig {
    let mut config = ClientConfig::new(server);
    config.capability_cache = crate::config::cache_dir();
    config.ca_bundle = ca_bundle;
    config.insecure_skip_tls_verify = net.insecure_skip_tls_verify;
    if net.insecure_skip_tls_verify {
        eprintln!(
            "rounds: WARNING: TLS certificates are NOT checked (--insecure-skip-tls-verify): \
             use this only with a test server"
        );
    }
    config.request_timeout = Duration::from_secs(net.timeout.max(1));
    config.batch = match net.batch {
        BatchArg::Auto => BatchMode::Auto,
        BatchArg::Always => BatchMode::Always,
        BatchArg::Never => BatchMode::Never,
    };
    config
}

/// The client settings of a profile, with its credentials loaded from its store (or asked
/// for again when it keeps them for the session only).
pub fn profile_config(
    name: &str,
    profile: &Profile,
    net: &NetArgs,
) -> Result<ClientConfig, CliError> {
    let ca_bundle = net.ca_bundle.clone().or_else(|| profile.ca_bundle.clone());
    let mut config = client_config(&profile.server, ca_bundle, net);
    config.credentials = credentials(name, profile, net)?;
    Ok(config)
}

/// The secret kind a profile's sign-in keeps, if any.
pub fn secret_kind(auth: AuthKind) -> Option<SecretKind> {
    match auth {
        AuthKind::None => None,
        AuthKind::Basic => Some(SecretKind::Password),
        AuthKind::Token => Some(SecretKind::Token),
        AuthKind::Smart | AuthKind::Backend => Some(SecretKind::SmartTokens),
    }
}

/// What to ask for a secret kind, and from which environment variable.
pub fn wanted(kind: SecretKind, prompt: &str) -> Wanted<'_> {
    match kind {
        SecretKind::Password => Wanted {
            what: "password",
            env_var: "ROUNDS_PASSWORD",
            prompt,
        },
        _ => Wanted {
            what: "token",
            env_var: "ROUNDS_TOKEN",
            prompt,
        },
    }
}

/// A profile's credentials: from its store, or asked for again (session-only profiles).
pub(super) fn credentials(
    name: &str,
    profile: &Profile,
    net: &NetArgs,
) -> Result<Credentials, CliError> {
    let Some(kind) = secret_kind(profile.auth) else {
        return Ok(Credentials::None);
    };
    let secret = match profile.store {
        StoreKind::Memory if matches!(kind, SecretKind::Password | SecretKind::Token) => {
            let prompt = format!(
                "{} for profile '{name}' ({}): ",
                wanted(kind, "").what,
                profile.server
            );
            ask_again(wanted(kind, &prompt))?
        }
        store => stored_secret(name, store, kind)?,
    };
    match profile.auth {
        AuthKind::Basic => Ok(Credentials::Basic {
            user: profile.user.clone().unwrap_or_default(),
            password: secret,
        }),
        AuthKind::Token => Ok(Credentials::Bearer(secret)),
        _ => super::smart_session::credentials(name, profile, net, &secret),
    }
}

fn stored_secret(name: &str, store: StoreKind, kind: SecretKind) -> Result<Secret, CliError> {
    let opened = SecretStore::open(store).map_err(store_error)?;
    opened
        .get(name, kind)
        .map_err(store_error)?
        .ok_or_else(|| CliError {
            code: AUTH,
            message: format!(
                "profile '{name}' has no {} in {}: sign in with rounds login --profile {name}",
                kind.name(),
                opened.describe()
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(args: &[&str]) -> Result<Selected, CliError> {
        select(&crate::cli::parse(args.iter().copied()).unwrap())
    }

    #[test]
    fn flags_typed_after_the_command_count_as_typed() {
        let cli = crate::cli::parse(["rounds", "login", "--profile", "p", "--server", "http://a"])
            .unwrap();
        assert_eq!(
            cli.given,
            crate::cli::Given {
                server: true,
                profile: true
            }
        );
    }

    #[test]
    fn sources_are_chosen_in_order() {
        assert!(matches!(
            selected(&["rounds", "--demo", "search", "--name", "x"]),
            Ok(Selected::Demo)
        ));
        assert!(matches!(
            selected(&["rounds", "search", "--server", "http://a", "--name", "x"]),
            Ok(Selected::Server(url)) if url == "http://a"
        ));
        let both = selected(&["rounds", "--profile", "p", "--server", "http://a", "search"]);
        assert_eq!(both.unwrap_err().code, 2);
        let demo = selected(&["rounds", "--profile", "p", "--demo", "search"]);
        assert!(
            demo.unwrap_err()
                .message
                .contains("cannot be used with --demo")
        );
    }

    #[test]
    fn secret_kinds_follow_the_sign_in() {
        assert_eq!(secret_kind(AuthKind::None), None);
        assert_eq!(secret_kind(AuthKind::Basic), Some(SecretKind::Password));
        assert_eq!(secret_kind(AuthKind::Token), Some(SecretKind::Token));
        assert_eq!(secret_kind(AuthKind::Smart), Some(SecretKind::SmartTokens));
        assert_eq!(wanted(SecretKind::Password, "").env_var, "ROUNDS_PASSWORD");
        assert_eq!(wanted(SecretKind::Token, "").env_var, "ROUNDS_TOKEN");
    }
}
