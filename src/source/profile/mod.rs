//! From the user's choice of data source to a running `DataSource`: the built-in demo,
//! FHIR Bundles on disk, a server with no sign-in, or a **sign-in profile** (its server and
//! CA bundle, with credentials read from the profile's secret store, and the way it signs in
//! again when the session ends). Both the command line and the interactive screen open
//! their source here.
//!
//! It reads profiles and secrets; it never writes either (that is `rounds login`). It knows
//! nothing of the command line's syntax or of the screen: the choice comes in as plain
//! values (`SourceChoice`, `NetOptions`), and failures go out as a typed `OpenError`.

mod credentials;
mod error;
mod hidden;
pub mod secret_input;
mod sign_in;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use credentials::{credentials, secret_kind, wanted, writing_user};
pub use error::OpenError;
pub use hidden::prompt_hidden;
pub use sign_in::ProfileSignIn;

use super::{
    DataSource, DemoSource, LocalSource, OfflineAccess, OfflineSource, RemoteSource, RemoteWrites,
};
use crate::config::{Profile, Profiles};
use crate::fhir::client::RequestObserver;
use crate::fhir::{BatchMode, ClientConfig, FhirClient};
use crate::outbox::Author;

/// Where the user asked the data to come from, as typed (or taken from the environment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceChoice {
    /// `--demo`.
    pub demo: bool,
    /// `--open PATH`.
    pub open: Option<PathBuf>,
    /// `--server URL` (or `ROUNDS_SERVER`).
    pub server: Option<String>,
    /// `--profile NAME` (or `ROUNDS_PROFILE`).
    pub profile: Option<String>,
    /// Whether `server` was typed on the command line (a flag beats the environment).
    pub server_typed: bool,
    /// Whether `profile` was typed on the command line.
    pub profile_typed: bool,
}

/// How to talk to a server: the network settings of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetOptions {
    /// One batch request per chart, concurrent requests, or as the server supports.
    pub batch: BatchMode,
    /// Extra certificate authorities to trust (a clinic's private CA).
    pub ca_bundle: Option<PathBuf>,
    /// Do not check TLS certificates (test servers only; every screen says so).
    pub insecure_skip_tls_verify: bool,
    /// Seconds to wait for the server before giving up on a request.
    pub timeout: u64,
    /// Read the profile's offline copies only; do not ask the server (`--offline`).
    pub offline: bool,
}

impl Default for NetOptions {
    fn default() -> NetOptions {
        NetOptions {
            batch: BatchMode::Auto,
            ca_bundle: None,
            insecure_skip_tls_verify: false,
            timeout: 60,
            offline: false,
        }
    }
}

/// The data source chosen.
// Made once per run: the size of a profile in it costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
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
pub fn select(choice: &SourceChoice) -> Result<Selected, OpenError> {
    if choice.profile_typed && (choice.demo || choice.open.is_some()) {
        return Err(OpenError::Usage(
            "--profile names a server; it cannot be used with --demo or --open".into(),
        ));
    }
    if choice.demo {
        return Ok(Selected::Demo);
    }
    if let Some(path) = &choice.open {
        return Ok(Selected::Open(path.clone()));
    }
    let server = choice.server.clone().filter(|s| !s.trim().is_empty());
    if choice.profile_typed && choice.server_typed {
        return Err(OpenError::Usage(
            "give --profile NAME or --server URL, not both (a profile has its own server)".into(),
        ));
    }
    if let (true, Some(url)) = (choice.server_typed, &server) {
        return Ok(Selected::Server(url.clone()));
    }
    // Typed on the command line, or else from ROUNDS_PROFILE: a profile beats ROUNDS_SERVER.
    if let Some(name) = &choice.profile {
        return load(name);
    }
    if let Some(url) = server {
        return Ok(Selected::Server(url));
    }
    let profiles = Profiles::load()?;
    match profiles.default {
        Some(name) => load(&name),
        None => Err(OpenError::Usage(
            "no data source: give --server URL (or set ROUNDS_SERVER), --profile NAME \
             (create one with rounds login), --demo, or --open PATH"
                .into(),
        )),
    }
}

/// What charts are built with for this data source: a sign-in profile's MRN identifier
/// system; the defaults otherwise.
pub fn chart_options(selected: &Selected) -> crate::chart::ChartOptions {
    crate::chart::ChartOptions {
        mrn_system: match selected {
            Selected::Profile { profile, .. } => profile.mrn_system.clone(),
            _ => None,
        },
    }
}

/// The name of the active sign-in profile, if the data source is one: for the status line.
pub fn active_profile_name(selected: &Selected) -> Option<&str> {
    match selected {
        Selected::Profile { name, .. } => Some(name),
        _ => None,
    }
}

fn load(name: &str) -> Result<Selected, OpenError> {
    let profiles = Profiles::load()?;
    let profile = profiles.get(name)?.clone();
    Ok(Selected::Profile {
        name: name.to_owned(),
        profile,
    })
}

/// The client settings for `server`, from the network settings (and a CA bundle).
pub fn client_config(server: &str, ca_bundle: Option<PathBuf>, net: &NetOptions) -> ClientConfig {
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
    config.batch = net.batch;
    config
}

/// The client settings of a profile's server with the profile's TLS settings (a CA bundle
/// on the command line beats the profile's), without credentials.
pub fn profile_client_config(profile: &Profile, net: &NetOptions) -> ClientConfig {
    let ca_bundle = net.ca_bundle.clone().or_else(|| profile.ca_bundle.clone());
    client_config(&profile.server, ca_bundle, net)
}

/// The client settings of a profile, with its credentials loaded from its store (or asked
/// for again when it keeps them for the session only).
pub fn profile_config(
    name: &str,
    profile: &Profile,
    net: &NetOptions,
) -> Result<ClientConfig, OpenError> {
    let mut config = profile_client_config(profile, net);
    config.credentials = credentials(name, profile, net)?;
    Ok(config)
}

/// Build the data source `selected` names: a profile's server gets the profile's stored
/// credentials and its way of signing in again; `--server` alone gets none. `observer`
/// sees every request (for `--verbose`).
pub fn open_source(
    selected: &Selected,
    net: &NetOptions,
    observer: Option<RequestObserver>,
) -> Result<Box<dyn DataSource>, OpenError> {
    if net.offline {
        let Selected::Profile { name, profile } = selected else {
            return Err(OpenError::Usage(
                "--offline reads the copies a sign-in profile keeps: give --profile NAME".into(),
            ));
        };
        return Ok(Box::new(OfflineSource::new(Arc::new(offline_access(
            name, profile,
        )))));
    }
    let config = match selected {
        // Read on first use: the first frame does not wait for the demo data.
        Selected::Demo => return Ok(Box::new(DemoSource::new())),
        Selected::Open(path) => return Ok(Box::new(LocalSource::open(path)?)),
        Selected::Server(url) => client_config(url, net.ca_bundle.clone(), net),
        Selected::Profile { name, profile } => profile_config(name, profile, net)?,
    };
    let client = FhirClient::with_observer(config, observer)?;
    let source = RemoteSource::new(client);
    Ok(Box::new(match selected {
        Selected::Profile { name, profile } => source
            .with_sign_in(Arc::new(ProfileSignIn {
                name: name.clone(),
                profile: profile.clone(),
                net: net.clone(),
            }))
            .with_writes(profile_writes(name, profile))
            .with_offline_if(
                profile
                    .offline
                    .then(|| OfflineSource::new(Arc::new(offline_access(name, profile)))),
            ),
        _ => source,
    }))
}

/// Where a profile's writes go (its outbox, when its store outlives the process) and as
/// whom (read again after each new sign-in).
fn profile_writes(name: &str, profile: &Profile) -> RemoteWrites {
    let author = Author {
        profile: name.to_owned(),
        fhir_user: writing_user(name, profile),
    };
    let (who_name, who_profile) = (name.to_owned(), profile.clone());
    let who = Arc::new(move || writing_user(&who_name, &who_profile));
    RemoteWrites::new(
        author,
        Some(profile.store),
        crate::config::state_dir(),
        Some(who),
    )
}

/// The bounds of a profile's offline copies (its settings, else the defaults).
pub fn offline_limits(profile: &Profile) -> crate::offline::Limits {
    let d = crate::offline::Limits::default();
    crate::offline::Limits {
        max_age_hours: profile.offline_max_age_hours.unwrap_or(d.max_age_hours),
        max_bytes: profile
            .offline_max_mb
            .map_or(d.max_bytes, |mb| u64::from(mb) * 1024 * 1024),
    }
}

/// A profile's offline copies (in the state directory, under its offline key).
pub fn offline_access(name: &str, profile: &Profile) -> OfflineAccess {
    OfflineAccess::new(
        profile.store,
        crate::config::state_dir(),
        name,
        &profile.server,
        offline_limits(profile),
    )
    .with_keep(crate::source::offline_sync::KeepSettings {
        hours: profile
            .offline_hours
            .unwrap_or(crate::config::DEFAULT_OFFLINE_HOURS),
        timezone: profile.timezone.clone(),
        practitioner: profile.practitioner.clone(),
        location: profile.location.clone(),
    })
}
