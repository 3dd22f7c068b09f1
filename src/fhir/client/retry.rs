//! Retrying what may succeed on a second try: a dropped or refused connection, a timeout
//! (once), 502/503/504, and 429 or 503 with a `Retry-After` the client is willing to wait,
//! with exponential backoff and a little jitter.

use std::time::Duration;

use super::FhirClient;
use super::early::EarlyPatient;
use super::http::RawResponse;
use crate::fhir::error::FhirError;

impl FhirClient {
    /// Send a request, retrying what may succeed on a second try: a dropped or refused
    /// connection, a timeout (once), 502/503/504, and 429 or 503 with a `Retry-After` the
    /// client is willing to wait. Every request rounds sends may be repeated safely (reads,
    /// searches, and batches of reads). Each attempt is one round trip in the statistics.
    pub(super) async fn with_retries(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
        mut early: Option<&mut EarlyPatient>,
    ) -> Result<RawResponse, FhirError> {
        let retries = self.inner.config.retries;
        let mut attempt: u32 = 0;
        loop {
            let label = if attempt == 0 {
                label.clone()
            } else {
                format!("{label} (retry {attempt})")
            };
            // A request whose body cannot be copied is sent once.
            let Some(this) = req.try_clone() else {
                return self.attempt(req, method, label, body_len, early).await;
            };
            let early = early.as_deref_mut();
            let result = self.attempt(this, method, label, body_len, early).await;
            let wait = match &result {
                _ if attempt >= retries => None,
                Err(FhirError::Connection { .. }) => Some(self.backoff(attempt)),
                Err(FhirError::Timeout { .. }) if attempt == 0 => Some(self.backoff(attempt)),
                Ok(r) => self.retry_wait(r, attempt),
                Err(_) => None,
            };
            match wait {
                Some(d) => {
                    tokio::time::sleep(d).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// How long to wait before retrying `resp`, or `None` to give it to the caller.
    fn retry_wait(&self, resp: &RawResponse, attempt: u32) -> Option<Duration> {
        let cap = self.inner.config.max_retry_after;
        match (resp.status, resp.retry_after) {
            (429 | 503, Some(after)) if after <= cap => Some(after.max(Duration::from_millis(50))),
            (429 | 503, Some(_)) => None,
            (502..=504, None) => Some(self.backoff(attempt)),
            _ => None,
        }
    }

    /// Exponential backoff from `retry_base`, with a little jitter so that many clients
    /// do not come back at the same instant.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.inner.config.retry_base;
        let exp = base.saturating_mul(1u32 << attempt.min(6));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        exp + Duration::from_millis(u64::from(nanos % 100))
    }
}
