//! Reading a file the user named (a settings file, a cache file, an export to open) without
//! trusting what kind of file it is: regular files only, so `/dev/zero` cannot fill the
//! memory and a FIFO named `*.json` cannot hang rounds; and never more than a size limit,
//! checked before reading and while reading (a file may grow as it is read). Also the
//! advisory lock on a folder (`lock`) that writers of a file in it hold around a
//! read-modify-write (profiles.toml, the offline index). It depends on no other module of
//! rounds; it does not know what the files hold.

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a folder, a device, a FIFO or a socket.
    NotAFile,
    /// Larger than the limit (its size in bytes, as far as it was read).
    TooLarge { size: u64, limit: u64 },
    /// The file could not be opened or read.
    Io(std::io::Error),
}

impl ReadError {
    /// The problem in words, for a message that names the file.
    pub fn problem(&self) -> String {
        match self {
            ReadError::NotAFile => {
                "not a regular file (a device, a pipe or a socket): it was not read".into()
            }
            ReadError::TooLarge { size, limit } => format!(
                "{} is larger than the {} rounds reads from one file",
                megabytes(*size),
                megabytes(*limit)
            ),
            ReadError::Io(e) => match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or folder".into(),
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => format!("cannot be read ({e})"),
            },
        }
    }
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// Whether `path` is a regular file (following symbolic links), without opening it.
pub fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The bytes of the regular file at `path`, at most `limit` of them. The file is opened
/// without blocking (a FIFO put in its place after the check cannot hang the open) and
/// checked again once open.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut out = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(ReadError::Io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: out.len() as u64,
            limit,
        });
    }
    Ok(out)
}

/// The text of a small settings file: `None` when it does not exist; an error in words
/// when it is not a regular file, is larger than `limit`, cannot be read or is not UTF-8.
pub fn read_settings(path: &Path, limit: u64) -> Result<Option<String>, String> {
    match read_regular(path, limit) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "is not UTF-8 text".to_owned()),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.problem()),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_regular(&file, 9),
            Err(ReadError::TooLarge { size: 10, limit: 9 })
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 1 << 20),
            Err(ReadError::NotAFile)
        ));
        assert!(matches!(
            read_regular(dir.path(), 1 << 20),
            Err(ReadError::NotAFile)
        ));
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_regular(&fifo, 1 << 20),
                Err(ReadError::NotAFile)
            ));
        }
        assert_eq!(
            read_settings(&dir.path().join("none.toml"), 10).unwrap(),
            None
        );
        assert!(
            read_settings(Path::new("/dev/zero"), 10)
                .unwrap_err()
                .contains("not a regular file")
        );
    }
}

/// An exclusive advisory lock on a folder, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _folder: std::fs::File,
}

/// Take the exclusive lock on the folder `dir` (created 0700 if need be), waiting for
/// whoever holds it. Every writer of a file in it takes the lock around its read, change
/// and write, so changes made at the same moment are all kept. The folder itself is locked
/// (`flock` on its descriptor): no lock file is left beside the file.
pub fn lock(dir: &Path) -> std::io::Result<Lock> {
    create_private_dir(dir)?;
    let folder = std::fs::File::open(dir)?;
    #[cfg(unix)]
    rustix::fs::flock(&folder, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(Lock { _folder: folder })
}

/// Create the folder `dir` (and its parents, mode 0700) when it does not exist.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
