//! The client's HTTP requests: GET (revalidated against the session cache), POST, and the
//! credentials each request carries, renewed once when the server answers 401. Retrying
//! is in `retry`; one exchange on the wire (body, size cap, decompression, statistics,
//! transport errors) is in `exchange`.

use std::time::Duration;

use reqwest::header::{self, HeaderValue};
use url::Url;

use super::decode::looks_like_resource;
use super::early::EarlyPatient;
use super::{AuthProvider, Credentials, FhirClient, Secret};
use crate::fhir::error::FhirError;

/// The FHIR JSON MIME type.
pub(crate) const FHIR_JSON: &str = "application/fhir+json";

/// A response whose body has been read and decompressed.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    /// `Location` (a create's new resource).
    pub location: Option<String>,
    pub body: Vec<u8>,
    /// `ETag` and `Last-Modified`, for revalidating later.
    pub validators: Validators,
}

/// What a later request can send to ask "has this changed?".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

impl FhirClient {
    /// GET, revalidated against the session cache: when the URL was fetched before with an
    /// `ETag` or `Last-Modified`, a 304 answer reuses the earlier body.
    pub(crate) async fn get(&self, url: Url, label: String) -> Result<RawResponse, FhirError> {
        let key = url.as_str().to_owned();
        let cached = self.inner.revalidation.lookup(&key);
        let validators = cached.as_ref().map(|(v, _)| v.clone()).unwrap_or_default();
        let resp = self.get_if_changed(url, label, &validators).await?;
        if resp.status == 304 {
            if let Some((_, body)) = cached {
                self.inner
                    .revalidation
                    .not_modified
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(RawResponse {
                    status: 200,
                    body: body.to_vec(),
                    ..resp
                });
            }
        }
        // Only a body that parses as a resource is kept: a response cut short or mangled on
        // the way must not come back from the cache on every 304 after.
        if resp.status == 200 && !resp.validators.is_empty() && looks_like_resource(&resp.body) {
            self.inner
                .revalidation
                .store(key, resp.validators.clone(), &resp.body);
        }
        Ok(resp)
    }

    /// GET with `If-None-Match` / `If-Modified-Since` from `validators`; a 304 is returned
    /// as is (status 304, empty body).
    pub(crate) async fn get_if_changed(
        &self,
        url: Url,
        label: String,
        validators: &Validators,
    ) -> Result<RawResponse, FhirError> {
        let mut req = self.inner.http.get(url);
        if let Some(etag) = &validators.etag {
            req = req.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(header::IF_MODIFIED_SINCE, lm);
        }
        self.execute(req, "GET", label, 0, None).await
    }

    /// POST; `early`, when given, is shown the body as it arrives (the first-screen batch,
    /// whose first entry is the Patient the banner needs).
    pub(crate) async fn post(
        &self,
        url: Url,
        content_type: &'static str,
        body: Vec<u8>,
        label: String,
        early: Option<&mut EarlyPatient>,
    ) -> Result<RawResponse, FhirError> {
        let len = body.len() as u64;
        let req = self
            .inner
            .post_http
            .post(url)
            .header(header::CONTENT_TYPE, content_type)
            .body(body);
        self.execute(req, "POST", label, len, early).await
    }

    /// Send a write once: a write whose answer was lost is not repeated here (the server may
    /// have taken it); the outbox decides, knowing the write's identifier. Only a 401 is
    /// answered by renewing the login and sending again (the server took nothing).
    pub(crate) async fn send_write(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
    ) -> Result<RawResponse, FhirError> {
        self.execute_with(req, method, label, body_len, None, false)
            .await
    }

    /// Send a request with the current credentials, retrying what may succeed on a second
    /// try (`retry`).
    async fn execute(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
        early: Option<&mut EarlyPatient>,
    ) -> Result<RawResponse, FhirError> {
        self.execute_with(req, method, label, body_len, early, true)
            .await
    }

    /// Send a request with the current credentials. When they come from an `AuthProvider`
    /// and the server answers 401, the provider is asked to renew them once; if it can, the
    /// request is repeated once with the new header, otherwise the 401 goes to the caller
    /// (which shows "log in again"). `retries`: whether a dropped connection, a timeout or
    /// a 502-504 is tried again (reads: yes; writes: no).
    async fn execute_with(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
        mut early: Option<&mut EarlyPatient>,
        retries: bool,
    ) -> Result<RawResponse, FhirError> {
        let req = req
            .header(header::ACCEPT, FHIR_JSON)
            .header(header::ACCEPT_ENCODING, "gzip, br");
        let (value, sent) = self.auth_header().await?;
        // A request whose body cannot be copied is sent once.
        let Some(first) = req.try_clone() else {
            return self
                .attempt(with_auth(req, value), method, label, body_len, early)
                .await;
        };
        let resp = if retries {
            self.with_retries(
                with_auth(first, value),
                method,
                label.clone(),
                body_len,
                early.as_deref_mut(),
            )
            .await?
        } else {
            self.attempt(
                with_auth(first, value),
                method,
                label.clone(),
                body_len,
                None,
            )
            .await?
        };
        if resp.status != 401 {
            return Ok(resp);
        }
        let Some((provider, rejected)) = sent else {
            return Ok(resp);
        };
        if !provider.renew(&rejected).await? {
            return Ok(resp);
        }
        let (value, _) = self.auth_header().await?;
        let label = format!("{label} (after renewing the login)");
        if !retries {
            return self
                .attempt(with_auth(req, value), method, label, body_len, None)
                .await;
        }
        self.with_retries(with_auth(req, value), method, label, body_len, early)
            .await
    }

    /// The `Authorization` header for the next request, and, when it came from a provider,
    /// that provider with the value sent (to name it if the server rejects it).
    async fn auth_header(&self) -> Result<(Option<HeaderValue>, Option<Sent>), FhirError> {
        // Copied out: the lock is never held across an await.
        let creds = match self.inner.credentials.read() {
            Ok(c) => c.clone(),
            Err(_) => return Ok((None, None)),
        };
        let (value, sent) = match creds {
            Credentials::None => return Ok((None, None)),
            Credentials::Bearer(token) => (format!("Bearer {}", token.expose()), None),
            Credentials::Basic { user, password } => {
                use base64::Engine as _;
                let raw = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                (format!("Basic {encoded}"), None)
            }
            Credentials::Provider(provider) => {
                let value = provider.authorization().await?;
                (value.expose().to_owned(), Some((provider, value)))
            }
        };
        let mut header = match HeaderValue::from_str(&value) {
            Ok(h) => h,
            // As before for static credentials: no header (the server answers 401).
            Err(_) if sent.is_none() => return Ok((None, None)),
            Err(_) => {
                return Err(FhirError::InvalidRequest {
                    detail: "the login gave a token an HTTP header cannot carry".into(),
                });
            }
        };
        header.set_sensitive(true);
        Ok((Some(header), sent))
    }
}

/// A provider's header as sent, to hand back to it if the server rejects it.
type Sent = (std::sync::Arc<dyn AuthProvider>, Secret);

fn with_auth(req: reqwest::RequestBuilder, value: Option<HeaderValue>) -> reqwest::RequestBuilder {
    match value {
        Some(v) => req.header(header::AUTHORIZATION, v),
        None => req,
    }
}
