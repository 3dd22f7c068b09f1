//! Tests of the secret stores: names, the memory store, messages.

use super::*;

#[test]
fn accounts_name_the_profile_and_kind() {
    assert_eq!(account("work", SecretKind::Token), "profile:work:token");
    assert_eq!(
        account("a.b", SecretKind::SmartTokens),
        "profile:a.b:smart-tokens"
    );
}

#[test]
fn profile_names_are_checked() {
    assert!(valid_profile_name("clinic-2_test.x"));
    for bad in ["", "a b", "a:b", "a/b", "é", &"x".repeat(65)] {
        assert!(!valid_profile_name(bad), "{bad}");
    }
    let store = SecretStore::unprobed(StoreKind::Memory, DEFAULT_TIMEOUT);
    assert!(matches!(
        store.get("a b", SecretKind::Token),
        Err(StoreError::BadProfileName(_))
    ));
}

#[test]
fn the_memory_store_keeps_secrets_for_this_process_only() {
    let store = SecretStore::open(StoreKind::Memory).unwrap();
    assert_eq!(store.get("p", SecretKind::Token).unwrap(), None);
    store
        .set("p", SecretKind::Token, &Secret::new("s3cret"))
        .unwrap();
    assert_eq!(
        store.get("p", SecretKind::Token).unwrap(),
        Some(Secret::new("s3cret"))
    );
    assert_eq!(store.delete_all("p").unwrap(), vec![SecretKind::Token]);
    assert!(!store.delete("p", SecretKind::Token).unwrap());
    assert!(store.describe().contains("session only"));
    assert!(!format!("{store:?}").contains("s3cret"));
}

#[test]
fn failures_name_the_other_choices_and_no_file() {
    let e = StoreError::Unavailable {
        store: StoreKind::Keyring,
        detail: "no D-Bus session".into(),
    };
    let text = e.to_string();
    assert!(text.contains("--store keyutils"), "{text}");
    assert!(text.contains("--store memory"), "{text}");
    assert!(text.contains("never writes secrets to a file"), "{text}");
    let e = StoreError::TimedOut {
        store: StoreKind::Keyring,
        after: Duration::from_secs(3),
    };
    assert!(e.to_string().contains("within 3 s"));
    // When keyutils is what failed, it is not offered as the way out.
    for e in [
        StoreError::Unavailable {
            store: StoreKind::Keyutils,
            detail: "no session keyring".into(),
        },
        StoreError::TimedOut {
            store: StoreKind::Keyutils,
            after: Duration::from_secs(3),
        },
    ] {
        let text = e.to_string();
        assert!(!text.contains("--store keyutils"), "{text}");
        assert!(text.contains("--store keyring"), "{text}");
        assert!(text.contains("--store memory"), "{text}");
    }
}

#[test]
fn store_kinds_read_as_lowercase_words() {
    #[derive(Deserialize)]
    struct S {
        store: StoreKind,
    }
    let s: S = toml::from_str("store = 'keyutils'").unwrap();
    assert_eq!(s.store, StoreKind::Keyutils);
    assert!(toml::from_str::<S>("store = 'file'").is_err());
}
