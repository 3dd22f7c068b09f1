//! The sealed file format: two AEAD frames (ChaCha20-Poly1305, ring), each with its own
//! random 96-bit nonce. The first holds the item's subject (a patient id, say), bound to
//! the vault's scope and the item's name; the second holds the body, bound to the scope,
//! the name **and** the subject. A file renamed to another item, copied to another
//! profile's or server's vault, or changed by one bit fails to open.
//!
//! ```text
//! "RNDV1\n" | nonce_a (12) | len_a (u32 LE) | sealed subject (len_a) | nonce_b (12) | sealed body
//! ```

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use super::key::VaultKey;

/// The first bytes of every sealed file (format version 1).
const MAGIC: &[u8] = b"RNDV1\n";

/// What a sealed file is bound to, beyond its key: every field goes into the associated
/// data, length-prefixed so that no two different bindings read the same.
pub(super) struct Binding<'a> {
    pub scope: &'a [(&'a str, &'a str)],
    pub name: &'a str,
}

impl Binding<'_> {
    fn aad(&self, subject: Option<&str>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut field = |k: &str, v: &str| {
            for part in [k, v] {
                out.extend_from_slice(&(part.len() as u32).to_le_bytes());
                out.extend_from_slice(part.as_bytes());
            }
        };
        field("format", "rounds-vault/1");
        for (k, v) in self.scope {
            field(k, v);
        }
        field("name", self.name);
        if let Some(s) = subject {
            field("subject", s);
        }
        out
    }
}

/// Why a file could not be opened: it is not one, or it fails authentication (changed,
/// moved, or sealed with another key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OpenFailure {
    NotSealed,
    Unauthentic,
}

fn key(k: &VaultKey) -> Option<LessSafeKey> {
    UnboundKey::new(&CHACHA20_POLY1305, k.bytes())
        .ok()
        .map(LessSafeKey::new)
}

fn seal_frame(k: &LessSafeKey, aad: &[u8], plain: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let nonce_bytes = crate::fhir::write::random_bytes::<NONCE_LEN>();
    let mut buf = plain.to_vec();
    k.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce_bytes),
        Aad::from(aad),
        &mut buf,
    )
    .ok()?;
    out.extend_from_slice(&nonce_bytes);
    out.extend_from_slice(&buf);
    Some(())
}

fn open_frame(k: &LessSafeKey, aad: &[u8], nonce: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buf = sealed.to_vec();
    let plain = k.open_in_place(nonce, Aad::from(aad), &mut buf).ok()?;
    Some(plain.to_vec())
}

/// `subject` and `body` sealed for `binding`.
pub(super) fn seal(
    k: &VaultKey,
    binding: &Binding<'_>,
    subject: &str,
    body: &[u8],
) -> Option<Vec<u8>> {
    let k = key(k)?;
    let mut out = MAGIC.to_vec();
    let mut first = Vec::new();
    seal_frame(&k, &binding.aad(None), subject.as_bytes(), &mut first)?;
    let sealed_len = u32::try_from(first.len() - NONCE_LEN).ok()?;
    out.extend_from_slice(&first[..NONCE_LEN]);
    out.extend_from_slice(&sealed_len.to_le_bytes());
    out.extend_from_slice(&first[NONCE_LEN..]);
    seal_frame(&k, &binding.aad(Some(subject)), body, &mut out)?;
    Some(out)
}

/// The subject and body of a sealed file, if it is authentic for `binding`.
pub(super) fn open(
    k: &VaultKey,
    binding: &Binding<'_>,
    data: &[u8],
) -> Result<(String, Vec<u8>), OpenFailure> {
    let rest = data.strip_prefix(MAGIC).ok_or(OpenFailure::NotSealed)?;
    let k = key(k).ok_or(OpenFailure::Unauthentic)?;
    let take = |from: &[u8], n: usize| -> Result<(Vec<u8>, Vec<u8>), OpenFailure> {
        if from.len() < n {
            return Err(OpenFailure::NotSealed);
        }
        Ok((from[..n].to_vec(), from[n..].to_vec()))
    };
    let (nonce_a, rest) = take(rest, NONCE_LEN)?;
    let (len, rest) = take(&rest, 4)?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let (sealed_a, rest) = take(&rest, len)?;
    let (nonce_b, sealed_b) = take(&rest, NONCE_LEN)?;
    let subject = open_frame(&k, &binding.aad(None), &nonce_a, &sealed_a)
        .and_then(|s| String::from_utf8(s).ok())
        .ok_or(OpenFailure::Unauthentic)?;
    let body = open_frame(&k, &binding.aad(Some(&subject)), &nonce_b, &sealed_b)
        .ok_or(OpenFailure::Unauthentic)?;
    Ok((subject, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding<'a>(scope: &'a [(&'a str, &'a str)], name: &'a str) -> Binding<'a> {
        Binding { scope, name }
    }

    #[test]
    fn sealed_files_open_only_where_they_were_sealed() {
        let k = VaultKey::generate();
        let scope = [("profile", "clinic"), ("server", "https://ehr")];
        let sealed = seal(&k, &binding(&scope, "item-1"), "patient-1", b"secret note").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert!(!sealed.windows(9).any(|w| w == b"patient-1"));
        let (subject, body) = open(&k, &binding(&scope, "item-1"), &sealed).unwrap();
        assert_eq!(
            (subject.as_str(), body.as_slice()),
            ("patient-1", &b"secret note"[..])
        );
        // Another name (a moved file), another scope, another key: refused.
        assert_eq!(
            open(&k, &binding(&scope, "item-2"), &sealed),
            Err(OpenFailure::Unauthentic)
        );
        let other = [("profile", "other"), ("server", "https://ehr")];
        assert!(open(&k, &binding(&other, "item-1"), &sealed).is_err());
        assert!(open(&VaultKey::generate(), &binding(&scope, "item-1"), &sealed).is_err());
        // One bit changed anywhere after the magic: refused.
        for i in MAGIC.len()..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(
                open(&k, &binding(&scope, "item-1"), &bad).is_err(),
                "byte {i}"
            );
        }
        assert_eq!(
            open(&k, &binding(&scope, "item-1"), b"plain text"),
            Err(OpenFailure::NotSealed)
        );
    }
}
