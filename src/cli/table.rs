//! Aligned text tables for the terminal. Every cell goes through the sanitizer here, so no
//! server string reaches the terminal with control characters or escape sequences in it.

use std::io::{self, Write};

use crate::text::{clean_line, display_width, pad_to};

/// A table with a header row.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row; cells are cleaned of anything a terminal would act on.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.rows
            .push(cells.iter().map(|c| clean_line(c.as_ref())).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Write the table: columns separated by two spaces, the last column not padded.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(display_width(cell));
            }
        }
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate().take(n) {
                if i + 1 == n {
                    s.push_str(cell);
                } else {
                    s.push_str(&pad_to(cell, widths[i]));
                    s.push_str("  ");
                }
            }
            s.trim_end().to_owned()
        };
        writeln!(out, "{}", line(&self.headers))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width_and_cleans_cells() {
        let mut t = Table::new(&["NAME", "MRN"]);
        t.row(&["\u{5f20}\u{4f1f}", "1"]);
        t.row(&["evil\u{1b}[2Jname", "22"]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "NAME      MRN\n\u{5f20}\u{4f1f}      1\nevilname  22\n"
        );
    }
}
