//! The small shared vocabulary every layer may name: what kind of data source is open
//! (`SourceInfo`), how a request is tagged and how far it has come (`RequestId`, `Remote`),
//! the chart tabs (`Tab`), what a key can ask for (`Action`), and what went wrong
//! (`Failure`).
//!
//! These are plain types with no behaviour beyond naming themselves. This module depends
//! on no other module of rounds, so that `ui/`, `app/`, `config/` and `source/` can share
//! these words without reaching into one another.

mod action;
mod failure;
mod remote;
mod source_info;
mod tab;

pub use action::Action;
pub use failure::{Failure, FailureKind};
pub use remote::{Remote, RequestId};
pub use source_info::{SourceInfo, SourceKind};
pub use tab::{ResultsView, Tab};
