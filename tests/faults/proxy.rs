//! A fault-injecting HTTP/1.1 proxy in front of the real FHIR server, for the `faults` tests (tests/faults/).
//!
//! Each client connection carries one request: the proxy reads its head and body, forwards
//! it to the real server on a fresh connection with `Connection: close` (and without
//! `Accept-Encoding`, so the rules see plain JSON), reads the whole answer, lets the test's
//! rule alter it, and writes it back with `Connection: close`. The proxy runs on its own
//! thread and runtime, so a test may block (running the `rounds` binary) while it serves.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

mod wire;

use wire::{head_bytes, parse_headers, read_message};

/// A request as the client sent it.
#[derive(Debug, Clone)]
pub struct Request {
    /// How many requests reached the proxy before this one.
    pub n: usize,
    pub method: String,
    /// Path and query below the server's base URL, e.g. `/Patient/x` or
    /// `/Observation?patient=x` (whatever path the base URL has, such as `/fhir`, is not
    /// part of it: rules read the same on every server).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// Whether this is a GET whose path starts with `prefix` (e.g. `/DocumentReference`).
    pub fn is_get(&self, prefix: &str) -> bool {
        self.method == "GET" && self.path().starts_with(prefix)
    }

    /// Whether this is a POST of a batch Bundle to the base URL.
    pub fn is_batch(&self) -> bool {
        self.method == "POST" && self.path().trim_end_matches('/').is_empty()
    }

    /// The `request.url` of every entry of a batch Bundle, in order.
    pub fn batch_urls(&self) -> Vec<String> {
        let Ok(bundle) = serde_json::from_slice::<Value>(&self.body) else {
            return vec![];
        };
        bundle["entry"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| e["request"]["url"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A copy sent as `GET target` without a body.
    pub fn as_get(&self, target: &str) -> Request {
        Request {
            method: "GET".into(),
            target: target.into(),
            body: vec![],
            headers: self
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
                .cloned()
                .collect(),
            n: self.n,
        }
    }
}

/// A response, whole.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a FHIR JSON body.
    pub fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/fhir+json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A response with a raw body of the given content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body as JSON (the upstream answers are FHIR JSON).
    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the upstream body is JSON")
    }

    pub fn set_json(&mut self, value: &Value) {
        self.body = value.to_string().into_bytes();
    }

    /// Without `ETag` and `Last-Modified`: an altered body must not be described by the
    /// real one's validators.
    pub fn without_validators(mut self) -> Response {
        self.headers.retain(|(k, _)| {
            !k.eq_ignore_ascii_case("etag") && !k.eq_ignore_ascii_case("last-modified")
        });
        self
    }
}

/// What the proxy does with an answer.
#[derive(Debug)]
pub enum Fault {
    /// Send it as it is.
    Pass(Response),
    /// Send it after a pause.
    Delay(Duration, Response),
    /// Send the head with the real Content-Length and half the body, then close the
    /// connection (`reset: false`, a FIN) or reset it (`reset: true`, an RST).
    CutBody { resp: Response, reset: bool },
    /// Close the connection without answering: the request reached the real server (it
    /// may have acted on it), the client never hears back (a link lost mid-send).
    Drop,
    /// A 200 JSON body generated while it is sent (never held whole in memory): `head`,
    /// then `count` copies of `unit` separated by commas, then `tail`.
    Generated {
        head: Vec<u8>,
        unit: Vec<u8>,
        count: usize,
        tail: Vec<u8>,
    },
}

type RewriteFn = dyn Fn(&Request) -> Option<Request> + Send + Sync;
type RuleFn = dyn Fn(&Request, Response) -> Fault + Send + Sync;

struct State {
    upstream: String,
    /// The real server's base path (`/fhir` on sekmet, empty on hfs).
    base_path: String,
    rewrite: Box<RewriteFn>,
    rule: Box<RuleFn>,
    counter: AtomicUsize,
    log: Mutex<Vec<String>>,
    /// `METHOD target -> status` of the real server's answers.
    upstream_log: Mutex<Vec<String>>,
    faulty: AtomicBool,
}

/// A running proxy; it stops when dropped.
pub struct Proxy {
    url: String,
    state: Arc<State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// `host:port` and base path of the real server.
fn upstream() -> (String, String) {
    let url = reqwest::Url::parse(&crate::common::server_url()).expect("a valid server URL");
    let host = url.host_str().expect("a host").to_owned();
    let port = url.port_or_known_default().expect("a port");
    (
        format!("{host}:{port}"),
        url.path().trim_end_matches('/').to_owned(),
    )
}

impl Proxy {
    /// A proxy applying `rule` to every answer.
    pub fn start(rule: impl Fn(&Request, Response) -> Fault + Send + Sync + 'static) -> Proxy {
        Proxy::with_rewrite(|_| None, rule)
    }

    /// A proxy that first may send the real server another request than the client's
    /// (`rewrite` returns it), then applies `rule` to the answer.
    pub fn with_rewrite(
        rewrite: impl Fn(&Request) -> Option<Request> + Send + Sync + 'static,
        rule: impl Fn(&Request, Response) -> Fault + Send + Sync + 'static,
    ) -> Proxy {
        let (upstream, base_path) = upstream();
        let state = Arc::new(State {
            upstream,
            base_path: base_path.clone(),
            rewrite: Box::new(rewrite),
            rule: Box::new(rule),
            counter: AtomicUsize::new(0),
            log: Mutex::new(vec![]),
            upstream_log: Mutex::new(vec![]),
            faulty: AtomicBool::new(true),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                tokio::select! {
                    _ = stopped => {}
                    () = accept_loop(listener, serving) => {}
                }
            });
            rt.shutdown_background();
        });
        Proxy {
            url: format!("http://{addr}{base_path}"),
            state,
            stop: Some(stop),
        }
    }

    /// The base URL to give the client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The port the proxy listens on.
    pub fn port(&self) -> u16 {
        self.url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port")
    }

    /// Stop injecting faults: from now on every request passes through unchanged.
    pub fn heal(&self) {
        self.state.faulty.store(false, Ordering::SeqCst);
    }

    /// How many requests have reached the proxy.
    pub fn requests(&self) -> usize {
        self.state.counter.load(Ordering::SeqCst)
    }

    /// `METHOD target` of every request so far, in arrival order.
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().expect("log").clone()
    }

    /// `METHOD target -> status` of every answer the real server gave.
    pub fn upstream_log(&self) -> Vec<String> {
        self.state.upstream_log.lock().expect("log").clone()
    }

    /// How many requests so far were `METHOD path...` starting with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.log().iter().filter(|l| l.starts_with(prefix)).count()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            // The client may hang up at any time (it timed out, or refused the body):
            // nothing to do about it here.
            let _ = serve(stream, &state).await;
        });
    }
}

async fn serve(mut client: TcpStream, state: &State) -> std::io::Result<()> {
    let Some((head, body)) = read_message(&mut client, false).await? else {
        return Ok(());
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("").to_owned();
    let raw = parts.next().unwrap_or("");
    let target = match raw.strip_prefix(state.base_path.as_str()) {
        Some("") => "/".to_owned(),
        Some(rest) if !state.base_path.is_empty() => rest.to_owned(),
        _ => raw.to_owned(),
    };
    let headers = parse_headers(lines);
    let n = state.counter.fetch_add(1, Ordering::SeqCst);
    state
        .log
        .lock()
        .expect("log")
        .push(format!("{method} {target}"));
    let request = Request {
        n,
        method,
        target,
        headers,
        body,
    };
    let faulty = state.faulty.load(Ordering::SeqCst);
    let sent = if faulty {
        (state.rewrite)(&request).unwrap_or_else(|| request.clone())
    } else {
        request.clone()
    };
    let answer = forward(&state.upstream, &state.base_path, &sent).await?;
    state.upstream_log.lock().expect("log").push(format!(
        "{} {} -> {}",
        sent.method, sent.target, answer.status
    ));
    let fault = if faulty {
        (state.rule)(&request, answer)
    } else {
        Fault::Pass(answer)
    };
    deliver(client, fault).await
}

/// Send `req` to the real server on a new connection and read its whole answer.
async fn forward(upstream: &str, base_path: &str, req: &Request) -> std::io::Result<Response> {
    let mut conn = TcpStream::connect(upstream).await?;
    let mut out = format!("{} {base_path}{} HTTP/1.1\r\n", req.method, req.target);
    for (k, v) in &req.headers {
        let skip = [
            "connection",
            "keep-alive",
            "accept-encoding",
            "content-length",
        ]
        .iter()
        .any(|h| k.eq_ignore_ascii_case(h));
        if !skip {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        req.body.len()
    ));
    conn.write_all(out.as_bytes()).await?;
    conn.write_all(&req.body).await?;
    conn.flush().await?;
    let Some((head, body)) = read_message(&mut conn, true).await? else {
        return Err(std::io::Error::other("the server sent nothing"));
    };
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    let headers = parse_headers(lines)
        .into_iter()
        .filter(|(k, _)| {
            ![
                "connection",
                "keep-alive",
                "transfer-encoding",
                "content-length",
            ]
            .iter()
            .any(|h| k.eq_ignore_ascii_case(h))
        })
        .collect();
    Ok(Response {
        status,
        headers,
        body,
    })
}

async fn deliver(mut client: TcpStream, fault: Fault) -> std::io::Result<()> {
    match fault {
        Fault::Pass(resp) => send(&mut client, &resp).await,
        Fault::Drop => {
            client.shutdown().await?;
            drop(client);
            Ok(())
        }
        Fault::Delay(wait, resp) => {
            tokio::time::sleep(wait).await;
            send(&mut client, &resp).await
        }
        Fault::CutBody { resp, reset } => {
            let half = resp.body.len() / 2;
            client
                .write_all(&head_bytes(resp.status, &resp.headers, resp.body.len()))
                .await?;
            client.write_all(&resp.body[..half]).await?;
            client.flush().await?;
            // Let the client take the head in before the connection goes.
            tokio::time::sleep(Duration::from_millis(50)).await;
            if reset {
                client.set_zero_linger()?;
            } else {
                client.shutdown().await?;
            }
            drop(client);
            Ok(())
        }
        Fault::Generated {
            head,
            unit,
            count,
            tail,
        } => {
            let length = head.len() + count * unit.len() + count.saturating_sub(1) + tail.len();
            let headers = [(
                "Content-Type".to_owned(),
                "application/fhir+json".to_owned(),
            )];
            client.write_all(&head_bytes(200, &headers, length)).await?;
            client.write_all(&head).await?;
            let mut block = Vec::with_capacity(64 * 1024 + unit.len() + 1);
            for i in 0..count {
                if i > 0 {
                    block.push(b',');
                }
                block.extend_from_slice(&unit);
                if block.len() >= 64 * 1024 {
                    client.write_all(&block).await?;
                    block.clear();
                }
            }
            block.extend_from_slice(&tail);
            client.write_all(&block).await?;
            client.shutdown().await
        }
    }
}

async fn send(client: &mut TcpStream, resp: &Response) -> std::io::Result<()> {
    client
        .write_all(&head_bytes(resp.status, &resp.headers, resp.body.len()))
        .await?;
    client.write_all(&resp.body).await?;
    client.shutdown().await
}
