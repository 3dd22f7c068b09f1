//! The clinician's own editor: `$VISUAL`, else `$EDITOR`, else `vi`, opened on a file
//! only its owner may read (0600, in a 0700 folder in the runtime directory, else the
//! temporary directory), holding the text given. The file is read back when the editor
//! ends, then overwritten and removed: the note lives on disk only while it is being
//! written (after that, in the encrypted outbox).
//!
//! The editor command may carry arguments (`code -w`, `emacs -nw`): it is run by `sh`,
//! with the file name passed as an argument, never pasted into the command.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// A private folder for the file: `$XDG_RUNTIME_DIR/rounds` (memory-backed on most
/// systems), else a folder of our own in the temporary directory.
fn private_folder() -> io::Result<PathBuf> {
    let base = directories::BaseDirs::new()
        .and_then(|d| d.runtime_dir().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("rounds-{}", whoami_tag()));
    if !dir.is_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(&dir)?;
    }
    #[cfg(unix)]
    {
        // Not a link, and closed to others (a folder someone else made there and left
        // open is refused; one they closed, we cannot write in).
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::symlink_metadata(&dir)?;
        if !meta.is_dir() || meta.permissions().mode() & 0o077 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("'{}' is not a private folder of yours", dir.display()),
            ));
        }
    }
    Ok(dir)
}

/// Something that tells this user's folder from another's in a shared temporary directory.
fn whoami_tag() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| {
            u.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .unwrap_or_else(|| "user".to_owned())
}

/// Open the editor on `text`; the file as it was when the editor ended (`None` if the
/// editor failed or was killed: nothing is assumed written).
pub fn edit(text: &str) -> io::Result<Option<String>> {
    let dir = private_folder()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path = dir.join(format!("note-{}-{nanos}.txt", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&path)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor_command()))
        .arg("rounds-editor")
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map(Some),
        Ok(_) => Ok(None),
        Err(e) => Err(e),
    };
    wipe(&path);
    result
}

/// Overwrite the file with zeros, then remove it (best effort: an editor's own backup
/// files are the editor's).
fn wipe(path: &Path) {
    if let Ok(len) = std::fs::metadata(path).map(|m| m.len()) {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
            let _ = f.write_all(&vec![0u8; usize::try_from(len).unwrap_or(0)]);
            let _ = f.sync_all();
        }
    }
    let _ = std::fs::remove_file(path);
}
