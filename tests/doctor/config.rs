//! The Config section: a fresh install (nothing yet: fine, with a warning that no server
//! was checked), `profiles.toml` readable by others (a warning) or writable by others (a
//! failure rounds itself would refuse), a config folder others may change, and a file
//! that is not valid TOML.

use std::os::unix::fs::PermissionsExt;

use super::common::server_url;
use super::*;

fn profile_k() -> String {
    format!(
        "default = 'k'\n[profile.k]\nserver = '{}'\nauth = 'none'\n",
        server_url()
    )
}

#[test]
fn a_fresh_install_is_fine_and_says_no_server_was_checked() {
    let d = Doctor::new();
    let doc = d.run(&["doctor", "--json"]).code(0).json();
    expect_check(&doc, "directory", "ok", &["not created yet"]);
    expect_check(&doc, "profiles-file", "ok", &["not there yet"]);
    expect_check(
        &doc,
        "profile",
        "warning",
        &["no data source", "--server URL"],
    );
    expect_check(&doc, "store", "ok", &["not needed"]);
    expect_check(&doc, "url", "warning", &["not checked"]);
    expect_check(
        &doc,
        "capability-cache",
        "ok",
        &["off (ROUNDS_CACHE_DIR is empty)"],
    );
}

#[test]
fn a_private_profiles_file_is_ok_and_its_profile_is_used() {
    let d = Doctor::new();
    d.profiles(&profile_k(), 0o600);
    let doc = d.run(&["doctor", "--json"]).code(0).json();
    expect_check(&doc, "directory", "ok", &["mode 700, yours"]);
    expect_check(
        &doc,
        "profiles-file",
        "ok",
        &["mode 600, yours, 1 profile(s), default 'k'"],
    );
    expect_check(&doc, "profile", "ok", &["'k'", "sign-in none"]);
    expect_check(
        &doc,
        "store",
        "ok",
        &["not needed: profile 'k' signs in to nothing"],
    );
    expect_check(&doc, "http", "ok", &["HTTP 200"]);
}

#[test]
fn a_profiles_file_others_may_read_is_a_warning() {
    let d = Doctor::new();
    let file = d.profiles(&profile_k(), 0o644);
    let doc = d.run(&["doctor", "--json"]).code(0).json();
    expect_check(
        &doc,
        "profiles-file",
        "warning",
        &[
            "(mode 644) can be read by other users",
            &format!("chmod 600 '{}'", file.display()),
        ],
    );
}

#[test]
fn a_profiles_file_others_may_change_is_a_failure() {
    let d = Doctor::new();
    d.profiles(&profile_k(), 0o666);
    let doc = d.run(&["doctor", "--json"]).code(1).json();
    expect_check(
        &doc,
        "profiles-file",
        "failure",
        &["can be changed by other users", "chmod 600"],
    );
    // rounds refuses such a file, so there is no profile and no server to check.
    expect_check(
        &doc,
        "profile",
        "failure",
        &["can be changed by other users"],
    );
    expect_check(&doc, "url", "warning", &["not checked"]);
}

#[test]
fn a_config_folder_others_may_change_is_a_failure() {
    let d = Doctor::new();
    d.profiles(&profile_k(), 0o600);
    std::fs::set_permissions(d.config_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let doc = d.run(&["doctor", "--json"]).code(1).json();
    expect_check(
        &doc,
        "directory",
        "failure",
        &["(mode 777) can be changed by other users", "chmod 700"],
    );
}

#[test]
fn a_broken_profiles_file_names_the_line() {
    let d = Doctor::new();
    d.profiles("[profile.k]\nserver = 'http://a'\ncolour = 'red'\n", 0o600);
    let doc = d.run(&["doctor", "--json"]).code(1).json();
    expect_check(
        &doc,
        "profiles-file",
        "failure",
        &["line 3", "fix the line"],
    );
}
