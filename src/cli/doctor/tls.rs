//! The doctor's TLS line: a handshake of its own (tokio-rustls), judged by the same
//! certificate verifier reqwest uses for every other request (the platform's roots plus
//! `--ca-bundle`), but recorded rather than enforced, so the certificate can be read and
//! described even when it is refused: protocol and cipher, subject and issuer, the expiry
//! date and the days left. Expired is a failure, under 14 days a warning, an untrusted
//! authority a failure that points at `--ca-bundle`.
//!
//! Nothing is sent over the connection; it is closed after the handshake.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;

use super::cert::{self, CertInfo};
use super::report::{Checks, Status};
use crate::fhir::ClientConfig;
use crate::fhir::client::{TlsProblem, read_ca_bundle, tls_error, tls_problem};

/// A certificate that ends sooner than this gets a warning.
const RENEW_WITHIN_DAYS: i64 = 14;

/// Shake hands with `addr` as `host` and judge what the server shows. `None` when the
/// connection cannot be used (and the checks after it would fail the same way).
pub async fn check(
    c: &mut Checks,
    host: &str,
    addr: SocketAddr,
    config: &ClientConfig,
) -> Option<()> {
    crate::fhir::client::ensure_crypto_provider();
    let verifier = match verifier(config) {
        Ok(v) => Arc::new(v),
        Err((finding, advice)) => {
            c.failure("tls", finding, &advice);
            return None;
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let Some(tls) = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()
        .map(|b| {
            b.dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth()
        })
    else {
        c.failure("tls", "TLS could not be set up", "");
        return None;
    };
    let name = ServerName::try_from(host.to_owned()).ok()?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls));
    let wait = config.connect_timeout;
    let handshake = async {
        let tcp = TcpStream::connect(addr).await?;
        connector.connect(name, tcp).await
    };
    let stream = match tokio::time::timeout(wait, handshake).await {
        Err(_) => {
            c.failure(
                "tls",
                format!("no secure handshake within {} s", wait.as_secs()),
                "check that the URL's port serves https",
            );
            return None;
        }
        Ok(Err(e)) => {
            let TlsProblem { what, todo } = match tls_error(&e) {
                Some(t) => tls_problem(t, host),
                None => TlsProblem {
                    what: format!("the secure handshake failed ({e})"),
                    todo: None,
                },
            };
            let advice = todo.unwrap_or_else(|| {
                "check that the URL's port serves https, or ask the server's administrator"
                    .to_owned()
            });
            c.failure("tls", what, &advice);
            return None;
        }
        Ok(Ok(stream)) => stream,
    };
    let (_, conn) = stream.get_ref();
    let protocol = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_owned(),
        other => format!("{other:?}"),
    };
    let info = conn
        .peer_certificates()
        .and_then(|certs| certs.first())
        .and_then(|der| cert::parse(der));
    let verdict = verifier.verdict.lock().ok().and_then(|mut v| v.take());
    judge(c, host, &protocol, info.as_ref(), verdict, config)
}

/// The line for what the handshake showed.
fn judge(
    c: &mut Checks,
    host: &str,
    protocol: &str,
    info: Option<&CertInfo>,
    verdict: Option<Result<(), rustls::Error>>,
    config: &ClientConfig,
) -> Option<()> {
    let now = Utc::now();
    let mut finding = match info {
        Some(i) => format!("{protocol}; {}, issued by {}", i.subject, i.issuer),
        None => format!("{protocol}; the certificate could not be read"),
    };
    let days_left = info.map(|i| (i.not_after - now).num_days());
    if let (Some(i), Some(days)) = (info, days_left) {
        let date = i.not_after.format("%Y-%m-%d");
        finding += &match days {
            d if i.not_after < now => format!("; EXPIRED on {date} ({} days ago)", -d),
            1 => format!("; valid until {date} (1 day left)"),
            d => format!("; valid until {date} ({d} days left)"),
        };
    }
    let problem = match &verdict {
        Some(Err(e)) => Some((tls_problem(e, host), is_date_error(e))),
        _ => None,
    };
    let info_expired = info.is_some_and(|i| i.not_after < now);
    let (status, advice) = match &problem {
        Some((p, dates)) => {
            // "EXPIRED on …" already says what the verifier would.
            if !(*dates && info_expired) {
                finding += &format!(": {}", p.what);
            }
            (Status::Failure, p.todo.clone().unwrap_or_default())
        }
        None if info_expired => (
            Status::Failure,
            "ask the server's administrator to renew it".to_owned(),
        ),
        None if days_left.is_some_and(|d| d < RENEW_WITHIN_DAYS) => (
            Status::Warning,
            "ask the server's administrator to renew it before it expires".to_owned(),
        ),
        None if verdict.is_none() => (
            Status::Warning,
            "the certificate was not checked; try again".to_owned(),
        ),
        None => (Status::Ok, String::new()),
    };
    if config.insecure_skip_tls_verify {
        finding += "; certificate checks are OFF (--insecure-skip-tls-verify)";
        let advice = if advice.is_empty() {
            "drop --insecure-skip-tls-verify: it is for test servers only".to_owned()
        } else {
            advice
        };
        c.push("tls", status.max(Status::Warning), finding, &advice);
        return Some(());
    }
    let trusted = status != Status::Failure;
    c.push("tls", status, finding, &advice);
    trusted.then_some(())
}

/// Whether the verifier refused the certificate only for its dates.
fn is_date_error(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(
            CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. }
        )
    )
}

/// The verifier reqwest would use with these settings, recording its verdict.
fn verifier(config: &ClientConfig) -> Result<Recording, (String, String)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = match &config.ca_bundle {
        None => rustls_platform_verifier::Verifier::new(provider),
        Some(path) => {
            let unusable = |e: String| (e, "give a PEM file of certificates".to_owned());
            // The same check, and words, as the client's.
            read_ca_bundle(path).map_err(|e| unusable(e.to_string()))?;
            let roots: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<_, _>>())
                .map_err(|e| unusable(format!("the CA bundle cannot be read ({e})")))?;
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)
        }
    };
    let inner = inner.map_err(|e| {
        (
            format!("this computer's certificate authorities cannot be read ({e})"),
            "check the system's CA certificates (ca-certificates)".to_owned(),
        )
    })?;
    Ok(Recording {
        inner: Arc::new(inner),
        verdict: Mutex::new(None),
    })
}

/// A verifier that asks the real one, keeps its verdict, and lets the handshake finish
/// so the certificate can be described. Signatures are still checked for real.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    verdict: Mutex<Option<Result<(), rustls::Error>>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        if let Ok(mut v) = self.verdict.lock() {
            *v = Some(verdict);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
