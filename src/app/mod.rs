//! The TUI's state and its one `update` function: keys become `Action`s through the keymap,
//! `update` changes the state and returns `Command`s for the worker, whose `Response`s come
//! back through `update` again. No terminal or network I/O happens here.

mod command;
pub mod desk;
mod help;
mod input;
pub mod layers;
pub mod lists;
pub mod lock;
pub mod offline_sync;
mod query;
pub mod rows;
pub mod schedule;
mod state;
mod update;
pub mod vitals_form;
pub mod widths;
pub mod writing;

pub use crate::common::Action;
pub use command::{Command, RegistrationCheck, Response, ResponseResult};
pub use help::{HelpLine, help_lines};
pub use input::LineInput;
pub use layers::{Layer, LayerKind, Layers};
pub use lock::{IdleLock, LockPhase, LockReason, SignInView};
pub use query::{QueryError, parse_query};
pub use state::{
    App, ChartState, Remote, RequestId, ResultsView, Screen, SearchState, Status, Tab,
};
pub use update::{Msg, SEARCH_LIMIT, update};
pub use vitals_form::VitalsForm;
pub use writing::{Confirm, NoteConfirm, NoteSession, OutboxList, Writing};
