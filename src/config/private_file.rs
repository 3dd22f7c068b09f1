//! Files only their owner may read or change: written atomically (a temporary file beside
//! the target, then a rename, so a crash leaves the old file or the new one, never half of
//! one), mode 0600, in a folder created 0700; checked before they are trusted the way ssh
//! checks its files (owned by this user or root, and neither the file nor its folder
//! writable by others); and changed under an advisory lock, so that two `rounds login` at
//! once do not lose each other's change. It writes what it is given and never logs it.
//!
//! A symbolic link (a dotfile manager's) is written through: the file it points at is
//! replaced, in its own folder, and the link stays; that folder is checked like the file's.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file cannot be trusted: someone else could change what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsafe {
    /// The file or folder belongs to another user (not this one, not root).
    NotYours { path: PathBuf, uid: u32 },
    /// Users other than its owner may change the file or folder.
    Writable { path: PathBuf, mode: u32 },
}

/// Write `text` to `path` atomically, readable and writable by its owner only. When `path`
/// is a symbolic link, the file it points at is replaced and the link kept.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let target = resolve_link(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_new_private(&tmp, text).and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The file a path names: itself, or where its symbolic links lead (the last one may lead
/// to a file that does not exist yet).
fn resolve_link(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..16 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many symbolic links"))
}

/// Check that `path` (when it exists) and the folders it is kept in can be changed only by
/// their owner, who is this user or root: the file, the folder of the file a link leads
/// to, the folder the link is in, and, for a file under the home folder, every folder up
/// to it (as ssh checks `~/.ssh/config`). Outside the home folder only the file's own
/// folders are checked (a temporary folder sits in a world-writable `/tmp`).
pub fn check_private(path: &Path) -> Result<(), Unsafe> {
    #[cfg(unix)]
    {
        let me = rustix::process::geteuid().as_raw();
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Ok(meta) = std::fs::metadata(path) {
            check_one(path, &meta, me)?;
        }
        let mut folders: Vec<PathBuf> = Vec::new();
        if let Some(dir) = path.parent() {
            folders.push(dir.to_path_buf());
        }
        if let Some(dir) = resolve_link(path)
            .ok()
            .and_then(|t| t.parent().map(Path::to_path_buf))
        {
            folders.push(dir);
        }
        for dir in folders {
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let under_home = home
                .as_deref()
                .filter(|h| dir.starts_with(h) && *h != Path::new("/"));
            for ancestor in dir.ancestors() {
                if let Ok(meta) = std::fs::metadata(ancestor) {
                    check_one(ancestor, &meta, me)?;
                }
                match under_home {
                    Some(h) if ancestor != h => continue,
                    _ => break,
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(unix)]
fn check_one(path: &Path, meta: &std::fs::Metadata, me: u32) -> Result<(), Unsafe> {
    use std::os::unix::fs::MetadataExt;
    if meta.uid() != me && meta.uid() != 0 {
        return Err(Unsafe::NotYours {
            path: path.to_path_buf(),
            uid: meta.uid(),
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(Unsafe::Writable {
            path: path.to_path_buf(),
            mode: mode & 0o777,
        });
    }
    Ok(())
}

pub use crate::files::lock;

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    crate::files::create_private_dir(dir)
}

fn write_new_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[allow(clippy::unwrap_used)]
    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_link_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/profiles.toml");
        write_atomic(&real, "a = 1\n").unwrap();
        let config = dir.path().join("config");
        std::fs::create_dir(&config).unwrap();
        chmod(&config, 0o700);
        let link = config.join("profiles.toml");
        symlink("../dotfiles/profiles.toml", &link).unwrap();
        write_atomic(&link, "a = 2\n").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "a = 2\n");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(check_private(&link), Ok(()));
        // The folder the link leads to is checked as well.
        chmod(&dir.path().join("dotfiles"), 0o777);
        assert!(matches!(
            check_private(&link),
            Err(Unsafe::Writable { mode: 0o777, .. })
        ));
    }

    #[test]
    fn files_and_folders_others_may_change_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let file = config.join("profiles.toml");
        write_atomic(&file, "x").unwrap();
        assert_eq!(check_private(&file), Ok(()));
        for mode in [0o620, 0o602, 0o666] {
            chmod(&file, mode);
            assert_eq!(
                check_private(&file),
                Err(Unsafe::Writable {
                    path: file.clone(),
                    mode
                })
            );
        }
        chmod(&file, 0o600);
        for mode in [0o770, 0o777, 0o1777] {
            chmod(&config, mode);
            assert!(
                matches!(check_private(&file), Err(Unsafe::Writable { ref path, .. }) if *path == config),
                "{mode:o}"
            );
        }
        chmod(&config, 0o755);
        assert_eq!(check_private(&file), Ok(()));
    }
}
