//! Wire statistics: round trips and bytes, counted by the client for `--verbose` and the
//! benchmarks. Counting is lock-free so that concurrent requests can share one counter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Running totals for one client (shared by its clones).
#[derive(Debug, Default)]
pub struct WireStats {
    round_trips: AtomicU64,
    bytes_sent: AtomicU64,
    bytes_received: AtomicU64,
    bytes_decoded: AtomicU64,
}

/// A copy of the totals at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WireSnapshot {
    /// HTTP requests sent (each is one round trip; concurrent ones overlap in time).
    pub round_trips: u64,
    /// Request bytes: an estimate of the request line and headers, plus the body.
    pub bytes_sent: u64,
    /// Response bytes as they crossed the network: headers (estimated) and the compressed body.
    pub bytes_received: u64,
    /// Response body bytes after decompression.
    pub bytes_decoded: u64,
}

impl WireSnapshot {
    /// The totals since an earlier snapshot.
    pub fn since(&self, earlier: &WireSnapshot) -> WireSnapshot {
        WireSnapshot {
            round_trips: self.round_trips.saturating_sub(earlier.round_trips),
            bytes_sent: self.bytes_sent.saturating_sub(earlier.bytes_sent),
            bytes_received: self.bytes_received.saturating_sub(earlier.bytes_received),
            bytes_decoded: self.bytes_decoded.saturating_sub(earlier.bytes_decoded),
        }
    }
}

impl WireStats {
    /// Count one finished exchange.
    pub fn record(&self, sent: u64, received: u64, decoded: u64) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        self.bytes_sent.fetch_add(sent, Ordering::Relaxed);
        self.bytes_received.fetch_add(received, Ordering::Relaxed);
        self.bytes_decoded.fetch_add(decoded, Ordering::Relaxed);
    }

    /// The totals now.
    pub fn snapshot(&self) -> WireSnapshot {
        WireSnapshot {
            round_trips: self.round_trips.load(Ordering::Relaxed),
            bytes_sent: self.bytes_sent.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
            bytes_decoded: self.bytes_decoded.load(Ordering::Relaxed),
        }
    }
}

/// One finished request, described without patient data (for `--verbose`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEvent {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// What was asked, by interaction and resource type only, e.g. "Observation search".
    pub label: String,
    /// HTTP status, or 0 when no response arrived.
    pub status: u16,
    pub bytes_received: u64,
    pub bytes_decoded: u64,
    pub elapsed: Duration,
}
