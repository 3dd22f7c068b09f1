//! Tests of the profiles file: reading, refusing, writing.

use super::*;

fn parse(text: &str) -> Result<Profiles, ProfilesError> {
    Profiles::parse(Path::new("/cfg/profiles.toml"), text)
}

#[test]
fn a_full_file_reads_with_defaults() {
    let p = parse(
        "default = 'work'\n[profile.work]\nserver = 'https://ehr.example/fhir'\nauth = 'basic'\n\
         user = 'jdoe'\nstore = 'keyutils'\n[profile.lab]\nserver = 'http://127.0.0.1:8080'\n",
    )
    .unwrap();
    assert_eq!(p.default.as_deref(), Some("work"));
    let work = p.get("work").unwrap();
    assert_eq!(work.auth, AuthKind::Basic);
    assert_eq!(work.store, StoreKind::Keyutils);
    assert_eq!(work.idle_lock_minutes, 5);
    let lab = p.get("lab").unwrap();
    assert_eq!((lab.auth, lab.store), (AuthKind::None, StoreKind::Keyring));
    assert!(
        p.get("nope")
            .unwrap_err()
            .to_string()
            .contains("known: lab, work")
    );
}

#[test]
fn secrets_are_refused_by_name_with_the_line() {
    let e = parse("[profile.w]\nserver = 'https://x'\npassword = 'hunter2'\n").unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("'/cfg/profiles.toml' line 3:"), "{text}");
    assert!(text.contains("'password' is not allowed"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn a_password_in_a_server_url_is_refused_and_never_repeated() {
    let e = parse("[profile.w]\nauth = 'none'\nserver = 'https://jdoe:Hunter2@ehr.example/fhir'\n")
        .unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("'/cfg/profiles.toml' line 3:"), "{text}");
    assert!(text.contains("--auth basic"), "{text}");
    assert!(text.contains("'https://ehr.example/fhir'"), "{text}");
    assert!(
        !text.contains("Hunter2") && !text.contains("jdoe"),
        "{text}"
    );
}

#[test]
fn broken_files_quote_the_path_and_line() {
    let e = parse("[profile.w]\nserver = 'https://x'\nauth = 'kerberos'\n").unwrap_err();
    assert!(
        e.to_string().starts_with("'/cfg/profiles.toml' line 3:"),
        "{e}"
    );
    let e = parse("[profile.w\n").unwrap_err();
    assert!(e.to_string().contains("line 1"), "{e}");
    let e = parse("[profile.'a b']\nserver = 'x'\n").unwrap_err();
    assert!(matches!(e, ProfilesError::BadName(_)));
}

#[test]
fn the_first_profile_becomes_the_default_and_saving_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/profiles.toml");
    let mut p = Profiles::default();
    p.insert("a", Profile::new("https://a")).unwrap();
    p.insert("b", Profile::new("https://b")).unwrap();
    assert_eq!(p.default.as_deref(), Some("a"));
    p.save_to(&path).unwrap();
    assert_eq!(Profiles::load_from(&path).unwrap(), p);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(matches!(
            Profiles::load_from(&path),
            Err(ProfilesError::TooOpen { .. })
        ));
    }
    assert_eq!(
        Profiles::load_from(&dir.path().join("none.toml")).unwrap(),
        Profiles::default()
    );
}
