//! The columns each chart section is listed with: one definition per section, shared by
//! the CLI's tables (`cli::sections`), the TUI's panes (`ui`) and the TUI's width
//! measurements (`app::widths`), so a row's cells live in one place.
//!
//! A column is a small enum variant that knows its header, the text of its cell for a row,
//! and how it gives way on a narrow screen (`Fit`, used by the TUI only). Each surface
//! picks its columns from the section's definition (`CLI`, `TUI`, …). Where the two
//! surfaces show a section differently (an encounter's dates, an immunization's dose, a
//! problem's repeat count), both forms are variants here, side by side, so the difference
//! is visible and deliberate.
//!
//! Pure: no terminal types, no I/O. Cell text is as the server sent it; the renderer cleans
//! it (`crate::text::clean_line`) on its way to a terminal.

pub mod allergies;
pub mod encounters;
pub mod immunizations;
pub mod labs;
pub mod medications;
pub mod notes;
pub mod postings;
pub mod problems;
pub mod procedures;
pub mod vitals;

use std::borrow::Cow;

/// How a column gives way when the screen is too narrow for every column at its widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// The least width it can do with.
    pub min: u16,
    /// The most it takes, however long its cells.
    pub max: u16,
    /// How much it matters: 0 is always shown; higher numbers are dropped first.
    pub priority: u8,
    /// Never narrower than its content (up to `max`): values, units and flags, which must
    /// not be cut.
    pub keep: bool,
}

impl Fit {
    pub const fn new(min: u16, max: u16, priority: u8) -> Fit {
        Fit {
            min,
            max,
            priority,
            keep: false,
        }
    }

    /// A column that is never cut below its content (values, units, flags).
    pub const fn kept(min: u16, max: u16, priority: u8) -> Fit {
        Fit {
            min,
            max,
            priority,
            keep: true,
        }
    }
}

/// What a column is called and how it narrows.
pub trait ColumnDef: Copy {
    fn header(self) -> &'static str;
    fn fit(self) -> Fit;
}

/// What a column says for one row of type `R`.
pub trait CellText<R: ?Sized>: ColumnDef {
    fn cell(self, row: &R) -> Cow<'_, str>;
}

/// The cells of `row` under `columns`, in order.
pub fn cells<'r, R: ?Sized, C: CellText<R>>(columns: &[C], row: &'r R) -> Vec<Cow<'r, str>> {
    columns.iter().map(|c| c.cell(row)).collect()
}

/// `text` borrowed, or "" for a missing optional field.
fn or_blank(text: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(text.as_deref().unwrap_or(""))
}
