//! The doctor's Secret store section: whether this is an SSH session, which stores answer
//! here (the OS keyring, locked or not; the kernel keyutils session keyring; memory), each
//! probed within the stores' own timeouts, and whether the profile's secret is there.
//!
//! It never reads out a secret's value into the report: only whether one is present, and
//! for a SMART token set when it expires and whether a refresh token is held. The keyutils
//! probe writes and removes an entry named `probe`, as `rounds login` does before it asks
//! for a secret; nothing else is written.

use std::time::Duration;

use super::Target;
use super::report::{Checks, Section, Status};
use crate::auth::store::{
    SecretKind, SecretStore, StoreError, StoreKind, account, describe_kind, keyring_locked, timeout,
};
use crate::config::{AuthKind, Profile};
use crate::source::profile::secret_kind;

pub fn checks(target: &Target) -> Checks {
    let mut c = Checks::new(Section::Store);
    let (name, profile, kind) = match target {
        Target::Profile { name, profile } => match secret_kind(profile.auth) {
            Some(kind) => (name, profile, kind),
            None => {
                c.ok(
                    "store",
                    format!("not needed: profile '{name}' signs in to nothing"),
                );
                return c;
            }
        },
        _ => {
            c.ok("store", "not needed: no profile with a sign-in is used");
            return c;
        }
    };
    let ssh = over_ssh();
    c.ok(
        "ssh",
        match ssh {
            Some(var) => format!(
                "yes ({var} is set): no unlock prompt can be shown here, so a keyring must \
                 already be unlocked"
            ),
            None => "no".to_owned(),
        },
    );
    let wait = timeout();
    let probes: Vec<(StoreKind, Probe)> =
        [StoreKind::Keyring, StoreKind::Keyutils, StoreKind::Memory]
            .into_iter()
            .map(|store| (store, probe(store, wait)))
            .collect();
    // The ways out named are the stores that answer here.
    let others: Vec<StoreKind> = probes
        .iter()
        .filter(|(store, p)| *store != profile.store && matches!(p, Probe::Fine(_)))
        .map(|(store, _)| *store)
        .collect();
    let mut usable = false;
    for (store, probe) in probes {
        let label = store_name(store);
        let chosen = store == profile.store;
        match probe {
            Probe::Fine(finding) => {
                usable |= chosen;
                let used = if chosen {
                    " (this profile's store)"
                } else {
                    ""
                };
                c.ok(label, format!("{finding}{used}"));
            }
            Probe::Locked(finding) | Probe::Unusable(finding) if !chosen => c.warning(
                label,
                finding,
                &format!("nothing to do for this profile; it matters only for --store {store}"),
            ),
            Probe::Locked(finding) => {
                c.failure(
                    label,
                    finding,
                    &advice(store, ssh.is_some(), true, name, &others),
                );
            }
            Probe::Unusable(finding) => {
                c.failure(
                    label,
                    finding,
                    &advice(store, ssh.is_some(), false, name, &others),
                );
            }
        }
    }
    if usable {
        secret(&mut c, name, profile, kind, wait);
    }
    c
}

/// How a store answered.
enum Probe {
    Fine(String),
    /// It answers, but reading a secret needs an unlock prompt.
    Locked(String),
    Unusable(String),
}

/// The environment variable that says this is an SSH session, if one does.
fn over_ssh() -> Option<&'static str> {
    ["SSH_CONNECTION", "SSH_TTY"]
        .into_iter()
        .find(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

fn store_name(store: StoreKind) -> &'static str {
    match store {
        StoreKind::Keyring => "keyring",
        StoreKind::Keyutils => "keyutils",
        StoreKind::Memory => "memory",
    }
}

/// Whether `store` can be used here, in words either way.
fn probe(store: StoreKind, wait: Duration) -> Probe {
    let what = describe_kind(store);
    let unusable = |e: StoreError| Probe::Unusable(format!("{what}: {}", problem(&e)));
    match store {
        StoreKind::Memory => Probe::Fine(
            "always there: kept only while rounds runs, asked for again each time".into(),
        ),
        StoreKind::Keyutils => match SecretStore::open_writable(store) {
            Ok(_) => Probe::Fine(format!(
                "{what}: answers and can keep a secret (until logout or reboot)"
            )),
            Err(e) => unusable(e),
        },
        StoreKind::Keyring => {
            if let Err(e) = SecretStore::open_with_timeout(store, wait) {
                return unusable(e);
            }
            match keyring_locked(wait) {
                Ok(Some(true)) => Probe::Locked(format!(
                    "{what}: answers, but the login keyring is locked: reading a secret needs \
                     an unlock prompt"
                )),
                Ok(Some(false)) => Probe::Fine(format!("{what}: answers, unlocked")),
                Ok(None) => Probe::Fine(format!("{what}: answers")),
                Err(e) => Probe::Fine(format!(
                    "{what}: answers (whether it is locked is not known: {})",
                    problem(&e)
                )),
            }
        }
    }
}

/// A store error in words, without the "choose instead" advice of its message (the
/// report gives its own).
fn problem(e: &StoreError) -> String {
    match e {
        StoreError::Unavailable { detail, .. } => format!("not available here ({detail})"),
        StoreError::TimedOut { after, .. } => format!(
            "did not answer within {} s (it may be locked and waiting for an unlock prompt \
             that cannot be shown here)",
            after.as_secs()
        ),
        StoreError::Failed { detail, .. } => format!("failed: {detail}"),
        StoreError::BadProfileName(name) => format!("'{name}' cannot name a profile"),
    }
}

/// What to do when the profile's own store cannot be used: make it work, or sign in
/// again with one of the `others` that answer here.
fn advice(store: StoreKind, ssh: bool, locked: bool, name: &str, others: &[StoreKind]) -> String {
    let switch = match others {
        [] => String::new(),
        _ => {
            let choices: Vec<String> = others
                .iter()
                .map(|s| match s {
                    StoreKind::Keyutils => "--store keyutils (kept until this login session ends)",
                    StoreKind::Memory => "--store memory (asked for at each run)",
                    StoreKind::Keyring => "--store keyring",
                })
                .map(str::to_owned)
                .collect();
            format!(
                "; or sign in again with a store that answers here: rounds login --profile \
                 {name} {}",
                choices.join(" or ")
            )
        }
    };
    let fix = match (store, locked, ssh) {
        (StoreKind::Keyring, true, true) => {
            "over SSH no unlock prompt can be shown: unlock it from this shell (gnome-keyring-daemon \
             --replace --unlock --components=secrets reads the password from stdin)"
        }
        (StoreKind::Keyring, true, false) => {
            "unlock the login keyring (the desktop's unlock prompt, or log in to the desktop again)"
        }
        (StoreKind::Keyring, false, true) => {
            "over SSH there is usually no Secret Service: run one for this session \
             (dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; \
             exec sh', the password read from stdin)"
        }
        (StoreKind::Keyring, false, false) => {
            "start a keyring (gnome-keyring-daemon --start --components=secrets in the desktop \
             session)"
        }
        _ => {
            "run rounds in a login session with a kernel session keyring of its own \
             (keyctl session -)"
        }
    };
    format!("{fix}{switch}")
}

/// Whether the profile's secret is in its store (never its value).
fn secret(c: &mut Checks, name: &str, profile: &Profile, kind: SecretKind, wait: Duration) {
    if profile.store == StoreKind::Memory {
        return c.ok(
            "secret",
            "session only: asked for at each run, never stored",
        );
    }
    let login = format!("rounds login --profile {name}");
    let store = match SecretStore::open_with_timeout(profile.store, wait) {
        Ok(store) => store,
        Err(e) => return c.failure("secret", problem(&e), &login),
    };
    let entry = account(name, kind);
    match store.get(name, kind) {
        Ok(None) => c.failure(
            "secret",
            format!(
                "missing: no {} in {}",
                kind.name(),
                describe_kind(profile.store)
            ),
            &login,
        ),
        Err(e) => c.failure("secret", problem(&e), &login),
        Ok(Some(secret)) => {
            let tokens = matches!(profile.auth, AuthKind::Smart | AuthKind::Backend)
                .then(|| crate::auth::stored_tokens::details(&secret))
                .flatten();
            let Some(t) = tokens else {
                return c.ok(
                    "secret",
                    format!("present: {} in entry '{entry}'", kind.name()),
                );
            };
            let expires = t.expires_at.as_deref().unwrap_or("not said");
            let refresh = if t.refresh_token {
                "a refresh token is held"
            } else {
                "no refresh token"
            };
            let finding = format!(
                "present: SMART tokens in entry '{entry}'; access {} {expires}; {refresh}",
                if t.expired { "expired" } else { "expires" }
            );
            let status = match (
                t.expired,
                t.refresh_token || profile.auth == AuthKind::Backend,
            ) {
                (true, false) => Status::Failure,
                _ => Status::Ok,
            };
            let advice = if status == Status::Ok { "" } else { &login };
            c.push("secret", status, finding, advice);
        }
    }
}
