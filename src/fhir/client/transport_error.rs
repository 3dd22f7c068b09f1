//! What a failed exchange with the server was, in words a clinician and clinic IT can act
//! on: refused, a name that does not resolve, a TLS problem (an expired or untrusted
//! certificate, a certificate for another name), or a connection that dropped mid-answer.
//!
//! It decides by the types in the error's chain (`std::io::ErrorKind`, `rustls::Error`,
//! `hyper::Error`) and, for a connection that failed before any of those could say why, by
//! looking the host name up; never by reading error text. Messages never hold the URL
//! (its query could carry search terms).

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use rustls::CertificateError;

use crate::fhir::error::FhirError;

/// The errors in `e`'s chain, outermost first. An I/O error that wraps another error
/// hands on that error itself (its `source` would skip it).
fn chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |e: &&'a (dyn StdError + 'static)| {
        match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => (*e).source(),
        }
    })
}

/// The kind of the innermost I/O error in the chain that says more than "other".
fn io_kind(e: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    chain(e)
        .filter_map(|e| e.downcast_ref::<io::Error>().map(io::Error::kind))
        .filter(|k| *k != io::ErrorKind::Other)
        .last()
}

/// The TLS error in the chain, if any (rustls errors may come wrapped in an I/O error).
pub fn tls_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    chain(e).find_map(|e| e.downcast_ref::<rustls::Error>())
}

/// Whether the connection closed before the whole answer came.
fn closed_early(e: &(dyn StdError + 'static)) -> bool {
    chain(e).any(|e| {
        e.downcast_ref::<hyper::Error>()
            .is_some_and(|h| h.is_incomplete_message() || h.is_closed() || h.is_canceled())
    }) || matches!(
        io_kind(e),
        Some(
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
        )
    )
}

/// A TLS failure in plain English: what is wrong, and what to do about it when the user
/// can do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsProblem {
    pub what: String,
    pub todo: Option<String>,
}

/// What a TLS error means for a connection to `host` (also `rounds doctor`'s words).
pub fn tls_problem(e: &rustls::Error, host: &str) -> TlsProblem {
    use rustls::Error as T;
    let said = |what: &str, todo: Option<&str>| TlsProblem {
        what: what.to_owned(),
        todo: todo.map(str::to_owned),
    };
    let cert = |c: &CertificateError| match c {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => said(
            "the server's certificate has expired",
            Some("ask the server's administrator to renew it"),
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => said(
            "the server's certificate is not valid yet",
            Some("check this computer's clock"),
        ),
        CertificateError::UnknownIssuer => said(
            "the server's certificate is not signed by an authority this computer trusts",
            Some("for a clinic's private authority, give its certificate with --ca-bundle"),
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            TlsProblem {
                what: format!("the server's certificate is not for '{host}'"),
                todo: Some("check the server URL".to_owned()),
            }
        }
        CertificateError::Revoked => said("the server's certificate has been revoked", None),
        CertificateError::BadSignature
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => said(
            "the server's certificate has a signature this computer cannot check",
            None,
        ),
        _ => said("the server's certificate cannot be used", None),
    };
    match e {
        T::InvalidCertificate(c) => cert(c),
        T::NoCertificatesPresented => said("the server sent no certificate", None),
        T::PeerIncompatible(_) => said(
            "the server and rounds share no TLS version or cipher (the server may be too old)",
            None,
        ),
        T::AlertReceived(_) => said("the server ended the secure handshake", None),
        T::InvalidMessage(_)
        | T::InappropriateMessage { .. }
        | T::InappropriateHandshakeMessage { .. } => said(
            "the server's answer is not TLS (is the URL http:// rather than https://?)",
            None,
        ),
        _ => said("the secure handshake failed", None),
    }
}

/// A TLS failure in plain English, with what to do about it.
pub(super) fn tls_words(e: &rustls::Error, host: &str) -> String {
    let TlsProblem { what, todo } = tls_problem(e, host);
    let todo = todo.map(|t| format!(": {t}")).unwrap_or_default();
    format!("a secure (TLS) connection to {host} could not be made: {what}{todo}")
}

/// Whether `host` resolves to any address (asked only after a connection failed).
async fn resolves(host: &str, port: u16) -> bool {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let lookup = tokio::net::lookup_host((host.trim_matches(['[', ']']), port));
    match tokio::time::timeout(Duration::from_secs(5), lookup).await {
        Ok(Ok(mut addrs)) => addrs.next().is_some(),
        // A lookup that errs or takes too long: the name is the problem.
        _ => false,
    }
}

/// The `FhirError` a failed exchange with `host:port` stands for.
pub(super) async fn transport_error(
    e: &reqwest::Error,
    timeout: Duration,
    host: &str,
    port: Option<u16>,
) -> FhirError {
    if let Some(refusal) = super::redirect::refused(e) {
        // Not a network failure: trying again would be refused the same way.
        return FhirError::BadResponse {
            detail: refusal.to_string(),
        };
    }
    if e.is_timeout() {
        return FhirError::Timeout { after: timeout };
    }
    let at = match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    let err: &(dyn StdError + 'static) = e;
    let detail = if let Some(tls) = tls_error(err) {
        tls_words(tls, host)
    } else if io_kind(err) == Some(io::ErrorKind::ConnectionRefused) {
        format!("the connection to {at} was refused: is the server running and the URL right?")
    } else if e.is_body() || e.is_decode() || closed_early(err) {
        format!("the connection to {at} dropped before the answer was complete")
    } else if e.is_connect() && !resolves(host, port.unwrap_or(443)).await {
        format!("the name '{host}' could not be resolved: check the server URL and the network")
    } else if e.is_connect() {
        format!("could not connect to {at}: the network or a firewall may be in the way")
    } else {
        format!("the request to {at} failed before the server answered")
    };
    FhirError::Connection { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_failures_read_as_english() {
        let expired = rustls::Error::InvalidCertificate(CertificateError::Expired);
        let text = tls_words(&expired, "ehr.example");
        assert!(text.contains("has expired"), "{text}");
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        assert!(tls_words(&unknown, "h").contains("--ca-bundle"));
        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert!(tls_words(&name, "ehr.example").contains("not for 'ehr.example'"));
        // Wrapped in an I/O error, as tokio-rustls hands it on, it is still found.
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, expired);
        assert!(tls_error(&wrapped).is_some());
        let plain = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert!(tls_error(&plain).is_none());
        assert_eq!(io_kind(&plain), Some(io::ErrorKind::ConnectionRefused));
    }

    #[tokio::test]
    async fn an_address_resolves_and_a_reserved_name_does_not() {
        assert!(resolves("127.0.0.1", 80).await);
        assert!(!resolves("no-such-host.invalid", 80).await);
    }
}
