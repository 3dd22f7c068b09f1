//! Sign-in profiles: `profiles.toml` in the config directory, naming for each profile the
//! FHIR server, how to sign in (auth kind, SMART client id and scopes, user name), an
//! optional CA bundle, which secret store keeps its secret, and the idle-lock time; plus
//! which profile is the default.
//!
//! It owns reading, checking and writing that file. It must never hold a secret: the file
//! has no field for one, unknown keys are refused (a `password` or `token` key is refused
//! by name), and it is written atomically with mode 0600 (its folder 0700 when created).
//! Secrets live in `auth::store`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::private_file;
use crate::auth::store::{StoreKind, valid_profile_name};
use crate::fhir::client::{has_userinfo, without_userinfo};
use crate::files::read_settings;

/// The file name in the config directory.
pub const FILE_NAME: &str = "profiles.toml";

/// The idle lock when a profile does not say (VistA's DTIME default, 300 s).
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;

/// How a profile signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    /// SMART App Launch (authorization code + PKCE) as the user.
    Smart,
    /// SMART backend services (client credentials + signed JWT): not per-user auditable.
    Backend,
    /// HTTP Basic with a user name and password.
    Basic,
    /// A static bearer token.
    Token,
    /// No Authorization header (open test servers).
    #[default]
    None,
}

impl AuthKind {
    /// The name used in the file and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            AuthKind::Smart => "smart",
            AuthKind::Backend => "backend",
            AuthKind::Basic => "basic",
            AuthKind::Token => "token",
            AuthKind::None => "none",
        }
    }
}

/// One profile: everything needed to reach a server, except the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The FHIR base URL.
    pub server: String,
    #[serde(default)]
    pub auth: AuthKind,
    /// The SMART client id (smart, backend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The SMART scopes requested, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
    /// The user name (basic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A PEM file of extra certificate authorities to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<PathBuf>,
    /// The PEM private key file a backend-services client signs with (its path only: the
    /// key stays in its own owner-only file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<PathBuf>,
    /// Which store keeps the secret.
    #[serde(default)]
    pub store: StoreKind,
    /// Minutes without a key press before the screen locks.
    #[serde(default = "default_idle_lock")]
    pub idle_lock_minutes: u32,
    /// The identifier system that holds the MRN at this site (`urn:oid:…`), for servers
    /// that do not type their identifiers as MR. Without it only typed identifiers are
    /// taken for an MRN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrn_system: Option<String>,
    /// Who writes through this profile (`Practitioner/ID`), when the sign-in does not say
    /// (no `fhirUser`): the author of notes, the performer of vital signs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The clinic's time zone (an IANA name such as `America/Chicago`, `UTC`, or an offset
    /// such as `-06:00`): a day's schedule is that local day. The system's zone when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The practitioner whose schedule `rounds schedule` and `:today` show by default
    /// (`Practitioner/ID` or an id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<String>,
    /// The location whose schedule is shown by default (`Location/ID` or an id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Whether a check-in also creates the visit's Encounter (off by default: some servers'
    /// Encounters are read-only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checkin_encounter: bool,
    /// Seconds between background refreshes of a list on screen (the schedule, `:ward`,
    /// `:mine`); 0 turns them off. 60 when unset; at least 15.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_refresh_seconds: Option<u32>,
    /// Keep encrypted copies of charts on this device to read when the server cannot be
    /// reached (`rounds sync`; off unless set).
    #[serde(default, skip_serializing_if = "is_false")]
    pub offline: bool,
    /// Keep the patients opened in the last this many hours (default 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_hours: Option<u32>,
    /// The most the offline copies may take, in MB (default 200; the oldest go first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_max_mb: Option<u32>,
    /// Hours after which an offline copy is deleted, never shown (default 24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_max_age_hours: Option<u32>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Patients opened within this many hours are kept offline, unless the profile says.
pub const DEFAULT_OFFLINE_HOURS: u32 = 12;

fn default_idle_lock() -> u32 {
    DEFAULT_IDLE_LOCK_MINUTES
}

impl Profile {
    /// A profile for `server` with no sign-in and the defaults.
    pub fn new(server: impl Into<String>) -> Profile {
        Profile {
            server: server.into(),
            auth: AuthKind::None,
            client_id: None,
            scopes: None,
            user: None,
            ca_bundle: None,
            key: None,
            store: StoreKind::Keyring,
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
            mrn_system: None,
            author: None,
            timezone: None,
            practitioner: None,
            location: None,
            checkin_encounter: false,
            list_refresh_seconds: None,
            offline: false,
            offline_hours: None,
            offline_max_mb: None,
            offline_max_age_hours: None,
        }
    }
}

/// Every profile, and which is the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, rename = "profile")]
    pub profiles: BTreeMap<String, Profile>,
}

/// Why the profiles file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfilesError {
    /// No config directory could be found (no home directory).
    #[error("no config directory: set ROUNDS_CONFIG_DIR to a folder for rounds' settings")]
    NoConfigDir,

    /// The file could not be read or written.
    #[error("'{path}': {problem}")]
    Io { path: PathBuf, problem: String },

    /// The file is not valid TOML, or has a key rounds does not know.
    #[error("'{path}' line {line}: {problem}")]
    Invalid {
        path: PathBuf,
        line: usize,
        problem: String,
    },

    /// Others may change the file (or its folder), and so send this user's secrets to
    /// their server.
    #[error("'{path}' can be changed by other users (mode {mode:o}); run: chmod go-w '{path}'")]
    TooOpen { path: PathBuf, mode: u32 },

    /// The file (or its folder) belongs to another user, who could send this user's
    /// secrets to their server.
    #[error(
        "'{path}' belongs to another user (uid {uid}), who could point your profiles at their \
         own server: rounds will not use it; move it away and sign in again with rounds login"
    )]
    NotYours { path: PathBuf, uid: u32 },

    /// A profile name that cannot be used.
    #[error("'{0}' cannot name a profile: use letters, digits, '-', '_' or '.'")]
    BadName(String),

    /// No profile of that name.
    #[error(
        "there is no profile '{name}' (known: {known}); create it with rounds login --profile {name} --server URL"
    )]
    Unknown { name: String, known: String },
}

/// Keys refused by name, with their own message: secrets never go in this file.
const SECRET_KEYS: [&str; 6] = [
    "password",
    "token",
    "secret",
    "access_token",
    "refresh_token",
    "client_secret",
];

/// The profiles file in the config directory.
pub fn profiles_path() -> Result<PathBuf, ProfilesError> {
    super::config_dir()
        .map(|d| d.join(FILE_NAME))
        .ok_or(ProfilesError::NoConfigDir)
}

impl Profiles {
    /// Read the profiles file; an absent file means no profiles.
    pub fn load() -> Result<Profiles, ProfilesError> {
        Profiles::load_from(&profiles_path()?)
    }

    /// Read a profiles file; an absent file means no profiles. The file and its folders
    /// must be this user's (or root's) and writable by no one else, as ssh asks of its own.
    pub fn load_from(path: &Path) -> Result<Profiles, ProfilesError> {
        check_private(path)?;
        let text = match read_settings(path, MAX_FILE) {
            Ok(Some(t)) => t,
            Ok(None) => return Ok(Profiles::default()),
            Err(problem) => {
                return Err(ProfilesError::Io {
                    path: path.to_owned(),
                    problem,
                });
            }
        };
        Profiles::parse(path, &text)
    }

    /// Change the profiles file: under an exclusive lock (on its folder),
    /// read it as it is now, apply `change`, and write it back, so that logins at the same
    /// moment all keep their profile. The path written.
    pub fn update(
        change: impl FnOnce(&mut Profiles) -> Result<(), ProfilesError>,
    ) -> Result<PathBuf, ProfilesError> {
        let path = profiles_path()?;
        Profiles::update_at(&path, change)?;
        Ok(path)
    }

    /// `update` of the profiles file at `path`.
    pub fn update_at(
        path: &Path,
        change: impl FnOnce(&mut Profiles) -> Result<(), ProfilesError>,
    ) -> Result<(), ProfilesError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let _lock = private_file::lock(dir).map_err(|e| io_error(dir, "cannot be locked", e))?;
        let mut profiles = Profiles::load_from(path)?;
        change(&mut profiles)?;
        profiles.save_to(path)
    }

    /// Parse the text of a profiles file (`path` is for messages).
    pub fn parse(path: &Path, text: &str) -> Result<Profiles, ProfilesError> {
        let invalid = |span: Option<std::ops::Range<usize>>, problem: String| {
            let line = span.map_or(1, |s| {
                1 + text.as_bytes()[..s.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            });
            ProfilesError::Invalid {
                path: path.to_owned(),
                line,
                problem,
            }
        };
        let profiles: Profiles = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_owned();
            // The key the parser stopped at, read from the file itself (not from the
            // message): a secret's name gets its own words.
            let key_at = e
                .span()
                .and_then(|span| text.get(span))
                .map(|k| k.trim().trim_matches(['"', '\'']));
            match SECRET_KEYS.iter().find(|k| key_at == Some(**k)) {
                Some(key) => invalid(
                    e.span(),
                    format!(
                        "'{key}' is not allowed: secrets never go in this file; remove the line \
                         and run rounds login to keep it in the keyring"
                    ),
                ),
                None => invalid(e.span(), message),
            }
        })?;
        for (name, profile) in &profiles.profiles {
            if !valid_profile_name(name) {
                return Err(ProfilesError::BadName(name.clone()));
            }
            // A password in the server URL would be used, printed and cached: refused, and
            // never repeated in the message.
            if has_userinfo(&profile.server) {
                let at = text.find(profile.server.as_str());
                return Err(invalid(
                    at.map(|s| s..s),
                    format!(
                        "profile '{name}': the server URL has a user name or password in it; \
                         remove them ('{}') and sign in with rounds login --profile {name} \
                         --auth basic --user NAME",
                        without_userinfo(&profile.server)
                    ),
                ));
            }
        }
        Ok(profiles)
    }

    /// A profile by name.
    pub fn get(&self, name: &str) -> Result<&Profile, ProfilesError> {
        self.profiles
            .get(name)
            .ok_or_else(|| ProfilesError::Unknown {
                name: name.to_owned(),
                known: if self.profiles.is_empty() {
                    "none yet".to_owned()
                } else {
                    self.names().join(", ")
                },
            })
    }

    /// The profile names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    /// Add or replace a profile; the first one becomes the default.
    pub fn insert(&mut self, name: &str, profile: Profile) -> Result<(), ProfilesError> {
        if !valid_profile_name(name) {
            return Err(ProfilesError::BadName(name.to_owned()));
        }
        self.profiles.insert(name.to_owned(), profile);
        if self
            .default
            .as_deref()
            .is_none_or(|d| !self.profiles.contains_key(d))
        {
            self.default = Some(name.to_owned());
        }
        Ok(())
    }

    /// Write to `path` atomically (mode 0600; its folder 0700 when created); a symbolic
    /// link is written through (the file it leads to is replaced, the link kept). Callers
    /// that read the file first use `update`, which holds the lock.
    pub fn save_to(&self, path: &Path) -> Result<(), ProfilesError> {
        let text = toml::to_string_pretty(self).map_err(|e| ProfilesError::Io {
            path: path.to_owned(),
            problem: format!("cannot be written ({e})"),
        })?;
        private_file::write_atomic(path, &format!("{HEADER}{text}"))
            .map_err(|e| io_error(path, "cannot be written", e))
    }
}

const HEADER: &str = "# rounds sign-in profiles (written by `rounds login`).\n\
# No secrets here: passwords and tokens live in the keyring (see `rounds auth status`).\n\n";

/// The largest profiles file read (a few profiles take a few hundred bytes).
const MAX_FILE: u64 = 1024 * 1024;

mod errors;
use errors::{check_private, io_error};

#[cfg(test)]
mod tests;
