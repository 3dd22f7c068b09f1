//! Writes, as plain data: what a client sends to change the record (`WriteOp`: a create
//! carrying its own client identifier, a version-aware update, a JSON Patch) and what the
//! server answered (`WriteAnswer`). They are serializable so that a write can be kept
//! (encrypted, by the outbox) and sent later, exactly as it was first made.
//!
//! The idempotency key of a create is a client identifier, `urn:ietf:rfc:3986` +
//! `urn:uuid:…`, put in the resource's `identifier` and sent as
//! `If-None-Exist: identifier=SYSTEM|VALUE`: sent twice, it still makes one resource.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The identifier system of client identifiers (RFC 3986: the value is a URI).
pub const URI_SYSTEM: &str = "urn:ietf:rfc:3986";

/// An identifier the client chose for a resource it creates: the key that lets a create be
/// sent again without making a second resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientId {
    pub system: String,
    pub value: String,
}

impl ClientId {
    /// A fresh `urn:uuid:…` identifier (random, version 4).
    pub fn new_uuid() -> ClientId {
        ClientId {
            system: URI_SYSTEM.to_owned(),
            value: format!("urn:uuid:{}", new_uuid()),
        }
    }

    /// `SYSTEM|VALUE`, the token search form (`identifier=SYSTEM|VALUE`).
    pub fn token(&self) -> String {
        format!("{}|{}", self.system, self.value)
    }

    /// The identifier as FHIR JSON (`{"system":…,"value":…}`).
    pub fn to_json(&self) -> Value {
        serde_json::json!({"system": self.system, "value": self.value})
    }
}

/// A random (version 4) UUID in its usual text form.
pub fn new_uuid() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `N` bytes from the operating system's random source. Should that ever fail, the time
/// and a counter stand in: an identifier must still be unique, though not secret.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use ring::rand::SecureRandom as _;
    let mut out = [0u8; N];
    if ring::rand::SystemRandom::new().fill(&mut out).is_err() {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let seed = (t ^ u128::from(n) << 64).to_le_bytes();
        for (i, b) in out.iter_mut().enumerate() {
            *b = seed[i % seed.len()];
        }
    }
    out
}

/// One change to the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum WriteOp {
    /// Create `resource`, whose `identifier` holds `identifier`; sent with
    /// `If-None-Exist` where the server supports it.
    Create {
        resource_type: String,
        identifier: ClientId,
        resource: Value,
    },
    /// Replace `Type/id` with `resource`, only if it is still at version `if_match` (the
    /// ETag captured when the form opened).
    Update {
        resource_type: String,
        id: String,
        if_match: Option<String>,
        resource: Value,
    },
    /// Change `Type/id` with a JSON Patch (its `test` operations guard the old values).
    Patch {
        resource_type: String,
        id: String,
        if_match: Option<String>,
        patch: Value,
    },
}

impl WriteOp {
    /// The resource type written.
    pub fn resource_type(&self) -> &str {
        match self {
            WriteOp::Create { resource_type, .. }
            | WriteOp::Update { resource_type, .. }
            | WriteOp::Patch { resource_type, .. } => resource_type,
        }
    }

    /// The client identifier of a create.
    pub fn identifier(&self) -> Option<&ClientId> {
        match self {
            WriteOp::Create { identifier, .. } => Some(identifier),
            _ => None,
        }
    }

    /// What the write sends as its body (the resource, or the patch).
    pub fn body(&self) -> &Value {
        match self {
            WriteOp::Create { resource, .. } | WriteOp::Update { resource, .. } => resource,
            WriteOp::Patch { patch, .. } => patch,
        }
    }
}

/// What the server said to a write that it took.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteAnswer {
    /// 201 created, or 200 (updated, or a conditional create that found the first copy).
    pub status: u16,
    /// The resource's id on the server, when it said (or a search found it).
    pub id: Option<String>,
    /// The version now, from the `ETag` (`W/"2"` is `2`) or the `Location`.
    pub version: Option<String>,
}

impl WriteAnswer {
    /// Whether this write made a new resource (not one found by `If-None-Exist`).
    pub fn created(&self) -> bool {
        self.status == 201
    }

    /// `Type/id`, when the id is known.
    pub fn reference(&self, resource_type: &str) -> Option<String> {
        self.id.as_ref().map(|id| format!("{resource_type}/{id}"))
    }
}

/// The version in an `ETag`: `W/"3"` and `"3"` are `3`.
pub fn version_of_etag(etag: &str) -> Option<String> {
    let v = etag
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The id and version in a `Location` (absolute or relative):
/// `…/Observation/ID/_history/2` → (`ID`, `2`).
pub fn parse_location(location: &str, resource_type: &str) -> Option<(String, Option<String>)> {
    let path = location.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let at = parts.iter().rposition(|p| *p == resource_type)?;
    let id = parts.get(at + 1).filter(|p| **p != "_history")?;
    let version = match (parts.get(at + 2), parts.get(at + 3)) {
        (Some(&"_history"), Some(v)) => Some((*v).to_owned()),
        _ => None,
    };
    Some(((*id).to_owned(), version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_and_differ() {
        let a = new_uuid();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_ne!(a, new_uuid());
        let id = ClientId::new_uuid();
        assert!(id.token().starts_with("urn:ietf:rfc:3986|urn:uuid:"));
    }

    #[test]
    fn locations_and_etags_give_id_and_version() {
        assert_eq!(
            parse_location("http://h/fhir/Observation/abc/_history/1", "Observation"),
            Some(("abc".into(), Some("1".into())))
        );
        assert_eq!(
            parse_location("http://h:8090/Observation/abc", "Observation"),
            Some(("abc".into(), None))
        );
        assert_eq!(
            parse_location("Observation/x/_history/3", "Observation"),
            Some(("x".into(), Some("3".into())))
        );
        assert_eq!(parse_location("http://h/Patient/p", "Observation"), None);
        assert_eq!(version_of_etag("W/\"12\""), Some("12".into()));
        assert_eq!(version_of_etag("\"3\""), Some("3".into()));
        assert_eq!(version_of_etag("W/\"\""), None);
    }
}
