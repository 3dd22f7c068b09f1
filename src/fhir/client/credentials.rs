//! How the client authenticates: a static token or password (`Credentials`), or a provider
//! that hands out a header per request and can renew it (`AuthProvider`, implemented by the
//! SMART session in `auth/`). This module owns the seam only: it knows nothing of OAuth,
//! token endpoints or keyrings, and must never print a secret.

use std::fmt;
use std::sync::Arc;

use crate::fhir::error::FhirError;

/// A secret string (token or password) that never prints itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The secret itself, for building a header. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Hands the client an `Authorization` header value for each request, and renews it when
/// the server refuses it. A SMART session refreshes its access token here, ahead of expiry
/// and after a 401, without the client knowing how.
#[async_trait::async_trait]
pub trait AuthProvider: Send + Sync + fmt::Debug {
    /// The whole header value for the next request, e.g. `Bearer eyJ…`.
    async fn authorization(&self) -> Result<Secret, FhirError>;

    /// The server answered 401 to a request sent with `rejected`. Return `Ok(true)` when a
    /// different header is now available (renewed here, or by a concurrent request), so the
    /// client repeats the request once; `Ok(false)` when only a new login can help.
    async fn renew(&self, rejected: &Secret) -> Result<bool, FhirError>;
}

/// How the client authenticates.
#[derive(Debug, Clone, Default)]
pub enum Credentials {
    /// No Authorization header (open servers, local test servers).
    #[default]
    None,
    /// `Authorization: Bearer <token>` (static API tokens).
    Bearer(Secret),
    /// `Authorization: Basic` (some on-premises servers).
    Basic { user: String, password: Secret },
    /// A header from a provider for every request, renewed once after a 401 (SMART sessions).
    Provider(Arc<dyn AuthProvider>),
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Credentials) -> bool {
        match (self, other) {
            (Credentials::None, Credentials::None) => true,
            (Credentials::Bearer(a), Credentials::Bearer(b)) => a == b,
            (
                Credentials::Basic {
                    user: u1,
                    password: p1,
                },
                Credentials::Basic {
                    user: u2,
                    password: p2,
                },
            ) => u1 == u2 && p1 == p2,
            // The same provider, not an equal one: a provider's state is its own.
            (Credentials::Provider(a), Credentials::Provider(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Credentials {}
