//! `rounds profiles remove NAME` (also `rounds profile remove NAME`): remove a sign-in
//! profile and everything rounds keeps for it: its secrets (credentials, the outbox's and
//! the offline copies' keys), its outbox, its offline copies, and its entry in
//! profiles.toml (under that file's lock). An outbox with writes not yet sent is never
//! destroyed silently: refused unless `--force`, saying how many.

use std::io::Write;
use std::path::Path;

use clap::{Args, Subcommand};

use super::auth_args::JsonArgs;
use super::exit::{NETWORK, USAGE, profiles_error, store_error};
use super::{CliError, io_error};
use crate::auth::store::{SecretKind, SecretStore, StoreKind};
use crate::config::Profiles;

/// `rounds profiles`: list them, or remove one.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub command: Option<ProfilesCommand>,
    #[command(flatten)]
    pub list: JsonArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Remove a profile with its secrets, outbox and offline copies.
    #[command(
        after_help = "Refused when the profile's outbox holds writes not sent yet \
(rounds --profile NAME outbox lists them: send or discard them first), unless --force, which \
destroys them. A SMART sign-in is not revoked at the server: run rounds logout --profile NAME \
first for that.\n\n\
Examples:\n  rounds profiles remove old-clinic\n  rounds profile remove old-clinic --force"
    )]
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The profile to remove.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Remove it even though its outbox holds writes not sent yet (they are destroyed).
    #[arg(long)]
    pub force: bool,
}

/// The item files of `profile`'s outboxes (every server): writes not at the server yet.
fn outbox_items(root: &Path, profile: &str) -> usize {
    let dir = root.join("outbox").join(profile);
    std::fs::read_dir(dir)
        .map(|servers| {
            servers
                .filter_map(Result::ok)
                .filter_map(|s| std::fs::read_dir(s.path()).ok())
                .flat_map(|items| items.filter_map(Result::ok))
                .filter(|i| i.path().extension().is_some_and(|e| e == "sealed"))
                .count()
        })
        .unwrap_or(0)
}

fn io_failed(what: &str, e: &std::io::Error) -> CliError {
    CliError::new(NETWORK, format!("{what} could not be deleted: {e}"))
}

pub fn remove(args: &RemoveArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let name = args.name.as_str();
    let profiles = Profiles::load().map_err(profiles_error)?;
    let profile = profiles.get(name).map_err(profiles_error)?.clone();
    let root = crate::config::state_dir();
    let unsent = root.as_deref().map_or(0, |r| outbox_items(r, name));
    if unsent > 0 && !args.force {
        return Err(CliError::new(
            USAGE,
            format!(
                "profile '{name}' has {unsent} write(s) in its outbox not yet at the server: \
                 nothing was removed. Send or discard them (rounds --profile {name} outbox), \
                 or remove the profile with --force to destroy them"
            ),
        ));
    }
    // The data first, the entry last: a failure half way leaves a profile to remove again,
    // never secrets or copies no profile names.
    let store = match profile.store {
        StoreKind::Memory => None,
        kind => Some(SecretStore::open(kind).map_err(store_error)?),
    };
    let mut secrets = 0;
    if let Some(store) = &store {
        secrets += store.delete_all(name).map_err(store_error)?.len();
        for kind in [SecretKind::VaultKey, SecretKind::OfflineKey] {
            secrets += usize::from(store.delete(name, kind).map_err(store_error)?);
        }
    }
    let mut copies = 0;
    if let Some(root) = &root {
        copies = crate::offline::remove_profile(root, name, None)
            .map_err(|e| CliError::new(NETWORK, e.to_string()))?;
        let outbox = root.join("outbox").join(name);
        if outbox.exists() {
            std::fs::remove_dir_all(&outbox).map_err(|e| io_failed("the outbox", &e))?;
        }
    }
    Profiles::update(|p| {
        p.profiles.remove(name);
        if p.default.as_deref() == Some(name) {
            p.default = p.profiles.keys().next().cloned();
        }
        Ok(())
    })
    .map_err(profiles_error)?;
    writeln!(out, "Removed profile '{name}'.").map_err(io_error)?;
    writeln!(
        out,
        "Deleted: {secrets} secret(s), {copies} offline copy file(s), {unsent} outbox write(s){}.",
        if unsent > 0 {
            " not sent (--force)"
        } else {
            ""
        }
    )
    .map_err(io_error)
}
