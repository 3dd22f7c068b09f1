//! The Terminal section: a real pseudo-terminal of a given size (`script`, with `stty`
//! setting the size), and the environment that decides colours and symbols (`TERM`,
//! `NO_COLOR`, the locale).

use super::*;

/// `rounds doctor --json` on a terminal of `cols` x `rows`; the report it printed.
fn on_terminal(d: &Doctor, cols: u16, rows: u16) -> Value {
    let mut cmd = Command::new("script");
    cmd.args([
        "-qfec",
        &format!("stty cols {cols} rows {rows}; \"$ROUNDS\" doctor --json"),
        "/dev/null",
    ]);
    d.env(&mut cmd);
    let out = Outcome::of(cmd).code(0);
    // The terminal turns each newline into CR LF.
    let text = out.stdout.replace("\r\n", "\n");
    let start = text.find('{').unwrap_or_else(|| panic!("no JSON: {out}"));
    serde_json::from_str(&text[start..]).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn a_terminal_of_80x24_or_more_is_ok_and_a_smaller_one_a_warning() {
    let d = Doctor::new();
    let big = on_terminal(&d, 100, 30);
    expect_check(&big, "stdout", "ok", &["a terminal"]);
    expect_check(&big, "size", "ok", &["100x30"]);
    let small = on_terminal(&d, 60, 20);
    expect_check(
        &small,
        "size",
        "warning",
        &[
            "60x20: smaller than 80x24",
            "at least 80 columns by 24 rows",
        ],
    );
}

#[test]
fn colours_and_locale_are_read_from_the_environment() {
    let d = Doctor::new();
    let fine = d.run(&["doctor", "--json"]).code(0).json();
    expect_check(
        &fine,
        "colours",
        "ok",
        &["TERM=xterm-256color", "NO_COLOR not set"],
    );
    expect_check(&fine, "locale", "ok", &["UTF-8 (LANG=C.UTF-8)"]);

    let mut cmd = d.command(&["doctor", "--json"]);
    cmd.env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("LANG", "C");
    let poor = Outcome::of(cmd).code(0).json();
    expect_check(
        &poor,
        "colours",
        "warning",
        &[
            "TERM is 'dumb'",
            "NO_COLOR is set",
            "export TERM=xterm-256color",
        ],
    );
    expect_check(
        &poor,
        "locale",
        "warning",
        &["LANG=C: not UTF-8", "export LANG=C.UTF-8"],
    );
}
