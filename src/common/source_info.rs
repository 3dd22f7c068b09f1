//! What kind of data source is open, in words for status lines and reports.

/// What kind of source this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Server,
    Files,
    Demo,
}

/// A description of a source for status lines and reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceInfo {
    pub kind: SourceKind,
    /// The server URL, the path, or "built-in demo patients".
    pub label: String,
    /// TLS certificates are not checked (`--insecure-skip-tls-verify`): always shown.
    #[serde(default)]
    pub tls_unverified: bool,
}
