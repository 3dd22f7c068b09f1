//! `FhirClient`: a FHIR R4 REST client over reqwest.
//!
//! It owns the HTTP connection pool, the base URL, credentials, capability discovery and the
//! wire statistics. It knows nothing of terminals or of how a chart is displayed; it returns
//! FHIR resources (`fhir::model`) and `PatientRecord`s, or a `FhirError`.

mod binaries;
mod by_id;
mod chart;
mod credentials;
mod decode;
mod discovery;
mod early;
mod exchange;
pub mod glance;
mod http;
mod lists;
mod measure;
mod paging;
mod patients;
mod probe;
mod redirect;
mod retry;
mod revalidate;
pub mod schedule;
mod transport;
mod transport_error;
mod write;

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use chart::Continuation;
pub use credentials::{AuthProvider, Credentials, Secret};
pub use early::PatientSink;
pub use http::Validators;
pub use patients::PatientPage;
pub use probe::MetadataAnswer;
pub use revalidate::KeptAnswer;
use tokio::sync::OnceCell;
pub use transport_error::{TlsProblem, tls_error, tls_problem};
use url::Url;

use super::capability::Capabilities;
use super::error::FhirError;
use super::query::PageSize;
use super::stats::{RequestEvent, WireSnapshot, WireStats};

/// Called after every request with a description free of patient data.
pub type RequestObserver = Arc<dyn Fn(&RequestEvent) + Send + Sync>;

/// Whether chart loads use one `batch` Bundle or concurrent searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BatchMode {
    /// Batch when the CapabilityStatement advertises it.
    #[default]
    Auto,
    /// Always batch (the server is known to support it).
    Always,
    /// Never batch: concurrent requests.
    Never,
}

/// Settings for a `FhirClient`.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The FHIR base URL, e.g. `https://ehr.example/fhir/R4`.
    pub base_url: String,
    pub user_agent: String,
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub request_timeout: Duration,
    /// Largest response body accepted, compressed or not, in bytes.
    pub max_body_bytes: usize,
    pub credentials: Credentials,
    pub batch: BatchMode,
    pub page: PageSize,
    /// Most pages followed per section when loading a chart.
    pub max_pages: u32,
    /// Most entries a section takes from the pages `fetch_rest` follows (the TUI's
    /// background load); past it the section is marked cut short. A chart with years of
    /// results then holds the newest thousand or so of each kind, and the terminal client
    /// stays within tens of megabytes. `fetch_record` (the CLI) has `record_max_*`.
    pub rest_max_entries: usize,
    /// Most resources `fetch_record` (the CLI's chart) takes before it stops following
    /// pages and marks the chart cut short: a server that pages on and on (20 pages of
    /// 19,999 entries per section) must not take gigabytes and minutes.
    pub record_max_entries: usize,
    /// Most decoded bytes of the pages `fetch_record` follows, with the same effect.
    pub record_max_bytes: u64,
    /// How many times a request that may succeed on another try is repeated.
    pub retries: u32,
    /// The first wait before a retry; it doubles each time.
    pub retry_base: Duration,
    /// The longest `Retry-After` the client waits for before retrying by itself; a longer
    /// one is reported to the user with the time to wait.
    pub max_retry_after: Duration,
    /// PEM file of extra certificate authorities to trust (a clinic's private CA), added
    /// to the platform's roots.
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Accept any TLS certificate. Dangerous: only for a test server; every screen and
    /// command says so while it is on.
    pub insecure_skip_tls_verify: bool,
    /// A folder to keep the server's capabilities in between runs (no patient data).
    pub capability_cache: Option<std::path::PathBuf>,
    /// How long a cached CapabilityStatement is used without asking the server.
    pub capability_max_age: Duration,
}

impl ClientConfig {
    /// Defaults for `base_url`.
    pub fn new(base_url: impl Into<String>) -> ClientConfig {
        ClientConfig {
            base_url: base_url.into(),
            user_agent: format!(
                "rounds/{} (FHIR R4 terminal client)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 32 * 1024 * 1024,
            credentials: Credentials::None,
            batch: BatchMode::Auto,
            page: PageSize::default(),
            max_pages: 20,
            rest_max_entries: 1_000,
            record_max_entries: 50_000,
            record_max_bytes: 128 * 1024 * 1024,
            retries: 2,
            retry_base: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(10),
            ca_bundle: None,
            insecure_skip_tls_verify: false,
            capability_cache: None,
            capability_max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// A FHIR R4 client. Cheap to clone; clones share the connection pool and statistics.
#[derive(Clone)]
pub struct FhirClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// GETs: redirects followed within https (another host gets no Authorization header).
    http: reqwest::Client,
    /// POSTs: redirects followed only on the same origin (`redirect.rs`).
    post_http: reqwest::Client,
    base: Url,
    config: ClientConfig,
    credentials: RwLock<Credentials>,
    stats: WireStats,
    observer: Option<RequestObserver>,
    capabilities: OnceCell<Capabilities>,
    /// The server refused `POST _search`: search by GET from now on.
    post_search_refused: std::sync::atomic::AtomicBool,
    /// A patient search with `_elements` was answered 400 or 422: later ones go without it.
    elements_refused: std::sync::atomic::AtomicBool,
    /// The server refused chart searches by `patient=Patient/ID`: they go by the bare id.
    typed_refs_refused: std::sync::atomic::AtomicBool,
    /// The server advertised batch but refused it: load charts concurrently from now on.
    batch_refused: std::sync::atomic::AtomicBool,
    /// The server declared `patch` without a `patchFormat` and refused a JSON Patch.
    json_patch_refused: std::sync::atomic::AtomicBool,
    /// Bodies and validators of earlier GETs, for 304 revalidation.
    revalidation: revalidate::RevalidationCache,
}

impl fmt::Debug for FhirClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FhirClient")
            .field("base", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

/// Install the ring TLS provider once per process (reqwest is built without one).
pub(crate) fn ensure_crypto_provider() {
    // An error means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Parse and check a FHIR base URL: http or https, no query, no fragment, and no user name
/// or password in it (a URL is printed, cached and saved in `profiles.toml`: a password in
/// it would be too). Messages never repeat a user name or password that was typed.
pub fn parse_base_url(base_url: &str) -> Result<Url, FhirError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    if has_userinfo(trimmed) {
        return Err(FhirError::InvalidRequest {
            detail: format!(
                "'{}' has a user name or password in it; rounds never takes them from a \
                 URL (it would be printed and saved): give the URL without them and sign in \
                 with rounds login --auth basic --user NAME (the password is asked for and \
                 kept in the keyring)",
                without_userinfo(trimmed)
            ),
        });
    }
    let url = Url::parse(trimmed).map_err(|e| FhirError::InvalidRequest {
        detail: format!(
            "'{trimmed}' is not a valid server URL ({e}); use e.g. https://ehr.example/fhir"
        ),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(FhirError::InvalidRequest {
            detail: format!("'{trimmed}' is not an http or https URL"),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(FhirError::InvalidRequest {
            detail: format!("'{trimmed}' has a query or fragment; give the FHIR base URL only"),
        });
    }
    Ok(url)
}

/// The authority of a URL as typed: what lies between `//` and the next `/`, `?` or `#`.
fn authority(url: &str) -> Option<(usize, &str)> {
    let start = url.find("//")? + 2;
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((start, &rest[..end]))
}

/// Whether a URL, as typed, carries a user name or password (`http://user:pass@host`).
/// Read from the text, not from the parsed URL, so that one that does not parse is caught
/// as well (and its password is never echoed in the parse error).
pub fn has_userinfo(url: &str) -> bool {
    authority(url).is_some_and(|(_, a)| a.contains('@'))
}

/// The URL with any user name and password taken out, for messages.
pub fn without_userinfo(url: &str) -> String {
    match authority(url) {
        Some((start, a)) => match a.rfind('@') {
            Some(at) => format!("{}{}", &url[..start], &url[start + at + 1..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The certificates of a PEM bundle file.
pub(crate) fn read_ca_bundle(
    path: &std::path::Path,
) -> Result<Vec<reqwest::Certificate>, FhirError> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| FhirError::InvalidRequest {
        detail: format!("the CA bundle '{shown}' cannot be read ({e})"),
    })?;
    let certs =
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| FhirError::InvalidRequest {
            detail: format!("the CA bundle '{shown}' is not a PEM certificate file"),
        })?;
    if certs.is_empty() {
        return Err(FhirError::InvalidRequest {
            detail: format!("the CA bundle '{shown}' holds no certificates"),
        });
    }
    Ok(certs)
}

/// A reqwest client with the TLS, timeout and pool settings of `config` and `redirects`.
pub(crate) fn http_client(
    config: &ClientConfig,
    redirects: reqwest::redirect::Policy,
) -> Result<reqwest::Client, FhirError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(config.user_agent.clone())
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .redirect(redirects)
        .pool_idle_timeout(Duration::from_secs(90));
    if let Some(path) = &config.ca_bundle {
        for cert in read_ca_bundle(path)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    if config.insecure_skip_tls_verify {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder.build().map_err(|e| FhirError::InvalidRequest {
        detail: format!("could not set up HTTP: {}", e.without_url()),
    })
}

/// The redirect policy for GETs (no https to http), for other clients of the same servers.
pub(crate) fn redirects_for_gets() -> reqwest::redirect::Policy {
    redirect::for_gets()
}

impl FhirClient {
    /// A client for `config.base_url`.
    pub fn new(config: ClientConfig) -> Result<FhirClient, FhirError> {
        FhirClient::with_observer(config, None)
    }

    /// A client that reports every request to `observer`.
    pub fn with_observer(
        config: ClientConfig,
        observer: Option<RequestObserver>,
    ) -> Result<FhirClient, FhirError> {
        ensure_crypto_provider();
        let base = parse_base_url(&config.base_url)?;
        // reqwest drops the Authorization header when a redirect leaves the host (or the
        // port or scheme): credentials never go to another server. No redirect leaves https,
        // and a POST is never sent on to another origin (`redirect.rs`).
        let http = http_client(&config, redirect::for_gets())?;
        let post_http = http_client(&config, redirect::for_posts())?;
        Ok(FhirClient {
            inner: Arc::new(Inner {
                http,
                post_http,
                base,
                credentials: RwLock::new(config.credentials.clone()),
                config,
                stats: WireStats::default(),
                observer,
                capabilities: OnceCell::new(),
                post_search_refused: std::sync::atomic::AtomicBool::new(false),
                elements_refused: std::sync::atomic::AtomicBool::new(false),
                typed_refs_refused: std::sync::atomic::AtomicBool::new(false),
                batch_refused: std::sync::atomic::AtomicBool::new(false),
                json_patch_refused: std::sync::atomic::AtomicBool::new(false),
                revalidation: revalidate::RevalidationCache::default(),
            }),
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str().trim_end_matches('/')
    }

    /// The client's settings.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Replace the credentials (after a login or a token refresh).
    pub fn set_credentials(&self, credentials: Credentials) {
        if let Ok(mut c) = self.inner.credentials.write() {
            *c = credentials;
        }
    }

    /// Forget every response body kept for revalidation (patient data): call when a chart
    /// closes or the session locks.
    pub fn forget(&self) {
        self.inner.revalidation.clear();
    }

    /// Round trips and bytes so far.
    pub fn stats(&self) -> WireSnapshot {
        self.inner.stats.snapshot()
    }

    /// Read one resource by type and id, as raw JSON.
    pub async fn read(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<serde_json::Value, FhirError> {
        let url = self.resource_url(resource_type, id)?;
        let resp = self.get(url, format!("{resource_type} read")).await?;
        let resp = resp.ok_or_error(&format!("{resource_type} '{id}'"))?;
        resp.json_resource(&[resource_type])
    }

    /// `[base]/Type/id`, with the id percent-encoded as one path segment.
    fn resource_url(&self, resource_type: &str, id: &str) -> Result<Url, FhirError> {
        // `..` or `a/b` would make another URL of it (`Patient/..` is the server's root).
        if !super::model::is_fhir_id(id) {
            return Err(FhirError::InvalidRequest {
                detail: format!(
                    "'{}' is not a FHIR id (1 to 64 letters, digits, '-' or '.')",
                    crate::text::clean_line(id)
                ),
            });
        }
        let mut url = self.url(resource_type)?;
        url.path_segments_mut()
            .map_err(|_| FhirError::InvalidRequest {
                detail: "the base URL cannot take a path".into(),
            })?
            .push(id);
        Ok(url)
    }

    /// `[base]/relative`.
    fn url(&self, relative: &str) -> Result<Url, FhirError> {
        let joined = format!("{}/{}", self.base_url(), relative.trim_start_matches('/'));
        Url::parse(&joined).map_err(|e| FhirError::InvalidRequest {
            detail: format!("could not build a request URL ({e})"),
        })
    }
}
