//! The delay proxy that gives the shaped loopback its round-trip time, the Unix-socket
//! bridge to the FHIR server outside the namespace, and the probes that measure the link.
//!
//! The delay proxy accepts a connection, connects upstream, and forwards every chunk it
//! reads after a fixed one-way delay, in order, in both directions. Bandwidth is the tbf
//! qdisc's job: the proxy's client side is the shaped loopback of the namespace; its
//! upstream side is a Unix socket (filesystem, not network) to the bridge, which runs in
//! the host namespace and connects to the server. So every byte crosses the tbf once and
//! the delay once.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio::sync::mpsc;

use crate::stats::Res;

/// Bytes and connections through a proxy, shared with the measuring code.
#[derive(Debug, Default)]
pub struct Counters {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub connections: AtomicU64,
}

/// Where the proxy connects.
#[derive(Debug, Clone)]
pub enum Upstream {
    Tcp(String),
    Unix(PathBuf),
}

/// How the proxy delays.
#[derive(Debug, Clone, Copy)]
pub struct Delay {
    pub one_way: Duration,
    /// Hold a new connection's first bytes for one extra round trip, as the SYN / SYN-ACK
    /// exchange of a real link would (the local connect itself returns at once).
    pub handshake: bool,
}

/// Serve `listener` forever, forwarding to `upstream` with `delay`.
pub async fn delay_proxy(
    listener: TcpListener,
    upstream: Upstream,
    delay: Delay,
    counters: Arc<Counters>,
) {
    loop {
        let client = match listener.accept().await {
            Ok((c, _)) => c,
            Err(e) => {
                eprintln!("slow_link: proxy accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let accepted = Instant::now();
        counters.connections.fetch_add(1, Ordering::Relaxed);
        let upstream = upstream.clone();
        let counters = counters.clone();
        tokio::spawn(async move {
            let _ = client.set_nodelay(true);
            let result = match &upstream {
                Upstream::Tcp(addr) => match TcpStream::connect(addr).await {
                    Ok(s) => {
                        let _ = s.set_nodelay(true);
                        relay(client, s, delay, accepted, counters).await;
                        Ok(())
                    }
                    Err(e) => Err(e),
                },
                Upstream::Unix(path) => match UnixStream::connect(path).await {
                    Ok(s) => {
                        relay(client, s, delay, accepted, counters).await;
                        Ok(())
                    }
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = result {
                eprintln!("slow_link: proxy cannot reach {upstream:?}: {e}");
            }
        });
    }
}

async fn relay<S>(client: TcpStream, server: S, delay: Delay, accepted: Instant, c: Arc<Counters>)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (cr, cw) = client.into_split();
    let (sr, sw) = tokio::io::split(server);
    let first_up = if delay.handshake {
        accepted + 3 * delay.one_way
    } else {
        accepted
    };
    tokio::join!(
        pump(cr, sw, delay.one_way, first_up, Counter(c.clone(), true)),
        pump(sr, cw, delay.one_way, accepted, Counter(c, false)),
    );
}

/// Which of the two byte counters a pump adds to.
struct Counter(Arc<Counters>, bool);

impl Counter {
    fn add(&self, n: usize) {
        let c = if self.1 { &self.0.up } else { &self.0.down };
        c.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// Read chunks from `r` and write each to `w` `delay` after it arrived (never before
/// `not_before`), in order; shut `w` down at the end of `r`.
async fn pump<R, W>(mut r: R, mut w: W, delay: Duration, not_before: Instant, counter: Counter)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match r.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    counter.add(n);
                    let due = (Instant::now() + delay).max(not_before);
                    if tx.send((due, buf[..n].to_vec())).is_err() {
                        break;
                    }
                }
            }
        }
    };
    let writer = async move {
        while let Some((due, data)) = rx.recv().await {
            tokio::time::sleep_until(due.into()).await;
            if w.write_all(&data).await.is_err() {
                break;
            }
        }
        let _ = w.shutdown().await;
    };
    tokio::join!(reader, writer);
}

/// The host-namespace end: accept on a Unix socket, connect to the server by TCP, copy.
pub async fn bridge(socket: &Path, to: &str) -> Res<()> {
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket)
        .map_err(|e| format!("cannot listen on {}: {e}", socket.display()))?;
    loop {
        let (mut inbound, _) = listener.accept().await?;
        let to = to.to_owned();
        tokio::spawn(async move {
            match TcpStream::connect(&to).await {
                Ok(mut outbound) => {
                    let _ = outbound.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
                Err(e) => eprintln!("slow_link: bridge cannot reach {to}: {e}"),
            }
        });
    }
}

/// Round-trip times in ms through a delay proxy like the one in front of the server, to a
/// local echo server: the link's latency without any server time.
pub async fn probe_rtt(delay: Delay, samples: usize) -> Res<Vec<f64>> {
    let echo = TcpListener::bind("127.0.0.1:0").await?;
    let echo_addr = echo.local_addr()?.to_string();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = echo.accept().await {
            tokio::spawn(async move {
                let _ = s.set_nodelay(true);
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    let front = TcpListener::bind("127.0.0.1:0").await?;
    let front_addr = front.local_addr()?;
    let no_handshake = Delay {
        handshake: false,
        ..delay
    };
    let counters = Arc::new(Counters::default());
    tokio::spawn(delay_proxy(
        front,
        Upstream::Tcp(echo_addr),
        no_handshake,
        counters,
    ));
    let mut s = TcpStream::connect(front_addr).await?;
    s.set_nodelay(true)?;
    let ping = [b'p'; 64];
    let mut pong = [0u8; 64];
    let mut out = Vec::new();
    for _ in 0..samples {
        let t = Instant::now();
        s.write_all(&ping).await?;
        s.read_exact(&mut pong).await?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(out)
}

/// Seconds to receive `bytes` over one TCP connection on the (shaped) loopback, without
/// the delay proxy: the link's effective rate for payload bytes.
pub async fn probe_rate(bytes: u64) -> Res<f64> {
    let sink = TcpListener::bind("127.0.0.1:0").await?;
    let addr = sink.local_addr()?;
    tokio::spawn(async move {
        if let Ok((mut s, _)) = sink.accept().await {
            // Incompressible bytes (not that TCP compresses): a simple xorshift stream.
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut left = bytes;
            let mut buf = vec![0u8; 8192];
            while left > 0 {
                for b in buf.iter_mut() {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    *b = x as u8;
                }
                let n = left.min(buf.len() as u64) as usize;
                if s.write_all(&buf[..n]).await.is_err() {
                    return;
                }
                left -= n as u64;
            }
            let _ = s.shutdown().await;
        }
    });
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).await?;
    let mut got = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        got += n as u64;
    }
    if got != bytes {
        return Err(format!("the rate probe received {got} of {bytes} bytes").into());
    }
    Ok(t.elapsed().as_secs_f64())
}
