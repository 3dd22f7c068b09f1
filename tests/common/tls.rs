//! A private test certificate authority and HTTPS servers with certificates it signs, for
//! the TLS tests (tests/tls.rs) and the doctor's (tests/doctor): made here with rcgen, so
//! a test can ask for what no real server here has (an unknown CA, an expired certificate).

use std::sync::{Arc, Mutex};

use chrono::Datelike;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A private CA (`CN=rounds test clinic CA`) and a server certificate signed by it
/// (`CN=fhir.test-clinic.internal`, for localhost and 127.0.0.1).
pub struct TestPki {
    pub ca_pem: String,
    pub server_cert: CertificateDer<'static>,
    pub server_key: PrivateKeyDer<'static>,
}

/// The test PKI, the server certificate valid until `not_after` (midnight UTC) when given.
pub fn pki(not_after: Option<chrono::NaiveDate>) -> TestPki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "rounds test clinic CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "fhir.test-clinic.internal");
    if let Some(d) = not_after {
        params.not_after = rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    }
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    let cert = params.signed_by(&key, &issuer).unwrap();
    TestPki {
        ca_pem: ca_cert.pem(),
        server_cert: cert.der().clone(),
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// An HTTPS server on 127.0.0.1 with the PKI's server certificate: one request per
/// connection, answered with `answer(request head)` (a whole HTTP response). Its port,
/// and the request heads seen.
pub async fn https_server(
    pki: &TestPki,
    answer: impl Fn(&str) -> String + Send + Sync + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![pki.server_cert.clone()], pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, log, answer) = (acceptor.clone(), log.clone(), answer.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let response = answer(&head);
                log.lock().unwrap().push(head);
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, seen)
}

/// An HTTP/1.1 response with a FHIR JSON body, extra header lines, closing the connection.
pub fn fhir_response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}content-type: application/fhir+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}
