//! The postings' and flags' columns, for `rounds chart --section postings`: the postings
//! (active flags and advance directives, as on the banner) and then every flag with its
//! status (inactive and expired ones too).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit, or_blank};
use crate::chart::FlagRow;
use crate::chart::postings::{Posting, PostingKind};

/// A column of the postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingColumn {
    /// `FLAG (HIGH)`, `FLAG`, `DIRECTIVE`.
    Kind,
    Posting,
    /// Where it comes from: `Clinical, since 01-Sep-2023`.
    Detail,
}

/// A column of the flag list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagColumn {
    Flag,
    Priority,
    Status,
    Category,
    Start,
    End,
}

/// The postings (CLI).
pub const POSTINGS_CLI: [PostingColumn; 3] = [
    PostingColumn::Kind,
    PostingColumn::Posting,
    PostingColumn::Detail,
];
/// Every flag (CLI).
pub const FLAGS_CLI: [FlagColumn; 6] = [
    FlagColumn::Flag,
    FlagColumn::Priority,
    FlagColumn::Status,
    FlagColumn::Category,
    FlagColumn::Start,
    FlagColumn::End,
];

/// A posting's kind in capitals: `FLAG (HIGH)`, `FLAG`, `DIRECTIVE`.
pub fn kind_words(p: &Posting) -> &'static str {
    match p.kind {
        PostingKind::Flag {
            high_priority: true,
        } => "FLAG (HIGH)",
        PostingKind::Flag { .. } => "FLAG",
        PostingKind::Directive => "DIRECTIVE",
    }
}

impl ColumnDef for PostingColumn {
    fn header(self) -> &'static str {
        match self {
            PostingColumn::Kind => "KIND",
            PostingColumn::Posting => "POSTING",
            PostingColumn::Detail => "FROM",
        }
    }

    fn fit(self) -> Fit {
        match self {
            PostingColumn::Kind => Fit::new(9, 11, 0),
            PostingColumn::Posting => Fit::new(12, 40, 0),
            PostingColumn::Detail => Fit::new(12, 60, 1),
        }
    }
}

impl CellText<Posting> for PostingColumn {
    fn cell(self, p: &Posting) -> Cow<'_, str> {
        match self {
            PostingColumn::Kind => Cow::Borrowed(kind_words(p)),
            PostingColumn::Posting => Cow::Borrowed(&p.text),
            PostingColumn::Detail => or_blank(&p.detail),
        }
    }
}

impl ColumnDef for FlagColumn {
    fn header(self) -> &'static str {
        match self {
            FlagColumn::Flag => "FLAG",
            FlagColumn::Priority => "PRIORITY",
            FlagColumn::Status => "STATUS",
            FlagColumn::Category => "CATEGORY",
            FlagColumn::Start => "FROM",
            FlagColumn::End => "UNTIL",
        }
    }

    fn fit(self) -> Fit {
        match self {
            FlagColumn::Flag => Fit::new(12, 40, 0),
            FlagColumn::Priority => Fit::new(6, 8, 1),
            FlagColumn::Status => Fit::new(6, 14, 0),
            FlagColumn::Category => Fit::new(8, 20, 2),
            FlagColumn::Start | FlagColumn::End => Fit::new(11, 11, 3),
        }
    }
}

impl CellText<FlagRow> for FlagColumn {
    fn cell(self, f: &FlagRow) -> Cow<'_, str> {
        match self {
            FlagColumn::Flag => Cow::Borrowed(&f.text),
            FlagColumn::Priority => Cow::Borrowed(if f.high_priority { "High" } else { "" }),
            FlagColumn::Status => Cow::Borrowed(&f.status),
            FlagColumn::Category => or_blank(&f.category),
            FlagColumn::Start => or_blank(&f.start),
            FlagColumn::End => or_blank(&f.end),
        }
    }
}
