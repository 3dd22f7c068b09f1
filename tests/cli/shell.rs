//! Fitting the shell: completions for every shell, the man page in docs/man matching the
//! command line, and a version that names the commit.

use super::*;

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = rounds().args(["completions", shell]).assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        // Every command is offered.
        for command in ["search", "chart", "login", "capabilities", "completions"] {
            assert!(text.contains(command), "{shell}: no '{command}'");
        }
    }
    rounds().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_in_docs_matches_the_command_line() {
    let out = rounds().arg("man").assert().success();
    let generated = out.get_output().stdout.clone();
    let checked_in = std::fs::read(repo().join("docs/man/rounds.1")).unwrap();
    assert!(
        generated == checked_in,
        "docs/man/rounds.1 is out of date: run `cargo run -- man > docs/man/rounds.1`"
    );
    let text = String::from_utf8(generated).unwrap();
    assert!(text.contains(".TH rounds 1"), "{text}");
    assert!(text.contains("chart"), "{text}");
}

#[test]
fn man_writes_a_page_per_command_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    rounds()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for page in [
        "rounds.1",
        "rounds-search.1",
        "rounds-chart.1",
        "rounds-login.1",
    ] {
        assert!(dir.path().join(page).is_file(), "no {page}");
    }
}

#[test]
fn the_version_names_the_commit_when_built_from_git() {
    let out = rounds().arg("--version").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("rounds 0."), "{text}");
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(repo())
        .output();
    if let Some(git) = git.ok().filter(|g| g.status.success()) {
        let commit = String::from_utf8_lossy(&git.stdout).trim().to_owned();
        assert!(text.contains(&commit), "{text} should name {commit}");
    }
}
