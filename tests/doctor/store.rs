//! The Secret store section with real stores: gnome-keyring in a private D-Bus session,
//! unlocked (the secret is found and never printed; a profile without one is told to log
//! in) and with its login collection locked (a failure that says so, with the way out, and
//! over SSH the SSH advice); and no session bus at all (the Secret Service is unavailable,
//! and over SSH the advice is to run one in a session of its own). The ways out named are
//! the stores that answer here.

use super::common::keyring::{LOCK_KEYRING, dbus_session, rc, require_tools};
use super::common::server_url;
use super::*;

const TOKEN: &str = "tok-doctor-5d41402abc4b2a76b97";

/// Two token profiles of the test server in the keyring: `k` (its secret stored by the
/// setup) and `m` (never signed in).
fn profiles(d: &Doctor) {
    let url = server_url();
    d.profiles(
        &format!(
            "default = 'k'\n[profile.k]\nserver = '{url}'\nauth = 'token'\n\
             [profile.m]\nserver = '{url}'\nauth = 'token'\n"
        ),
        0o600,
    );
}

/// Store `k`'s token with secret-tool, then run `setup` and `script` in the session.
fn in_keyring(d: &Doctor, setup: &str, exec: &str, script: &str) -> String {
    require_tools();
    let store = "printf %s \"$TOK\" | secret-tool store --label rounds service rounds \
                 username profile:k:token || exit 98;";
    let mut cmd = dbus_session(&format!("{store} {setup}"), exec, script);
    d.env(&mut cmd);
    cmd.env("TOK", TOKEN).env("OUT", d.dir.path());
    let out = Outcome::of(cmd);
    assert!(
        ![98, 99].contains(&out.code),
        "the keyring could not be set up: {out}"
    );
    assert!(
        !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
        "{out}"
    );
    out.stdout
}

/// A report the script wrote to `$OUT/NAME.json`; it must not hold the token.
fn report(d: &Doctor, name: &str) -> Value {
    let text = std::fs::read_to_string(d.dir.path().join(format!("{name}.json"))).unwrap();
    assert!(!text.contains(TOKEN), "{name} shows the token:\n{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn an_unlocked_keyring_has_the_secret_and_a_missing_one_is_named() {
    let d = Doctor::new();
    profiles(&d);
    let script = r#"
"$ROUNDS" doctor --json > "$OUT/k.json"; echo "k rc=$?"
"$ROUNDS" doctor --profile m --json > "$OUT/m.json"; echo "m rc=$?"
"#;
    let text = in_keyring(&d, "", "keyctl session -", script);
    assert_eq!(rc(&text, "k"), 0, "{text}");
    assert_eq!(rc(&text, "m"), 1, "{text}");

    let k = report(&d, "k");
    expect_check(&k, "ssh", "ok", &["no"]);
    expect_check(
        &k,
        "keyring",
        "ok",
        &["answers, unlocked", "this profile's store"],
    );
    expect_check(&k, "keyutils", "ok", &["can keep a secret"]);
    expect_check(&k, "memory", "ok", &["always there"]);
    expect_check(
        &k,
        "secret",
        "ok",
        &["present: token in entry 'profile:k:token'"],
    );
    expect_check(&k, "profile", "ok", &["'k'", "sign-in token", "keyring"]);

    let m = report(&d, "m");
    expect_check(
        &m,
        "secret",
        "failure",
        &["missing: no token", "rounds login --profile m"],
    );
}

#[test]
fn a_locked_keyring_is_a_failure_with_the_way_out_and_ssh_advice() {
    let d = Doctor::new();
    profiles(&d);
    let script = r#"
"$ROUNDS" doctor --json > "$OUT/plain.json"; echo "plain rc=$?"
SSH_CONNECTION="192.0.2.1 50000 192.0.2.2 22" "$ROUNDS" doctor --json > "$OUT/ssh.json"; echo "ssh rc=$?"
"$ROUNDS" doctor; echo "text rc=$?"
"#;
    let text = in_keyring(&d, &format!("{LOCK_KEYRING};"), "keyctl session -", script);
    assert_eq!(rc(&text, "plain"), 1, "{text}");
    assert_eq!(rc(&text, "ssh"), 1, "{text}");
    assert!(text.contains("  failure  keyring "), "{text}");

    let plain = report(&d, "plain");
    expect_check(
        &plain,
        "keyring",
        "failure",
        &[
            "the login keyring is locked",
            "unlock the login keyring",
            "rounds login --profile k --store keyutils",
            "or --store memory",
        ],
    );
    // The secret cannot be read from a locked store: no line claims it is there or not.
    assert!(!has_check(&plain, "secret"), "{plain:#}");

    let ssh = report(&d, "ssh");
    expect_check(&ssh, "ssh", "ok", &["yes (SSH_CONNECTION is set)"]);
    expect_check(
        &ssh,
        "keyring",
        "failure",
        &[
            "locked",
            "over SSH no unlock prompt can be shown",
            "gnome-keyring-daemon --replace --unlock",
            "--store keyutils",
        ],
    );
}

#[test]
fn without_a_session_bus_the_secret_service_is_unavailable() {
    let d = Doctor::new();
    profiles(&d);
    let doc = d.run(&["doctor", "--json"]).code(1).json();
    expect_check(
        &doc,
        "keyring",
        "failure",
        &["not available here", "--store memory"],
    );
    let mut cmd = d.command(&["doctor", "--json"]);
    cmd.env("SSH_TTY", "/dev/pts/9");
    let ssh = Outcome::of(cmd).code(1).json();
    expect_check(
        &ssh,
        "keyring",
        "failure",
        &["no Secret Service", "dbus-run-session", "--store memory"],
    );
    expect_check(&doc, "memory", "ok", &["always there"]);
    // The server checks go on: the store does not decide whether the server is healthy.
    expect_check(&doc, "http", "ok", &["HTTP 200"]);
}
