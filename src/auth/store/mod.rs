//! Where secrets live: the OS keyring (Secret Service on Linux, the Keychain on macOS, the
//! Credential Manager on Windows), the Linux kernel's keyutils session keyring, or this
//! process's memory only.
//!
//! It owns choosing, probing and using a store, each call bounded by a timeout so a locked
//! or absent keyring never hangs rounds. It fails closed: when the chosen store does not
//! work it says so and names the other choices; it never falls back by itself, and it never
//! writes a secret to a file. Values are opaque `Secret`s (passwords, tokens, a serialized
//! SMART token set); this module does not know what they mean, and never prints them.

mod os;
mod probe;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::fhir::Secret;

pub use probe::keyring_locked;

/// The keyring service name every rounds entry is filed under.
pub const SERVICE: &str = "rounds";

/// How long a keyring is given to answer one call before rounds gives up on it, when no
/// unlock prompt can be shown (SSH, a console).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// The same with a graphical session, where the keyring may show an unlock prompt and the
/// user needs time to type a password.
pub const PROMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time allowed per keyring call: `ROUNDS_KEYRING_TIMEOUT` (seconds) when set, else
/// `PROMPT_TIMEOUT` with a display, else `DEFAULT_TIMEOUT`.
pub fn timeout() -> Duration {
    if let Some(secs) = std::env::var("ROUNDS_KEYRING_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
    {
        return Duration::from_secs(secs.clamp(1, 600));
    }
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if display {
        PROMPT_TIMEOUT
    } else {
        DEFAULT_TIMEOUT
    }
}

/// Which store keeps a profile's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring: kept across logins and reboots, unlocked with the user's login.
    #[default]
    Keyring,
    /// The Linux kernel's session keyring: lost at logout or reboot.
    Keyutils,
    /// Not stored: kept in this process only and asked for again next time.
    Memory,
}

impl StoreKind {
    /// The name used in `profiles.toml` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::Keyutils => "keyutils",
            StoreKind::Memory => "memory",
        }
    }

    /// Whether a secret put here is still there after this process ends.
    pub fn outlives_process(self) -> bool {
        !matches!(self, StoreKind::Memory)
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a secret is, so one profile can hold several (a password and, later, tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// The password of HTTP Basic authentication.
    Password,
    /// A static bearer token (an API token).
    Token,
    /// A SMART token set (access token, refresh token, expiry, scopes) as one blob.
    SmartTokens,
    /// The private key a backend-services client signs its assertions with.
    BackendKey,
    /// The key the profile's encrypted files (the outbox of unsent writes) are sealed with.
    /// Not a credential: signing in again or out keeps it (not in `ALL`), or writes still
    /// waiting to be sent could no longer be read.
    VaultKey,
    /// The key the profile's offline copies of charts are sealed with (`offline/`). Not a
    /// credential either (not in `ALL`); deleted with the copies at `rounds logout`.
    OfflineKey,
}

impl SecretKind {
    /// Every credential kind, for removing all of a profile's sign-in secrets (the vault
    /// key is not one).
    pub const ALL: [SecretKind; 4] = [
        SecretKind::Password,
        SecretKind::Token,
        SecretKind::SmartTokens,
        SecretKind::BackendKey,
    ];

    /// The kind's name in entry names and messages.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::Password => "password",
            SecretKind::Token => "token",
            SecretKind::SmartTokens => "smart-tokens",
            SecretKind::BackendKey => "backend-key",
            SecretKind::VaultKey => "vault-key",
            SecretKind::OfflineKey => "offline-key",
        }
    }
}

/// The account name of a profile's secret in the keyring: `profile:NAME:KIND`, filed under
/// the service `rounds` (so `secret-tool lookup service rounds username profile:NAME:token`
/// finds it).
pub fn account(profile: &str, kind: SecretKind) -> String {
    format!("profile:{profile}:{}", kind.name())
}

/// Why a store could not be used. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store does not work here (no D-Bus session, no Secret Service, no session
    /// keyring, not this operating system). Nothing was stored anywhere else.
    #[error("{}", unavailable_message(*.store, .detail))]
    Unavailable { store: StoreKind, detail: String },

    /// The store did not answer in time (a locked keyring waiting for a prompt nobody
    /// can see, or a D-Bus peer that never answers).
    #[error("{} did not answer within {} s (it may be locked and waiting for an unlock prompt that cannot be shown here); nothing was stored. {}", describe_kind(*.store), .after.as_secs(), choices(*.store))]
    TimedOut { store: StoreKind, after: Duration },

    /// The store answered but refused or failed the operation.
    #[error("{} failed: {detail}", describe_kind(*.store))]
    Failed { store: StoreKind, detail: String },

    /// A profile name that cannot name an entry.
    #[error("'{0}' cannot name a profile: use letters, digits, '-', '_' or '.'")]
    BadProfileName(String),
}

/// What else to choose when `failed` does not work: the other stores, never a file, and
/// how to make the failed one work (never itself as the remedy).
fn choices(failed: StoreKind) -> &'static str {
    match failed {
        StoreKind::Keyring => {
            "rounds never writes secrets to a file. Choose instead: --store keyutils (the kernel \
             keyring of this login session; lost at logout or reboot) or --store memory (kept \
             only while rounds runs; asked again next time); or unlock or start a keyring \
             (e.g. gnome-keyring-daemon) and try again."
        }
        StoreKind::Keyutils => {
            "rounds never writes secrets to a file. Choose instead: --store keyring (the OS \
             keyring) or --store memory (kept only while rounds runs; asked again next time); \
             or start a kernel session keyring (log in again, or run rounds under \
             keyctl session -) and try again."
        }
        StoreKind::Memory => "rounds never writes secrets to a file.",
    }
}

fn unavailable_message(store: StoreKind, detail: &str) -> String {
    format!(
        "{} is not available ({detail}); nothing was stored. {}",
        describe_kind(store),
        choices(store)
    )
}

/// A store in words, without reference to any entry.
pub fn describe_kind(kind: StoreKind) -> &'static str {
    match kind {
        StoreKind::Keyring => os::KEYRING_NAME,
        StoreKind::Keyutils => "the kernel keyutils session keyring",
        StoreKind::Memory => "memory",
    }
}

/// Whether a profile name can name keyring entries and TOML tables safely.
pub fn valid_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A secret store, probed and ready.
#[derive(Clone)]
pub struct SecretStore {
    kind: StoreKind,
    timeout: Duration,
    /// The session-only values (the memory store).
    memory: Arc<Mutex<HashMap<String, Secret>>>,
}

impl fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretStore")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// Open `kind` and check that it answers (a read, within `timeout()`).
    pub fn open(kind: StoreKind) -> Result<SecretStore, StoreError> {
        SecretStore::open_with_timeout(kind, timeout())
    }

    /// Open `kind` with a chosen timeout per call.
    pub fn open_with_timeout(
        kind: StoreKind,
        timeout: Duration,
    ) -> Result<SecretStore, StoreError> {
        let store = SecretStore::unprobed(kind, timeout);
        if kind != StoreKind::Memory {
            os::get(kind, os::PROBE_ACCOUNT, timeout)?;
        }
        Ok(store)
    }

    /// Open `kind` and check that it can store a secret (a probe entry is written and
    /// removed), before the user types one in.
    pub fn open_writable(kind: StoreKind) -> Result<SecretStore, StoreError> {
        let store = SecretStore::unprobed(kind, timeout());
        if kind != StoreKind::Memory {
            os::probe_write(kind, store.timeout)?;
        }
        Ok(store)
    }

    fn unprobed(kind: StoreKind, timeout: Duration) -> SecretStore {
        SecretStore {
            kind,
            timeout,
            memory: Arc::default(),
        }
    }

    /// Which store this is.
    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    /// Where a profile's secrets live, in words, for `rounds auth status`.
    pub fn describe(&self) -> String {
        match self.kind {
            StoreKind::Keyring => format!("{}, service '{SERVICE}'", os::KEYRING_NAME),
            StoreKind::Keyutils => "the kernel keyutils session keyring (kept in kernel memory: \
                                    lost at logout or reboot)"
                .to_owned(),
            StoreKind::Memory => "not stored: session only (asked again next time)".to_owned(),
        }
    }

    /// A profile's secret of `kind`, if one is stored.
    pub fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, StoreError> {
        let account = checked_account(profile, kind)?;
        match self.kind {
            StoreKind::Memory => Ok(self.memory_map()?.get(&account).cloned()),
            store => os::get(store, &account, self.timeout),
        }
    }

    /// Keep `secret` as the profile's secret of `kind`, replacing any earlier one.
    pub fn set(&self, profile: &str, kind: SecretKind, secret: &Secret) -> Result<(), StoreError> {
        let account = checked_account(profile, kind)?;
        match self.kind {
            StoreKind::Memory => {
                self.memory_map()?.insert(account, secret.clone());
                Ok(())
            }
            store => os::set(store, &account, secret, self.timeout),
        }
    }

    /// Remove the profile's secret of `kind`; whether there was one.
    pub fn delete(&self, profile: &str, kind: SecretKind) -> Result<bool, StoreError> {
        let account = checked_account(profile, kind)?;
        match self.kind {
            StoreKind::Memory => Ok(self.memory_map()?.remove(&account).is_some()),
            store => os::delete(store, &account, self.timeout),
        }
    }

    /// Remove every secret of the profile; the kinds that were there.
    pub fn delete_all(&self, profile: &str) -> Result<Vec<SecretKind>, StoreError> {
        let mut removed = Vec::new();
        for kind in SecretKind::ALL {
            if self.delete(profile, kind)? {
                removed.push(kind);
            }
        }
        Ok(removed)
    }

    fn memory_map(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Secret>>, StoreError> {
        self.memory.lock().map_err(|_| StoreError::Failed {
            store: StoreKind::Memory,
            detail: "the session store was poisoned by an earlier failure".into(),
        })
    }
}

fn checked_account(profile: &str, kind: SecretKind) -> Result<String, StoreError> {
    if !valid_profile_name(profile) {
        return Err(StoreError::BadProfileName(profile.to_owned()));
    }
    Ok(account(profile, kind))
}

#[cfg(test)]
mod tests;
