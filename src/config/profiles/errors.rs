//! The profiles file's failures as `ProfilesError`s: a file or folder that is not private
//! (as ssh checks its own), and an I/O failure naming what was being done.

use std::path::Path;

use super::ProfilesError;
use crate::config::private_file;

/// The file and its folders checked as ssh checks its own.
pub(super) fn check_private(path: &Path) -> Result<(), ProfilesError> {
    private_file::check_private(path).map_err(|e| match e {
        private_file::Unsafe::NotYours { path, uid } => ProfilesError::NotYours { path, uid },
        private_file::Unsafe::Writable { path, mode } => ProfilesError::TooOpen { path, mode },
    })
}

/// An I/O failure on the profiles file, saying what was being done.
pub(super) fn io_error(path: &Path, what: &str, e: std::io::Error) -> ProfilesError {
    ProfilesError::Io {
        path: path.to_owned(),
        problem: format!("{what} ({e})"),
    }
}
