//! Progress for long work: a spinner on stderr only when stderr is a terminal (`script`
//! gives the command one), cleared before the result is printed; nothing at all when stderr
//! is piped, and nothing with --json.

use super::*;

/// The spinner's frames (braille), the carriage return and escape sequences it draws with,
/// and its words.
fn assert_no_progress(what: &str, stderr: &str) {
    let drawn = stderr
        .chars()
        .any(|c| ('\u{2800}'..='\u{28ff}').contains(&c) || c == '\r' || c == '\x1b');
    assert!(!drawn, "{what}: progress on a piped stderr: {stderr:?}");
    assert!(!stderr.contains("searching"), "{what}: {stderr:?}");
    assert!(!stderr.contains("loading the chart"), "{what}: {stderr:?}");
}

#[test]
fn piped_stderr_carries_no_progress() {
    let search = run(server(&["search", "--name", "a", "--limit", "1000"])).ok();
    assert_no_progress("search", &search.stderr);
    let chart = run(server(&["chart", KIMIKO])).ok();
    assert_no_progress("chart", &chart.stderr);
    assert_eq!(chart.stderr, "");
}

/// `rounds --server URL ARGS` on a terminal: all it wrote there.
fn on_terminal(args: &str) -> String {
    let out = std::process::Command::new("script")
        .args([
            "-qfec",
            &format!("\"$ROUNDS\" --server \"$URL\" {args}"),
            "/dev/null",
        ])
        .env("ROUNDS", env!("CARGO_BIN_EXE_rounds"))
        .env("URL", server_url())
        .env("ROUNDS_CACHE_DIR", "")
        .env("ROUNDS_TODAY", TODAY)
        .env_remove("ROUNDS_SERVER")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_terminal_sees_a_spinner_cleared_before_the_result_and_none_with_json() {
    let text = on_terminal("search --name a --limit 1000");
    let spinner = text
        .find("searching…")
        .unwrap_or_else(|| panic!("{text:?}"));
    let result = text.find("NAME").unwrap_or_else(|| panic!("{text:?}"));
    let cleared = text[..result]
        .rfind("\r\x1b[2K")
        .unwrap_or_else(|| panic!("{text:?}"));
    assert!(spinner < cleared, "{text:?}");
    assert!(!text[result..].contains("searching"), "{text:?}");

    let json = on_terminal("search --name a --limit 1000 --json");
    assert!(!json.contains("searching"), "{json:?}");
    assert!(!json.contains('\u{1b}'), "{json:?}");
}
