//! Authentication: SMART on FHIR login, token lifetimes, backend services, and where secrets
//! are kept (the OS keyring, the kernel keyutils store, or this session's memory only).
//!
//! It owns the OAuth 2 protocol and secret storage. It knows nothing of terminals or panes:
//! whatever it needs from the user (a pasted URL, a password) comes through a caller's
//! prompt trait, and it hands the FHIR client credentials through `fhir::Credentials`.
//! It must never write a secret to a file, a log, an error message or a URL it prints.

pub mod backend;
pub mod session;
pub mod smart;
pub mod store;
pub mod stored_tokens;

pub use smart::{AuthError, TokenKind, TokenSet};
