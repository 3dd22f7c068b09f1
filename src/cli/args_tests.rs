//! Tests of the command-line definition (`args.rs`).

use super::*;
use clap::CommandFactory;

#[test]
fn the_cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn every_command_ends_its_help_with_an_example() {
    fn check(command: &clap::Command, path: &str) {
        for sub in command.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            if sub.has_subcommands() {
                check(sub, &path);
                continue;
            }
            let help = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            let last = help.lines().last().unwrap_or_default();
            let example = last.trim_start().starts_with("rounds ") || last.contains("| rounds ");
            assert!(
                help.to_lowercase().contains("example") && example,
                "{path}: --help does not end with an example:\n{help}"
            );
        }
    }
    check(&Cli::command(), "rounds");
}

#[test]
fn bad_dates_are_explained() {
    assert_eq!(
        parse_date("1980-13-01").unwrap_err(),
        "'1980-13-01' is not a date; use YYYY-MM-DD, e.g. 1980-01-15"
    );
    assert!(parse_date("1980-01-15").is_ok());
}

#[test]
fn impossible_birth_dates_are_refused() {
    assert_eq!(
        parse_date("0000-01-01").unwrap_err(),
        "'0000-01-01' is before 1850: check the year"
    );
    assert!(
        parse_date("1849-12-31")
            .unwrap_err()
            .contains("before 1850")
    );
    assert_eq!(
        parse_date("2999-01-01").unwrap_err(),
        "'2999-01-01' is in the future: check the year"
    );
    assert!(parse_date("1850-01-01").is_ok());
}
