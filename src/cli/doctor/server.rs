//! The doctor's Server section, step by step as a connection is made: the URL, DNS (the
//! addresses found), a TCP connection (how long it took, or why it failed: refused means no
//! server listens there), TLS (`tls.rs`), then what the server says over HTTP
//! (`metadata.rs`) and about signing in (`smart.rs`). A step that fails ends the section:
//! the ones after it could only fail the same way.
//!
//! It uses the same client settings as every other command (`source::profile`), sends no
//! credentials, and decides by types (`std::io::ErrorKind`, `FhirError`), never by text.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use url::{Host, Url};

use super::report::{Checks, Section};
use super::{Target, metadata, smart, tls};
use crate::config::AuthKind;
use crate::fhir::client::parse_base_url;
use crate::fhir::{ClientConfig, FhirClient};
use crate::source::profile::{NetOptions, client_config, profile_client_config};

/// How long a name lookup may take.
const DNS_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection slower than this is worth a warning.
const SLOW_CONNECT: Duration = Duration::from_secs(1);

pub async fn checks(target: &Target, net: &NetOptions) -> Checks {
    let mut c = Checks::new(Section::Server);
    let (config, auth) = match target {
        Target::Server(url) => (
            client_config(url, net.ca_bundle.clone(), net),
            AuthKind::None,
        ),
        Target::Profile { profile, .. } => (profile_client_config(profile, net), profile.auth),
        Target::Nothing { .. } => {
            c.warning(
                "url",
                "not checked: no server was chosen",
                "give --server URL or --profile NAME",
            );
            return c;
        }
    };
    let _ = run(&mut c, config, auth).await;
    c
}

/// The steps in order; `None` at the first that ends the section.
async fn run(c: &mut Checks, mut config: ClientConfig, auth: AuthKind) -> Option<()> {
    let url = match parse_base_url(&config.base_url) {
        Ok(url) => url,
        Err(e) => {
            c.failure(
                "url",
                e.to_string(),
                "give the FHIR base URL, e.g. https://ehr.example/fhir/R4",
            );
            return None;
        }
    };
    c.ok("url", url.as_str().trim_end_matches('/'));
    let host = url.host_str()?.trim_matches(['[', ']']).to_owned();
    let port = url.port_or_known_default()?;
    let addrs = dns(c, &url, &host, port).await?;
    let addr = tcp(c, &addrs, config.connect_timeout).await?;
    if url.scheme() == "https" {
        tls::check(c, &host, addr, &config).await?;
    } else {
        plain_http(c, &host, &url);
    }
    // A diagnosis reports what happened the first time.
    config.retries = 0;
    config.capability_cache = None;
    let client = match FhirClient::new(config.clone()) {
        Ok(client) => client,
        Err(e) => {
            c.failure(
                "http",
                e.to_string(),
                "check --ca-bundle and the server URL",
            );
            return None;
        }
    };
    let capabilities = metadata::checks(c, &client).await?;
    smart::check(c, &config, auth, &capabilities).await;
    Some(())
}

async fn dns(c: &mut Checks, url: &Url, host: &str, port: u16) -> Option<Vec<SocketAddr>> {
    if let Some(ip) = match url.host() {
        Some(Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
        _ => None,
    } {
        c.ok("dns", format!("{ip} is an address: nothing to look up"));
        return Some(vec![SocketAddr::new(ip, port)]);
    }
    let started = Instant::now();
    let advice = "check the server URL, and this computer's name servers (/etc/resolv.conf)";
    match tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(found)) => {
            let mut addrs: Vec<SocketAddr> = Vec::new();
            for a in found {
                if !addrs.contains(&a) {
                    addrs.push(a);
                }
            }
            if addrs.is_empty() {
                c.failure("dns", format!("'{host}' has no addresses"), advice);
                return None;
            }
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            c.ok(
                "dns",
                format!(
                    "'{host}' is {} ({} ms)",
                    shown.join(", "),
                    started.elapsed().as_millis()
                ),
            );
            Some(addrs)
        }
        Ok(Err(e)) => {
            c.failure(
                "dns",
                format!("'{host}' could not be resolved ({e})"),
                advice,
            );
            None
        }
        Err(_) => {
            c.failure(
                "dns",
                format!("'{host}': no answer within {} s", DNS_TIMEOUT.as_secs()),
                advice,
            );
            None
        }
    }
}

/// Connect to each address in turn; the first that answers.
async fn tcp(c: &mut Checks, addrs: &[SocketAddr], wait: Duration) -> Option<SocketAddr> {
    let mut failed = Vec::new();
    let mut refused = true;
    for &addr in addrs {
        let started = Instant::now();
        match tokio::time::timeout(wait, TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                let took = started.elapsed();
                let finding = format!("connected to {addr} in {} ms", took.as_millis());
                if took > SLOW_CONNECT {
                    c.warning(
                        "tcp",
                        format!("{finding}: a slow network"),
                        "every request waits that long at least; check the link",
                    );
                } else {
                    c.ok("tcp", finding);
                }
                return Some(addr);
            }
            Ok(Err(e)) => {
                refused &= e.kind() == ErrorKind::ConnectionRefused;
                failed.push(if e.kind() == ErrorKind::ConnectionRefused {
                    format!("{addr} refused the connection")
                } else {
                    format!("{addr}: {e}")
                });
            }
            Err(_) => {
                refused = false;
                failed.push(format!("{addr}: no answer within {} s", wait.as_secs()));
            }
        }
    }
    let advice = if refused {
        "is the server running? Nothing listens on that port: check the port in the URL"
    } else {
        "a firewall may be dropping the connection, or the network is down: check the \
         route from here to the server"
    };
    c.failure("tcp", failed.join("; "), advice);
    None
}

/// Plain http: fine to this machine, patient data in clear text anywhere else.
fn plain_http(c: &mut Checks, host: &str, url: &Url) {
    if crate::auth::smart::is_safe_endpoint(url) {
        c.ok(
            "tls",
            format!("not used: plain http to this machine ({host})"),
        );
    } else {
        c.warning(
            "tls",
            format!("not used: plain http to {host}: patient data and sign-ins cross the network unencrypted"),
            "use the server's https:// address",
        );
    }
}
