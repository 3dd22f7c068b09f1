//! A vault's key: 32 random bytes, one per sign-in profile, kept in that profile's secret
//! store (the OS keyring or keyutils, beside its credentials), never in a file. A profile
//! whose store keeps nothing past this process (`--store memory`) has no durable key, so
//! nothing can be kept encrypted for it: the caller must say so and keep nothing.

use base64::Engine as _;

use super::VaultError;
use crate::auth::store::{SecretKind, SecretStore, StoreKind};
use crate::fhir::Secret;

/// The key bytes. Never printed (`Debug` shows nothing of them).
#[derive(Clone)]
pub struct VaultKey([u8; 32]);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(..)")
    }
}

impl VaultKey {
    /// A new random key.
    pub fn generate() -> VaultKey {
        VaultKey(crate::fhir::write::random_bytes::<32>())
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn to_secret(&self) -> Secret {
        Secret::new(base64::engine::general_purpose::STANDARD.encode(self.0))
    }

    fn from_secret(secret: &Secret) -> Option<VaultKey> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(secret.expose().trim())
            .ok()?;
        <[u8; 32]>::try_from(raw.as_slice()).ok().map(VaultKey)
    }
}

/// The profile's vault key from its store; a new one is made and stored when it has none
/// (`create`). A store that keeps nothing past this process is refused.
pub fn profile_key(
    store: &SecretStore,
    profile: &str,
    create: bool,
) -> Result<VaultKey, VaultError> {
    profile_key_of(store, profile, SecretKind::VaultKey, create)
}

/// `profile_key` for a key of another kind (the offline copies have a key of their own,
/// deleted with them).
pub fn profile_key_of(
    store: &SecretStore,
    profile: &str,
    kind: SecretKind,
    create: bool,
) -> Result<VaultKey, VaultError> {
    if store.kind() == StoreKind::Memory {
        return Err(VaultError::NoDurableKey);
    }
    match store.get(profile, kind)? {
        Some(secret) => VaultKey::from_secret(&secret).ok_or(VaultError::BadKey),
        None if create => {
            let key = VaultKey::generate();
            store.set(profile, kind, &key.to_secret())?;
            Ok(key)
        }
        None => Err(VaultError::NoKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_secret_and_never_print() {
        let k = VaultKey::generate();
        let back = VaultKey::from_secret(&k.to_secret()).unwrap();
        assert_eq!(back.bytes(), k.bytes());
        assert_eq!(format!("{k:?}"), "VaultKey(..)");
        assert!(VaultKey::from_secret(&Secret::new("c2hvcnQ=")).is_none());
    }

    #[test]
    fn a_memory_store_has_no_durable_key() {
        let store = SecretStore::open(StoreKind::Memory).unwrap();
        assert!(matches!(
            profile_key(&store, "p", true),
            Err(VaultError::NoDurableKey)
        ));
    }
}
