//! The operating system's stores behind `SecretStore`: the OS keyring and the Linux kernel's
//! keyutils. Entries are built with explicit credential builders, so the store is chosen
//! at run time, never by the keyring crate's compile-time default.
//!
//! Every call runs on its own thread and is abandoned after a timeout: a D-Bus peer that
//! never answers, or a locked keyring waiting for a prompt, cannot hang rounds. Errors are
//! mapped to `StoreError` and never carry a secret.

use std::sync::mpsc;
use std::time::Duration;

use keyring::Entry;

use super::{SERVICE, StoreError, StoreKind};
use crate::fhir::Secret;

/// The OS keyring in words.
#[cfg(target_os = "linux")]
pub const KEYRING_NAME: &str = "the OS keyring (Secret Service)";
/// The OS keyring in words.
#[cfg(target_os = "macos")]
pub const KEYRING_NAME: &str = "the OS keyring (macOS Keychain)";
/// The OS keyring in words.
#[cfg(windows)]
pub const KEYRING_NAME: &str = "the OS keyring (Windows Credential Manager)";
/// The OS keyring in words.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub const KEYRING_NAME: &str = "the OS keyring";

/// The account of the entry written and removed to check that a store can store.
pub const PROBE_ACCOUNT: &str = "probe";

/// A profile's secret, if the store holds one.
pub fn get(
    store: StoreKind,
    account: &str,
    timeout: Duration,
) -> Result<Option<Secret>, StoreError> {
    let account = account.to_owned();
    bounded(store, timeout, move || {
        match entry(store, &account)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(store, e)),
        }
    })
}

/// Store a secret, replacing any earlier one.
pub fn set(
    store: StoreKind,
    account: &str,
    secret: &Secret,
    timeout: Duration,
) -> Result<(), StoreError> {
    let account = account.to_owned();
    let secret = secret.clone();
    bounded(store, timeout, move || {
        entry(store, &account)?
            .set_password(secret.expose())
            .map_err(|e| map_error(store, e))
    })
}

/// Remove a secret; whether there was one.
pub fn delete(store: StoreKind, account: &str, timeout: Duration) -> Result<bool, StoreError> {
    let account = account.to_owned();
    bounded(store, timeout, move || {
        match entry(store, &account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(store, e)),
        }
    })
}

/// Check that the store can keep a secret: write a probe entry and remove it.
pub fn probe_write(store: StoreKind, timeout: Duration) -> Result<(), StoreError> {
    bounded(store, timeout, move || {
        let probe = entry(store, PROBE_ACCOUNT)?;
        probe
            .set_password("rounds store probe")
            .map_err(|e| map_error(store, e))?;
        match probe.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(store, e)),
        }
    })
}

/// Run `work` on its own thread; give up on it after `timeout`. A thread that never
/// returns is left behind: it ends with the process, and holds no secret the caller needs.
pub(super) fn bounded<T: Send + 'static>(
    store: StoreKind,
    timeout: Duration,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("rounds-{store}"))
        .spawn(move || {
            // The receiver may have given up already; then nobody wants the answer.
            let _ = tx.send(work());
        })
        .map_err(|e| StoreError::Failed {
            store,
            detail: format!("could not start a thread for it ({e})"),
        })?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(StoreError::TimedOut {
            store,
            after: timeout,
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(StoreError::Unavailable {
            store,
            detail: "the keyring library stopped unexpectedly".into(),
        }),
    }
}

/// The keyring entry of `account` in `store`.
fn entry(store: StoreKind, account: &str) -> Result<Entry, StoreError> {
    match store {
        StoreKind::Keyring => keyring_entry(account),
        StoreKind::Keyutils => keyutils_entry(account),
        StoreKind::Memory => Err(StoreError::Failed {
            store,
            detail: "the session store has no OS entries".into(),
        }),
    }
}

#[cfg(target_os = "linux")]
fn keyring_entry(account: &str) -> Result<Entry, StoreError> {
    use keyring::secret_service::SsCredential;
    // The default collection (the login keyring), found by `secret-tool lookup service
    // rounds username ACCOUNT`.
    let mut credential = SsCredential::new_with_target(None, SERVICE, account)
        .map_err(|e| map_error(StoreKind::Keyring, e))?;
    credential.label = format!("rounds: {account}");
    Ok(Entry::new_with_credential(Box::new(credential)))
}

#[cfg(not(target_os = "linux"))]
fn keyring_entry(account: &str) -> Result<Entry, StoreError> {
    // The platform's native store (Keychain, Credential Manager): the only one compiled in.
    Entry::new(SERVICE, account).map_err(|e| map_error(StoreKind::Keyring, e))
}

/// An entry in the kernel session keyring only. keyring's own constructor also links every
/// key into the user's persistent keyring, which outlives the login by days (3 by default)
/// and is readable from any later session: built here without it, so a secret kept with
/// `--store keyutils` goes when the login session ends, as `rounds auth status` says.
#[cfg(target_os = "linux")]
fn keyutils_entry(account: &str) -> Result<Entry, StoreError> {
    use keyring::keyutils::{KeyutilsCredential, decode_error};
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let session =
        KeyRing::from_special_id(KeyRingIdentifier::Session, false).map_err(
            |e| match decode_error(e) {
                keyring::Error::NoEntry => StoreError::Unavailable {
                    store: StoreKind::Keyutils,
                    detail: "this login session has no kernel session keyring".into(),
                },
                other => map_error(StoreKind::Keyutils, other),
            },
        )?;
    let credential = KeyutilsCredential {
        session,
        persistent: None,
        description: format!("{SERVICE}:{account}"),
    };
    Ok(Entry::new_with_credential(Box::new(credential)))
}

#[cfg(not(target_os = "linux"))]
fn keyutils_entry(_account: &str) -> Result<Entry, StoreError> {
    Err(StoreError::Unavailable {
        store: StoreKind::Keyutils,
        detail: "keyutils exists only on Linux".into(),
    })
}

/// A keyring error as a `StoreError`: the store cannot be used here (no D-Bus, locked,
/// refused) or an operation failed.
fn map_error(store: StoreKind, e: keyring::Error) -> StoreError {
    match e {
        keyring::Error::PlatformFailure(cause) => StoreError::Unavailable {
            store,
            detail: one_line(&cause.to_string()),
        },
        keyring::Error::NoStorageAccess(cause) => StoreError::Unavailable {
            store,
            detail: format!(
                "it is locked or refused access: {}",
                one_line(&cause.to_string())
            ),
        },
        // keyutils reports a refused link to the persistent keyring as a missing key.
        keyring::Error::NoEntry => StoreError::Unavailable {
            store,
            detail: "it refused to store the entry (no usable session keyring?)".into(),
        },
        keyring::Error::Ambiguous(items) => StoreError::Failed {
            store,
            detail: format!(
                "{} entries match; remove the extra ones (e.g. with secret-tool clear service {SERVICE})",
                items.len()
            ),
        },
        other => StoreError::Failed {
            store,
            detail: one_line(&other.to_string()),
        },
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
