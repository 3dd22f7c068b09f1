//! What goes wrong around a sign-in store: a locked keyring or a silent bus (quick, clear
//! failures, never a hang), and an open profile against the real FHIR server with broken
//! files explained.

use super::*;

#[test]
fn a_locked_keyring_or_a_silent_bus_fails_quickly_instead_of_hanging() {
    let mut run = Run::new();
    let script = r#"
ROUNDS_TOKEN="$TOK" "$ROUNDS" login --profile p --server http://127.0.0.1:9/fhir --auth token; echo "locked rc=$?"
"#;
    let started = Instant::now();
    let (text, out) = run.sh(Wrapper::LockedKeyring, script, &[("TOK", TOKEN)]);
    assert_ne!(
        out.status.code(),
        Some(99),
        "could not lock the keyring:\n{text}"
    );
    assert_eq!(rc(&text, "locked"), 4, "{text}");
    assert!(text.contains("locked"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    // A bus that accepts connections and never says a word.
    let socket = run.dir.path().join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let script = r#"
ROUNDS_TOKEN="$TOK" "$ROUNDS" login --profile p --server http://127.0.0.1:9/fhir --auth token; echo "silent rc=$?"
"$ROUNDS" --profile k auth status; echo "status rc=$?"
"$ROUNDS" --profile k capabilities; echo "caps rc=$?"
"#;
    // A profile signed in earlier: reading its secret must not hang either.
    let before = "[profile.k]\nserver = 'http://127.0.0.1:9/fhir'\nauth = 'token'\n";
    std::fs::create_dir_all(run.config_dir()).unwrap();
    std::fs::write(run.profiles_file(), before).unwrap();
    let bus = format!("unix:path={}", socket.display());
    let started = Instant::now();
    let (text, _) = run.sh(
        Wrapper::Plain,
        script,
        &[
            ("TOK", TOKEN),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ("ROUNDS_KEYRING_TIMEOUT", "2"),
        ],
    );
    expect(
        &text,
        &[("silent", 4), ("status", 4), ("caps", 4)],
        &["did not answer within 2 s", "--store memory"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        std::fs::read_to_string(run.profiles_file()).unwrap(),
        before,
        "a failed login writes nothing"
    );
    run.assert_no_secrets();
}

#[test]
fn an_open_profile_reads_the_real_fhir_server_and_broken_files_are_explained() {
    let url = common::server_url();
    let patient = common::fixture_patients()[0].clone();
    let (family, id) = (patient.family, patient.id);
    let mut run = Run::new();
    let script = r#"
"$ROUNDS" login --profile open --server "$URL" --auth none; echo "login rc=$?"
"$ROUNDS" --profile open search --family "$FAMILY" --json; echo "search rc=$?"
ROUNDS_PROFILE=open "$ROUNDS" search --family "$FAMILY"; echo "search-env rc=$?"
"$ROUNDS" search --family "$FAMILY"; echo "search-default rc=$?"
"$ROUNDS" auth status; echo "status rc=$?"
"$ROUNDS" logout; echo "logout rc=$?"
"$ROUNDS" --profile open --server "$URL" search --family x; echo "both rc=$?"
"$ROUNDS" --profile nope search --family x; echo "unknown rc=$?"
"$ROUNDS" login --profile s --server "$URL" --auth smart --store memory; echo "smart rc=$?"
"#;
    let (text, _) = run.sh(
        Wrapper::Plain,
        script,
        &[("URL", &url), ("FAMILY", &family)],
    );
    expect(
        &text,
        &[
            ("login", 0),
            ("search", 0),
            ("search-env", 0),
            ("search-default", 0),
            ("status", 0),
            ("logout", 0),
            ("both", 2),
            ("unknown", 3),
            ("smart", 2),
        ],
        &[
            "No sign-in is needed; nothing is stored.",
            "\"schema\": \"rounds.search/1\"",
            &id,
            "none needed (no sign-in)",
            "Profile 'open' needs no sign-in and keeps no secret: nothing to remove.",
            "there is no profile 'nope' (known: open)",
            "--auth smart needs --client-id ID",
        ],
    );
    assert!(
        !std::fs::read_to_string(run.profiles_file())
            .unwrap()
            .contains("[profile.s]")
    );

    std::fs::write(
        run.profiles_file(),
        "[profile.open]\nserver = 'http://x'\npassword = 'hunter2'\n",
    )
    .unwrap();
    let (text, _) = run.sh(
        Wrapper::Plain,
        "\"$ROUNDS\" profiles; echo \"broken rc=$?\"",
        &[],
    );
    assert_eq!(rc(&text, "broken"), 2, "{text}");
    let quoted = format!("'{}' line 3:", run.profiles_file().display());
    assert!(text.contains(&quoted), "{text}");
    assert!(text.contains("secrets never go in this file"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}
