//! The doctor's Config section: the config directory and `profiles.toml` (there or not,
//! mode, owner: a file or folder others may change is a failure, one others may read a
//! warning), the profile chosen and how it signs in, and the capability cache folder.
//!
//! It reads metadata and the profiles file (through `config::Profiles`, which holds no
//! secrets); it changes nothing.

use std::io::ErrorKind;
use std::path::Path;

use super::Target;
use super::report::{Checks, Section};
use crate::config::profiles::FILE_NAME;
use crate::config::{Profiles, cache_dir, config_dir};

/// Mode bits that let others change a file, or read it.
const OTHERS_WRITE: u32 = 0o022;
const OTHERS_READ: u32 = 0o044;

pub fn checks(target: &Target) -> Checks {
    let mut c = Checks::new(Section::Config);
    match config_dir() {
        None => c.failure(
            "directory",
            "no config directory (no home directory was found)",
            "set ROUNDS_CONFIG_DIR to a folder only you can change",
        ),
        Some(dir) => {
            folder(&mut c, "directory", &dir, "chmod 700");
            profiles_file(&mut c, &dir.join(FILE_NAME));
        }
    }
    profile(&mut c, target);
    cache(&mut c);
    c
}

/// A file's or folder's mode and owner, and whether it is a folder.
struct Found {
    mode: u32,
    owner: Option<u32>,
    is_dir: bool,
}

fn inspect(path: &Path) -> std::io::Result<Found> {
    let meta = std::fs::metadata(path)?;
    #[cfg(unix)]
    let (mode, owner) = {
        use std::os::unix::fs::MetadataExt;
        (meta.mode() & 0o777, Some(meta.uid()))
    };
    #[cfg(not(unix))]
    let (mode, owner) = (0o700, None);
    Ok(Found {
        mode,
        owner,
        is_dir: meta.is_dir(),
    })
}

/// This process's user id, which should own the config files.
fn my_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(rustix::process::geteuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Mode and owner of `path` judged: others may change it (failure), another user owns it
/// (failure), others may read it (warning). Whether it is private and yours.
fn judge(c: &mut Checks, name: &'static str, path: &Path, found: &Found, fix: &str) -> bool {
    let shown = path.display();
    let mode = found.mode;
    let fix = format!("{fix} '{shown}'");
    if let (Some(owner), Some(me)) = (found.owner, my_uid()) {
        if owner != me {
            c.failure(
                name,
                format!("'{shown}' belongs to user id {owner}, not to you ({me}): its owner can change where rounds signs in"),
                "give it to your user (chown) or set ROUNDS_CONFIG_DIR to a folder of your own",
            );
            return false;
        }
    }
    if mode & OTHERS_WRITE != 0 {
        c.failure(
            name,
            format!("'{shown}' (mode {mode:o}) can be changed by other users: they could send your sign-in to their server"),
            &fix,
        );
        return false;
    }
    if mode & OTHERS_READ != 0 {
        c.warning(
            name,
            format!("'{shown}' (mode {mode:o}) can be read by other users (it names servers and users, no secrets)"),
            &fix,
        );
        return false;
    }
    true
}

fn folder(c: &mut Checks, name: &'static str, dir: &Path, fix: &str) {
    let shown = dir.display();
    match inspect(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => c.ok(
            name,
            format!("'{shown}': not created yet (rounds login creates it, mode 700)"),
        ),
        Err(e) => c.failure(
            name,
            format!("'{shown}' cannot be read ({e})"),
            "check the folder's permissions",
        ),
        Ok(found) if !found.is_dir => c.failure(
            name,
            format!("'{shown}' is not a folder"),
            "move the file away, or set ROUNDS_CONFIG_DIR to a folder",
        ),
        Ok(found) => {
            if judge(c, name, dir, &found, fix) {
                c.ok(name, format!("'{shown}': mode {:o}, yours", found.mode));
            }
        }
    }
}

fn profiles_file(c: &mut Checks, path: &Path) {
    let name = "profiles-file";
    let shown = path.display();
    let found = match inspect(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return c.ok(
                name,
                format!("'{shown}': not there yet, no profiles (rounds login creates it)"),
            );
        }
        Err(e) => {
            return c.failure(
                name,
                format!("'{shown}' cannot be read ({e})"),
                "check the file's permissions",
            );
        }
        Ok(found) => found,
    };
    let private = judge(c, name, path, &found, "chmod 600");
    if found.mode & OTHERS_WRITE != 0 {
        // rounds refuses such a file; reading it on would only repeat that.
        return;
    }
    match Profiles::load_from(path) {
        Err(e) => c.failure(
            name,
            e.to_string(),
            "fix the line, or move the file away and sign in again with rounds login",
        ),
        Ok(profiles) if private => {
            let default = profiles
                .default
                .as_deref()
                .map(|d| format!(", default '{d}'"))
                .unwrap_or_default();
            c.ok(
                name,
                format!(
                    "'{shown}': mode {:o}, yours, {} profile(s){default}",
                    found.mode,
                    profiles.profiles.len()
                ),
            );
        }
        Ok(_) => {}
    }
}

fn profile(c: &mut Checks, target: &Target) {
    match target {
        Target::Server(url) => c.ok(
            "profile",
            format!("none: --server {url} without a profile signs in to nothing"),
        ),
        Target::Profile { name, profile } => c.ok(
            "profile",
            format!(
                "'{name}': server {}, sign-in {}, secret kept in {}",
                profile.server,
                profile.auth.name(),
                profile.store
            ),
        ),
        Target::Nothing { why, failed: true } => c.failure(
            "profile",
            why.clone(),
            "name an existing profile (rounds profiles lists them) or give --server URL",
        ),
        Target::Nothing { why, .. } => c.warning(
            "profile",
            why.clone(),
            "give --server URL or --profile NAME to check a server too",
        ),
    }
}

fn cache(c: &mut Checks) {
    let name = "capability-cache";
    let Some(dir) = cache_dir() else {
        let off = std::env::var_os("ROUNDS_CACHE_DIR").is_some();
        return if off {
            c.ok(
                name,
                "off (ROUNDS_CACHE_DIR is empty): capabilities are asked for on every run",
            )
        } else {
            c.warning(
                name,
                "no cache folder (no home directory): capabilities are asked for on every run",
                "set ROUNDS_CACHE_DIR to a folder of your own",
            )
        };
    };
    let shown = dir.display();
    match inspect(&dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => c.ok(
            name,
            format!("'{shown}': not created yet (made when a server is first asked)"),
        ),
        Err(e) => c.warning(
            name,
            format!("'{shown}' cannot be read ({e}): capabilities are asked for on every run"),
            "check the folder's permissions",
        ),
        Ok(found) if !found.is_dir || found.mode & 0o200 == 0 || found.owner != my_uid() => c
            .warning(
                name,
                format!("'{shown}' is not a folder you can write: capabilities are asked for on every run"),
                "give the folder to your user with write permission, or set ROUNDS_CACHE_DIR",
            ),
        Ok(_) => {
            let servers = std::fs::read_dir(&dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .filter(|e| e.file_name().to_string_lossy().starts_with("capabilities-"))
                        .count()
                })
                .unwrap_or(0);
            c.ok(
                name,
                format!("'{shown}': capabilities of {servers} server(s) (no patient data)"),
            );
        }
    }
}
