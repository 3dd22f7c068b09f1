//! `rounds login` and `rounds logout`: create or update a sign-in profile, check the
//! credentials against the server, and keep the secret in the profile's store; remove it.
//!
//! The store is opened (and probed) before anything is asked or written, so a missing or
//! locked keyring fails closed with the other choices named, and nothing is written. The
//! profile is saved only after the secret is kept. Secrets are never printed.

use std::io::Write;

use super::args::Cli;
use super::auth_args::LoginArgs;
use super::exit::{AUTH, profiles_error, store_error};
use super::{CliError, io_error};
use crate::auth::smart::{self, AuthHttp};
use crate::auth::store::{SecretKind, SecretStore, StoreKind};
use crate::auth::stored_tokens::parse_tokens;
use crate::config::{AuthKind, Profile, Profiles};
use crate::fhir::{Credentials, FhirClient, FhirError, Secret};
use crate::source::profile::secret_input::read_for_login;
use crate::source::profile::{NetOptions, profile_client_config, secret_kind, wanted};

/// The profile name used when none is given and there is no default yet.
pub const FIRST_PROFILE: &str = "default";

/// What a successful sign-in yields: the secrets to keep (none for `--auth none`), and
/// lines to show about it (who signed in, scopes, expiry; never a secret).
#[derive(Debug, Default)]
pub struct SignedIn {
    pub secrets: Vec<(SecretKind, Secret)>,
    pub details: Vec<String>,
}

/// `rounds login`.
pub async fn run(cli: &Cli, args: &LoginArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let profiles = Profiles::load().map_err(profiles_error)?;
    let name = cli
        .profile
        .clone()
        .or_else(|| profiles.default.clone())
        .unwrap_or_else(|| FIRST_PROFILE.to_owned());
    let previous = profiles.profiles.get(&name).cloned();
    let profile = updated_profile(cli, args, previous.as_ref())?;
    crate::fhir::client::parse_base_url(&profile.server)?;
    if !crate::auth::store::valid_profile_name(&name) {
        return Err(CliError::usage(format!(
            "'{name}' cannot name a profile: use letters, digits, '-', '_' or '.'"
        )));
    }
    // Probe the store before asking for anything: fail closed, early, with the choices.
    let store = match secret_kind(profile.auth) {
        Some(_) => Some(SecretStore::open_writable(profile.store).map_err(store_error)?),
        None => None,
    };
    let signed_in = authenticate(cli, args, &profile).await?;
    if let Some(store) = &store {
        for (kind, secret) in &signed_in.secrets {
            store.set(&name, *kind, secret).map_err(store_error)?;
        }
        // A secret of another kind (the password before a switch to a token) goes.
        for kind in SecretKind::ALL {
            if !signed_in.secrets.iter().any(|(k, _)| *k == kind) {
                store.delete(&name, kind).map_err(store_error)?;
            }
        }
    }
    let mut warnings = Vec::new();
    // Secrets kept earlier elsewhere (another store, or a sign-in that needs none now) go.
    let stale = previous.as_ref().filter(|old| {
        secret_kind(old.auth).is_some()
            && old.store != StoreKind::Memory
            && (old.store != profile.store || store.is_none())
    });
    if let Some(old) = stale {
        if let Err(e) = SecretStore::open(old.store).and_then(|s| s.delete_all(&name)) {
            warnings.push(format!(
                "the secret kept earlier in the {} store could not be removed: {e}",
                old.store
            ));
        }
    }
    // Read again and changed under the lock: another login may have saved its profile
    // since this one began (a SMART login can take minutes), and that one is kept.
    let path = Profiles::update(|profiles| {
        profiles.insert(&name, profile.clone())?;
        if args.default {
            profiles.default = Some(name.clone());
        }
        Ok(())
    })
    .map_err(profiles_error)?;
    for w in warnings {
        eprintln!("rounds: warning: {w}");
    }
    let kept = match (&store, signed_in.secrets.first()) {
        (Some(s), Some((SecretKind::SmartTokens, _))) if s.kind() != StoreKind::Memory => {
            format!("The sign-in tokens are kept in {}.", s.describe())
        }
        (Some(s), Some((kind, _))) if s.kind() != StoreKind::Memory => {
            format!("The {} is kept in {}.", kind.name(), s.describe())
        }
        (Some(_), Some((SecretKind::SmartTokens, _))) => {
            "The sign-in is not stored (--store memory): this login served only to check it; \
             choose a store to use it."
                .to_owned()
        }
        (Some(_), Some((kind, _))) => format!(
            "The {} is not stored: you will be asked for it again next time (or set {}).",
            kind.name(),
            wanted(*kind, "").env_var
        ),
        _ => "No sign-in is needed; nothing is stored.".to_owned(),
    };
    let who = profile
        .user
        .as_deref()
        .filter(|_| profile.auth == AuthKind::Basic)
        .map(|u| format!(" as '{u}'"))
        .unwrap_or_default();
    writeln!(
        out,
        "Signed in to {}{} (profile '{name}', {}).",
        crate::text::clean_line(&profile.server),
        crate::text::clean_line(&who),
        profile.auth.name(),
    )
    .map_err(io_error)?;
    for line in &signed_in.details {
        writeln!(out, "{}", crate::text::clean_line(line)).map_err(io_error)?;
    }
    let shown = crate::text::clean_line(&path.display().to_string());
    writeln!(out, "{kept}\nProfile saved in {shown}.").map_err(io_error)
}

/// The profile as it will be after this login: the earlier one with the options given.
fn updated_profile(
    cli: &Cli,
    args: &LoginArgs,
    previous: Option<&Profile>,
) -> Result<Profile, CliError> {
    let server = cli.source.server.clone().filter(|s| !s.trim().is_empty());
    let mut profile = match (previous, server) {
        (Some(p), Some(url)) => Profile {
            server: url,
            ..p.clone()
        },
        (Some(p), None) => p.clone(),
        (None, Some(url)) => {
            let mut p = Profile::new(url);
            p.auth = AuthKind::Smart;
            p
        }
        (None, None) => {
            return Err(CliError::usage(
                "a new profile needs a server: rounds login --profile NAME --server URL",
            ));
        }
    };
    profile.server = profile.server.trim().trim_end_matches('/').to_owned();
    if let Some(auth) = args.auth {
        profile.auth = auth.into();
    }
    if let Some(store) = args.store {
        profile.store = store.into();
    }
    if let Some(id) = &args.client_id {
        profile.client_id = Some(id.clone());
    }
    if !args.scopes.is_empty() {
        profile.scopes = Some(args.scopes.join(" "));
    }
    if let Some(user) = &args.user {
        profile.user = Some(user.clone());
    }
    if let Some(key) = &args.key {
        profile.key = Some(std::path::absolute(key).unwrap_or_else(|_| key.clone()));
    }
    if let Some(path) = &cli.net.ca_bundle {
        profile.ca_bundle = Some(std::path::absolute(path).unwrap_or_else(|_| path.clone()));
    }
    // `rounds login … --offline`: keep offline copies for this profile from now on.
    if cli.net.offline {
        profile.offline = true;
    }
    if profile.auth == AuthKind::Basic && profile.user.as_deref().is_none_or(str::is_empty) {
        return Err(CliError::usage("--auth basic needs --user NAME"));
    }
    Ok(profile)
}

/// Sign in the way the profile says; the secrets to keep.
async fn authenticate(
    cli: &Cli,
    args: &LoginArgs,
    profile: &Profile,
) -> Result<SignedIn, CliError> {
    let from_stdin = args.password_stdin || args.token_stdin;
    match profile.auth {
        AuthKind::None => {
            check(cli, profile, Credentials::None, "").await?;
            Ok(SignedIn::default())
        }
        AuthKind::Basic => {
            let user = profile.user.clone().unwrap_or_default();
            let prompt = format!("Password for '{user}' at {}: ", profile.server);
            let password = read_for_login(wanted(SecretKind::Password, &prompt), from_stdin)?;
            let credentials = Credentials::Basic {
                user: user.clone(),
                password: password.clone(),
            };
            check(
                cli,
                profile,
                credentials,
                &format!("the password for '{user}'"),
            )
            .await?;
            Ok(SignedIn {
                secrets: vec![(SecretKind::Password, password)],
                details: Vec::new(),
            })
        }
        AuthKind::Token => {
            let prompt = format!("Token for {}: ", profile.server);
            let token = read_for_login(wanted(SecretKind::Token, &prompt), from_stdin)?;
            check(
                cli,
                profile,
                Credentials::Bearer(token.clone()),
                "the token",
            )
            .await?;
            Ok(SignedIn {
                secrets: vec![(SecretKind::Token, token)],
                details: Vec::new(),
            })
        }
        AuthKind::Smart | AuthKind::Backend => {
            super::smart_login::smart_login(cli, args, profile).await
        }
    }
}

/// Check credentials with a cheap authenticated read that returns no patient data: a
/// Patient that does not exist (404 means the server let us look; 401 means it did not).
async fn check(
    cli: &Cli,
    profile: &Profile,
    credentials: Credentials,
    what: &str,
) -> Result<(), CliError> {
    let mut config = profile_client_config(profile, &cli.net.options());
    config.credentials = credentials;
    let client = FhirClient::new(config)?;
    match client.read("Patient", "rounds-sign-in-check").await {
        Ok(_) | Err(FhirError::NotFound { .. }) => Ok(()),
        Err(FhirError::Unauthorized) => Err(CliError::new(
            AUTH,
            format!(
                "{} refused {what} (HTTP 401): check it and try again; nothing was stored",
                profile.server
            ),
        )),
        Err(e @ FhirError::Forbidden { .. }) => Err(CliError::new(
            AUTH,
            format!(
                "{} accepted {what} but refuses to read patients ({e}); nothing was stored",
                profile.server
            ),
        )),
        Err(e) => {
            let mut err = CliError::from(e);
            err.message = format!(
                "could not check the sign-in: {}; nothing was stored",
                err.message
            );
            Err(err)
        }
    }
}

/// `rounds logout`: remove the profile's secrets from its store; the profile stays.
/// A SMART sign-in is revoked at the server first, when it says how (best effort).
pub async fn logout(cli: &Cli, out: &mut dyn Write) -> Result<(), CliError> {
    let profiles = Profiles::load().map_err(profiles_error)?;
    let name = cli
        .profile
        .clone()
        .or_else(|| profiles.default.clone())
        .ok_or_else(|| CliError::usage("there are no profiles: nothing to log out of"))?;
    let profile = profiles.get(&name).map_err(profiles_error)?;
    // The offline copies go at every logout, whatever the sign-in.
    forget_offline(&name, profile, out)?;
    if secret_kind(profile.auth).is_none() {
        return writeln!(
            out,
            "Profile '{name}' needs no sign-in and keeps no secret: nothing to remove."
        )
        .map_err(io_error);
    }
    let store = SecretStore::open(profile.store).map_err(store_error)?;
    let mut revoked = None;
    if profile.auth == AuthKind::Smart {
        if let Ok(Some(secret)) = store.get(&name, SecretKind::SmartTokens) {
            revoked = revoke(profile, &cli.net.options(), &secret).await;
        }
    }
    let removed = store.delete_all(&name).map_err(store_error)?;
    let text = match (profile.store, removed.as_slice()) {
        (StoreKind::Memory, _) => {
            format!("Profile '{name}' keeps no secret (session only): nothing to remove.")
        }
        (_, []) => format!("Profile '{name}' had no secret in {}.", store.describe()),
        (_, kinds) => format!(
            "Removed the {} of profile '{name}' from {}.",
            kinds
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(" and "),
            store.describe()
        ),
    };
    if let Some(words) = revoked {
        writeln!(out, "{}", crate::text::clean_line(&words)).map_err(io_error)?;
    }
    writeln!(
        out,
        "{text}\nThe profile stays; rounds login --profile {name} signs in again."
    )
    .map_err(io_error)
}

/// Delete the profile's offline copies and their key; say so when there were any.
fn forget_offline(name: &str, profile: &Profile, out: &mut dyn Write) -> Result<(), CliError> {
    let Some(root) = crate::config::state_dir() else {
        return Ok(());
    };
    let removed = crate::offline::remove_profile(&root, name, None)
        .map_err(|e| CliError::new(super::exit::NETWORK, e.to_string()))?;
    // The key too (best effort: without the files it opens nothing).
    if profile.store != StoreKind::Memory {
        if let Ok(store) = SecretStore::open(profile.store) {
            let _ = store.delete(name, SecretKind::OfflineKey);
        }
    }
    if removed > 0 {
        writeln!(
            out,
            "Deleted the offline copies of profile '{name}' ({removed} file(s)) and their key."
        )
        .map_err(io_error)?;
    }
    Ok(())
}

/// Best effort: revoke the stored refresh (or access) token at the server's revocation
/// endpoint, if it has one. The words for the user, or `None` when nothing was tried.
async fn revoke(profile: &Profile, net: &NetOptions, secret: &Secret) -> Option<String> {
    let tokens = parse_tokens(secret)?;
    let http = AuthHttp::new(&profile_client_config(profile, net)).ok()?;
    let attempt = async {
        let server = smart::discover(&http, &tokens.fhir_base).await?;
        let Some(endpoint) = server.revocation_endpoint else {
            return Ok(false);
        };
        smart::revoke(&http, &endpoint, &tokens)
            .await
            .map(|()| true)
    };
    match tokio::time::timeout(std::time::Duration::from_secs(10), attempt).await {
        Ok(Ok(true)) => Some("The server revoked the sign-in.".to_owned()),
        Ok(Ok(false)) => None,
        Ok(Err(e)) => Some(format!("The server could not revoke the sign-in ({e}).")),
        Err(_) => Some("The server did not answer the revocation in time.".to_owned()),
    }
}
