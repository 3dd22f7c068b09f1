//! The note list's columns. The TUI lists notes in a table (`TUI`); the CLI prints each
//! note in full under a heading line made of the same cells (`CLI_HEADING`:
//! `--- title | date | author | status`).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::NoteRow;

/// A column of the note list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteColumn {
    Date,
    Title,
    Author,
    Status,
}

use NoteColumn::*;

/// The notes tab's list.
pub const TUI: [NoteColumn; 4] = [Date, Title, Author, Status];
/// The CLI's heading line above each note.
pub const CLI_HEADING: [NoteColumn; 4] = [Title, Date, Author, Status];

impl ColumnDef for NoteColumn {
    fn header(self) -> &'static str {
        match self {
            Date => "DATE",
            Title => "TITLE",
            Author => "AUTHOR",
            Status => "STATUS",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Date => Fit::new(11, 17, 1),
            Title => Fit::new(16, 40, 0),
            Author => Fit::new(12, 30, 2),
            Status => Fit::new(6, 12, 3),
        }
    }
}

impl CellText<NoteRow> for NoteColumn {
    fn cell(self, r: &NoteRow) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Date => &r.date,
            Title => &r.title,
            Author => &r.author,
            Status => &r.status,
        })
    }
}
