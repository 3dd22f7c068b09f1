//! What the server supports: `GET [base]/metadata`, asked for trimmed to what rounds
//! reads, boiled down to `Capabilities`, kept on disk per server (no patient data) and
//! revalidated when stale. Fetched at most once per client.

use super::FhirClient;
use super::http::RawResponse;
use crate::fhir::capability::{Capabilities, CapabilityStatement};
use crate::fhir::capability_cache::{CachedCapabilities, cache_file, now_secs};
use crate::fhir::error::FhirError;

impl FhirClient {
    /// Use capabilities known from elsewhere (a cache) instead of fetching them.
    pub fn set_capabilities(&self, caps: Capabilities) {
        let _ = self.inner.capabilities.set(caps);
    }

    /// The capabilities if they have been fetched or set already; never sends a request.
    pub fn known_capabilities(&self) -> Option<&Capabilities> {
        self.inner.capabilities.get()
    }

    /// The capabilities as they are now: the statement's, with what this client has learnt
    /// since (a JSON Patch refused).
    pub async fn capabilities_now(&self) -> Result<Capabilities, FhirError> {
        let mut caps = self.capabilities().await?.clone();
        caps.json_patch_refused |= self
            .inner
            .json_patch_refused
            .load(std::sync::atomic::Ordering::Relaxed);
        Ok(caps)
    }

    /// Remember that the server refused a JSON Patch although it declared `patch` (with no
    /// `patchFormat`): in this client, and in the capability cache on disk, so later runs
    /// go straight to read-merge-PUT until the statement is fetched again.
    pub fn note_json_patch_refused(&self) {
        self.inner
            .json_patch_refused
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let base = self.base_url().to_owned();
        let Some(file) = self
            .inner
            .config
            .capability_cache
            .as_deref()
            .map(|dir| cache_file(dir, &base))
        else {
            return;
        };
        if let Some(mut c) = CachedCapabilities::load(&file, &base) {
            if !c.capabilities.json_patch_refused {
                c.capabilities.json_patch_refused = true;
                // The cache only saves time: failing to write it is not an error.
                let _ = c.save(&file);
            }
        }
    }

    /// What the server supports, from `GET [base]/metadata` (fetched once per client).
    pub async fn capabilities(&self) -> Result<&Capabilities, FhirError> {
        self.inner
            .capabilities
            .get_or_try_init(|| self.discover_capabilities())
            .await
    }

    /// Capabilities from the disk cache when fresh, revalidated when stale, else fetched
    /// (compressed, and trimmed to the elements rounds reads where the server allows).
    async fn discover_capabilities(&self) -> Result<Capabilities, FhirError> {
        let base = self.base_url().to_owned();
        let file = self
            .inner
            .config
            .capability_cache
            .as_deref()
            .map(|dir| cache_file(dir, &base));
        let cached = file
            .as_deref()
            .and_then(|f| CachedCapabilities::load(f, &base));
        if let Some(c) = &cached {
            if c.is_fresh(self.inner.config.capability_max_age) {
                return Ok(c.capabilities.clone());
            }
        }
        let validators = cached
            .as_ref()
            .map(|c| c.validators.clone())
            .unwrap_or_default();
        let mut resp = self
            .get_if_changed(
                self.url(METADATA_TRIMMED)?,
                "metadata".to_owned(),
                &validators,
            )
            .await?;
        if refuses_elements(resp.status) {
            // A server that rejects `_elements` here gets the plain request.
            resp = self
                .get_if_changed(
                    self.url("metadata")?,
                    "metadata (whole)".to_owned(),
                    &validators,
                )
                .await?;
        }
        let fresh = match (resp.status, cached) {
            (304, Some(mut c)) => {
                c.checked_at = now_secs();
                c
            }
            (_, cached) => {
                let validators = resp.validators.clone();
                let mut caps = read_capabilities(resp)?;
                // A refused JSON Patch stays known while the statement says the same
                // about patching.
                if let Some(c) = cached {
                    caps.json_patch_refused = c.capabilities.json_patch_refused
                        && c.capabilities.patch_formats == caps.patch_formats;
                }
                CachedCapabilities::new(&base, validators, caps)
            }
        };
        if let Some(f) = &file {
            // The cache only saves time; a read-only home must not stop the chart.
            let _ = fresh.save(f);
        }
        Ok(fresh.capabilities)
    }
}

/// The capabilities in a `metadata` answer (an error for any status but success).
pub(super) fn read_capabilities(resp: RawResponse) -> Result<Capabilities, FhirError> {
    let resp = resp.ok_or_error("The server's capability statement")?;
    let value = resp.json_resource(&["CapabilityStatement"])?;
    let statement: CapabilityStatement =
        serde_json::from_value(value).map_err(|_| FhirError::BadResponse {
            detail: "the capability statement has an unexpected structure".into(),
        })?;
    Ok(Capabilities::from_statement(&statement))
}

/// The CapabilityStatement asked for with only the elements `Capabilities` reads. Not
/// `_summary=true`: in R4 the summary leaves out `rest.interaction` (batch),
/// `rest.resource.interaction` and `rest.resource.searchParam`, which decide how rounds
/// loads a chart. `_elements` keeps `rest` whole and drops the rest of the statement
/// (narrative, descriptions, contacts, implementation guides).
pub(super) const METADATA_TRIMMED: &str = "metadata?_elements=fhirVersion,software,format,rest";

/// Whether the answer to the trimmed `metadata` request means "ask without `_elements`".
pub(super) fn refuses_elements(status: u16) -> bool {
    matches!(status, 400 | 422 | 501)
}
