//! A read-only look at the OS keyring for `rounds doctor`: whether the Secret Service's
//! default collection (the login keyring) is locked. It reads one property within the
//! store's timeout; it asks for no unlock and touches no entry.

use std::time::Duration;

use super::{StoreError, StoreKind};

/// Whether the OS keyring's default collection is locked; `None` where that cannot be
/// asked without touching an entry (not the Secret Service).
pub fn keyring_locked(timeout: Duration) -> Result<Option<bool>, StoreError> {
    #[cfg(target_os = "linux")]
    {
        use secret_service::EncryptionType;
        use secret_service::blocking::SecretService;
        let unavailable = |e: secret_service::Error| StoreError::Unavailable {
            store: StoreKind::Keyring,
            detail: e.to_string(),
        };
        super::os::bounded(StoreKind::Keyring, timeout, move || {
            let service = SecretService::connect(EncryptionType::Plain).map_err(unavailable)?;
            let collection = service.get_default_collection().map_err(unavailable)?;
            collection.is_locked().map(Some).map_err(unavailable)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (timeout, StoreKind::Keyring);
        Ok(None)
    }
}
