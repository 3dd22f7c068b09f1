//! The doctor's Terminal section: whether stdout is a terminal, its size (80x24 is what
//! every screen is made for), colours (`TERM`, `COLORTERM`, `NO_COLOR`, read as the themes
//! read them) and whether the locale is UTF-8. It only looks; it changes no terminal mode.

use std::io::IsTerminal;

use super::report::{Checks, Section};
use crate::config::{no_color_requested, unicode_locale};

/// The size every screen of rounds is made to fit.
const MIN_COLUMNS: u16 = 80;
const MIN_ROWS: u16 = 24;

pub fn checks() -> Checks {
    let mut c = Checks::new(Section::Terminal);
    let tty = std::io::stdout().is_terminal();
    if tty {
        c.ok("stdout", "a terminal");
    } else {
        c.warning(
            "stdout",
            "not a terminal (piped or redirected): fine for commands and this report",
            "the interactive screen needs a terminal: run rounds in one to use it",
        );
    }
    size(&mut c, tty);
    colours(&mut c);
    locale(&mut c);
    c
}

fn size(c: &mut Checks, tty: bool) {
    if !tty {
        return c.ok("size", "not measured: stdout is not a terminal");
    }
    match ratatui::crossterm::terminal::size() {
        Ok((w, h)) if w >= MIN_COLUMNS && h >= MIN_ROWS => c.ok("size", format!("{w}x{h}")),
        Ok((w, h)) => c.warning(
            "size",
            format!("{w}x{h}: smaller than {MIN_COLUMNS}x{MIN_ROWS}, so panes are cut short"),
            "make the window at least 80 columns by 24 rows",
        ),
        Err(e) => c.warning(
            "size",
            format!("could not be measured ({e})"),
            "check that the terminal reports its size (stty size)",
        ),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn colours(c: &mut Checks) {
    let term = var("TERM");
    let colorterm = var("COLORTERM")
        .map(|v| format!(", COLORTERM={v}"))
        .unwrap_or_default();
    let colour = if no_color_requested() {
        "NO_COLOR is set: drawn without colour (abnormal values keep their symbols)"
    } else {
        "NO_COLOR not set: colour themes are used"
    };
    match term.as_deref() {
        None | Some("dumb") => c.warning(
            "colours",
            format!(
                "TERM is {}{colorterm}: the interactive screen may not draw; {colour}",
                term.as_deref()
                    .map_or("not set".to_owned(), |t| format!("'{t}'"))
            ),
            "set TERM to your terminal's type, e.g. export TERM=xterm-256color",
        ),
        Some(t) => c.ok("colours", format!("TERM={t}{colorterm}; {colour}")),
    }
}

fn locale(c: &mut Checks) {
    let set = ["LC_ALL", "LC_CTYPE", "LANG"]
        .into_iter()
        .find_map(|v| var(v).map(|value| format!("{v}={value}")));
    let shown = set.unwrap_or_else(|| "no locale set".to_owned());
    if unicode_locale() {
        c.ok("locale", format!("UTF-8 ({shown})"));
    } else {
        c.warning(
            "locale",
            format!("{shown}: not UTF-8, so lines and symbols are drawn in plain ASCII"),
            "use a UTF-8 locale, e.g. export LANG=C.UTF-8",
        );
    }
}
