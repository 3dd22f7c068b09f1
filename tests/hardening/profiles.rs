//! Issue 12.9: `profiles.toml` is trusted only as ssh trusts its own files (this user's or
//! root's, neither it nor its folder writable by others), parallel logins keep every
//! profile (a lock around read, change, write), and a symbolic link to it is written
//! through and kept. These run the real binary with `--auth none` against the test server.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use super::{rounds, run};

fn login(config: &Path, name: &str) -> super::Run {
    let mut cmd = rounds(config);
    cmd.args([
        "login",
        "--profile",
        name,
        "--server",
        &super::common::server_url(),
    ])
    .args(["--auth", "none"]);
    run(cmd)
}

fn profiles(config: &Path) -> super::Run {
    let mut cmd = rounds(config);
    cmd.args(["profiles", "--json"]);
    run(cmd)
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_profiles_file_others_can_change_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    assert_eq!(login(&config, "a").code, 0);
    assert_eq!(profiles(&config).code, 0);
    for mode in [0o770, 0o777, 0o757] {
        chmod(&config, mode);
        let r = profiles(&config);
        assert_eq!(r.code, 2, "{mode:o}: {r}");
        assert!(r.stderr.contains("can be changed by other users"), "{r}");
        assert!(r.stderr.contains(&format!("mode {mode:o}")), "{r}");
        let r = login(&config, "b");
        assert_eq!(r.code, 2, "login with the folder {mode:o}: {r}");
    }
    chmod(&config, 0o700);
    chmod(&config.join("profiles.toml"), 0o660);
    let r = profiles(&config);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("profiles.toml' can be changed by other users"),
        "{r}"
    );
}

#[test]
fn a_profiles_file_owned_by_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    assert_eq!(login(&config, "a").code, 0);
    let file = config.join("profiles.toml");
    // As root (the test machines), hand it to nobody; as anyone else this cannot be done.
    let chowned = std::process::Command::new("chown")
        .args(["nobody"])
        .arg(&file)
        .status()
        .is_ok_and(|s| s.success());
    if !chowned {
        eprintln!("skipped: cannot chown to nobody here (not root)");
        return;
    }
    let r = profiles(&config);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr.contains("belongs to another user (uid 65534)"),
        "{r}"
    );
    // Nor is its folder trusted when another user owns it.
    let _ = std::process::Command::new("chown")
        .arg("root")
        .arg(&file)
        .status();
    let _ = std::process::Command::new("chown")
        .arg("nobody")
        .arg(&config)
        .status();
    let r = profiles(&config);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("belongs to another user"), "{r}");
}

#[test]
fn twelve_logins_at_once_keep_twelve_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let handles: Vec<_> = (0..12)
        .map(|i| {
            let config = config.clone();
            std::thread::spawn(move || login(&config, &format!("p{i}")))
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        assert_eq!(r.code, 0, "{r}");
    }
    let doc = profiles(&config).json();
    let names: Vec<&str> = doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 12, "{names:?}");
}

#[test]
fn a_symlinked_profiles_file_is_written_through_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let dotfiles = dir.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    chmod(&dotfiles, 0o700);
    let real = dotfiles.join("rounds-profiles.toml");
    std::fs::write(&real, "").unwrap();
    chmod(&real, 0o600);
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    chmod(&config, 0o700);
    let link = config.join("profiles.toml");
    symlink(&real, &link).unwrap();
    assert_eq!(login(&config, "a").code, 0);
    assert_eq!(login(&config, "b").code, 0);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.contains("[profile.a]") && text.contains("[profile.b]"),
        "{text}"
    );
    // The folder the link leads to is checked like the file's own.
    chmod(&dotfiles, 0o777);
    let r = profiles(&config);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr.contains("dotfiles' can be changed by other users"),
        "{r}"
    );
}
